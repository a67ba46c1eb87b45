"""What the audit triggers cost a section save: the same saves with the triggers on and off.

    .venv/bin/python benchmarks/audit_write_cost.py [--saves 200]

Saves 湛江市商务局 2019's 人员情况 (one row) and its 财政资金情况表 figures (24 lines) through the
write path (`section_submit`, inside an audit context as a request has), each save changing
figures so that the triggers write events: 编制数, one line's 本级支出, and every line's (the
worst case). Blocks of saves alternate triggers on and off (ALTER TABLE … DISABLE
TRIGGER USER on the tracked tables, between blocks) so drift hits both alike.
Prints median per case and the ratio on/off. `--new-connection` opens a connection per save
(CONN_MAX_AGE=0): the first firing of each trigger function in a session compiles it. Uses a throw-away test database with the demo data.
"""

import argparse
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from _setup import benchmark_database, describe_machine


def set_triggers(tables: list[str], *, enabled: bool) -> None:
    """Turn the audit triggers of the tracked tables on or off (committed, before timing)."""
    from django.db import connection

    action = "ENABLE" if enabled else "DISABLE"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f'ALTER TABLE "{table}" {action} TRIGGER USER')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument(
        "--new-connection",
        action="store_true",
        help="each save on a new database connection, as with CONN_MAX_AGE=0",
    )
    args = parser.parse_args()
    with benchmark_database():
        run(args.saves, new_connection=args.new_connection)


def run(saves: int, *, new_connection: bool = False) -> None:
    import pghistory
    from django.db import connection, transaction
    from django.forms import BaseFormSet
    from django.http import QueryDict
    from django_scopes import scope, scopes_disabled

    from departments.models import DepartmentMembership
    from departments.roles import Role
    from evaluations.models import Evaluation
    from evaluations.models.audit import EVENT_MODELS
    from evaluations.services.sections import Outcome, section_submit, section_version
    from evaluations.tables.registry import section_for

    with scopes_disabled():
        evaluation = Evaluation.objects.select_related("department", "campaign").get(
            department__slug="zhanjiang-commerce", campaign__fiscal_year=2019
        )
        filler = DepartmentMembership.objects.get(
            department=evaluation.department, role="filler"
        ).user
    tracked = [model._meta.db_table for model in EVENT_MODELS]
    tenant = scope(
        jurisdiction=evaluation.department.jurisdiction_id, department=evaluation.department_id
    )

    def payload(form: Any) -> dict[str, str]:
        data: dict[str, str] = {}
        forms = [form.management_form, *form.forms] if isinstance(form, BaseFormSet) else [form]
        for each in forms:
            for name, field in each.fields.items():
                value = each[name].value()
                if field.disabled or value is None or value is False:
                    continue
                data[each.add_prefix(name)] = "on" if value is True else str(value)
        return data

    def changer(key: str, every_line: bool) -> Callable[[int], None]:
        section = section_for(evaluation, key)
        assert section is not None  # noqa: S101 - the demo has both sections
        base = payload(section.form(evaluation))
        # The figures to move: 编制数, or 本级支出 of the last (or every) line that has one.
        column = "staff_authorized" if key == "basic.staffing" else "city_spent_own"
        names = [name for name in base if name.endswith(f"-{column}") and base[name]]
        names = names if every_line else names[-1:]

        def save(step: int) -> None:
            data = QueryDict(mutable=True)
            moved = {name: str(Decimal(base[name]) + step) for name in names}
            data.update({**base, **moved})
            done = section_submit(
                evaluation=evaluation,
                section=section,
                data=data,
                based_on=section_version(evaluation=evaluation, key=key).version,
                by=filler,
                roles=frozenset({Role.FILLER}),
            )
            if done.outcome != Outcome.SAVED:
                raise SystemExit(f"{key}: {done.outcome} {getattr(done.form, 'errors', '')}")

        return save

    timings: dict[tuple[str, bool], list[float]] = {}
    with tenant, pghistory.context(user=filler.pk, url="/bench/", remote_addr="127.0.0.1"):
        cases = {
            "人员情况 (1 row)": changer("basic.staffing", every_line=False),
            "财政资金 one line": changer("funds.figures", every_line=False),
            "财政资金 every line": changer("funds.figures", every_line=True),
        }
        # Blocks of ten saves per case, triggers on and off in turn. Each save runs in a
        # transaction rolled back afterwards: every save then changes the same cells of the
        # demo's figures, and what runs on commit (the dashboard's summary task, eager here)
        # stays out of the timing, which is the triggers' cost and the save's own.
        for block in range(max(1, saves // 10)):
            for audited in (True, False) if block % 2 else (False, True):
                set_triggers(tracked, enabled=audited)
                for label, save in cases.items():
                    for _ in range(10):
                        if new_connection:
                            # The save connects (in both cases); PostgreSQL then compiles each
                            # trigger function the first time the new session fires it.
                            connection.close()
                        with transaction.atomic():
                            start = time.perf_counter()
                            save(1)
                            seconds = time.perf_counter() - start
                            transaction.set_rollback(True)
                        timings.setdefault((label, audited), []).append(seconds)
        set_triggers(tracked, enabled=True)
    print(describe_machine())
    for label in cases:
        on = statistics.median(timings[(label, True)]) * 1000
        off = statistics.median(timings[(label, False)]) * 1000
        print(f"{label}: audited {on:.2f} ms, without triggers {off:.2f} ms, ratio {on / off:.3f}")


if __name__ == "__main__":
    main()
