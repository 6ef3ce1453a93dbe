from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from carebase.crm.models import Contact, ContactIdentity, Organization, Project


class ContactIdentityInline(admin.TabularInline):
    """Read-only: identities are normalised and checked for duplicates by the
    contact form and the API, which Django admin would bypass."""

    model = ContactIdentity
    extra = 0
    fields = readonly_fields = ("kind", "value", "created_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ProjectInline(admin.TabularInline):
    model = Project
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "tier", "plan", "mrr", "currency", "status", "cs_owner")
    list_filter = ("tier", "plan", "status")
    list_select_related = ("cs_owner",)
    search_fields = ("name", "tax_id")
    inlines = [ProjectInline]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "language", "job_title")
    list_select_related = ("organization",)
    search_fields = ("name", "identities__value")
    autocomplete_fields = ("organization",)
    raw_id_fields = ("user",)
    inlines = [ContactIdentityInline]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("organization",)
    search_fields = ("name", "organization__name", "external_id")
