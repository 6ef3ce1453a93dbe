"""Every write to conversations: one transaction each, a typed event per change,
live updates after commit."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from carebase.accounts.models import Team
from carebase.core import deferred
from carebase.core.access import Perm, has_perm
from carebase.core.errors import Conflict
from carebase.core.html import sanitize_html, text_to_html
from carebase.crm.models import Contact, Organization
from carebase.tickets import channels, search
from carebase.tickets.attachments import check_sizes
from carebase.tickets.attachments import store as store_attachments
from carebase.tickets.models import (
    PRIORITY_LEAD,
    PRIORITY_RANK,
    Channel,
    EventKind,
    Message,
    MessageKind,
    Priority,
    RequestType,
    Status,
    Tag,
    Ticket,
    TicketEvent,
    urgency_at,
)
from carebase.tickets.notify import announce, notify
from carebase.tickets.signals import Arrival, ticket_arriving, ticket_changed

MAX_TAGS = 20


def _closed_conflict(ticket: Ticket) -> Conflict:
    return Conflict(
        _("%(reference)s is closed and cannot change; a new reply starts a follow-up.")
        % {"reference": ticket.reference},
        field="status",
        ticket=ticket.pk,
    )


def _event(
    ticket: Ticket,
    kind: EventKind,
    actor: Any,
    *,
    old: Any = "",
    new: Any = "",
    message: Message | None = None,
    at: datetime | None = None,
    **data: Any,
) -> TicketEvent:
    event = TicketEvent(
        ticket=ticket,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        old_value="" if old is None else str(old)[:255],
        new_value="" if new is None else str(new)[:255],
        message=message,
        data=data,
        created_at=at or timezone.now(),
    )
    if not deferred.defer(_write_events, event):
        event.save(force_insert=True)
    return event


def record_ticket_event(
    ticket: Ticket,
    kind: EventKind,
    actor: Any,
    *,
    old: Any = "",
    new: Any = "",
    at: datetime | None = None,
    **data: Any,
) -> TicketEvent:
    """An event that the apps built on tickets write on a conversation's
    timeline (an SLA target met or missed, an escalation), in the caller's
    transaction."""
    return _event(ticket, kind, actor, old=old, new=new, at=at, **data)


def _write_events(events: list[TicketEvent]) -> None:
    TicketEvent.objects.bulk_create(events)


def _touch(ticket: Ticket, at: datetime, *fields: str) -> None:
    ticket.updated_at = at
    if "status" in fields:
        fields = (*fields, "urgency_at")  # see _set_status
    ticket.save(update_fields=[*fields, "updated_at"])
    announce(ticket)


def _clean_tags(names: Iterable[str]) -> list[str]:
    tags: list[str] = []
    for name in names:
        tag = " ".join(str(name).split()).lower()[:50]
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationError({"tags": [_("At most %(count)s tags.") % {"count": MAX_TAGS}]})
    return tags


def _check_assignee(ticket: Ticket, assignee: Any) -> None:
    if assignee is None:
        return
    if not assignee.is_active or not has_perm(assignee, Perm.WORK_TICKETS):
        raise ValidationError(
            {"assignee": [_("%(name)s does not work conversations.") % {"name": assignee}]}
        )
    if (
        ticket.team_id is not None
        and not has_perm(assignee, Perm.ALL_TEAMS_TICKETS)
        and not assignee.teams.filter(pk=ticket.team_id).exists()
    ):
        raise ValidationError(
            {
                "assignee": [
                    _("%(name)s is not in the team %(team)s.")
                    % {"name": assignee, "team": ticket.team}
                ]
            }
        )


def do_create_ticket(
    *,
    subject: str,
    body: str,
    requester: Contact,
    channel: str,
    actor: Any = None,
    from_customer: bool = True,
    type: str | None = None,
    priority: str | None = None,
    team: Team | None = None,
    assignee: Any = None,
    tags: Iterable[str] = (),
    organization: Organization | None = None,
    body_html: str = "",
    external_id: str = "",
    follow_up_of: Ticket | None = None,
    created_at: datetime | None = None,
    attachments: Sequence[UploadedFile] = (),
    source: Mapping[str, str] | None = None,
) -> Ticket:
    """Open a conversation with its first message: the customer's words, or the
    agent's summary when an agent files it (a call, a walk-in, an internal task).
    The queue's rules (see workflow) fill in the type, priority and team that
    the caller leaves as None, and start its SLA clocks; `source` tells them
    where it came from ({"mailbox": name, "form.<field>": value})."""
    subject = " ".join(subject.split())
    errors: dict[str, list[str]] = {}
    if not subject:
        errors["subject"] = [_("A subject is required.")]
    if not body.strip():
        errors["body"] = [_("Write what the request is about.")]
    for field, value, choices in (
        ("channel", channel, Channel),
        ("type", type, RequestType),
        ("priority", priority, Priority),
    ):
        if value is not None and value not in choices.values:
            errors[field] = [_("“%(value)s” is not a valid choice.") % {"value": value}]
    if errors:
        raise ValidationError(errors)
    check_sizes(attachments)
    tag_names = _clean_tags(tags)
    at = created_at or timezone.now()
    given = frozenset(
        name
        for name, value in (("type", type), ("priority", priority), ("team", team))
        if value is not None
    )
    ticket = Ticket(
        subject=subject[:250],
        requester=requester,
        organization=organization if organization is not None else requester.organization,
        channel=channel,
        type=type or RequestType.QUESTION,
        priority=priority or Priority.NORMAL,
        team=team,
        status=Status.NEW,
        created_by=None if from_customer else actor,
        follow_up_of=follow_up_of,
        created_at=at,
        updated_at=at,
        # What _store_message will say of the first message, in the same insert.
        last_customer_message_at=at if from_customer else None,
        last_agent_message_at=None if from_customer else at,
    )
    arrival = Arrival(
        ticket=ticket, body=body, source=source or {}, given=given, tags=list(tag_names)
    )
    ticket_arriving.send(Ticket, arrival=arrival)
    ticket.priority_rank = PRIORITY_RANK[Priority(ticket.priority)]
    ticket.priority_reason = arrival.reasons.get("priority", "")[:200]
    if ticket.urgency_at is None:
        ticket.urgency_at = urgency_at(ticket.priority, None, at)
    tag_names = _clean_tags([*tag_names, *arrival.tags])
    _check_assignee(ticket, assignee)
    with deferred.atomic():  # no savepoint of its own in a batch of mail
        ticket.save()
        # What its sender chose, which the queue's rules leave as it is.
        _event(
            ticket,
            EventKind.CREATED,
            actor,
            new=Status.NEW,
            at=at,
            channel=channel,
            given=sorted(given),
            # Where it came from ({"mailbox": ...}), for rules run again later.
            source=dict(arrival.source),
        )
        for applied in arrival.applied:
            _event(ticket, EventKind.RULE_APPLIED, None, new=applied["rule"], at=at, **applied)
        for work in arrival.after_save:
            work(ticket)
        announce(ticket)
        message = _store_message(
            ticket,
            body=body,
            body_html=body_html,
            public=True,
            author_user=None if from_customer else actor,
            author_contact=requester if from_customer else None,
            channel=channel,
            external_id=external_id,
            at=at,
        )
        ticket.opening_message = message
        store_attachments(message, attachments)
        _event(ticket, EventKind.REPLY_ADDED, actor, message=message, at=at)
        search.index_new_ticket(ticket, body)
        if tag_names:
            _set_tags(ticket, tag_names, actor, at)
        if assignee is not None:
            ticket.assignee = assignee
            ticket.status = Status.OPEN
            ticket.save(update_fields=["assignee", "status"])
            _event(ticket, EventKind.ASSIGNED, actor, new=assignee.pk, at=at)
            _event(ticket, EventKind.STATUS_CHANGED, actor, old=Status.NEW, new=Status.OPEN, at=at)
            notify(
                "assigned",
                ticket.pk,
                user_id=assignee.pk,
                toast=_("%(reference)s assigned to you") % {"reference": ticket.reference},
            )
        if follow_up_of is not None:
            _event(follow_up_of, EventKind.FOLLOW_UP_CREATED, actor, new=ticket.pk, at=at)
        _changed(ticket, "created", actor, at, new=ticket.status)
    return ticket


def _changed(
    ticket: Ticket,
    change: str,
    actor: Any,
    at: datetime,
    *,
    old: Any = None,
    new: Any = None,
    message: Message | None = None,
) -> None:
    """Tell the apps built on tickets (the SLA clocks) of a change, in its transaction."""
    ticket_changed.send(
        Ticket, ticket=ticket, change=change, at=at, actor=actor, old=old, new=new, message=message
    )


def _store_message(
    ticket: Ticket,
    *,
    body: str,
    body_html: str,
    public: bool,
    author_user: Any,
    author_contact: Contact | None,
    channel: str,
    external_id: str,
    at: datetime,
) -> Message:
    html = sanitize_html(body_html) if body_html else text_to_html(body)
    message = Message.objects.create(
        ticket=ticket,
        kind=MessageKind.REPLY if public else MessageKind.NOTE,
        author_user=author_user,
        author_contact=author_contact,
        from_customer=author_contact is not None,
        channel=channel,
        body_text=body,
        body_html=html,
        external_id=external_id[:255],
        created_at=at,
    )
    if author_contact is not None:
        ticket.last_customer_message_at = at
    elif public:
        ticket.last_agent_message_at = at
    return message


def do_add_reply(
    ticket: Ticket,
    *,
    body: str,
    public: bool = True,
    author_user: Any = None,
    author_contact: Contact | None = None,
    channel: str | None = None,
    body_html: str = "",
    external_id: str = "",
    status: str | None = None,
    created_at: datetime | None = None,
    attachments: Sequence[UploadedFile] = (),
    locked: bool = False,
) -> Message:
    """Add a message. A customer's reply reopens a solved (or pending)
    conversation; a customer's reply to a closed one starts a follow-up, and
    its message is what this returns. An agent may set a status with the reply.
    `locked`: the caller read `ticket` with select_for_update in the current
    transaction, so it is current and is not read again."""
    if (author_user is None) == (author_contact is None):
        raise ValueError("A message has exactly one author: a user or a contact.")
    if not body.strip():
        raise ValidationError({"body": [_("The message is empty.")]})
    if author_contact is not None and not public:
        raise ValidationError({"public": [_("Customers cannot write internal notes.")]})
    check_sizes(attachments)
    at = created_at or timezone.now()
    channel = channel or ticket.channel
    if ticket.is_closed:
        if author_contact is None:
            raise _closed_conflict(ticket)
        follow_up = do_create_ticket(
            subject=ticket.subject,
            body=body,
            body_html=body_html,
            requester=author_contact,
            channel=channel,
            type=ticket.type,
            priority=ticket.priority,
            team=ticket.team,
            organization=ticket.organization,
            follow_up_of=ticket,
            external_id=external_id,
            created_at=at,
            attachments=attachments,
        )
        return follow_up.opening_message or follow_up.messages.get()
    with deferred.atomic():  # no savepoint of its own in a batch of mail
        if not locked:
            ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        message = _store_message(
            ticket,
            body=body,
            body_html=body_html,
            public=public,
            author_user=author_user,
            author_contact=author_contact,
            channel=channel,
            external_id=external_id,
            at=at,
        )
        store_attachments(message, attachments)
        search.index_message(ticket, body)
        changed = ["last_customer_message_at", "last_agent_message_at"]
        kind = EventKind.REPLY_ADDED if public else EventKind.NOTE_ADDED
        _event(ticket, kind, author_user, message=message, at=at)
        if author_contact is not None:
            if ticket.status in (Status.SOLVED, Status.PENDING):
                _set_status(ticket, Status.OPEN, None, at)
                changed.append("status")
            if ticket.assignee_id is not None:
                notify(
                    "customer_replied",
                    ticket.pk,
                    user_id=ticket.assignee_id,
                    message_id=message.pk,
                    toast=_("%(reference)s: the customer replied")
                    % {"reference": ticket.reference},
                )
        elif public:
            # The conversation's own channel (email) delivers the reply itself;
            # otherwise the customer gets a notification email.
            if not channels.deliver(message):
                notify("agent_replied", ticket.pk, message_id=message.pk)
            first = ticket.first_response_at is None and _counts_as_first_response(ticket, message)
            if first:
                ticket.first_response_at = at
                changed.append("first_response_at")
            if ticket.status == Status.NEW and status is None:
                _set_status(ticket, Status.OPEN, author_user, at)
                changed.append("status")
            # Before the status it sets: the reply is measured, then a solve
            # stops the clocks.
            _changed(ticket, "agent_replied", author_user, at, new=first, message=message)
        if status is not None and status != ticket.status and author_user is not None:
            _set_status(ticket, status, author_user, at)
            changed += ["status", "solved_at", "first_solved_at", "closed_at"]
        _touch(ticket, at, *dict.fromkeys(changed))
    return message


def do_add_system_note(ticket: Ticket, *, body: str, external_id: str = "") -> Message:
    """An internal note that carebase itself writes (a delivery failure, a
    channel's notice): no author, on the timeline, even on a closed ticket,
    since it records what happened rather than changing the conversation."""
    at = timezone.now()
    with transaction.atomic():
        message = _store_message(
            ticket,
            body=body,
            body_html="",
            public=False,
            author_user=None,
            author_contact=None,
            channel=ticket.channel,
            external_id=external_id,
            at=at,
        )
        search.index_message(ticket, body)
        _event(ticket, EventKind.NOTE_ADDED, None, message=message, at=at)
        announce(ticket)
    return message


def _counts_as_first_response(ticket: Ticket, message: Message) -> bool:
    """An agent's first public reply; when an agent opened the conversation,
    their opening message is not a response, so the clock stops at the next one."""
    if ticket.created_by_id is None:
        return True
    earlier_agent_replies = ticket.messages.filter(
        kind=MessageKind.REPLY, from_customer=False
    ).exclude(pk=message.pk)
    return earlier_agent_replies.count() >= 1


def _set_status(ticket: Ticket, status: str, actor: Any, at: datetime) -> None:
    """Change the status in memory and record it; the caller saves."""
    if status not in Status.values:
        raise ValidationError({"status": [_("“%(value)s” is not a status.") % {"value": status}]})
    if ticket.is_closed:
        raise _closed_conflict(ticket)
    if status == Status.NEW:
        raise ValidationError({"status": [_("A conversation cannot become new again.")]})
    if status == Status.CLOSED and ticket.status != Status.SOLVED:
        raise Conflict(
            _("Solve %(reference)s before closing it.") % {"reference": ticket.reference},
            field="status",
            ticket=ticket.pk,
        )
    old = ticket.status
    ticket.status = status
    if status == Status.SOLVED:
        ticket.solved_at = at
        ticket.first_solved_at = ticket.first_solved_at or at
    if status == Status.CLOSED:
        ticket.closed_at = at
    _park(ticket)
    _event(ticket, EventKind.STATUS_CHANGED, actor, old=old, new=status, at=at)
    _changed(ticket, "status", actor, at, old=old, new=status)


def arrival_of(ticket: Ticket) -> dict[str, Any]:
    """What do_create_ticket recorded of the conversation's arrival on its
    "created" event: {"channel", "given": the fields its sender chose,
    "source": where it came from ({"mailbox": ...})}; {} when none was."""
    data = ticket.events.filter(kind=EventKind.CREATED).values_list("data", flat=True).first()
    return data or {}


def _park(ticket: Ticket) -> None:
    """The urgency a new status gives with no SLA deadline: parked after the
    work that waits for us, or back among it. The SLA clocks, told of the
    change (ticket_changed), set it anew from a deadline still running."""
    ticket.urgency_at = urgency_at(ticket.priority, None, ticket.created_at, ticket.status)


def do_change_status(
    ticket: Ticket, status: str, *, actor: Any, at: datetime | None = None
) -> None:
    if status == ticket.status:
        return
    at = at or timezone.now()
    with transaction.atomic():
        _set_status(ticket, status, actor, at)
        _touch(ticket, at, "status", "solved_at", "first_solved_at", "closed_at")


def _guard_open(ticket: Ticket) -> None:
    if ticket.is_closed:
        raise _closed_conflict(ticket)


def do_assign(ticket: Ticket, assignee: Any, *, actor: Any, at: datetime | None = None) -> None:
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return
    _guard_open(ticket)
    _check_assignee(ticket, assignee)
    at = at or timezone.now()
    with transaction.atomic():
        old = ticket.assignee_id
        ticket.assignee = assignee
        fields = ["assignee"]
        _event(
            ticket, EventKind.ASSIGNED, actor, old=old, new=assignee.pk if assignee else "", at=at
        )
        if assignee is not None and ticket.status == Status.NEW:
            _set_status(ticket, Status.OPEN, actor, at)
            fields.append("status")
        _touch(ticket, at, *fields)
        if assignee is not None and (actor is None or assignee.pk != actor.pk):
            notify(
                "assigned",
                ticket.pk,
                user_id=assignee.pk,
                toast=_("%(reference)s assigned to you") % {"reference": ticket.reference},
            )


def _change_field(
    ticket: Ticket, field: str, value: str, kind: EventKind, actor: Any, **derived: Any
) -> None:
    """Set one plain field (and the fields derived from it), recording the change."""
    old = getattr(ticket, field)
    if value == old:
        return
    _guard_open(ticket)
    at = timezone.now()
    with transaction.atomic():
        _event(ticket, kind, actor, old=old, new=value, at=at)
        setattr(ticket, field, value)
        for name, derived_value in derived.items():
            setattr(ticket, name, derived_value)
        _touch(ticket, at, field, *derived)


def do_change_priority(ticket: Ticket, priority: str, *, actor: Any, reason: str = "") -> None:
    """`reason`: the rule's name when a rule, not a person, chose it."""
    if priority not in Priority.values:
        raise ValidationError(
            {"priority": [_("“%(value)s” is not a priority.") % {"value": priority}]}
        )
    old = ticket.priority
    if priority == old:
        return
    # The urgency moves by the priorities' difference in lead; the SLA
    # clocks, re-targeted by the change, set it anew from their deadlines.
    urgency = ticket.urgency_at + PRIORITY_LEAD[Priority(old)] - PRIORITY_LEAD[Priority(priority)]
    with transaction.atomic():
        _change_field(
            ticket,
            "priority",
            priority,
            EventKind.PRIORITY_CHANGED,
            actor,
            priority_rank=PRIORITY_RANK[Priority(priority)],
            priority_reason=reason[:200],
            urgency_at=urgency,
        )
        _changed(ticket, "priority", actor, timezone.now(), old=old, new=priority)


def do_change_type(ticket: Ticket, request_type: str, *, actor: Any) -> None:
    if request_type not in RequestType.values:
        raise ValidationError(
            {"type": [_("“%(value)s” is not a request type.") % {"value": request_type}]}
        )
    old = ticket.type
    if request_type == old:
        return
    with transaction.atomic():
        _change_field(ticket, "type", request_type, EventKind.TYPE_CHANGED, actor)
        _changed(ticket, "type", actor, timezone.now(), old=old, new=request_type)


def do_change_subject(ticket: Ticket, subject: str, *, actor: Any) -> None:
    subject = " ".join(subject.split())[:250]
    if not subject:
        raise ValidationError({"subject": [_("A subject is required.")]})
    with transaction.atomic():
        _change_field(ticket, "subject", subject, EventKind.SUBJECT_CHANGED, actor)
        search.reindex_ticket(ticket)


def do_set_team(ticket: Ticket, team: Team | None, *, actor: Any) -> None:
    """Move the conversation to a team; an assignee outside it is unassigned."""
    if ticket.team_id == (team.pk if team else None):
        return
    _guard_open(ticket)
    at = timezone.now()
    with transaction.atomic():
        _event(
            ticket,
            EventKind.TEAM_CHANGED,
            actor,
            old=ticket.team_id,
            new=team.pk if team else "",
            at=at,
        )
        ticket.team = team
        fields = ["team"]
        assignee = ticket.assignee
        if (
            team is not None
            and assignee is not None
            and not has_perm(assignee, Perm.ALL_TEAMS_TICKETS)
            and not assignee.teams.filter(pk=team.pk).exists()
        ):
            _event(ticket, EventKind.ASSIGNED, actor, old=assignee.pk, new="", at=at)
            ticket.assignee = None
            fields.append("assignee")
        _touch(ticket, at, *fields)


def _set_tags(ticket: Ticket, names: list[str], actor: Any, at: datetime) -> bool:
    old = sorted(ticket.tags.values_list("name", flat=True))
    if old == sorted(names):
        return False
    tags = [Tag.objects.get_or_create(name=name)[0] for name in names]
    ticket.tags.set(tags)
    _event(
        ticket,
        EventKind.TAGS_CHANGED,
        actor,
        old=",".join(old),
        new=",".join(sorted(names)),
        at=at,
        added=sorted(set(names) - set(old)),
        removed=sorted(set(old) - set(names)),
    )
    return True


def do_set_tags(ticket: Ticket, names: Iterable[str], *, actor: Any) -> None:
    clean = _clean_tags(names)
    _guard_open(ticket)
    at = timezone.now()
    with transaction.atomic():
        if _set_tags(ticket, clean, actor, at):
            _touch(ticket, at)


UPDATABLE = ("subject", "status", "priority", "type", "team", "assignee", "tags")


def do_update_ticket(ticket: Ticket, *, actor: Any, **values: Any) -> None:
    """Apply several changes at once (the API's PATCH, bulk edits): all or none."""
    unknown = set(values) - set(UPDATABLE)
    if unknown:
        raise TypeError(f"Not ticket fields: {', '.join(sorted(unknown))}")
    if ticket.is_closed and values:
        raise _closed_conflict(ticket)
    with transaction.atomic():
        if "subject" in values:
            do_change_subject(ticket, values["subject"], actor=actor)
        if "type" in values:
            do_change_type(ticket, values["type"], actor=actor)
        if "priority" in values:
            do_change_priority(ticket, values["priority"], actor=actor)
        if "team" in values:
            do_set_team(ticket, values["team"], actor=actor)
        if "assignee" in values:
            do_assign(ticket, values["assignee"], actor=actor)
        if "tags" in values:
            do_set_tags(ticket, values["tags"], actor=actor)
        if "status" in values:
            do_change_status(ticket, values["status"], actor=actor)


def do_merge_tickets(source: Ticket, target: Ticket, *, actor: Any) -> None:
    """Move the source's messages into the target; the source closes with a
    pointer to where the conversation went on."""
    if source.pk == target.pk:
        raise ValidationError({"into": [_("A conversation cannot be merged into itself.")]})
    for ticket in (source, target):
        if ticket.is_closed:
            raise _closed_conflict(ticket)
    at = timezone.now()
    with transaction.atomic():
        moved = source.messages.update(ticket=target)
        if source.last_customer_message_at and (
            target.last_customer_message_at is None
            or source.last_customer_message_at > target.last_customer_message_at
        ):
            target.last_customer_message_at = source.last_customer_message_at
        _event(source, EventKind.MERGED_INTO, actor, new=target.pk, at=at, messages=moved)
        _event(target, EventKind.MERGED_FROM, actor, new=source.pk, at=at, messages=moved)
        old_status = source.status
        source.merged_into = target
        source.status = Status.CLOSED
        source.closed_at = at
        _park(source)
        _event(source, EventKind.STATUS_CHANGED, actor, old=old_status, new=Status.CLOSED, at=at)
        _changed(source, "status", actor, at, old=old_status, new=Status.CLOSED)
        _touch(source, at, "merged_into", "status", "closed_at")
        _touch(target, at, "last_customer_message_at")
        search.reindex_ticket(source)
        search.reindex_ticket(target)


def do_bulk_update(
    tickets: Iterable[Ticket],
    *,
    actor: Any,
    status: str | None = None,
    assignee: Any = None,
    add_tags: Iterable[str] = (),
) -> tuple[int, list[tuple[Ticket, str]]]:
    """Apply the same change to many conversations, each in its own transaction
    so that one that cannot change (closed, an assignee outside its team) does
    not stop the others. Returns how many changed and which were skipped, why."""
    extra_tags = _clean_tags(add_tags)
    updated = 0
    skipped: list[tuple[Ticket, str]] = []
    for ticket in tickets:
        values: dict[str, Any] = {}
        if assignee is not None:
            values["assignee"] = assignee
        if extra_tags:
            current = list(ticket.tags.values_list("name", flat=True))
            values["tags"] = current + [tag for tag in extra_tags if tag not in current]
        if status:
            values["status"] = status
        try:
            with transaction.atomic():
                do_update_ticket(ticket, actor=actor, **values)
        except (ValidationError, Conflict) as error:
            reason = error.message if isinstance(error, Conflict) else " ".join(error.messages)
            skipped.append((ticket, reason))
            ticket.refresh_from_db()
        else:
            updated += 1
    return updated, skipped
