from django.urls import path

from carebase.chat.consumers import VisitorConsumer

websocket_urlpatterns = [path("ws/chat/<str:key>/", VisitorConsumer.as_asgi())]
