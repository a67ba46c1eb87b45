"""固定资产情况表 of 湛江市商务局 2017 (seed 000 §五(二)), in 元 as printed."""

from decimal import Decimal

from evaluations.models import Evaluation, FixedAssetLine, FixedAssetStatedTotals

D = Decimal
# (name, 其中项, 数量, 金额, 在用资产金额, 闲置资产金额); blank categories are printed too.
LINES_2017 = [
    ("一、土地、房屋及构筑物", False, 12, D("6665147.92"), D("6665147.92"), None),
    ("其中：房屋", True, 12, D("6665147.92"), D("6665147.92"), None),
    ("二、通用设备", False, 563, D("11472636.1"), D("11462636.1"), None),
    ("其中：汽车", True, 5, D("975001"), D("965001"), None),
    ("三、专用设备", False, None, None, None, None),
    ("四、家具、用具、装具", False, 665, D("496105.97"), D("496105.97"), None),
    ("五、图书、档案", False, None, None, None, None),
    ("六、文物和陈列品", False, None, None, None, None),
]
STATED_2017 = {"amount_stated": D("18633890"), "in_use_amount_stated": D("18623890")}


def load(evaluation: Evaluation) -> None:
    if (
        evaluation.department.slug != "zhanjiang-commerce"
        or evaluation.campaign.fiscal_year != 2017
    ):
        return
    if not FixedAssetLine.objects.filter(evaluation=evaluation).exists():
        FixedAssetLine.objects.bulk_create(
            FixedAssetLine(
                evaluation=evaluation,
                position=position,
                name=name,
                is_detail=is_detail,
                quantity=quantity,
                amount=amount,
                in_use_amount=in_use,
                idle_amount=idle,
            )
            for position, (name, is_detail, quantity, amount, in_use, idle) in enumerate(
                LINES_2017, start=1
            )
        )
    FixedAssetStatedTotals.objects.get_or_create(evaluation=evaluation, defaults=STATED_2017)
