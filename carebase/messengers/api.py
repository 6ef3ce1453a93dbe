"""The endpoints messengers post to: a Telegram bot's webhook and the
generic webhook. The secret in the path is the credential: a wrong one gets
403 and nothing is stored."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError

from carebase.api.limits import read_body
from carebase.messengers.actions import (
    BodyRejected,
    do_receive_telegram_update,
    do_receive_webhook_message,
)
from carebase.messengers.models import TelegramBot, WebhookChannel
from carebase.messengers.schemas import WebhookMessageIn

router = Router(tags=["channels"])


class Accepted(Schema):
    update: int = Field(description="The stored body's id.")
    status: str = Field(description="`received`, or `duplicate` for a repeat (filed once).")


def _body(request: HttpRequest) -> bytes:
    return read_body(request, settings.MESSENGER_UPDATE_MAX_BYTES, "A message")


RESPONSES: dict[int, Any] = {200: Accepted, 400: Any, 403: Any, 413: Any, 422: Any}


@router.post(
    "/channels/telegram/{secret}",
    auth=None,
    response=RESPONSES,
    url_name="telegram_update",
    summary="Telegram bot webhook",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object"}}},
            "description": "A Bot API Update (https://core.telegram.org/bots/api#update).",
        }
    },
)
def telegram_update(request: HttpRequest, secret: str) -> Status:
    """Where Telegram posts a connected bot's updates (set by carebase with
    setWebhook). Stored first, filed once per update_id."""
    bot = TelegramBot.objects.filter(secret=secret, active=True).first()
    if bot is None:
        raise HttpError(403, "No bot has this address.")
    try:
        received = do_receive_telegram_update(bot, _body(request))
    except BodyRejected as rejected:
        return Status(400, {"detail": str(rejected), "update": rejected.update.pk})
    return Status(
        200,
        {"update": received.update.pk, "status": "duplicate" if received.duplicate else "received"},
    )


@router.post(
    "/channels/webhook/{secret}",
    auth=None,
    response=RESPONSES,
    url_name="webhook_message",
    summary="Generic messenger webhook",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": WebhookMessageIn.model_json_schema(
                        ref_template="#/components/schemas/{model}"
                    )
                }
            },
        }
    },
)
def webhook_message(request: HttpRequest, secret: str) -> Status:
    """One message from another messenger (see docs/messengers.md). Stored
    first, filed once per message_id; replies go to the channel's callback
    URL, signed."""
    channel = WebhookChannel.objects.filter(secret=secret, active=True).first()
    if channel is None:
        raise HttpError(403, "No webhook has this address.")
    try:
        received = do_receive_webhook_message(channel, _body(request))
    except BodyRejected as rejected:
        detail = rejected.detail
        unreadable = isinstance(detail, list) and any(p["type"] == "json_invalid" for p in detail)
        return Status(400 if unreadable else 422, {"detail": detail, "update": rejected.update.pk})
    return Status(
        200,
        {"update": received.update.pk, "status": "duplicate" if received.duplicate else "received"},
    )
