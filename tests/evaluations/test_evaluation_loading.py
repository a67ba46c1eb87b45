"""An evaluation page loads the evaluation with its one-row parts in a single query."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from evaluations.models import Staffing
from evaluations.models.parts import part_of
from evaluations.selectors.evaluations import evaluation_with_parts
from tests.conftest import Cast


def load(cast: Cast) -> tuple[list[str], Staffing | None]:
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        Staffing.objects.create(evaluation=cast.evaluation_a, staff_authorized=61)
        with CaptureQueriesContext(connection) as captured:
            evaluation = evaluation_with_parts(pk=cast.evaluation_a.pk)
            assert evaluation is not None
            staffing = part_of(evaluation, Staffing)  # from the join: no query of its own
    return [query["sql"] for query in captured.captured_queries], staffing


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_join_order_is_kept_as_written(cast: Cast) -> None:
    queries, staffing = load(cast)
    assert staffing is not None and staffing.staff_authorized == 61
    assert "SET LOCAL join_collapse_limit = 1" in queries
    assert sum(1 for sql in queries if sql.startswith("SELECT")) == 1


def test_inside_a_callers_transaction_the_setting_is_left_alone(cast: Cast) -> None:
    with transaction.atomic():
        queries, staffing = load(cast)
    assert staffing is not None and staffing.staff_authorized == 61
    assert queries == [sql for sql in queries if sql.startswith("SELECT")] and len(queries) == 1
