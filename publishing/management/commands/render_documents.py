import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import slug_re
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from departments.models import Department
from evaluations.models import Evaluation
from evaluations.selectors.evaluations import evaluation_with_parts
from publishing.documents.catalogue import PACKAGE, is_draft, published_documents
from publishing.documents.renderer import evaluation_data, render_document

# An unknown department, year or document is refused with this status and a message on stderr.
REFUSED = 2


class Command(BaseCommand):
    help = (
        "生成自评的公开文件（PDF）：render_documents 部门标识 年度 --out 目录 [--only 文件名]；"
        "每个文件打印一行：文件名、页数、用时。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("department", help=_("部门标识，例如 zhanjiang-commerce"))
        parser.add_argument("year", help=_("评价年度，例如 2019"))
        parser.add_argument("--out", required=True, help=_("输出目录（不存在时创建）"))
        parser.add_argument(
            "--only", help=_("只生成这一个文件：report、scores、funds … 或 package（合订本）")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        evaluation = find_evaluation(options["department"], options["year"])
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        with (
            scope(
                jurisdiction=evaluation.department.jurisdiction_id,
                department=evaluation.department_id,
            ),
            evaluation_data(evaluation, draft=is_draft(evaluation)) as data,
        ):
            slugs = [document.slug for document in published_documents(data)] + [PACKAGE]
            only = options["only"]
            if only is not None and only not in slugs:
                raise CommandError(
                    _("没有文件「%(name)s」；可选：%(names)s")
                    % {"name": only, "names": "、".join(slugs)},
                    returncode=REFUSED,
                )
            for slug in [only] if only else slugs:
                started = time.perf_counter()
                rendered = render_document(data, slug)
                (out / rendered.filename).write_bytes(rendered.content)
                seconds = time.perf_counter() - started
                self.stdout.write(f"{rendered.filename}\t{rendered.pages}\t{seconds:.2f}s")


def find_evaluation(slug: str, year: str) -> Evaluation:
    """The department's evaluation of that year, or a refusal that says which of them is unknown."""
    with scopes_disabled():
        department = Department.objects.filter(slug=slug).first() if slug_re.match(slug) else None
        if department is None:
            raise CommandError(_("没有部门「%(slug)s」。") % {"slug": slug}, returncode=REFUSED)
        found = (
            Evaluation.objects.filter(department=department, campaign__fiscal_year=year)
            .values_list("pk", flat=True)
            .first()
            if year.isdigit() and len(year) == 4
            else None
        )
        if found is None:
            raise CommandError(
                _("%(name)s没有 %(year)s 年度的自评。") % {"name": department.name, "year": year},
                returncode=REFUSED,
            )
    with scope(jurisdiction=department.jurisdiction_id, department=department.pk):
        evaluation = evaluation_with_parts(pk=found)
    if evaluation is None:  # deleted since it was found just above
        raise CommandError(_("该自评已被删除。"), returncode=REFUSED)
    return evaluation
