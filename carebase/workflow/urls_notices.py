"""The SLA notices' pages (views_notices.py), appended to workflow/urls.py
(app namespace "workflow")."""

from django.urls import URLPattern, path

from carebase.workflow import views_notices

urlpatterns: list[URLPattern] = [
    path("notices/", views_notices.notices, name="notices"),
    path("notices/panel/", views_notices.panel, name="notices_panel"),
    path("notices/read/", views_notices.notices_read_all, name="notices_read_all"),
    path("notices/<int:notice_id>/read/", views_notices.notice_read, name="notice_read"),
]
