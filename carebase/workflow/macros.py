"""Macros: saved replies with placeholders that may also set a conversation's
fields. Who sees which, validating them, saving and deleting them, rendering
their text for a conversation and applying them to it.

Placeholders are a closed list, filled by the small renderer below, never by
the template engine: a macro's text is a person's text, and `{{ ... }}` in it
must not reach anything but the values named here. An unknown placeholder is
refused when the macro is saved.

Who:
- a person who works conversations (Perm.WORK_TICKETS) sees their own
  personal macros, their teams' macros and everyone's, and writes their own
  personal ones;
- those who set the queue's rules (Perm.CONFIGURE_WORKFLOW) also see and
  write every team's macros and everyone's;
- nobody sees another person's personal macros. What the caller may not see
  answers 404; what they see but may not change answers 403.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebase.accounts.models import Team
from carebase.core.access import Perm, has_perm, require_perm
from carebase.core.errors import Conflict
from carebase.core.events import event_kinds, record_event
from carebase.core.search import fold
from carebase.crm.models import Language
from carebase.tickets.actions import MAX_TAGS, do_update_ticket
from carebase.tickets.models import Priority, RequestType, Status, Ticket
from carebase.workflow.models import Macro, MacroScope

MAX_NAME = 100
MAX_BODY = 20_000
MAX_TAG = 50
# Statuses a macro may set: not "new" (a conversation never becomes new
# again) and not "closed" (closing follows solving, by the clock or a person).
MACRO_STATUSES = [status for status in Status if status not in (Status.NEW, Status.CLOSED)]
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
# After an empty value, a space before it goes too: "Hello {{ contact.first_name }}," -> "Hello,".
CLOSES_GAP = frozenset(" \t\n,.;:!?)")


@event_kinds
class MacroEvent(models.TextChoices):
    SAVED = "workflow.macro_saved", gettext_lazy("Macro saved")
    DELETED = "workflow.macro_deleted", gettext_lazy("Macro deleted")
    APPLIED = "workflow.macro_applied", gettext_lazy("Macro applied")


# --- Placeholders -----------------------------------------------------------


@dataclass(frozen=True)
class Placeholder:
    name: str
    help: Any  # a lazy translation
    value: Callable[[Ticket, Any], str]


def _first_word(text: str) -> str:
    words = text.split()
    return words[0] if words else ""


def _first_email(ticket: Ticket) -> str:
    emails = ticket.requester.emails
    return emails[0] if emails else ""


def _agent_name(agent: Any) -> str:
    if agent is None:
        return ""
    return agent.get_full_name() or agent.get_username()


PLACEHOLDERS = {
    placeholder.name: placeholder
    for placeholder in [
        Placeholder(
            "contact.name",
            gettext_lazy("the requester's full name"),
            lambda ticket, agent: ticket.requester.name,
        ),
        Placeholder(
            "contact.first_name",
            gettext_lazy("the requester's first name"),
            lambda ticket, agent: _first_word(ticket.requester.name),
        ),
        Placeholder(
            "contact.email",
            gettext_lazy("the requester's email address"),
            lambda ticket, agent: _first_email(ticket),
        ),
        Placeholder(
            "ticket.reference",
            gettext_lazy("the conversation's reference, such as #1042"),
            lambda ticket, agent: ticket.reference,
        ),
        Placeholder(
            "ticket.subject",
            gettext_lazy("the conversation's subject"),
            lambda ticket, agent: ticket.subject,
        ),
        Placeholder(
            "agent.name",
            gettext_lazy("your full name"),
            lambda ticket, agent: _agent_name(agent),
        ),
        Placeholder(
            "agent.first_name",
            gettext_lazy("your first name"),
            lambda ticket, agent: (agent.first_name if agent else "") or _agent_name(agent),
        ),
        Placeholder(
            "organization.name",
            gettext_lazy("the requester's organization (empty when there is none)"),
            lambda ticket, agent: ticket.organization.name if ticket.organization else "",
        ),
    ]
}


def placeholder_problems(body: str) -> list[str]:
    """What is wrong with the placeholders of a macro's text, each named."""
    problems = []
    unknown = []
    for match in PLACEHOLDER.finditer(body):
        name = match.group(1)
        if name not in PLACEHOLDERS and name not in unknown:
            unknown.append(name)
    for name in unknown:
        problems.append(
            _("{{ %(name)s }} is not a placeholder; these are: %(known)s.")
            % {"name": name, "known": ", ".join(PLACEHOLDERS)}
        )
    rest = PLACEHOLDER.sub("", body)
    if "{{" in rest or "}}" in rest:
        problems.append(
            _(
                "A placeholder is not closed: write it in double braces, "
                "as {{ contact.first_name }}."
            )
        )
    return problems


def render_text(body: str, values: dict[str, str]) -> str:
    """The text with each placeholder replaced by its value; an empty value
    takes the space before it along when punctuation or a space follows."""
    text = ""
    position = 0
    for match in PLACEHOLDER.finditer(body):
        text += body[position : match.start()]
        value = values.get(match.group(1), "")
        following = body[match.end() : match.end() + 1]
        if not value and (not following or following in CLOSES_GAP):
            text = text.rstrip(" \t")
        text += value
        position = match.end()
    return text + body[position:]


def render_macro(macro: Macro, ticket: Ticket, agent: Any) -> str:
    """The macro's text for this conversation, written by this agent."""
    used = {match.group(1) for match in PLACEHOLDER.finditer(macro.body)} & set(PLACEHOLDERS)
    values = {name: PLACEHOLDERS[name].value(ticket, agent) for name in used}
    return render_text(macro.body, values)


# --- Who sees and writes which ----------------------------------------------


def macros_for(user: Any) -> QuerySet[Macro]:
    """The macros a person may see and use."""
    if not has_perm(user, Perm.WORK_TICKETS):
        return Macro.objects.none()
    visible = Q(scope=MacroScope.EVERYONE) | Q(scope=MacroScope.PERSONAL, owner=user)
    if has_perm(user, Perm.CONFIGURE_WORKFLOW):
        visible |= Q(scope=MacroScope.TEAM)
    else:
        visible |= Q(scope=MacroScope.TEAM, team__in=user.teams.values("pk"))
    return Macro.objects.filter(visible).select_related("team")


def can_share_macros(user: Any) -> bool:
    return has_perm(user, Perm.CONFIGURE_WORKFLOW)


def can_edit_macro(user: Any, macro: Macro) -> bool:
    if macro.scope == MacroScope.PERSONAL:
        return macro.owner_id == user.pk
    return can_share_macros(user)


def access_macro(user: Any, pk: int, *, write: bool = False) -> Macro:
    """A macro the caller sees (404 otherwise); with write=True, one they may
    change (403 when they see it but it is shared and they are not a head)."""
    macro = macros_for(user).filter(pk=pk).first()
    if macro is None:
        raise Http404
    if write and not can_edit_macro(user, macro):
        raise PermissionDenied(_("Only those who set the queue's rules change shared macros."))
    return macro


def search_key(*texts: str) -> str:
    return " ".join(fold(" ".join(texts).casefold()).split())


def search_macros(macros: QuerySet[Macro], query: str) -> QuerySet[Macro]:
    """Macros whose name or text holds every word of the query, whatever the
    case and the Polish letters ("zgloszenie" finds "Zgłoszenie")."""
    for word in search_key(query).split()[:12]:
        macros = macros.filter(search_key__contains=word)
    return macros


def in_language_first(macros: QuerySet[Macro], language: str) -> QuerySet[Macro]:
    """The requester's language first, then the most used, then by name."""
    first = Case(
        When(language=language, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return macros.annotate(language_rank=first).order_by(
        "language_rank", "-usage_count", "name", "pk"
    )


def describe_changes(macro: Macro) -> list[str]:
    """What applying the macro changes, in words: ["Status: Pending", "Tags: +logi"]."""
    changes = []
    if macro.set_status:
        changes.append(_("Status: %(value)s") % {"value": Status(macro.set_status).label})
    if macro.set_type:
        changes.append(_("Type: %(value)s") % {"value": RequestType(macro.set_type).label})
    if macro.set_priority:
        changes.append(_("Priority: %(value)s") % {"value": Priority(macro.set_priority).label})
    if macro.add_tags:
        tags = ", ".join(f"+{tag}" for tag in macro.add_tags)
        changes.append(_("Tags: %(value)s") % {"value": tags})
    return changes


# --- Saving -----------------------------------------------------------------


@dataclass
class MacroData:
    name: str
    body: str = ""
    language: str = Language.POLISH
    scope: str = MacroScope.PERSONAL
    team: int | None = None
    set_status: str = ""
    set_type: str = ""
    set_priority: str = ""
    add_tags: list[str] = field(default_factory=list)


def _clean_tags(names: Iterable[str], errors: dict[str, list[str]]) -> list[str]:
    tags: list[str] = []
    for name in names:
        tag = " ".join(str(name).split()).lower()
        if len(tag) > MAX_TAG:
            errors.setdefault("add_tags", []).append(
                _("The tag “%(tag)s” is longer than %(count)s characters.")
                % {"tag": tag, "count": MAX_TAG}
            )
        elif tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        errors.setdefault("add_tags", []).append(_("At most %(count)s tags.") % {"count": MAX_TAGS})
    return tags


def _choice(
    value: str, allowed: Iterable[Any], field_name: str, errors: dict[str, list[str]]
) -> str:
    value = (value or "").strip()
    allowed = list(allowed)
    if value and value not in [choice.value for choice in allowed]:
        errors[field_name] = [
            _("“%(value)s” is not one of: %(choices)s.")
            % {"value": value, "choices": ", ".join(choice.value for choice in allowed)}
        ]
    return value


def clean_macro(data: MacroData, *, actor: Any, instance: Macro | None = None) -> MacroData:
    """The data tidied, or ValidationError with every complaint by field."""
    errors: dict[str, list[str]] = {}
    name = " ".join(data.name.split())
    if not name:
        errors["name"] = [_("A macro needs a name.")]
    elif len(name) > MAX_NAME:
        errors["name"] = [_("At most %(count)s characters.") % {"count": MAX_NAME}]
    body = data.body.replace("\r\n", "\n").strip()
    if len(body) > MAX_BODY:
        errors["body"] = [_("At most %(count)s characters.") % {"count": MAX_BODY}]
    elif problems := placeholder_problems(body):
        errors["body"] = problems
    language = _choice(data.language, Language, "language", errors)
    if not language:
        errors["language"] = [_("Choose the language the macro is written in.")]
    scope = _choice(data.scope, MacroScope, "scope", errors)
    if not scope:
        errors["scope"] = [_("Choose who may use the macro.")]
    team = data.team if scope == MacroScope.TEAM else None
    if scope == MacroScope.TEAM:
        if team is None:
            errors["team"] = [_("Choose the team that shares the macro.")]
        elif not Team.objects.filter(pk=team).exists():
            errors["team"] = [_("No such team: %(id)s.") % {"id": team}]
    set_status = _choice(data.set_status, MACRO_STATUSES, "set_status", errors)
    set_type = _choice(data.set_type, RequestType, "set_type", errors)
    set_priority = _choice(data.set_priority, Priority, "set_priority", errors)
    tags = _clean_tags(data.add_tags, errors)
    if name and not errors and not (body or set_status or set_type or set_priority or tags):
        errors["body"] = [
            _(
                "“%(name)s” neither writes a reply nor changes a field: give it a text, "
                "a status, a type, a priority or tags to add."
            )
            % {"name": name}
        ]
    if name and "name" not in errors and scope in MacroScope.values:
        same = Macro.objects.filter(scope=scope)
        if scope == MacroScope.PERSONAL:
            same = same.filter(owner=actor)
        elif scope == MacroScope.TEAM:
            same = same.filter(team=team)
        # Compared in Python: SQLite's case rules stop at ASCII ("Ę" and "ę").
        others = same.exclude(pk=instance.pk if instance is not None else 0)
        if name.casefold() in {other.casefold() for other in others.values_list("name", flat=True)}:
            errors["name"] = [
                _("Another macro shared the same way is called %(name)s.") % {"name": name}
            ]
    if errors:
        raise ValidationError(errors)
    return MacroData(name, body, language, scope, team, set_status, set_type, set_priority, tags)


def do_save_macro(data: MacroData, *, actor: Any, instance: Macro | None = None) -> Macro:
    """Create a macro, or replace one. A personal macro belongs to whoever
    saves it; sharing one with a team or everyone takes a head."""
    require_perm(actor, Perm.WORK_TICKETS)
    if instance is not None and not can_edit_macro(actor, instance):
        raise PermissionDenied(_("Only those who set the queue's rules change shared macros."))
    if data.scope in (MacroScope.TEAM, MacroScope.EVERYONE) and not can_share_macros(actor):
        raise PermissionDenied(
            _("Only those who set the queue's rules share macros with a team or everyone.")
        )
    data = clean_macro(data, actor=actor, instance=instance)
    now = timezone.now()
    with transaction.atomic():
        macro = instance or Macro(created_by=actor, created_at=now)
        macro.name, macro.body, macro.language = data.name, data.body, data.language
        macro.scope = data.scope
        macro.owner = actor if data.scope == MacroScope.PERSONAL else None
        macro.team_id = data.team
        macro.set_status, macro.set_type = data.set_status, data.set_type
        macro.set_priority, macro.add_tags = data.set_priority, data.add_tags
        macro.search_key = search_key(data.name, data.body)
        macro.updated_at = now
        macro.save()
        record_event(
            MacroEvent.SAVED,
            macro,
            actor,
            name=macro.name,
            scope=macro.scope,
            team=macro.team_id,
            language=macro.language,
            sets=describe_changes(macro),
        )
    return macro


def do_delete_macro(macro: Macro, *, actor: Any) -> None:
    if not can_edit_macro(actor, macro):
        raise PermissionDenied(_("Only those who set the queue's rules change shared macros."))
    with transaction.atomic():
        record_event(MacroEvent.DELETED, macro, actor, name=macro.name, scope=macro.scope)
        macro.delete()


# --- Applying ---------------------------------------------------------------


@dataclass
class AppliedMacro:
    text: str
    changed: dict[str, Any]  # the conversation's fields that changed, with their new values


def do_apply_macro(ticket: Ticket, macro: Macro, *, actor: Any) -> AppliedMacro:
    """Apply the macro's field changes to the conversation, through the
    conversation's own actions (so each change is on its timeline), count
    the use, and answer its text for this conversation. A closed
    conversation cannot change, not even by a macro that only writes: it is
    answered in a follow-up."""
    if ticket.is_closed:
        raise Conflict(
            _("%(reference)s is closed and cannot change; a new reply starts a follow-up.")
            % {"reference": ticket.reference},
            field="status",
            ticket=ticket.pk,
        )
    values: dict[str, Any] = {}
    for name, wanted in (
        ("status", macro.set_status),
        ("type", macro.set_type),
        ("priority", macro.set_priority),
    ):
        if wanted and getattr(ticket, name) != wanted:
            values[name] = wanted
    if macro.add_tags:
        current = list(ticket.tags.values_list("name", flat=True))
        added = [tag for tag in macro.add_tags if tag not in current]
        if added:
            values["tags"] = current + added
    now = timezone.now()
    with transaction.atomic():
        if values:
            do_update_ticket(ticket, actor=actor, **values)
        Macro.objects.filter(pk=macro.pk).update(usage_count=F("usage_count") + 1, last_used_at=now)
        changed = {
            name: sorted(ticket.tags.values_list("name", flat=True))
            if name == "tags"
            else getattr(ticket, name)
            for name in values
        }
        record_event(
            MacroEvent.APPLIED, macro, actor, name=macro.name, ticket=ticket.pk, changed=changed
        )
    return AppliedMacro(text=render_macro(macro, ticket, actor), changed=changed)
