"""Regulations read and review items (views_regulations.py), under /kb/."""

from django.urls import path

from carebase.kb import views_regulations as views

urlpatterns = [
    path("regulations/", views.regulations, name="regulations"),
    path("regulations/<int:pk>/", views.regulation_readers, name="regulation_readers"),
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<int:pk>/resolve/", views.review_resolve, name="review_resolve"),
    path("reviews/<int:pk>/reviewed/", views.review_article_reviewed, name="review_reviewed"),
]
