from django.urls import path

from carebase.telephony import views

app_name = "telephony"
urlpatterns = [
    path("", views.call_list, name="call_list"),
    path("report/", views.call_report, name="call_report"),
    path("imports/", views.call_imports, name="call_imports"),
    path("imports/<int:import_id>/", views.call_import_detail, name="call_import_detail"),
    path("<int:call_id>/", views.call_detail, name="call_detail"),
    path("<int:call_id>/summary/", views.call_summary, name="call_summary"),
    path("<int:call_id>/recording", views.recording, name="recording"),
]
