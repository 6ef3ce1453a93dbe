from django.urls import path

from carebase.mail import views

app_name = "mail"
urlpatterns = [
    path("original/<int:inbound_id>/", views.original, name="original"),
]
