from django.urls import include, path

from carebase.kb import views

app_name = "kb"

urlpatterns = [
    path("", views.article_list, name="articles"),
    path("new/", views.article_edit, name="new"),
    path("preview/", views.article_preview, name="preview"),
    path("categories/", views.categories, name="categories"),
    path("export/", views.export, name="export"),
    path("<int:article_id>/", views.article_detail, name="article"),
    path("<int:article_id>/edit/", views.article_edit, name="edit"),
    path("<int:article_id>/publish/", views.article_publish, name="publish"),
    path("<int:article_id>/unpublish/", views.article_unpublish, name="unpublish"),
    path("<int:article_id>/discard/", views.article_discard, name="discard"),
    path("<int:article_id>/delete/", views.article_delete, name="delete"),
    path("<int:article_id>/acknowledge/", views.article_acknowledge, name="acknowledge"),
    path("<int:article_id>/images/", views.article_image, name="image_upload"),
    path("<int:article_id>/versions/", views.article_versions, name="versions"),
    path("<int:article_id>/revert/", views.article_revert, name="revert"),
    # The knowledge base beside a conversation: suggestions, flags (views_agent.py).
    path("", include("carebase.kb.urls_agent")),
    # Regulations read, review items (views_regulations.py).
    path("", include("carebase.kb.urls_regulations")),
]
