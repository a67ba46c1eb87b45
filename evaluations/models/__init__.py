"""Models of the evaluations app, one module per official table (see evaluations/tables/)."""

# The audit trail's event models (loaded here so that Django registers them; not exported).
from evaluations.models import audit  # noqa: F401
from evaluations.models.adjustments import Adjustments
from evaluations.models.assets import FixedAssetLine, FixedAssetStatedTotals
from evaluations.models.basic import (
    AssetManagement,
    Benefits,
    Disclosures,
    Fairness,
    OverallTargets,
    ProjectOrganisation,
    ProjectTargets,
    RevenueAndProcurement,
    SpendingControl,
    Staffing,
    UnitInfo,
    WorkCompletion,
)
from evaluations.models.campaigns import Campaign, Evaluation, ReportTemplate
from evaluations.models.explanations import WarningExplanation
from evaluations.models.funds import FundLine
from evaluations.models.hunan import (
    HunanBasicData,
    HunanOverall,
    Indicator,
    ProjectEvaluation,
)
from evaluations.models.report import Evidence, ReportSection
from evaluations.models.scores import IndicatorScore
from evaluations.models.sections import SectionState
from evaluations.models.targets import TargetDeclaration
from evaluations.models.workflow import Notification, ReviewComment, Submission, Transition

__all__ = [
    "Adjustments",
    "AssetManagement",
    "Benefits",
    "Campaign",
    "Disclosures",
    "Evaluation",
    "Evidence",
    "Fairness",
    "FixedAssetLine",
    "FixedAssetStatedTotals",
    "FundLine",
    "HunanBasicData",
    "HunanOverall",
    "Indicator",
    "IndicatorScore",
    "Notification",
    "OverallTargets",
    "ProjectEvaluation",
    "ProjectOrganisation",
    "ProjectTargets",
    "ReportSection",
    "ReportTemplate",
    "RevenueAndProcurement",
    "ReviewComment",
    "SectionState",
    "SpendingControl",
    "Staffing",
    "Submission",
    "TargetDeclaration",
    "Transition",
    "UnitInfo",
    "WarningExplanation",
    "WorkCompletion",
]
