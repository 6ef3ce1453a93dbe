"""Connecting messengers (admins: MANAGE_CHANNELS): Telegram bots, generic
webhooks, and what each of them posted lately."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebase.accounts.http import AuthenticatedRequest
from carebase.core.access import Perm, require_perm
from carebase.core.errors import show_errors
from carebase.messengers.actions import (
    do_connect_telegram_bot,
    do_create_webhook_channel,
    do_file_update,
    do_register_telegram_webhook,
    webhook_url,
)
from carebase.messengers.forms import TelegramBotForm, WebhookChannelForm
from carebase.messengers.models import InboundUpdate, TelegramBot, UpdateStatus, WebhookChannel

RECENT = 30
_FAILED = Count("inboundupdate", filter=Q(inboundupdate__status=UpdateStatus.FAILED))


@login_required
def channels(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    context = {
        "bots": TelegramBot.objects.select_related("team").annotate(failed=_FAILED),
        "webhooks": WebhookChannel.objects.select_related("team").annotate(failed=_FAILED),
    }
    return render(request, "messengers/channels.html", context)


@login_required
def bot_create(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    form = TelegramBotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            bot = do_connect_telegram_bot(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            if bot.webhook_error:
                messages.warning(
                    request,
                    _("Connected %(bot)s, but Telegram did not take the webhook: %(answer)s")
                    % {"bot": bot, "answer": bot.webhook_error},
                )
            else:
                messages.success(request, _("Connected %(bot)s.") % {"bot": bot})
            return redirect("messengers:bot_detail", bot.pk)
    status = 422 if request.method == "POST" else 200
    title = _("Connect a Telegram bot")
    return render(request, "messengers/form.html", {"form": form, "title": title}, status=status)


@login_required
def webhook_create(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    form = WebhookChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            channel = do_create_webhook_channel(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("Created the webhook %(name)s.") % {"name": channel})
            return redirect("messengers:webhook_detail", channel.pk)
    status = 422 if request.method == "POST" else 200
    title = _("New messenger webhook")
    return render(request, "messengers/form.html", {"form": form, "title": title}, status=status)


def _detail(
    request: AuthenticatedRequest, source: TelegramBot | WebhookChannel, url: str
) -> HttpResponse:
    key = "bot" if isinstance(source, TelegramBot) else "webhook"
    updates = InboundUpdate.objects.filter(**{key: source}).select_related("ticket")
    context = {
        "source": source,
        "kind": key,
        "inbound_url": webhook_url(url),
        "updates": updates.order_by("-received_at", "-pk")[:RECENT],
    }
    return render(request, "messengers/detail.html", context)


@login_required
def bot_detail(request: AuthenticatedRequest, bot_id: int) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    bot = get_object_or_404(TelegramBot, pk=bot_id)
    return _detail(request, bot, reverse("api:telegram_update", args=[bot.secret]))


@login_required
def webhook_detail(request: AuthenticatedRequest, webhook_id: int) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    channel = get_object_or_404(WebhookChannel, pk=webhook_id)
    return _detail(request, channel, reverse("api:webhook_message", args=[channel.secret]))


@login_required
@require_POST
def bot_register(request: AuthenticatedRequest, bot_id: int) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    bot = get_object_or_404(TelegramBot, pk=bot_id)
    if do_register_telegram_webhook(bot):
        messages.success(request, _("Telegram posts the bot's messages here now."))
    else:
        messages.error(
            request,
            _("Telegram did not take the webhook: %(answer)s") % {"answer": bot.webhook_error},
        )
    return redirect("messengers:bot_detail", bot.pk)


@login_required
@require_POST
def update_refile(request: AuthenticatedRequest, update_id: int) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    update = get_object_or_404(InboundUpdate, pk=update_id)
    if update.status == UpdateStatus.FAILED:
        update.attempts = 0
        update.save(update_fields=["attempts"])
        done = do_file_update(update.pk)
        if done is not None and done.status == UpdateStatus.FAILED:
            messages.error(request, _("Still not filed: %(error)s") % {"error": done.error})
        else:
            messages.success(request, _("Filed."))
    if update.bot_id:
        return redirect("messengers:bot_detail", update.bot_id)
    return redirect("messengers:webhook_detail", update.webhook_id)
