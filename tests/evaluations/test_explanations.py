"""说明: a filler explains each warning where it is listed; the explanation follows its warning."""

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope

from evaluations.checks.engine import ComparisonRule, Violation, parse_rule
from evaluations.models import Evaluation, WarningExplanation
from evaluations.selectors.checks import unexplained_warnings
from tests.conftest import Cast
from tests.evaluations.helpers_tables import HTMX, table_url

STAFF_WARNING = ("basic.staff_within_authorized", "basic.staffing", "staff_actual")
TEXT = "2019年机构改革划入人员，编制尚未调整。"


def in_scope(cast: Cast) -> Any:
    return scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk)


def save_staffing(cast: Cast, authorized: str, actual: str) -> None:
    with in_scope(cast):
        state = cast.evaluation_a.section_states.filter(key="basic.staffing").first()
    url = reverse(
        "department:section_save",
        kwargs={
            "department": cast.department_a.slug,
            "pk": cast.evaluation_a.pk,
            "key": "basic.staffing",
        },
    )
    response = cast.client_for("filler_a").post(
        url,
        {
            "based_on": str(state.version if state else 0),
            "basic-staffing-staff_authorized": authorized,
            "basic-staffing-staff_actual": actual,
        },
        **HTMX,
    )
    assert response.status_code == 200


def explain_url(cast: Cast) -> str:
    return reverse(
        "department:warning_explanation",
        kwargs={"department": cast.department_a.slug, "pk": cast.evaluation_a.pk},
    )


def explain(
    cast: Cast,
    text: str = TEXT,
    *,
    warning: tuple[str, str, str] = STAFF_WARNING,
    user: str = "filler_a",
    htmx: bool = True,
    client: Client | None = None,
    **extra: str,
) -> Any:
    code, section, target = warning
    data = {"code": code, "section": section, "target": target, "text": text, **extra}
    return (client or cast.client_for(user)).post(explain_url(cast), data, **(HTMX if htmx else {}))


def stored(cast: Cast) -> list[WarningExplanation]:
    with in_scope(cast):
        return list(WarningExplanation.objects.filter(evaluation=cast.evaluation_a))


def unexplained_codes(cast: Cast) -> list[str]:
    with in_scope(cast):
        evaluation = Evaluation.objects.select_related("campaign").get(pk=cast.evaluation_a.pk)
        return [warning.code for warning in unexplained_warnings(evaluation)]


def page(cast: Cast, user: str = "filler_a") -> str:
    response = cast.client_for(user).get(table_url(cast, "basic"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def overstaffed(cast: Cast) -> Cast:
    save_staffing(cast, "61", "63")
    return cast


def test_a_warning_offers_a_form_to_explain_it_where_it_is_listed(overstaffed: Cast) -> None:
    body = page(overstaffed)
    # Once in the section card, once in the panel; errors (required fields) get none.
    assert (
        body.count('<input type="hidden" name="code" value="basic.staff_within_authorized">') == 2
    )
    assert 'name="code" value="basic.contact_required"' not in body
    assert body.count('hx-post="' + explain_url(overstaffed) + '"') >= 2
    assert "其中 " in body and " 个警告尚未说明" in body


def test_htmx_saves_the_explanation_and_returns_both_lists_out_of_band(
    overstaffed: Cast,
) -> None:
    before = unexplained_codes(overstaffed)
    assert "basic.staff_within_authorized" in before
    response = explain(overstaffed)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="basic-staffing-violations" aria-label' in body
    assert body.count('hx-swap-oob="true"') == 2  # the section's findings and the panel
    assert body.count("已说明") == 2 and body.count(TEXT) >= 2
    (explanation,) = stored(overstaffed)
    assert (explanation.code, explanation.section, explanation.target) == STAFF_WARNING
    assert explanation.text == TEXT
    assert explanation.updated_by == overstaffed.users["filler_a"]
    after = unexplained_codes(overstaffed)
    assert "basic.staff_within_authorized" not in after
    assert len(after) == len(before) - 1
    assert f"其中 {len(after)} 个警告尚未说明" in body


def test_without_javascript_it_posts_and_redirects_back(overstaffed: Cast) -> None:
    client = overstaffed.client_for("filler_a")
    back = table_url(overstaffed, "basic")
    response = explain(overstaffed, htmx=False, client=client, next=back)
    assert response.status_code == 302
    assert response["Location"] == back
    body = client.get(back).content.decode()
    assert "已保存警告说明。" in body
    assert TEXT in body and "已说明" in body


def test_a_redirect_never_leaves_the_site(overstaffed: Cast) -> None:
    response = explain(overstaffed, htmx=False, next="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "department:evaluation",
        kwargs={"department": overstaffed.department_a.slug, "pk": overstaffed.evaluation_a.pk},
    )


def test_the_explanation_stays_with_its_warning_across_saves(overstaffed: Cast) -> None:
    explain(overstaffed)
    save_staffing(overstaffed, "61", "64")  # still over: the same rule on the same input
    body = page(overstaffed)
    assert TEXT in body and "已说明" in body
    assert "basic.staff_within_authorized" not in unexplained_codes(overstaffed)

    save_staffing(overstaffed, "61", "55")  # fixed: the warning and its explanation go
    body = page(overstaffed)
    assert TEXT not in body
    assert len(stored(overstaffed)) == 1  # kept, harmless

    save_staffing(overstaffed, "61", "62")  # over again: the explanation is back
    assert TEXT in page(overstaffed)
    assert "basic.staff_within_authorized" not in unexplained_codes(overstaffed)


def test_a_second_explanation_replaces_the_first_and_a_blank_one_removes_it(
    overstaffed: Cast,
) -> None:
    explain(overstaffed)
    explain(overstaffed, "借调人员三名。")
    assert [e.text for e in stored(overstaffed)] == ["借调人员三名。"]
    explain(overstaffed, "   ")
    assert stored(overstaffed) == []
    assert "basic.staff_within_authorized" in unexplained_codes(overstaffed)


def test_reviewers_and_heads_read_explanations_without_a_form(overstaffed: Cast) -> None:
    explain(overstaffed)
    for user in ("reviewer", "head_a"):
        body = page(overstaffed, user)
        assert TEXT in body and "已说明" in body
        assert 'name="text"' not in body
        assert explain_url(overstaffed) not in body


@pytest.mark.parametrize("user", ["head_a", "reviewer", "bureau_admin"])
def test_only_fillers_write_explanations(overstaffed: Cast, user: str) -> None:
    assert explain(overstaffed, user=user).status_code == 403
    assert stored(overstaffed) == []


@pytest.mark.parametrize("user", ["outsider", "filler_b"])
def test_outsiders_get_404(overstaffed: Cast, user: str) -> None:
    assert explain(overstaffed, user=user).status_code == 404
    assert stored(overstaffed) == []


def test_a_submitted_evaluation_takes_no_explanations(overstaffed: Cast) -> None:
    with in_scope(overstaffed):
        Evaluation.objects.filter(pk=overstaffed.evaluation_a.pk).update(
            state=Evaluation.State.SUBMITTED
        )
    assert explain(overstaffed).status_code == 403
    assert 'name="text"' not in page(overstaffed)


def test_only_a_warning_that_fires_now_can_be_explained(overstaffed: Cast) -> None:
    gone = ("basic.declared_within_due", "basic.project_targets", "declared_count")
    error = ("basic.contact_required", "basic.unit", "contact_name")
    for warning in (gone, error):
        # HTMX gets the lists as they are now; without JavaScript, a message on the way back.
        response = explain(overstaffed, warning=warning)
        assert response.status_code == 200
        assert 'id="checks"' in response.content.decode()
        client = overstaffed.client_for("filler_a")
        response = explain(overstaffed, warning=warning, htmx=False, client=client)
        assert response.status_code == 302
        assert "此警告已不存在" in client.get(response["Location"]).content.decode()
    assert explain(overstaffed, "长" * 1001).status_code == 400
    assert stored(overstaffed) == []


def test_explanations_cost_one_query_per_page_and_per_save(overstaffed: Cast) -> None:
    explain(overstaffed)

    def explanation_queries(run: Any) -> int:
        with CaptureQueriesContext(connection) as captured:
            run()
        return sum("evaluations_warningexplanation" in q["sql"] for q in captured.captured_queries)

    assert explanation_queries(lambda: page(overstaffed)) == 1
    assert explanation_queries(lambda: save_staffing(overstaffed, "61", "65")) == 1


# The identity an explanation is filed under.


def rule(**raw: Any) -> ComparisonRule:
    parsed = parse_rule(
        {"code": "t.rule", "section": "t.rows", "severity": "warning", "message": "{row}", **raw},
        source="test",
    )
    assert isinstance(parsed, ComparisonRule)
    return parsed


def targets(found: list[Violation]) -> list[str]:
    return [violation.target for violation in found]


def test_a_row_warning_is_identified_by_its_row_not_its_position() -> None:
    check = rule(for_each="rows", left="spent", operator="<=", right="budget", field="spent")
    over = {"spent": Decimal(2), "budget": Decimal(1)}
    fine = {"spent": Decimal(0), "budget": Decimal(1)}
    first = check.check({"rows": [{"index": 0, "label": "会展经费", **over}]})
    # A line added above it moves it to index 1; its identity does not move.
    moved = check.check(
        {
            "rows": [
                {"index": 0, "label": "新项目", **fine},
                {"index": 1, "label": "会展经费", **over},
            ]
        }
    )
    assert targets(first) == targets(moved) == ["会展经费"]
    assert [v.field for v in first] == ["0-spent"] and [v.field for v in moved] == ["1-spent"]


def test_rows_sharing_a_name_are_numbered_and_a_given_key_wins() -> None:
    check = rule(for_each="rows", left="spent", operator="<=", right="budget")
    over = {"spent": Decimal(2), "budget": Decimal(1)}
    rows = [
        {"label": "其他", **over},
        {"label": "其他", **over},
        {"key": "7", "label": "x", **over},
    ]
    assert targets(check.check({"rows": rows})) == ["其他", "其他#2", "7"]


def test_a_single_warning_is_identified_by_its_input() -> None:
    check = rule(field="staff_actual", left="staff_actual", operator="<=", right="staff_authorized")
    (found,) = check.check({"staff_actual": Decimal(63), "staff_authorized": Decimal(61)})
    assert found.identity == ("t.rule", "t.rows", "staff_actual")


def test_the_english_catalogue_has_the_explanation_strings(overstaffed: Cast) -> None:
    explain(overstaffed)
    client = overstaffed.client_for("filler_a")
    client.post(reverse("set_language"), {"language": "en"})
    body = client.get(table_url(overstaffed, "basic")).content.decode()
    assert "Explained" in body and "Change the explanation" in body
    assert "warnings still need an explanation" in body


def test_an_explanation_is_shown_as_text_never_as_html(overstaffed: Cast) -> None:
    explain(overstaffed, '<script>alert("x")</script>')
    body = page(overstaffed)
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in body
