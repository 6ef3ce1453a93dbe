"""Writes of the messenger channels: connecting a bot or a webhook, storing
what they post, and filing it into conversations.

Every body is stored as it came, first, in its own transaction; filing runs
after (a task), idempotent on the messenger's id (Telegram's update_id, the
webhook's message_id): a body posted twice is stored and filed once, and one
whose filing failed is filed again by the periodic retry.
"""

from __future__ import annotations

import contextlib
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticValidationError

from carebase.accounts.models import Team
from carebase.core.errors import Conflict
from carebase.core.events import record_event
from carebase.crm.actions import do_create_contact, find_contact
from carebase.crm.identities import IdentityError, normalize
from carebase.crm.models import Contact, IdentityKind
from carebase.messengers import telegram
from carebase.messengers.events import EventKind
from carebase.messengers.models import (
    Chat,
    InboundUpdate,
    TelegramBot,
    UpdateStatus,
    WebhookChannel,
)
from carebase.messengers.schemas import WebhookMessageIn
from carebase.tickets.actions import do_add_reply, do_create_ticket
from carebase.tickets.attachments import safe_content_type
from carebase.tickets.models import Channel, Message, Ticket

# Failed filings are tried again this many times, a minute or more apart.
MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=1)
# Pauses after the 1st, 2nd... failed filing (about a day in all).
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30), timedelta(hours=6)]
STUCK_AFTER = timedelta(minutes=10)
logger = logging.getLogger(__name__)
SUBJECT_LENGTH = 80


# --- Connecting ------------------------------------------------------------


def webhook_url(path: str) -> str:
    return settings.SITE_URL + path


def do_connect_telegram_bot(
    *,
    name: str,
    token: str,
    actor: Any,
    team: Team | None = None,
    api_base_url: str = "https://api.telegram.org",
) -> TelegramBot:
    """Check the token with getMe, keep the bot, and ask Telegram to post its
    updates to carebase (setWebhook). A webhook Telegram cannot register (a
    SITE_URL that is not public https) is kept as the bot's webhook_error."""
    token = token.strip()
    bot = TelegramBot(name=name.strip(), team=team, api_base_url=api_base_url.strip())
    if not token:
        raise ValidationError({"token": [_("The bot's token is required.")]})
    try:
        me = telegram.call(bot, "getMe", token=token)
    except telegram.TelegramError as error:
        raise ValidationError(
            {"token": [_("Telegram did not accept this token: %(answer)s") % {"answer": error}]}
        ) from None
    bot.username = str(me.get("username", ""))[:100] if isinstance(me, dict) else ""
    bot.name = bot.name or bot.username
    bot.token = token
    bot.full_clean()
    with transaction.atomic():
        bot.save()
        record_event(EventKind.BOT_CONNECTED, bot, actor, username=bot.username)
    do_register_telegram_webhook(bot)
    return bot


def do_register_telegram_webhook(bot: TelegramBot) -> bool:
    url = webhook_url(reverse("api:telegram_update", args=[bot.secret]))
    try:
        telegram.call(
            bot,
            "setWebhook",
            {"url": url, "allowed_updates": ["message", "edited_message"]},
        )
    except telegram.TelegramError as error:
        bot.webhook_error = str(error)[:2000]
    else:
        bot.webhook_error = ""
    bot.save(update_fields=["webhook_error"])
    return not bot.webhook_error


def do_create_webhook_channel(
    *,
    name: str,
    actor: Any,
    callback_url: str = "",
    signing_secret: str = "",
    team: Team | None = None,
) -> WebhookChannel:
    channel = WebhookChannel(name=name.strip(), callback_url=callback_url.strip(), team=team)
    channel.signing_secret = signing_secret.strip()
    channel.full_clean()
    if channel.callback_url and not signing_secret.strip():
        raise ValidationError(
            {"signing_secret": [_("Replies are signed: give the secret to sign them with.")]}
        )
    with transaction.atomic():
        channel.save()
        record_event(EventKind.WEBHOOK_CREATED, channel, actor, name=channel.name)
    return channel


# --- Receiving -------------------------------------------------------------


@dataclass
class Received:
    update: InboundUpdate
    duplicate: bool = False


class BodyRejected(Exception):
    """A body that is no update: stored, marked with why, not filed."""

    def __init__(self, update: InboundUpdate, detail: Any) -> None:
        super().__init__(str(detail))
        self.update = update
        self.detail = detail


def _store(source: dict[str, Any], external_id: str, raw: bytes) -> Received:
    """Keep the body, once per external id (as it came, but for NUL, which
    no PostgreSQL text can hold)."""
    text = raw.decode("utf-8", errors="replace").replace("\x00", "\ufffd")
    if external_id:
        found = InboundUpdate.objects.filter(**source, external_id=external_id).first()
        if found is not None:
            return Received(found, duplicate=True)
    try:
        with transaction.atomic():
            update = InboundUpdate.objects.create(**source, external_id=external_id, body=text)
    except IntegrityError:  # the same update, posted again a moment sooner
        return Received(InboundUpdate.objects.get(**source, external_id=external_id), True)
    return Received(update)


def do_receive_telegram_update(bot: TelegramBot, raw: bytes) -> Received:
    """Store a Bot API update (idempotent on update_id) and have it filed."""
    try:
        body = json.loads(raw)
    except ValueError:
        body = None
    update_id = body.get("update_id") if isinstance(body, dict) else None
    external_id = str(update_id) if isinstance(update_id, int) else ""
    received = _store({"bot": bot}, external_id, raw)
    if not external_id:
        _reject(received.update, _("This is no Telegram update (it has no update_id)."))
        raise BodyRejected(received.update, "This is no Telegram update: it has no update_id.")
    if not received.duplicate:
        _file_later(received.update)
    return received


def do_receive_webhook_message(channel: WebhookChannel, raw: bytes) -> Received:
    """Store a generic webhook's message (idempotent on message_id) and have it filed."""
    try:
        message = WebhookMessageIn.model_validate_json(raw)
    except PydanticValidationError as error:
        received = _store({"webhook": channel}, "", raw)
        problems = [
            {"loc": ["body", *map(str, p["loc"])], "msg": p["msg"], "type": p["type"]}
            for p in error.errors(include_url=False, include_context=False)
        ]
        _reject(
            received.update, "; ".join(f"{'.'.join(p['loc'][1:])}: {p['msg']}" for p in problems)
        )
        raise BodyRejected(received.update, problems) from None
    received = _store({"webhook": channel}, message.message_id, raw)
    if not received.duplicate:
        _file_later(received.update)
    return received


def _reject(update: InboundUpdate, reason: str) -> None:
    update.status = UpdateStatus.FAILED
    update.error = reason[:2000]
    update.attempts = MAX_ATTEMPTS  # no retry can read it
    update.save(update_fields=["status", "error", "attempts"])


def _file_later(update: InboundUpdate) -> None:
    from carebase.messengers.tasks import file_update

    transaction.on_commit(lambda: file_update.enqueue(update.pk))


# --- Filing ------------------------------------------------------------------


def do_file_update(update_id: int) -> InboundUpdate | None:
    """File a stored update into its conversation; a failure is kept on the
    update and tried again later with growing pauses, never lost. On the
    last try a Telegram message is filed without the files the Bot API
    still does not give (each named in the message)."""
    now = timezone.now()
    # Claimed by a conditional UPDATE: two workers never file it twice.
    claimed = InboundUpdate.objects.filter(
        pk=update_id, status__in=[UpdateStatus.RECEIVED, UpdateStatus.FAILED]
    ).update(status=UpdateStatus.PROCESSING, attempts=F("attempts") + 1, claimed_at=now)
    if not claimed:
        return None
    update = InboundUpdate.objects.select_related("bot", "webhook").get(pk=update_id)
    final = update.attempts >= MAX_ATTEMPTS
    try:
        if update.bot is not None:
            ticket = _file_telegram(update.bot, json.loads(update.body), final=final)
        else:
            assert update.webhook is not None
            ticket = _file_webhook(
                update.webhook, WebhookMessageIn.model_validate_json(update.body)
            )
    except Exception as error:
        if not isinstance(error, (telegram.TelegramError, ValidationError, ValueError, KeyError)):
            logger.exception("Messenger update %s was not filed", update.pk)
        update.status = UpdateStatus.FAILED
        update.error = (str(error) or type(error).__name__)[:2000]
        if isinstance(error, telegram.TelegramError) and error.permanent:
            update.attempts = MAX_ATTEMPTS
        update.next_attempt_at = now + BACKOFF[min(update.attempts - 1, len(BACKOFF) - 1)]
        update.save(update_fields=["status", "error", "attempts", "next_attempt_at"])
        return update
    update.status = UpdateStatus.PROCESSED if ticket is not None else UpdateStatus.IGNORED
    update.error = ""
    update.ticket = ticket
    update.processed_at = timezone.now()
    update.save(update_fields=["status", "error", "ticket", "processed_at"])
    return update


def due_updates() -> list[int]:
    """Updates whose filing failed (or never ran), once their pause is over."""
    now = timezone.now()
    # A filing whose process died half-way is claimed again after a while.
    InboundUpdate.objects.filter(
        status=UpdateStatus.PROCESSING, claimed_at__lt=now - STUCK_AFTER
    ).update(status=UpdateStatus.FAILED)
    return list(
        InboundUpdate.objects.filter(
            status__in=[UpdateStatus.RECEIVED, UpdateStatus.FAILED],
            attempts__lt=MAX_ATTEMPTS,
            next_attempt_at__lte=now,
            received_at__lt=now - RETRY_AFTER,
        ).values_list("pk", flat=True)[:200]
    )


def _file_telegram(bot: TelegramBot, body: dict[str, Any], *, final: bool) -> Ticket | None:
    edited = "message" not in body and "edited_message" in body
    message = body.get("message") or body.get("edited_message")
    if not isinstance(message, dict):
        return None  # an update kind carebase does not file (a poll, a join...)
    chat_info = message["chat"]
    sender = message.get("from") or {}
    if chat_info.get("type", "private") != "private" or sender.get("is_bot"):
        return None  # groups and other bots are not clients
    text = message.get("text") or message.get("caption") or ""
    files, missing = _telegram_files(bot, message, final=final)
    at = datetime.fromtimestamp(message.get("edit_date") or message["date"], tz=UTC)
    external_id = f"tg:{bot.pk}:{chat_info['id']}:{message['message_id']}"
    if edited:
        external_id += f":edit:{message.get('edit_date', '')}"
    with transaction.atomic():
        chat = _telegram_chat(bot, chat_info, sender)
        filed = _filed(external_id)
        if filed is not None:
            return filed  # filed before (the update was replayed)
        with translation.override(chat.contact.language):
            if edited:
                text = _("Edited message: %(text)s") % {"text": text}
            if not text.strip():
                names = [file.name or "" for file in files] + [name for name, _error in missing]
                text = ", ".join(names) or _("(an empty message)")
            for name, error in missing:
                text += "\n\n" + _("(The file %(name)s could not be received: %(error)s)") % {
                    "name": name,
                    "error": error,
                }
            subject = _("Telegram: %(name)s") % {"name": chat.contact.name}
        return _file(chat, Channel.TELEGRAM, text, files, external_id, at, subject, bot.team)


def _telegram_files(
    bot: TelegramBot, message: dict[str, Any], *, final: bool
) -> tuple[list[SimpleUploadedFile], list[tuple[str, str]]]:
    """The photo (its largest size), document, voice, audio or video of a
    message, downloaded from the Bot API."""
    wanted: list[tuple[str, str, str]] = []  # file_id, name, content type
    number = message["message_id"]
    if message.get("photo"):
        largest = max(
            message["photo"], key=lambda size: size.get("file_size") or size.get("width", 0)
        )
        wanted.append((largest["file_id"], f"photo-{number}.jpg", "image/jpeg"))
    for kind, default_name, default_type in (
        ("document", f"document-{number}", "application/octet-stream"),
        ("voice", f"voice-{number}.ogg", "audio/ogg"),
        ("audio", f"audio-{number}.mp3", "audio/mpeg"),
        ("video", f"video-{number}.mp4", "video/mp4"),
        ("video_note", f"video-{number}.mp4", "video/mp4"),
    ):
        item = message.get(kind)
        if isinstance(item, dict) and item.get("file_id"):
            name = str(item.get("file_name") or default_name)
            wanted.append((item["file_id"], name, str(item.get("mime_type") or default_type)))
    files, missing = [], []
    for file_id, name, kind in wanted:
        try:
            content = telegram.download(bot, file_id)
        except telegram.TelegramError as error:
            if not error.permanent and not final:
                raise  # the Bot API is away: the update is filed again later
            missing.append((name, str(error)))  # never coming: the message is filed without it
            continue
        files.append(SimpleUploadedFile(name, content, safe_content_type(name) or kind))
    return files, missing


def _telegram_chat(bot: TelegramBot, chat_info: dict[str, Any], sender: dict[str, Any]) -> Chat:
    external_id = str(chat_info["id"])
    chat = (
        Chat.objects.select_for_update(of=("self",))
        .select_related("contact", "ticket")
        .filter(bot=bot, external_id=external_id)
        .first()
    )
    if chat is not None:
        return chat
    name = " ".join(
        part for part in (sender.get("first_name"), sender.get("last_name")) if part
    ) or (f"@{sender['username']}" if sender.get("username") else f"Telegram {external_id}")
    user_id = str(sender.get("id") or chat_info["id"])
    contact = find_contact(IdentityKind.TELEGRAM, user_id)
    if contact is None:
        language = "pl" if str(sender.get("language_code", "")).startswith("pl") else "en"
        try:
            with transaction.atomic():
                contact = do_create_contact(
                    actor=None, name=name[:200], telegram=[user_id], language=language
                )
        except Conflict:  # the chat's other first message, filed a moment sooner
            contact = find_contact(IdentityKind.TELEGRAM, user_id)
            if contact is None:
                raise
    return _new_chat({"bot": bot, "external_id": external_id}, title=name[:200], contact=contact)


def _file_webhook(channel: WebhookChannel, message: WebhookMessageIn) -> Ticket:
    with transaction.atomic():
        chat = _webhook_chat(channel, message)
        external_id = f"wh:{channel.pk}:{message.message_id}"
        filed = _filed(external_id)
        if filed is not None:
            return filed
        lines = [message.text.strip()] if message.text.strip() else []
        with translation.override(chat.contact.language):
            for attachment in message.attachments:
                lines.append(
                    _("Attachment: %(name)s %(url)s")
                    % {
                        "name": attachment.filename or attachment.url.rsplit("/", 1)[-1],
                        "url": attachment.url,
                    }
                )
            subject = _("%(channel)s: %(name)s") % {
                "channel": channel.name,
                "name": chat.contact.name,
            }
        at = message.sent_at or timezone.now()
        ticket = _file(
            chat, Channel.MESSENGER, "\n\n".join(lines), [], external_id, at, subject, channel.team
        )
    return ticket


def _filed(external_id: str) -> Ticket | None:
    message = Message.objects.filter(external_id=external_id).select_related("ticket").first()
    return message.ticket if message is not None else None


def _webhook_chat(channel: WebhookChannel, message: WebhookMessageIn) -> Chat:
    chat = (
        Chat.objects.select_for_update(of=("self",))
        .select_related("contact", "ticket")
        .filter(webhook=channel, external_id=message.conversation_id)
        .first()
    )
    if chat is not None:
        return chat
    sender = message.sender
    contact: Contact | None = None
    for kind, value in ((IdentityKind.EMAIL, sender.email), (IdentityKind.PHONE, sender.phone)):
        if value and contact is None:
            contact = find_contact(kind, value)
    if contact is None:
        emails: list[str] = []
        phones: list[str] = []
        for found, kind, value in (
            (emails, IdentityKind.EMAIL, sender.email),
            (phones, IdentityKind.PHONE, sender.phone),
        ):
            # An identity we cannot read is no reason to lose the message.
            with contextlib.suppress(IdentityError):
                if value:
                    found.append(normalize(kind, value))
        contact = do_create_contact(
            actor=None, name=(sender.name or sender.id)[:200], emails=emails, phones=phones
        )
    return _new_chat(
        {"webhook": channel, "external_id": message.conversation_id},
        title=(sender.name or sender.id)[:200],
        contact=contact,
    )


def _new_chat(key: dict[str, Any], *, title: str, contact: Contact) -> Chat:
    """The chat, created; or, when a parallel filing created it first, theirs."""
    try:
        with transaction.atomic():
            return Chat.objects.create(**key, title=title, contact=contact)
    except IntegrityError:
        return (
            Chat.objects.select_for_update(of=("self",))
            .select_related("contact", "ticket")
            .get(**key)
        )


def _file(
    chat: Chat,
    channel: str,
    text: str,
    files: list[SimpleUploadedFile],
    external_id: str,
    at: datetime,
    subject: str,
    team: Team | None,
) -> Ticket:
    """The message into the chat's conversation (a closed one gets a
    follow-up), or a new conversation for the chat's first message."""
    text = text.replace("\x00", "")
    current = chat.ticket
    for _hop in range(10):  # a conversation merged into another goes on there
        if current is None or current.merged_into_id is None:
            break
        current = Ticket.objects.filter(pk=current.merged_into_id).first()
    if current is not None:
        message = do_add_reply(
            current,
            body=text,
            author_contact=chat.contact,
            channel=channel,
            external_id=external_id,
            attachments=files,
        )
        ticket = message.ticket
    else:
        first_line = text.strip().splitlines()[0] if text.strip() else subject
        ticket = do_create_ticket(
            subject=first_line[:SUBJECT_LENGTH] or subject,
            body=text,
            requester=chat.contact,
            channel=channel,
            team=team,
            external_id=external_id,
            attachments=files,
            created_at=min(at, timezone.now()),
        )
    if chat.ticket_id != ticket.pk:
        chat.ticket = ticket
        chat.save(update_fields=["ticket"])
    return ticket
