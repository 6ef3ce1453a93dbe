from django.urls import path

from carebase.tickets import portal

app_name = "portal"

urlpatterns = [
    path("", portal.portal_index, name="index"),
    path("new/", portal.portal_new, name="new"),
    path("<int:ticket_id>/", portal.portal_ticket, name="ticket"),
]
