"""What the pages show beside the forms: the 评分表's self-score and verified sums, and the
column names a phone shows when a row becomes a card."""

import io
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import SuspiciousOperation
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_scopes import scopes_disabled

from evaluations.models import Evaluation
from evaluations.tables.registry import tables_for
from evaluations.templatetags.label_tags import unkeyed_text
from rubrics.engine.metrics import INPUTS, METRICS
from tests.conftest import Cast

User = get_user_model()

HTMX = {"HTTP_HX_REQUEST": "true"}


def scores_page(cast: Cast) -> str:
    kwargs = {"department": cast.department_a.slug, "pk": cast.evaluation_a.pk, "table": "scores"}
    client = cast.client_for("filler_a")
    return client.get(reverse("department:evaluation_table", kwargs=kwargs)).content.decode()


def cell(body: str, dom_id: str) -> str:
    """The text of the element with this id (the sums are single spans)."""
    match = re.search(rf'id="{dom_id}"[^>]*>([^<]*)<', body)
    assert match, dom_id
    return match.group(1).strip()


def claim(cast: Cast, scores: dict[str, str]) -> str:
    kwargs = {"department": cast.department_a.slug, "pk": cast.evaluation_a.pk}
    data = {"based_on": "0", **{f"scores-claimed-score__{k}": v for k, v in scores.items()}}
    response = cast.client_for("filler_a").post(
        reverse("department:section_save", kwargs={**kwargs, "key": "scores.claimed"}),
        data,
        **HTMX,
    )
    assert response.status_code == 200
    return response.content.decode()


def test_self_scores_are_summed_per_first_level_indicator_and_in_total(cast: Cast) -> None:
    body = scores_page(cast)
    assert cell(body, "claimed-sum-sub_1") == "—"
    assert cell(body, "claimed-sum-total") == "—"

    live = claim(cast, {"1_1_1": "3", "1_1_2": "4", "1_2_1": "5", "2_1_5": "6"})
    # The live answer replaces the sums in place, as it does the computed scores.
    assert 'id="claimed-sum-sub_1" hx-swap-oob="true">12.00' in live

    body = scores_page(cast)
    assert cell(body, "claimed-sum-sub_1") == "12.00"
    assert cell(body, "claimed-sum-sub_2") == "6.00"
    assert cell(body, "claimed-sum-total") == "18.00"
    assert cell(body, "verified-sum-total") == "—"


def test_the_difference_between_claimed_and_computed_totals_is_shown(cast: Cast) -> None:
    claim(cast, {"1_1_1": "3"})
    body = scores_page(cast)
    computed = re.search(r'id="scores-total"[^>]*>([\d.]+)', body)
    assert computed
    difference = 3 - float(computed.group(1))
    word = "多" if difference > 0 else "少"
    expected = f"比计算得分{word} {abs(difference):.2f}" if difference else "与计算得分一致"
    assert cell(body, "difference-sum-total") == expected


def test_every_value_of_a_scoring_row_names_its_column(cast: Cast) -> None:
    body = scores_page(cast)
    sheet = body[body.index('class="table compact scoresheet cards"') :]
    sheet = sheet[: sheet.index("</table>")]
    row = re.search(r'<tr id="row-2_1_4">(.*?)</tr>', sheet, re.S)
    assert row
    labels = re.findall(r'<td[^>]*data-label="([^"]+)"', row.group(1))
    expected = ["编码", "分值", "指标值", "计算得分", "自评得分", "扣分说明", "核查得分", "核对"]
    assert labels == [*expected, "计算过程"]


class _Text(HTMLParser):
    """The text a person sees: text nodes outside <script>, <style> and <template>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._hidden += tag in {"script", "style", "template"}

    def handle_endtag(self, tag: str) -> None:
        self._hidden -= tag in {"script", "style", "template"}

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(body: str) -> str:
    parser = _Text()
    parser.feed(body)
    return " ".join(parser.parts)


@pytest.mark.django_db
def test_no_page_of_the_demo_evaluations_shows_a_data_dictionary_key() -> None:
    call_command("load_demo", publish=False, stdout=io.StringIO())
    keys = re.compile(
        r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, {*INPUTS, *METRICS})) + r")(?![A-Za-z0-9_])"
    )
    shown: dict[str, set[str]] = {}
    pages = 0
    with scopes_disabled():
        evaluations = list(Evaluation.objects.select_related("department"))
    for evaluation in evaluations:
        department = evaluation.department.slug
        client = Client()
        client.force_login(User.objects.get(username=f"{department.split('-')[0]}-filler"))
        kwargs = {"department": department, "pk": evaluation.pk}
        urls = [reverse("department:evaluation", kwargs=kwargs)] + [
            reverse("department:evaluation_table", kwargs={**kwargs, "table": table.slug})
            for table in tables_for(evaluation)
        ]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            pages += 1
            if found := set(keys.findall(visible_text(response.content.decode()))):
                shown[url] = found
    assert pages >= 20
    assert shown == {}


def test_a_key_after_its_label_goes_and_a_bare_key_becomes_its_label() -> None:
    text = "部门财政存量资金变动率：缺少 上年末存量资金（stock_funds_prev）；stock_funds_prev 为空"
    assert unkeyed_text(text) == "部门财政存量资金变动率：缺少 上年末存量资金；上年末存量资金 为空"


@pytest.mark.django_db
def test_a_project_only_evaluation_is_titled_and_listed_as_a_project_evaluation() -> None:
    call_command("load_demo", publish=False, stdout=io.StringIO())
    with scopes_disabled():
        evaluation = Evaluation.objects.select_related("department", "campaign").get(
            campaign__table_set="project_only"
        )
    department = evaluation.department.slug
    client = Client()
    client.force_login(User.objects.get(username=f"{department.split('-')[0]}-filler"))
    kwargs = {"department": department, "pk": evaluation.pk}
    page = visible_text(
        client.get(reverse("department:evaluation", kwargs=kwargs)).content.decode()
    )
    year = evaluation.campaign.fiscal_year
    assert f"{evaluation.department.name} {year} 年度项目支出绩效自评" in page
    assert "整体支出绩效自评" not in page
    listing = client.get(reverse("department:home", kwargs={"department": department}))
    row = re.search(
        rf'<tr>\s*<td[^>]*><a href="[^"]*/{evaluation.pk}/">.*?</tr>',
        listing.content.decode(),
        re.S,
    )
    assert row and "项目支出绩效自评" in row.group(0) and "整体" not in row.group(0)


def test_an_over_large_body_gets_the_chinese_413_page_in_the_sites_style(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    kwargs = {
        "department": cast.department_a.slug,
        "pk": cast.evaluation_a.pk,
        "key": "basic.staffing",
    }
    url = reverse("department:section_save", kwargs=kwargs)
    response = client.post(url, {"based_on": "0", "padding": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    body = response.content.decode()
    assert "提交的内容过大" in body and "Bad Request" not in body
    assert 'class="site-header"' in body and 'rel="icon"' in body


def test_a_bad_request_and_a_server_error_are_answered_in_chinese(rf: Any) -> None:
    from config.views import bad_request, server_error

    request = rf.get("/")
    request.user = AnonymousUser()
    body = bad_request(request, SuspiciousOperation("bad")).content.decode()
    assert "请求无法处理" in body and 'class="site-header"' in body
    response = server_error(request)
    assert response.status_code == 500 and "服务器错误" in response.content.decode()


def test_an_upload_message_is_shown_beside_the_evidence_where_the_page_lands(cast: Cast) -> None:
    kwargs = {"department": cast.department_a.slug, "pk": cast.evaluation_a.pk}
    url = reverse("department:evidence_upload", kwargs={**kwargs, "key": "basic.staffing"})
    file = SimpleUploadedFile("编制批复.exe", b"MZ\x90\x00not a document")
    client = cast.client_for("filler_a")
    response = client.post(url, {"file": file})
    assert response.status_code == 302 and response["Location"].endswith("#basic-staffing-evidence")
    body = client.get(response["Location"]).content.decode()
    evidence = body[body.index('id="basic-staffing-evidence"') :]
    evidence = evidence[: evidence.index("</details>")]
    near = re.search(
        r'<ul class="messages near" role="status" aria-live="polite">(.*?)</ul>', evidence
    )
    assert near and 'class="message error"' in near.group(1)
    # Not also at the top of the page, off screen.
    top = body[body.index('<main id="main"') : body.index('id="basic-staffing"')]
    assert '<li class="message' not in top


# Messages where the eye is: without JavaScript a form post returns to its page with its message
# next to what it was about, announced (role=status), and not again in the list at the top.


def _near(body: str, where: str, text: str) -> bool:
    block = body.split(where, 1)[1].split("</ul>", 1)[0] if where in body else ""
    return text in block and 'role="status"' in block


def test_a_section_saved_without_javascript_says_so_beside_the_section(cast: Cast) -> None:
    client = cast.client_for("filler_a")
    url = reverse(
        "department:section_save",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "key": "basic.staffing",
        },
    )
    response = client.post(
        url,
        {
            "based_on": "0",
            "basic-staffing-staff_authorized": "61",
            "basic-staffing-staff_actual": "55",
        },
        follow=True,
    )
    body = response.content.decode()
    assert _near(body, 'id="basic-staffing-title"', "「人员情况」已保存。")
    assert body.count("「人员情况」已保存。") == 1
