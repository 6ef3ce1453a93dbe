from django.urls import path

from carebase.crm import views

app_name = "crm"

urlpatterns = [
    path("organizations/", views.organization_list, name="organization_list"),
    path("organizations/new/", views.organization_create, name="organization_create"),
    path("organizations/<int:organization_id>/", views.organization_detail,
         name="organization_detail"),
    path("organizations/<int:organization_id>/edit/", views.organization_edit,
         name="organization_edit"),
    path("organizations/<int:organization_id>/delete/", views.organization_delete,
         name="organization_delete"),
    path("organizations/<int:organization_id>/projects/new/", views.project_create,
         name="project_create"),
    path("projects/<int:project_id>/edit/", views.project_edit, name="project_edit"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:contact_id>/", views.contact_detail, name="contact_detail"),
    path("contacts/<int:contact_id>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:contact_id>/delete/", views.contact_delete, name="contact_delete"),
    path("contacts/<int:contact_id>/merge/", views.contact_merge, name="contact_merge"),
]  # fmt: skip
