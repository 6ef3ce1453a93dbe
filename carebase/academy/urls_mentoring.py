"""Mentor meetings, the trainee's questions and role-plays (names are
"academy:<name>"; the list is included by academy/urls.py)."""

from django.urls import URLPattern, path

from carebase.academy import views_mentoring as views

urlpatterns: list[URLPattern] = [
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/schedule/", views.schedule_meeting, name="meeting_schedule"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/prepare/", views.prepare_meeting, name="meeting_prepare"),
    path("meetings/<int:pk>/record/", views.record_meeting, name="meeting_record"),
    path("assignments/<int:pk>/ask/", views.ask, name="ask"),
    path("roleplays/", views.roleplays, name="roleplays"),
    path("roleplays/new/", views.roleplay_edit, name="roleplay_new"),
    path("roleplays/mine/", views.my_roleplays, name="my-roleplays"),
    path("roleplays/<int:pk>/", views.roleplay, name="roleplay"),
    path("roleplays/<int:pk>/edit/", views.roleplay_edit, name="roleplay_edit"),
    path("roleplays/<int:pk>/runs/", views.roleplay_run, name="roleplay_run"),
]
