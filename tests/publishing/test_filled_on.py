"""填报日期 on the report's cover and under the basic-data table: the day of the latest submission,
blank lines to fill by hand while the evaluation was never submitted."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from evaluations.models import Evaluation
from tests.conftest import Cast
from tests.publishing import pdf

pytestmark = pytest.mark.django_db


def report_text(cast: Cast) -> str:
    kwargs = {
        "department": cast.department_a.slug,
        "pk": cast.evaluation_a.pk,
        "document": "report",
    }
    response = cast.client_for("reviewer").get(
        reverse("department:document_preview", kwargs=kwargs)
    )
    assert response.status_code == 200
    return pdf.flat_text(response.content)


def test_a_submitted_evaluation_prints_its_submission_day(cast: Cast) -> None:
    # 23:30 on 14 March in UTC is already 15 March in China: the local day is printed.
    moment = datetime.datetime(2020, 3, 14, 23, 30, tzinfo=datetime.UTC)
    with scopes_disabled():
        Evaluation.objects.filter(pk=cast.evaluation_a.pk).update(
            state=Evaluation.State.SUBMITTED, submitted_at=moment
        )
    assert timezone.get_current_timezone_name() == "Asia/Shanghai"
    assert "填报日期：2020年3月15日" in report_text(cast).replace(" ", "")


def test_a_draft_leaves_the_date_to_fill_by_hand(cast: Cast) -> None:
    text = report_text(cast).replace(" ", "")
    assert "填报日期：" in text
    assert "填报日期：2" not in text
