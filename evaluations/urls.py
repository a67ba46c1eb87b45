from django.urls import path

from evaluations import evidence_views, views

department_urls = [
    path("", views.department_home, name="home"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation"),
    path(
        "evaluations/<int:pk>/tables/<slug:table>/", views.evaluation_table, name="evaluation_table"
    ),
    path("evaluations/<int:pk>/sections/<str:key>/", views.section_save_view, name="section_save"),
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

jurisdiction_urls = [
    path("", views.bureau_home, name="home"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
]
