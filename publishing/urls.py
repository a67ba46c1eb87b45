from django.urls import path

from publishing import views

department_urls = [
    path(
        "evaluations/<int:pk>/documents/<slug:document>.pdf",
        views.document_preview,
        name="document_preview",
    ),
    # The evaluation page's publication panel (htmx polls it while a publication renders).
    path(
        "evaluations/<int:pk>/publications/",
        views.evaluation_publications_view,
        name="evaluation_publications",
    ),
    path(
        "evaluations/<int:pk>/publications/retry/",
        views.publication_retry_view,
        name="publication_retry",
    ),
]

# The bureau's publication screens: bulk publishing of a campaign and its progress.
jurisdiction_urls = [
    path("campaigns/<int:pk>/publish/", views.campaign_publish_view, name="campaign_publish"),
    path(
        "campaigns/<int:pk>/publishing/",
        views.campaign_publishing_view,
        name="campaign_publishing",
    ),
]
