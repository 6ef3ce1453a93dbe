from django.contrib import admin
from django.http import HttpRequest

from carebase.telephony.models import Call, Extension, Pbx


@admin.register(Pbx)
class PbxAdmin(admin.ModelAdmin):
    list_display = ["name", "time_zone", "short_abandon_seconds"]


@admin.register(Extension)
class ExtensionAdmin(admin.ModelAdmin):
    """Extensions seen in calls arrive unmapped: filter by "agent: empty" to
    map them; importing a file again gives its calls on them to the agent."""

    list_display = ["number", "pbx", "user"]
    list_filter = ["pbx", ("user", admin.EmptyFieldListFilter)]
    list_editable = ["user"]
    search_fields = ["number"]


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
