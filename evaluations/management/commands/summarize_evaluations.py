from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scopes_disabled

from evaluations.models import Campaign, Evaluation
from evaluations.tasks import summarize_evaluation


class Command(BaseCommand):
    help = "重新计算自评的得分、等级与审核问题汇总（审核工作台读取这些汇总），可限定一个自评任务。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--campaign", type=int, help="只汇总这个自评任务（编号）的自评")

    def handle(self, *args: Any, **options: Any) -> None:
        with scopes_disabled():
            evaluations = Evaluation.objects.order_by("pk")
            if options["campaign"] is not None:
                if not Campaign.objects.filter(pk=options["campaign"]).exists():
                    raise CommandError(f"没有编号为 {options['campaign']} 的自评任务。")
                evaluations = evaluations.filter(campaign_id=options["campaign"])
            ids = list(evaluations.values_list("pk", flat=True))
        # The task itself, run here: each evaluation is scored inside its own department's scope.
        for evaluation_id in ids:
            summarize_evaluation(evaluation_id)
        self.stdout.write(self.style.SUCCESS(f"已汇总 {len(ids)} 份自评。"))
