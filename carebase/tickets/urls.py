from django.urls import path

from carebase.tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("new/", views.ticket_create, name="ticket_create"),
    path("bulk/", views.bulk_update, name="bulk_update"),
    path("views/", views.view_save, name="view_save"),
    path("views/counts/", views.view_counts, name="view_counts"),
    path("organizations/", views.organization_suggestions, name="organization_suggestions"),
    path("views/<int:view_id>/delete/", views.view_delete, name="view_delete"),
    path("<int:ticket_id>/", views.ticket_detail, name="ticket_detail"),
    path("<int:ticket_id>/reply/", views.ticket_reply, name="ticket_reply"),
    path("<int:ticket_id>/update/", views.ticket_update, name="ticket_update"),
    path("attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
]
