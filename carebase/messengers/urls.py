from django.urls import path

from carebase.messengers import views

app_name = "messengers"
urlpatterns = [
    path("", views.channels, name="channels"),
    path("telegram/new/", views.bot_create, name="bot_create"),
    path("telegram/<int:bot_id>/", views.bot_detail, name="bot_detail"),
    path("telegram/<int:bot_id>/register/", views.bot_register, name="bot_register"),
    path("webhooks/new/", views.webhook_create, name="webhook_create"),
    path("webhooks/<int:webhook_id>/", views.webhook_detail, name="webhook_detail"),
    path("updates/<int:update_id>/refile/", views.update_refile, name="update_refile"),
]
