from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from carebase.telephony.actions import do_issue_pbx_token, do_map_extension
from carebase.telephony.models import Call, Callback, Extension, Pbx, PbxEvent


@admin.register(Pbx)
class PbxAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "short_abandon_seconds"]
    actions = ["issue_token"]

    @admin.action(description=_("Make a new event token (the old one stops working)"))
    def issue_token(self, request: HttpRequest, queryset: QuerySet[Pbx]) -> None:
        for pbx in queryset:
            token = do_issue_pbx_token(pbx)
            self.message_user(
                request,
                _("New token of %(pbx)s, shown only now: %(token)s") % {"pbx": pbx, "token": token},
                messages.WARNING,
            )


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    """Extensions seen in calls arrive unmapped: filter by "agent: empty" to
    map them; importing a file again gives its calls on them to the agent."""

    list_display = ["number", "pbx", "user"]
    list_filter = ["pbx", ("user", admin.EmptyFieldListFilter)]
    list_editable = ["user"]
    search_fields = ["number"]

    def save_model(self, request: HttpRequest, obj: Extension, form: Any, change: bool) -> None:
        # Mapped: its calls and rings so far are the agent's too.
        if change and "user" in form.changed_data:
            do_map_extension(obj, obj.user)
        else:
            super().save_model(request, obj, form, change)


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = [
        "started_at",
        "direction",
        "caller",
        "callee",
        "agent",
        "disposition",
        "missed_reason",
        "wait_seconds",
        "talk_seconds",
    ]
    list_filter = ["pbx", "direction", "disposition", "missed_reason"]
    search_fields = ["caller", "callee", "unique_id"]
    readonly_fields = [field.name for field in Call._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Callback)
class CallbackAdmin(admin.ModelAdmin):
    list_display = ["number", "due_at", "missed_calls", "done_at", "ticket"]
    list_filter = [("done_at", admin.EmptyFieldListFilter)]
    search_fields = ["number"]
    readonly_fields = [field.name for field in Callback._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(PbxEvent)
class PbxEventAdmin(admin.ModelAdmin):
    """Every event body as the PBX sent it; those with an error were not applied."""

    list_display = ["received_at", "pbx", "kind", "call_id", "processed_at", "error"]
    list_filter = ["pbx", "kind", ("error", admin.EmptyFieldListFilter)]
    search_fields = ["call_id"]
    readonly_fields = [field.name for field in PbxEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
