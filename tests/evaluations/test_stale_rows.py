"""A save based on rows that changed meanwhile is a conflict with a clear answer, never a 500.

The funds figures are a formset over the lines: someone else adding or deleting a line shifts
every row, and ids in a stale or forged post may name lines that no longer exist.
"""

from typing import Any

from django_scopes import scope

from evaluations.models import FundLine
from tests.conftest import Cast
from tests.evaluations.test_funds import (
    FIGURES,
    HTMX,
    STRUCTURE,
    figures_form,
    in_scope,
    posted,
    save_url,
    small_tree,
    structure_form,
)


def add_line(cast: Cast, parent: FundLine) -> Any:
    formset = figures_form(cast)
    new = formset.forms[-1]
    data = posted(
        formset,
        based_on="0",
        **{
            new.add_prefix("name"): "口岸单位工作经费",
            new.add_prefix("parent"): str(parent.pk),
            new.add_prefix("budget_initial"): "270",
        },
    )
    return cast.client_for("filler_a").post(save_url(cast, FIGURES), data, **HTMX)


def test_an_autosave_after_another_person_added_a_line_is_a_conflict(cast: Cast) -> None:
    with in_scope(cast):
        lines = small_tree(cast.evaluation_a)
    stale = figures_form(cast)  # opened before the other person's save
    fair = next(form for form in stale.forms if form.instance.pk == lines["fair"].pk)
    mine = posted(stale, based_on="0", **{fair.add_prefix("budget_initial"): "35"})
    assert add_line(cast, lines["projects"]).status_code == 200
    response = cast.client_for("filler_a").post(save_url(cast, FIGURES), mine, **HTMX)
    assert response.status_code == 409
    body = response.content.decode()
    assert "他人已修改此栏目" in body and "他人新增的行" in body and "口岸单位工作经费" in body
    with in_scope(cast):
        assert FundLine.objects.get(pk=lines["fair"].pk).budget_initial == 30


def test_a_save_naming_a_line_deleted_meanwhile_is_refused_with_a_message(cast: Cast) -> None:
    with in_scope(cast):
        lines = small_tree(cast.evaluation_a)
    stale = figures_form(cast)
    fair = next(form for form in stale.forms if form.instance.pk == lines["fair"].pk)
    mine = posted(stale, based_on="0", **{fair.add_prefix("budget_initial"): "35"})
    with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
        FundLine.objects.filter(pk=lines["fair"].pk).delete()
    response = cast.client_for("filler_a").post(save_url(cast, FIGURES), mine, **HTMX)
    assert response.status_code in (409, 422)
    assert "请刷新页面" in response.content.decode() or "他人" in response.content.decode()


def test_forged_line_ids_are_refused_not_saved(cast: Cast) -> None:
    with in_scope(cast):
        lines = small_tree(cast.evaluation_a)
    formset = structure_form(cast)
    row = next(form for form in formset.forms if form.instance.pk == lines["fair"].pk)
    forged = posted(formset, based_on="0", **{row.add_prefix("id"): "999999"})
    response = cast.client_for("filler_a").post(save_url(cast, STRUCTURE), forged, **HTMX)
    assert response.status_code == 422
    assert "请刷新页面" in response.content.decode()
    with in_scope(cast):
        assert FundLine.objects.filter(evaluation=cast.evaluation_a).count() == len(lines)
