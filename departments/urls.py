from django.urls import path

from departments import views

department_urls = [
    path("members/", views.department_members, name="members"),
]

jurisdiction_urls = [
    path("departments/", views.jurisdiction_departments, name="departments"),
    path("members/", views.jurisdiction_members, name="members"),
]
