from django.urls import path

from carebase.kb import help_views

app_name = "help"

urlpatterns = [
    path("", help_views.home, name="home"),
    path("sitemap.xml", help_views.sitemap, name="sitemap"),
    path("images/<int:pk>/<str:filename>", help_views.image, name="image"),
    path("<str:language>/", help_views.index, name="index"),
    path("<str:language>/faq/", help_views.faq, name="faq"),
    path("<str:language>/search/", help_views.search, name="search"),
    path("<str:language>/categories/<slug:slug>/", help_views.category, name="category"),
    path("<str:language>/articles/<slug:slug>/", help_views.article, name="article"),
    path("<str:language>/articles/<slug:slug>/feedback/", help_views.feedback, name="feedback"),
]
