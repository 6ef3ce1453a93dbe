from django.urls import path

from carebase.chat import views

app_name = "chat"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("widget.js", views.widget_script, name="widget_script"),
    path("files/<str:key>/", views.visitor_upload, name="visitor_upload"),
    path("status/", views.set_status, name="set_status"),
    path("<int:chat_id>/", views.workspace, name="chat"),
    path("<int:chat_id>/transcript/", views.transcript, name="transcript"),
    path("<int:chat_id>/reply/", views.reply, name="reply"),
    path("<int:chat_id>/take/", views.take, name="take"),
    path("<int:chat_id>/transfer/", views.transfer, name="transfer"),
    path("<int:chat_id>/invite/", views.invite, name="invite"),
    path("<int:chat_id>/close/", views.close, name="close"),
    path("queue/", views.queue, name="queue"),
    path("rules/", views.rules, name="rules"),
    path("widgets/", views.widgets, name="widgets"),
    path("widgets/new/", views.widget_edit, name="widget_create"),
    path("widgets/<int:widget_id>/", views.widget_edit, name="widget_edit"),
    path("widgets/<int:widget_id>/try/", views.widget_try, name="widget_try"),
]
