from django.urls import path

from publishing import views

department_urls = [
    path(
        "evaluations/<int:pk>/documents/<slug:document>.pdf",
        views.document_preview,
        name="document_preview",
    ),
]

# The bureau's publication screens (bulk publishing of a campaign).
jurisdiction_urls: list = []
