from django.urls import path

from carebase.workflow import views

app_name = "workflow"

urlpatterns = [
    path("calendars/", views.calendars, name="calendars"),
    path("calendars/new/", views.calendar_edit, name="calendar_create"),
    path("calendars/<int:calendar_id>/", views.calendar_edit, name="calendar_edit"),
    path("calendars/<int:calendar_id>/delete/", views.calendar_delete, name="calendar_delete"),
]
