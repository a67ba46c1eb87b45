from django.urls import path

from departments import views

department_urls = [
    path("members/", views.department_members, name="members"),
    path("members/add/", views.department_member_add, name="member_add"),
    path("members/role/", views.department_member_role, name="member_role"),
    path("members/remove/", views.department_member_remove, name="member_remove"),
]

jurisdiction_urls = [
    path("departments/", views.jurisdiction_departments, name="departments"),
    path("members/", views.jurisdiction_members, name="members"),
    path("members/add/", views.jurisdiction_member_add, name="member_add"),
    path("members/role/", views.jurisdiction_member_role, name="member_role"),
    path("members/remove/", views.jurisdiction_member_remove, name="member_remove"),
]
