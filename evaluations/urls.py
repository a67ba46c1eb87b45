from django.urls import path

from evaluations.api import views as api
from evaluations.api import workflow as workflow_api
from evaluations.views import campaigns as campaign_views
from evaluations.views import changes, history, review, workflow
from evaluations.views import evidence as evidence_views
from evaluations.views import excel as excel_views
from evaluations.views import explanations as explanation_views
from evaluations.views import projects as project_views
from evaluations.views import report as report_views
from evaluations.views import sections as views

department_urls = [
    path("", views.department_home, name="home"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path(
        "evaluations/<int:pk>/tables/<slug:table>/", views.evaluation_table, name="evaluation_table"
    ),
    path("evaluations/<int:pk>/sections/<str:key>/", views.section_save_view, name="section_save"),
    path("evaluations/<int:pk>/excel/", excel_views.evaluation_excel, name="evaluation_excel"),
    path(
        "evaluations/<int:pk>/excel/import/",
        excel_views.evaluation_excel_import,
        name="evaluation_excel_import",
    ),
    path(
        "evaluations/<int:pk>/explanations/",
        explanation_views.warning_explanation,
        name="warning_explanation",
    ),
    path("evaluations/<int:pk>/projects/new/", project_views.project_add, name="project_add"),
    path(
        "evaluations/<int:pk>/projects/<int:project_pk>/",
        project_views.project_detail,
        name="project",
    ),
    path(
        "evaluations/<int:pk>/evidence/files/<int:evidence>/",
        evidence_views.evidence_download,
        name="evidence_download",
    ),
    path(
        "evaluations/<int:pk>/evidence/files/<int:evidence>/delete/",
        evidence_views.evidence_delete_view,
        name="evidence_delete",
    ),
    path(
        "evaluations/<int:pk>/evidence/<str:key>/",
        evidence_views.evidence_upload_view,
        name="evidence_upload",
    ),
]

# Each screen's module lists its own URLs.
department_urls += report_views.department_urls
department_urls += (
    workflow.department_urls
    + changes.department_urls
    + history.department_urls
    + review.department_urls
)

jurisdiction_urls = [
    path("", campaign_views.bureau_home, name="home"),
]

jurisdiction_urls += review.jurisdiction_urls + workflow.jurisdiction_urls
jurisdiction_urls += campaign_views.jurisdiction_urls

api_urls = [
    path("evaluations/", api.EvaluationListView.as_view(), name="evaluations"),
    path("evaluations/<int:pk>/", api.EvaluationDetailView.as_view(), name="evaluation"),
    path("evaluations/<int:pk>/sections/<str:key>/", api.SectionView.as_view(), name="section"),
    path(
        "evaluations/<int:pk>/transitions/<slug:name>/",
        workflow_api.TransitionView.as_view(),
        name="transition",
    ),
]
