"""Classification and priority rules: what a new conversation is, how urgent
it is and which team works it.

On arrival (tickets.signals.ticket_arriving) the classification rules run
first, then the priority rules; in each list the first active rule that
matches wins, and only the fields the caller left open are filled. When an
agent changes a conversation's type, the priority rules run again, unless a
person chose its priority. The rule that set the priority is kept on the
conversation as the "why".

Saving a rule checks it as a whole: it must do something, must not set what
its own conditions test, and must not set off another rule that sets it off
in turn (a loop)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from carebase.accounts.models import Team
from carebase.core.events import event_kinds, record_event
from carebase.tickets.actions import arrival_of
from carebase.tickets.models import EventKind, Priority, RequestType, Ticket
from carebase.tickets.signals import Arrival
from carebase.workflow.conditions import Conditions, Facts, facts_of, read_conditions
from carebase.workflow.models import Rule, RuleKind

MAX_TAGS = 10
ALLOWED = {
    RuleKind.CLASSIFY: ("channel", "tier", "plan", "tags", "keywords", "mailbox", "form"),
    RuleKind.PRIORITY: (
        "channel",
        "type",
        "tier",
        "plan",
        "tags",
        "keywords",
        "mailbox",
        "form",
        "business_hours",
    ),
}
FIELD_LABELS = {
    "type": gettext_lazy("type"),
    "priority": gettext_lazy("priority"),
    "team": gettext_lazy("team"),
    "tags": gettext_lazy("tags"),
}


@event_kinds
class RuleEvent(models.TextChoices):
    SAVED = "workflow.rule_saved", gettext_lazy("Queue rule saved")
    DELETED = "workflow.rule_deleted", gettext_lazy("Queue rule deleted")
    REORDERED = "workflow.rules_reordered", gettext_lazy("Queue rules reordered")


@dataclass
class RuleData:
    kind: str
    name: str
    conditions: dict[str, Any] = field(default_factory=dict)
    set_type: str = ""
    set_priority: str = ""
    set_team: int | None = None
    add_tags: list[str] = field(default_factory=list)
    active: bool = True
    position: int | None = None  # None: last (new) or unchanged


def writes(rule: Rule | RuleData) -> set[str]:
    team = rule.set_team_id if isinstance(rule, Rule) else rule.set_team
    found = set()
    if rule.set_type:
        found.add("type")
    if rule.set_priority:
        found.add("priority")
    if team:
        found.add("team")
    if rule.add_tags:
        found.add("tags")
    return found


def clean_rule(data: RuleData, *, instance: Rule | None = None) -> tuple[RuleData, Conditions]:
    """The data tidied with its conditions, or ValidationError by field."""
    errors: dict[str, list[str]] = {}
    if data.kind not in RuleKind.values:
        raise ValidationError(
            {"kind": [_("“%(value)s” is not a kind of rule.") % {"value": data.kind}]}
        )
    kind = RuleKind(data.kind)
    name = " ".join(data.name.split())[:120]
    if not name:
        errors["name"] = [_("A rule needs a name.")]
    elif (
        Rule.objects.filter(kind=kind, name__iexact=name)
        .exclude(pk=instance.pk if instance is not None else 0)
        .exists()
    ):
        errors["name"] = [_("Another rule is called %(name)s.") % {"name": name}]
    conditions = Conditions({})
    try:
        conditions = read_conditions(data.conditions, allow=ALLOWED[kind])
    except ValidationError as error:
        errors.update(error.message_dict)
    if data.set_type and data.set_type not in RequestType.values:
        errors["set_type"] = [_("“%(value)s” is not a request type.") % {"value": data.set_type}]
    if data.set_priority and data.set_priority not in Priority.values:
        errors["set_priority"] = [
            _("“%(value)s” is not a priority.") % {"value": data.set_priority}
        ]
    if data.set_team is not None and not Team.objects.filter(pk=data.set_team).exists():
        errors["set_team"] = [_("No such team: %(id)s.") % {"id": data.set_team}]
    tags = list(dict.fromkeys(" ".join(tag.split()).lower()[:50] for tag in data.add_tags))
    tags = [tag for tag in tags if tag]
    if len(tags) > MAX_TAGS:
        errors["add_tags"] = [_("At most %(count)s tags.") % {"count": MAX_TAGS}]
    clean = RuleData(
        kind=kind,
        name=name,
        conditions=conditions.values,
        set_type=data.set_type,
        set_priority=data.set_priority,
        set_team=data.set_team,
        add_tags=tags,
        active=data.active,
        position=data.position,
    )
    if kind == RuleKind.CLASSIFY:
        if not data.set_type:
            errors["set_type"] = [_("A classification rule sets the request type.")]
        if data.set_priority or data.set_team is not None:
            errors["set_priority"] = [
                _("Priority and team are set by the priority rules, which run after this one.")
            ]
    elif data.set_type:
        errors["set_type"] = [
            _("The type is set by the classification rules, which run before this one.")
        ]
    elif not (data.set_priority or data.set_team is not None or tags):
        errors["set_priority"] = [_("This rule changes nothing: set a priority, a team or tags.")]
    if errors:
        raise ValidationError(errors)
    _check_loops(clean, conditions, instance)
    return clean, conditions


def _check_loops(data: RuleData, conditions: Conditions, instance: Rule | None) -> None:
    """A rule that sets what its conditions test would set itself off again;
    two rules that set each other off would do so for ever. Refuse both."""
    own = writes(data) & conditions.reads
    if own:
        names = ", ".join(sorted(str(FIELD_LABELS[name]) for name in own))
        raise ValidationError(
            {
                "conditions": [
                    _(
                        "This rule sets the %(fields)s that its own conditions test: "
                        "each change would set it off again. Test something else, "
                        "or set something else."
                    )
                    % {"fields": names}
                ]
            }
        )
    if not data.active:
        return
    others = Rule.objects.filter(active=True).exclude(pk=instance.pk if instance else 0)
    graph: dict[str, tuple[set[str], set[str]]] = {"": (writes(data), conditions.reads)}
    rule_names: dict[str, str] = {"": data.name}
    for other in others:
        key = str(other.pk)
        graph[key] = (writes(other), Conditions(other.conditions).reads)
        rule_names[key] = other.name
    cycle = _cycle_through(graph, "")
    if cycle:
        raise ValidationError(
            {
                "conditions": [
                    _(
                        "This rule and %(rules)s would set each other off for ever: "
                        "each sets what the next one tests."
                    )
                    % {"rules": ", ".join(f"“{rule_names[key]}”" for key in cycle if key)}
                ]
            }
        )


def _cycle_through(graph: dict[str, tuple[set[str], set[str]]], start: str) -> list[str]:
    """The rules on a path from start back to itself (A sets what B tests...)."""
    path: list[str] = []
    seen: set[str] = set()

    def visit(node: str) -> bool:
        path.append(node)
        seen.add(node)
        for other, (_writes, reads) in graph.items():
            if not graph[node][0] & reads:
                continue
            if other == start or (other not in seen and visit(other)):
                return True
        path.pop()
        return False

    return path if visit(start) else []


def _next_position(kind: str) -> int:
    last = Rule.objects.filter(kind=kind).aggregate(models.Max("position"))["position__max"]
    return 0 if last is None else last + 1


def do_save_rule(data: RuleData, *, actor: Any, instance: Rule | None = None) -> Rule:
    clean, _conditions = clean_rule(data, instance=instance)
    with transaction.atomic():
        rule = instance or Rule(kind=clean.kind)
        if instance is not None and instance.kind != clean.kind:
            raise ValidationError({"kind": [_("A rule keeps its kind; make a new one.")]})
        rule.name = clean.name
        rule.conditions = clean.conditions
        rule.set_type, rule.set_priority = clean.set_type, clean.set_priority
        rule.set_team_id = clean.set_team
        rule.add_tags = clean.add_tags
        rule.active = clean.active
        if clean.position is not None:
            rule.position = clean.position
        elif instance is None:
            rule.position = _next_position(clean.kind)
        rule.updated_at = timezone.now()
        rule.save()
        record_event(
            RuleEvent.SAVED,
            rule,
            actor,
            rule_kind=rule.kind,
            name=rule.name,
            conditions=rule.conditions,
            set_type=rule.set_type,
            set_priority=rule.set_priority,
            set_team=rule.set_team_id,
            add_tags=rule.add_tags,
            active=rule.active,
        )
    return rule


def do_delete_rule(rule: Rule, *, actor: Any) -> None:
    with transaction.atomic():
        record_event(RuleEvent.DELETED, rule, actor, rule_kind=rule.kind, name=rule.name)
        rule.delete()


def do_reorder_rules(kind: str, ids: Iterable[int], *, actor: Any) -> None:
    """Put a kind's rules in this order: every one of them, each once."""
    ids = list(ids)
    rules = {rule.pk: rule for rule in Rule.objects.filter(kind=kind)}
    if sorted(ids) != sorted(rules):
        raise ValidationError({"order": [_("List each rule of this kind once, and no other.")]})
    if not ids:
        return
    with transaction.atomic():
        for position, pk in enumerate(ids):
            rules[pk].position = position
        Rule.objects.bulk_update(rules.values(), ["position"])
        record_event(RuleEvent.REORDERED, rules[ids[0]], actor, rule_kind=kind, order=ids)


def first_match(rules: Iterable[Rule], facts: Facts) -> Rule | None:
    for rule in rules:
        if Conditions(rule.conditions).matches(facts):
            return rule
    return None


def apply_on_arrival(sender: Any, *, arrival: Arrival, **extra: Any) -> None:
    """tickets.signals.ticket_arriving: fill in type, priority, team and tags."""
    rules = list(Rule.objects.filter(active=True))
    if not rules:
        return
    ticket = arrival.ticket
    facts = facts_of(ticket, arrival.body, arrival.source, arrival.tags, ticket.created_at)
    for kind in (RuleKind.CLASSIFY, RuleKind.PRIORITY):
        if kind == RuleKind.CLASSIFY and "type" in arrival.given:
            continue
        rule = first_match((rule for rule in rules if rule.kind == kind), facts)
        if rule is None:
            continue
        applied: dict[str, Any] = {}
        if rule.set_type:
            ticket.type = facts.type = rule.set_type
            applied["type"] = rule.set_type
            arrival.reasons["type"] = rule.name
        if rule.set_priority and "priority" not in arrival.given:
            ticket.priority = applied["priority"] = str(rule.set_priority)
            arrival.reasons["priority"] = rule.name
        if rule.set_team_id and "team" not in arrival.given:
            ticket.team_id = applied["team"] = rule.set_team_id
        new_tags = [tag for tag in rule.add_tags if tag not in facts.tags]
        if new_tags:
            arrival.tags.extend(new_tags)
            facts.tags.update(new_tags)
            applied["tags"] = new_tags
        if applied:
            arrival.applied.append({"rule": rule.name, "rule_id": rule.pk, "set": applied})


def priority_chosen(ticket: Ticket) -> bool:
    """Whether the priority is a person's or a program's choice, which the
    rules leave as it is: given when the conversation was opened (an API
    client, an agent filing a call, a missed call's callback), or last set
    by a person or an escalation, not by a rule (a rule leaves its name)."""
    last = (
        ticket.events.filter(kind=EventKind.PRIORITY_CHANGED).order_by("-created_at", "-id").first()
    )
    if last is not None:
        return last.actor_id is not None or not ticket.priority_reason
    return priority_given(ticket)


def priority_given(ticket: Ticket) -> bool:
    """Whether the conversation's sender chose its priority when opening it."""
    return "priority" in (arrival_of(ticket).get("given") or [])


def reprioritise(sender: Any, *, ticket: Ticket, change: str, **extra: Any) -> None:
    """tickets.signals.ticket_changed: a new type may mean a new priority,
    unless a person chose the priority."""
    if change != "type":
        return
    if priority_chosen(ticket):
        return
    rules = Rule.objects.filter(active=True, kind=RuleKind.PRIORITY).exclude(set_priority="")
    tags = ticket.tags.values_list("name", flat=True)
    first_message = ticket.messages.order_by("created_at", "id").values_list("body_text", flat=True)
    facts = facts_of(ticket, first_message.first() or "", {}, tags, timezone.now())
    rule = first_match(rules, facts)
    if rule is not None and rule.set_priority != ticket.priority:
        from carebase.tickets.actions import do_change_priority

        do_change_priority(ticket, rule.set_priority, actor=None, reason=rule.name)


DEFAULT_RULES = [
    # What a support team usually writes down first; heads edit them in the UI.
    RuleData(
        kind=RuleKind.CLASSIFY,
        name=gettext_noop("Something does not work: a problem"),
        conditions={
            "keywords": [
                "nie działa",
                "błąd",
                "awaria",
                "nie dzwoni",
                "not working",
                "error",
                "broken",
                "outage",
                "down",
            ]
        },
        set_type=RequestType.PROBLEM,
    ),
    RuleData(
        kind=RuleKind.CLASSIFY,
        name=gettext_noop("Set up or change: a configuration request"),
        conditions={
            "keywords": [
                "konfiguracja",
                "skonfigurować",
                "ustawić",
                "dodać numer",
                "configure",
                "set up",
                "setup",
            ]
        },
        set_type=RequestType.CONFIGURATION,
    ),
    RuleData(
        kind=RuleKind.CLASSIFY,
        name=gettext_noop("Would like a new function: a feature request"),
        conditions={"keywords": ["propozycja", "funkcja", "feature request", "would be great"]},
        set_type=RequestType.FEATURE_REQUEST,
    ),
    RuleData(
        kind=RuleKind.PRIORITY,
        name=gettext_noop("Problems of top-tier clients are urgent"),
        conditions={"type": [RequestType.PROBLEM], "tier": ["strategic", "key"]},
        set_priority=Priority.URGENT,
    ),
    RuleData(
        kind=RuleKind.PRIORITY,
        name=gettext_noop("Phone and live chat before email: high"),
        conditions={"channel": ["phone", "chat"]},
        set_priority=Priority.HIGH,
    ),
    RuleData(
        kind=RuleKind.PRIORITY,
        name=gettext_noop("Problems before configuration work: high"),
        conditions={"type": [RequestType.PROBLEM]},
        set_priority=Priority.HIGH,
    ),
    RuleData(
        kind=RuleKind.PRIORITY,
        name=gettext_noop("Configuration work: normal"),
        conditions={"type": [RequestType.CONFIGURATION]},
        set_priority=Priority.NORMAL,
    ),
    RuleData(
        kind=RuleKind.PRIORITY,
        name=gettext_noop("Feedback and feature requests: low"),
        conditions={"type": [RequestType.FEEDBACK, RequestType.FEATURE_REQUEST]},
        set_priority=Priority.LOW,
    ),
]


def do_install_default_rules(*, actor: Any) -> list[Rule]:
    """The shipped rules, in the language active now; those already there stay."""
    made = []
    for data in DEFAULT_RULES:
        name = _(data.name)
        if Rule.objects.filter(kind=data.kind, name=name).exists():
            continue
        made.append(
            do_save_rule(
                RuleData(
                    kind=data.kind,
                    name=name,
                    conditions=dict(data.conditions),
                    set_type=data.set_type,
                    set_priority=data.set_priority,
                    add_tags=list(data.add_tags),
                ),
                actor=actor,
            )
        )
    return made
