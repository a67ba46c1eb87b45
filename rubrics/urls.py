from django.urls import path

from rubrics import api

api_urls = [
    path("rubrics/", api.RubricListView.as_view(), name="list"),
    path("rubrics/<slug:rubric_id>/score/", api.RubricScoreView.as_view(), name="score"),
]
