"""The agents' chat workspace (their status, their chats, the queue, one
chat live), the widget settings for admins, and the widget's script."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from carebase.accounts.http import AuthenticatedRequest
from carebase.accounts.models import Team, User
from carebase.chat import actions
from carebase.chat.access import access_chat, chats_for
from carebase.chat.forms import CloseForm, ReplyForm, RulesForm, StatusForm, WidgetForm
from carebase.chat.models import AgentStatus, Chat, ChatRules, ChatStatus, Widget
from carebase.chat.strings import widget_strings
from carebase.core.access import Perm, has_perm, require_perm
from carebase.core.errors import show_errors
from carebase.tickets.actions import do_add_reply
from carebase.tickets.models import MessageKind

SCRIPT = Path(__file__).parent / "static" / "chat" / "widget.js"


def _status(user: User) -> AgentStatus:
    return AgentStatus.objects.filter(user=user).first() or AgentStatus(user=user)


def _lists(user: User) -> dict:
    visible = chats_for(user).select_related("visitor", "ticket", "widget", "agent")
    return {
        "mine": visible.filter(agent=user).exclude(status=ChatStatus.CLOSED).order_by("started_at"),
        "waiting": visible.filter(status=ChatStatus.WAITING).order_by("started_at"),
        "others": visible.filter(status=ChatStatus.ACTIVE).exclude(agent=user)[:30],
    }


@login_required
def workspace(request: AuthenticatedRequest, chat_id: int | None = None) -> HttpResponse:
    require_perm(request.user, Perm.WORK_TICKETS)
    chat = access_chat(request.user, chat_id) if chat_id else None
    return _workspace_page(request, chat, CloseForm())


def _workspace_page(
    request: AuthenticatedRequest, chat: Chat | None, close_form: CloseForm, status: int = 200
) -> HttpResponse:
    """The workspace with the chat open (None: none), its forms as given."""
    agent_status = _status(request.user)
    initial = {"state": agent_status.state, "max_chats": agent_status.max_chats}
    context = {
        **_lists(request.user),
        "chat": chat,
        "status": agent_status,
        "status_form": StatusForm(initial=initial),
        "close_form": close_form,
        "reply_form": ReplyForm(),
        "colleagues": _colleagues(request.user),
        "teams": Team.objects.order_by("name"),
        "can_set_rules": has_perm(request.user, Perm.CONFIGURE_CHAT),
    }
    if chat is not None:
        context["transcript"] = _transcript(chat)
        if chat.agent_id == request.user.pk and context["transcript"]:
            actions.mark_read_by_agent(chat, context["transcript"][-1].pk)
    return render(request, "chat/workspace.html", context, status=status)


def _colleagues(user: User) -> list[User]:
    people = User.objects.filter(is_active=True).exclude(pk=user.pk).order_by("first_name")
    return [person for person in people if has_perm(person, Perm.WORK_TICKETS)]


def _transcript(chat: Chat) -> list:
    if chat.ticket is None:
        return []
    return list(
        chat.ticket.messages.select_related("author_user", "author_contact").order_by(
            "created_at", "id"
        )
    )


@login_required
def queue(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.WORK_TICKETS)
    return render(request, "chat/_lists.html", _lists(request.user))


@login_required
def transcript(request: AuthenticatedRequest, chat_id: int) -> HttpResponse:
    chat = access_chat(request.user, chat_id)
    messages_ = _transcript(chat)
    if chat.agent_id == request.user.pk and messages_:
        actions.mark_read_by_agent(chat, messages_[-1].pk)
    return render(request, "chat/_transcript.html", {"chat": chat, "transcript": messages_})


@login_required
@require_POST
def set_status(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.WORK_TICKETS)
    form = StatusForm(request.POST)
    if form.is_valid():
        actions.do_set_agent_state(
            request.user, form.cleaned_data["state"], max_chats=form.cleaned_data["max_chats"]
        )
        messages.success(request, _("Your chat status is saved."))
    else:
        messages.error(request, _("Choose a status and how many chats you take at once."))
    return redirect(request.POST.get("next") or "chat:workspace")


@login_required
@require_POST
def reply(request: AuthenticatedRequest, chat_id: int) -> HttpResponse:
    chat = access_chat(request.user, chat_id)
    form = ReplyForm(request.POST)
    if not form.is_valid() or chat.ticket is None:
        return HttpResponse(_("Write a reply first."), status=422)
    try:
        do_add_reply(
            chat.ticket,
            body=form.cleaned_data["body"],
            public=request.POST.get("kind") != MessageKind.NOTE,
            author_user=request.user,
        )
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=422)
    if request.headers.get("HX-Request"):
        return transcript(request, chat_id)
    return redirect("chat:chat", chat.pk)


@login_required
@require_POST
def take(request: AuthenticatedRequest, chat_id: int) -> HttpResponse:
    chat = access_chat(request.user, chat_id)
    try:
        actions.do_take_chat(chat, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("chat:chat", chat.pk)


@login_required
@require_POST
def transfer(request: AuthenticatedRequest, chat_id: int) -> HttpResponse:
    chat = access_chat(request.user, chat_id)
    choice = request.POST.get("agent") or ""
    kind, _sep, pk = choice.rpartition(":")
    team = Team.objects.filter(pk=int(pk)).first() if kind == "team" and pk.isdigit() else None
    to = (
        User.objects.filter(pk=int(pk), is_active=True).first()
        if not kind and pk.isdigit()
        else None
    )
    if to is None and team is None:
        messages.error(request, _("Choose whom to transfer the chat to."))
        return redirect("chat:chat", chat.pk)
    try:
        if team is not None:
            actions.do_transfer_chat_to_team(chat, team, actor=request.user)
        elif to is not None:
            actions.do_transfer_chat(chat, to, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The chat is now %(agent)s's.") % {"agent": team or to})
    return redirect("chat:workspace")


@login_required
@require_POST
def invite(request: AuthenticatedRequest, chat_id: int) -> HttpResponse:
    chat = access_chat(request.user, chat_id)
    colleague = User.objects.filter(pk=request.POST.get("agent") or 0, is_active=True).first()
    if colleague is None:
        messages.error(request, _("Choose whom to ask."))
        return redirect("chat:chat", chat.pk)
    try:
        actions.do_invite_to_chat(chat, colleague, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(agent)s is asked into the chat.") % {"agent": colleague})
    return redirect("chat:chat", chat.pk)


@login_required
@require_POST
def close(request: AuthenticatedRequest, chat_id: int) -> HttpResponse:
    chat = access_chat(request.user, chat_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            actions.do_close_chat(chat, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The chat is closed."))
            return redirect("chat:workspace")
    return _workspace_page(request, chat, form, status=422)


@login_required
def rules(request: AuthenticatedRequest) -> HttpResponse:
    """The chat-closing rules, set by the head."""
    require_perm(request.user, Perm.CONFIGURE_CHAT)
    current = ChatRules.current()
    form = RulesForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in RulesForm.Meta.fields}
        try:
            actions.do_update_chat_rules(actor=request.user, **values)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(request, _("The chat rules are saved."))
            return redirect("chat:rules")
    status = 422 if request.method == "POST" else 200
    return render(request, "chat/rules.html", {"form": form, "rules": current}, status=status)


# --- Widgets -------------------------------------------------------------


@login_required
def widgets(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    return render(request, "chat/widgets.html", {"widgets": Widget.objects.select_related("team")})


@login_required
def widget_edit(request: AuthenticatedRequest, widget_id: int | None = None) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    widget = get_object_or_404(Widget, pk=widget_id) if widget_id else Widget()
    form = WidgetForm(request.POST or None, instance=widget)
    if request.method == "POST" and form.is_valid():
        widget = form.save()
        messages.success(request, _("Saved the widget %(name)s.") % {"name": widget})
        return redirect("chat:widget_edit", widget.pk)
    snippet = ""
    if widget.pk:
        script = request.build_absolute_uri("/chat/widget.js")
        snippet = f'<script src="{script}" data-key="{widget.key}" async></script>'
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "chat/widget_form.html",
        {"form": form, "widget": widget, "snippet": snippet},
        status=status,
    )


@login_required
def widget_try(request: AuthenticatedRequest, widget_id: int) -> HttpResponse:
    """A plain page with nothing but the widget's snippet, to try it."""
    require_perm(request.user, Perm.MANAGE_CHANNELS)
    widget = get_object_or_404(Widget, pk=widget_id)
    language = request.GET.get("lang") or translation.get_language() or "en"
    return render(request, "chat/try.html", {"widget": widget, "page_language": language[:2]})


@csrf_exempt  # cross-site by design: the visitor's signed token and the site check guard it
def visitor_upload(request: HttpRequest, key: str) -> HttpResponse:
    """A file from the widget: POST with the visitor's token in X-Chat-Token,
    `client_id` and `file`, from one of the widget's allowed sites."""
    widget = Widget.objects.filter(key=key, active=True).first()
    origin = request.headers.get("Origin", "")
    if widget is None or not widget.allows(origin):
        return JsonResponse({"detail": "This site may not use the widget."}, status=403)
    cors = {
        "Access-Control-Allow-Origin": origin,
        "Access-Control-Allow-Headers": "X-Chat-Token",
        "Access-Control-Allow-Methods": "POST",
        "Vary": "Origin",
    }
    if request.method == "OPTIONS":
        return HttpResponse(status=204, headers=cors)
    if request.method != "POST":
        return JsonResponse({"detail": "POST a file."}, status=405, headers=cors)
    visitor = actions.visitor_from_token(widget, request.headers.get("X-Chat-Token", ""))
    if visitor is None:
        return JsonResponse({"detail": "The visitor token is not valid."}, status=403, headers=cors)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"detail": "Send the file as `file`."}, status=400, headers=cors)
    try:
        actions.check_rate(visitor)
        received = actions.do_receive_visitor_file(
            visitor, client_id=request.POST.get("client_id", ""), upload=upload
        )
    except actions.Flood as flood:
        headers = {**cors, "Retry-After": str(flood.retry_after)}
        return JsonResponse({"detail": "Too many messages."}, status=429, headers=headers)
    except ValidationError as error:
        too_big = "attachments" in getattr(error, "message_dict", {})
        detail = " ".join(error.messages)
        return JsonResponse({"detail": detail}, status=413 if too_big else 422, headers=cors)
    if received.message is None:
        return JsonResponse(
            {"detail": "Stored; it will be filed shortly."}, status=202, headers=cors
        )
    payload = actions.message_payload(received.message, client_id=received.inbound.client_id)
    return JsonResponse({"message": payload}, status=201, headers=cors)


def widget_script(request: HttpRequest) -> HttpResponse:
    """The widget: its script, with its words in English and Polish."""
    strings = json.dumps(widget_strings(), ensure_ascii=False)
    body = SCRIPT.read_text(encoding="utf-8").replace("/*STRINGS*/{}", strings, 1)
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    return response
