"""绩效目标申报情况汇总表 of 湛江市商务局 2017 (seed 000, 附件1), amounts in 万元."""

from datetime import date
from decimal import Decimal

from evaluations.models import Evaluation, TargetDeclaration

ONE_OFF = TargetDeclaration.Attribute.ONE_OFF
RECURRING = TargetDeclaration.Attribute.RECURRING
PORTS = "湛江海关、湛江出入境检验检疫局、湛江海事局、湛江边防检查站、湛江机场公司"
BUREAU = "湛江市商务局"

# (项目名称, 项目属性, 项目申报部门, 资金总额 = 申请市财政资金, 依据, 绩效目标)
ROWS_2017 = [
    (
        "宝满边检营房建设资金",
        ONE_OFF,
        "湛江边防检查站",
        "600.00",
        "背景：湛江宝满港区作为我市口岸整体规划及布局中的重要口岸，该口岸已经省口岸办批准临时"
        "对外开放，湛江边防检查站宝满营区属口岸开放查验配套设施，为确保宝满港区对外开放工作的"
        "有序开展，需加快边检宝满营区项目建设，并争取早日建成并投入使用。\n依据：湛江市人民政府"
        "《关于审定印发市政府工作会议签报意见的请示》（办文编号L15070)。",
        "支持湛江边检站宝满营房建设项目。",
    ),
    (
        "口岸单位工作经费",
        RECURRING,
        PORTS,
        "270.00",
        "背景及必要性：为确保我市各口岸日常查验工作的正常开展，经市政府批准，每年安排各口岸"
        "单位相应通关工作经费，2015年开始增加至270万元。其中湛江海关90万元，湛江出入境检验检疫局"
        "60万元，湛江海事局40万元，湛江边防检查站30万元，湛江机场公司50万元。",
        "确保各口岸查验工作的正常开展。",
    ),
    (
        "驻外代表处工作经费",
        RECURRING,
        BUREAU,
        "115.00",
        "依据：市政府关于审定《关于解决湛江市驻德国经贸代表处工作经费的请示》（办文编号L15046)"
        "\n背景：我市于2014年6月30日在德国卡尔斯鲁厄市举行了“湛江市驻德国经贸代表处”揭牌仪式，"
        "开设驻德国经贸代表处，为确保驻外代表处的日常工作顺利开展，于2015年经市政府批准后，安排"
        "140万元作为驻外代表处工作经费。今年，经测算，下调经费预算至115万元。",
        "推动我市与德国等欧美发达国家的经贸交流活动，促进我市招商引资工作。",
    ),
    (
        "“单一窗口”平台建设",
        ONE_OFF,
        BUREAU,
        "300.00",
        "根据《国务院关于改进口岸工作支持外经贸发展的若干意见》，依托港口电子口岸平台，建设国际"
        "贸易“单一窗口”平台，拟建设进出境运输工具、申报进出境货物、进出境物品和综合查询平台等"
        "四个子系统。\n依据：市政府关于审定《关于将湛江口岸“单一窗口”平台建设经费纳入2016年度"
        "市级财政预算的请示》（办文编号G15591）",
        "建设进出境运输工具、申报进出境货物、进出境物品和综合查询平台等四个“单一窗口”查验平台，"
        "提高口岸查验通关效率。",
    ),
    (
        "口岸办事处工作经费",
        RECURRING,
        BUREAU,
        "100.00",
        "必要性：用于保障霞海、南油、机场、调顺四个口岸的日常运转及基础设施维修维护等，随着我市"
        "口岸的不断扩大，目前，吴川车检场、徐闻口岸及乌石对台小额贸易口岸均已建成并投入使用，也"
        "获得省口岸办的验收，为确保上述口岸的正常运转和安全，我局需聘用临时劳务人员用于上述口岸"
        "安保、卫生保障工作。同时，由于部分口岸基础设施陈旧，相关的维修维护经费也在此进行安排。",
        "确保霞海、南油、机场、调顺、吴川车检场及乌石等口岸的日常运转。",
    ),
]


def load(evaluation: Evaluation) -> None:
    if (
        evaluation.department.slug != "zhanjiang-commerce"
        or evaluation.campaign.fiscal_year != 2017
    ):
        return
    if TargetDeclaration.objects.filter(evaluation=evaluation).exists():
        return
    TargetDeclaration.objects.bulk_create(
        TargetDeclaration(
            evaluation=evaluation,
            position=position,
            name=name,
            attribute=attribute,
            applicant=applicant,
            starts_on=date(2017, 1, 1),
            ends_on=date(2017, 12, 31),
            total_amount=Decimal(amount),
            city_funds=Decimal(amount),
            basis=basis,
            target=target,
        )
        for position, (name, attribute, applicant, amount, basis, target) in enumerate(
            ROWS_2017, start=1
        )
    )
