"""The knowledge base beside a conversation (views_agent.py), under /kb/."""

from django.urls import path

from carebase.kb import views_agent

urlpatterns = [
    path(
        "tickets/<int:ticket_id>/suggestions/",
        views_agent.suggestion_list,
        name="suggestions",
    ),
    path(
        "tickets/<int:ticket_id>/articles/<int:article_id>/flag/",
        views_agent.flag,
        name="flag",
    ),
]
