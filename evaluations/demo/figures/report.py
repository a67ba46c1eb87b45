"""自评报告 of the seeds: each report's own headings as a template, and its text chapter by chapter.

Seeds 000 (湛江 2017) and 001 (湛江 2019) are 整体支出自评报告 of different structures; 003 (岳阳 2023)
is an 整体支出绩效自评报告 and 004 (江门 2022) a 项目绩效自评报告.
"""

from evaluations.demo.figures.report_texts import (
    JIANGMEN_2022,
    YUEYANG_2023,
    ZHANJIANG_2017,
    ZHANJIANG_2019,
)
from evaluations.models import Evaluation, ReportSection, ReportTemplate
from evaluations.tables.narrative import report_headings

Chapters = tuple[tuple[str, str], ...]

REPORTS: dict[tuple[str, int], tuple[str, Chapters]] = {
    ("zhanjiang-commerce", 2017): (
        "湛江市部门整体支出自我绩效评价报告（2017年度）",
        ZHANJIANG_2017,
    ),
    ("zhanjiang-commerce", 2019): ("湛江市部门整体绩效自评报告（2019年度）", ZHANJIANG_2019),
    ("yueyang-commerce", 2023): ("岳阳市部门整体支出绩效自评报告", YUEYANG_2023),
    ("jiangmen-commerce", 2022): ("江门市项目支出绩效自评报告", JIANGMEN_2022),
}


def load(evaluation: Evaluation) -> None:
    report = REPORTS.get((evaluation.department.slug, evaluation.campaign.fiscal_year))
    if report is None:
        return
    name, chapters = report
    headings = [heading for heading, _ in chapters]
    template, _ = ReportTemplate.objects.get_or_create(name=name, defaults={"headings": headings})
    campaign = evaluation.campaign
    if campaign.report_template_id is None:
        campaign.report_template = template
        campaign.save(update_fields=["report_template"])
    if report_headings(evaluation) != headings:
        return  # the bureau chose other chapters: the seed's text would not fit them
    for order, (heading, text) in enumerate(chapters, start=1):
        ReportSection.objects.get_or_create(
            evaluation=evaluation, order=order, defaults={"heading": heading, "text": text}
        )
