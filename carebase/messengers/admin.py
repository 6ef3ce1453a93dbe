from django.contrib import admin
from django.http import HttpRequest

from carebase.messengers.models import (
    Chat,
    InboundUpdate,
    OutboundMessage,
    TelegramBot,
    WebhookChannel,
)


@admin.register(TelegramBot)
class TelegramBotAdmin(admin.ModelAdmin):
    list_display = ["name", "username", "team", "active", "webhook_error"]
    readonly_fields = ["username", "webhook_error"]


@admin.register(WebhookChannel)
class WebhookChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "callback_url", "team", "active"]


@admin.register(Chat)
class ChatAdmin(admin.ModelAdmin):
    list_display = ["title", "bot", "webhook", "external_id", "contact", "ticket"]
    search_fields = ["title", "external_id"]
    raw_id_fields = ["contact", "ticket"]


@admin.register(InboundUpdate)
class InboundUpdateAdmin(admin.ModelAdmin):
    """Every body as the messenger posted it; failed ones are filed again."""

    list_display = ["received_at", "bot", "webhook", "external_id", "status", "error"]
    list_filter = ["status", "bot", "webhook"]
    search_fields = ["external_id"]
    readonly_fields = [field.name for field in InboundUpdate._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(OutboundMessage)
class OutboundMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "chat", "status", "attempts", "last_error"]
    list_filter = ["status"]
    readonly_fields = [field.name for field in OutboundMessage._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
