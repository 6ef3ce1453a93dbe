"""Macros' pages (list, new, edit, delete) for everyone who works
conversations, and the conversation page's macro picker: a card beside the
conversation that searches the caller's macros as they type and applies the
chosen one (its field changes at once, its text into the composer)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from carebase.accounts.http import AuthenticatedRequest
from carebase.core.access import Perm, has_perm, require_perm
from carebase.core.errors import Conflict, show_errors
from carebase.core.navigation import Panel
from carebase.tickets.access import access_ticket
from carebase.tickets.models import Ticket
from carebase.workflow.forms_macros import MacroForm
from carebase.workflow.macros import (
    MacroData,
    access_macro,
    can_edit_macro,
    describe_changes,
    do_apply_macro,
    do_delete_macro,
    do_save_macro,
    in_language_first,
    macros_for,
    render_macro,
    search_macros,
)
from carebase.workflow.models import Macro, MacroScope

PICKER_SIZE = 20


@login_required
def macros(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.WORK_TICKETS)
    query = request.GET.get("q", "").strip()[:200]
    scope = request.GET.get("scope", "")
    found = search_macros(macros_for(request.user), query)
    if scope in MacroScope.values:
        found = found.filter(scope=scope)
    rows = [
        {
            "macro": macro,
            "editable": can_edit_macro(request.user, macro),
            "changes": describe_changes(macro),
        }
        for macro in found.order_by("scope", "name", "pk")
    ]
    context = {"rows": rows, "q": query, "scope": scope, "scopes": MacroScope.choices}
    return render(request, "workflow/macros/list.html", context)


@login_required
def macro_edit(request: AuthenticatedRequest, macro_id: int | None = None) -> HttpResponse:
    require_perm(request.user, Perm.WORK_TICKETS)
    macro = access_macro(request.user, macro_id, write=True) if macro_id else None
    if request.method == "POST":
        form = MacroForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                saved = do_save_macro(
                    MacroData(**form.values()), actor=request.user, instance=macro
                )
            except ValidationError as error:
                show_errors(form, error)
            else:
                messages.success(request, _("Saved the macro %(name)s.") % {"name": saved})
                return redirect("workflow:macros")
    else:
        form = (
            MacroForm.for_macro(macro, user=request.user) if macro else MacroForm(user=request.user)
        )
    status = 422 if request.method == "POST" else 200
    return render(
        request, "workflow/macros/form.html", {"form": form, "macro": macro}, status=status
    )


@login_required
@require_POST
def macro_delete(request: AuthenticatedRequest, macro_id: int) -> HttpResponse:
    require_perm(request.user, Perm.WORK_TICKETS)
    macro = access_macro(request.user, macro_id, write=True)
    do_delete_macro(macro, actor=request.user)
    messages.success(request, _("Deleted the macro %(name)s.") % {"name": macro.name})
    return redirect("workflow:macros")


def _picker_item(macro: Macro, ticket: Ticket, user: Any) -> dict[str, Any]:
    text = render_macro(macro, ticket, user)
    return {
        "id": macro.pk,
        "name": macro.name,
        "language": macro.language,
        "shared": macro.team.name if macro.team else str(macro.get_scope_display()),
        "preview": text[:160],
        "changes": describe_changes(macro),
    }


@login_required
@require_GET
def macro_pick(request: AuthenticatedRequest, ticket_id: int) -> JsonResponse:
    """The caller's macros that match `q`, for the picker: the requester's
    language first, then the most used."""
    ticket = access_ticket(request.user, ticket_id, work=True)
    found = search_macros(macros_for(request.user), request.GET.get("q", "")[:200])
    found = in_language_first(found, ticket.requester.language)[:PICKER_SIZE]
    return JsonResponse({"items": [_picker_item(macro, ticket, request.user) for macro in found]})


@login_required
@require_POST
def macro_apply(request: AuthenticatedRequest, macro_id: int, ticket_id: int) -> JsonResponse:
    """Apply a macro to a conversation: its field changes now (on the
    timeline), its text back for the composer."""
    ticket = access_ticket(request.user, ticket_id, work=True)
    macro = access_macro(request.user, macro_id)
    try:
        applied = do_apply_macro(ticket, macro, actor=request.user)
    except Conflict as error:
        return JsonResponse({"detail": error.message}, status=409)
    except ValidationError as error:
        return JsonResponse({"detail": " ".join(error.messages)}, status=422)
    return JsonResponse(
        {
            "text": applied.text,
            "changed": applied.changed,
            "summary": describe_changes(macro) if applied.changed else [],
        }
    )


def macros_panel(ticket: Ticket, user: Any) -> Panel | None:
    """The picker beside a conversation that the viewer may work on."""
    if not has_perm(user, Perm.WORK_TICKETS) or ticket.is_closed:
        return None
    return Panel("workflow/macros/_picker.html", {"ticket": ticket}, order=20)
