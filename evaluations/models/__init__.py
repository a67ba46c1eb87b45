"""Models of the evaluations app, one module per official table (see evaluations/tables/)."""

from evaluations.models.basic import Staffing, UnitInfo
from evaluations.models.campaigns import Campaign, Evaluation, ReportTemplate
from evaluations.models.report import Evidence, ReportSection
from evaluations.models.sections import SectionState

__all__ = [
    "Campaign",
    "Evaluation",
    "Evidence",
    "ReportSection",
    "ReportTemplate",
    "SectionState",
    "Staffing",
    "UnitInfo",
]
