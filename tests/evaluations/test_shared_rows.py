"""Sections that share one database row never lose each other's values when saved at once.

岳阳's 财政供养人员情况 and 经费控制情况 are two sections over one `HunanBasicData` row. Each
request builds its form from the row as it was, then both save: a save that wrote the whole row
would put back the other section's old values.
"""

import threading
from typing import Any

import pytest
from django.db import connection
from django.http import QueryDict
from django_scopes import scope

from departments.roles import Role
from evaluations.models import Campaign, Evaluation, HunanBasicData, SectionState
from evaluations.services import sections as services
from evaluations.tables.registry import section_for
from tests.conftest import Cast

ROUNDS = 50


def staffing(round_: int, based_on: int) -> dict[str, str]:
    return {
        "based_on": str(based_on),
        "hunan-basic-staffing-staff_authorized": str(100 + round_),
        "hunan-basic-staffing-staff_actual": str(90 + round_),
    }


def three_public(round_: int, based_on: int) -> dict[str, str]:
    return {
        "based_on": str(based_on),
        "hunan-basic-three-public-reception_actual": f"{round_}.25",
        "hunan-basic-three-public-overseas_budget": f"{round_}.50",
    }


SENDERS = {"hunan_basic.staffing": staffing, "hunan_basic.three_public": three_public}


def both_at_once(cast: Cast, round_: int, monkeypatch: Any) -> dict[str, Any]:
    """Submit both sections through the one write path from two threads; each waits, after
    validating its form against the row as it was, until the other has too, so both saves start
    from the same old row."""
    barrier = threading.Barrier(len(SENDERS))
    version_of = services.section_version

    def after_validation(**kwargs: Any) -> SectionState:
        barrier.wait(timeout=10)
        return version_of(**kwargs)

    monkeypatch.setattr(services, "section_version", after_validation)
    outcomes: dict[str, Any] = {}

    def run(key: str) -> None:
        try:
            with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
                evaluation = Evaluation.objects.select_related("campaign").get(
                    pk=cast.evaluation_a.pk
                )
                section = section_for(evaluation, key)
                assert section is not None
                data = QueryDict(mutable=True)
                data.update(SENDERS[key](round_, round_))
                outcomes[key] = services.section_submit(
                    evaluation=evaluation,
                    section=section,
                    data=data,
                    based_on=round_,
                    by=cast.users["filler_a"],
                    roles=frozenset({Role.FILLER}),
                ).outcome
        except BaseException as error:  # reported by the main thread
            outcomes[key] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(key,)) for key in SENDERS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_sections_of_one_row_saved_at_once_keep_both_values(
    cast: Cast, monkeypatch: Any
) -> None:
    cast.campaign.table_set = Campaign.TableSet.HUNAN_OVERALL
    cast.campaign.save()
    kept = 0
    for round_ in range(ROUNDS):
        outcomes = list(both_at_once(cast, round_, monkeypatch).values())
        assert outcomes == [services.Outcome.SAVED] * 2, outcomes
        with scope(jurisdiction=cast.bureau.pk, department=cast.department_a.pk):
            row = HunanBasicData.objects.get(evaluation=cast.evaluation_a)
        kept += (row.staff_authorized, row.staff_actual, str(row.reception_actual)) == (
            100 + round_,
            90 + round_,
            f"{round_}.2500",
        ) and str(row.overseas_budget) == f"{round_}.5000"
    assert kept == ROUNDS
