from django.urls import path

from carebase.mail import views

app_name = "mail"
urlpatterns = [
    path("original/<int:inbound_id>/", views.original, name="original"),
    path("mailboxes/", views.mailboxes, name="mailboxes"),
    path("mailboxes/new/", views.mailbox_create, name="mailbox_create"),
    path("mailboxes/<int:mailbox_id>/", views.mailbox_edit, name="mailbox_edit"),
    path("mailboxes/<int:mailbox_id>/test/", views.mailbox_test, name="mailbox_test"),
    path("attention/", views.attention, name="attention"),
    path("attention/reprocess/", views.reprocess_all, name="reprocess_all"),
    path("attention/<int:inbound_id>/reprocess/", views.reprocess, name="reprocess"),
]
