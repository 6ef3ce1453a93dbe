from django.contrib import admin
from django.http import HttpRequest

from carebase.mail.models import InboundEmail, Mailbox


@admin.register(Mailbox)
class MailboxAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "team", "language", "active"]
    list_filter = ["active", "team"]
    search_fields = ["name", "address"]


@admin.register(InboundEmail)
class InboundEmailAdmin(admin.ModelAdmin):
    """Every message as it arrived; filter by "Needs attention" to see what
    could not be filed, and why."""

    list_display = ["received_at", "mailbox", "sender", "subject", "status", "ticket"]
    list_filter = ["status", "mailbox", "source"]
    search_fields = ["sender", "subject", "message_id"]
    readonly_fields = [field.name for field in InboundEmail._meta.fields]
    exclude = ["raw"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
