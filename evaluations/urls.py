from django.urls import path

from evaluations import views

department_urls = [
    path("", views.department_home, name="home"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation"),
]

jurisdiction_urls = [
    path("", views.bureau_home, name="home"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
]
