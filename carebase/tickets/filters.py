"""The inbox's filters: one form reads them from a query string (the inbox, a
saved view, the API), one function turns them into a condition."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import BigIntegerField, F, Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from carebase.accounts.models import Team
from carebase.core.search import Match
from carebase.crm.forms import organization_typed
from carebase.crm.models import Organization
from carebase.tickets.models import (
    PRIORITY_RANK,
    Channel,
    Priority,
    RequestType,
    Status,
    Ticket,
)
from carebase.tickets.queues import DEFAULT_QUEUE, QUEUES, queue_condition
from carebase.tickets.search import search_match


class InstantKey(Func):
    """A datetime column as a value that sorts as it does and loads fast: each
    datetime that Django loads from PostgreSQL costs about ten microseconds,
    which is most of the time of fetching a thousand sort keys. PostgreSQL
    gives microseconds since the epoch; SQLite its stored UTC text
    ("2026-12-01 07:13:00.250000", the fraction left out when zero), which
    sorts chronologically as it is. Either comes back unconverted."""

    output_field = BigIntegerField()
    template = "CAST(%(expressions)s AS TEXT)"

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = "(EXTRACT(EPOCH FROM %(expressions)s) * 1000000)::bigint"
        return self.as_sql(compiler, connection, template=template, **extra)

    def get_db_converters(self, connection: Any) -> list[Any]:
        return []


def sort_key(field: str) -> F | InstantKey:
    """What to fetch of a sort field to sort rows in Python as the database would."""
    if Ticket._meta.get_field(field).get_internal_type() == "DateTimeField":
        return InstantKey(F(field))
    return F(field)


SORTS = {
    # The urgency score: priority and the nearest SLA deadline (models.urgency_at).
    "priority": ("urgency_at", "id"),
    "newest": ("-created_at", "-id"),
    "updated": ("-updated_at", "-id"),
}
# The query-string keys a saved view keeps.
KEYS = (
    "queue",
    "q",
    "status",
    "priority",
    "type",
    "channel",
    "team",
    "assignee",
    "tag",
    "organization",
    "created_from",
    "created_to",
    "updated_from",
    "updated_to",
    "sort",
)
ASSIGNEE = r"^(me|none|\d{1,18})$"


def _blank(label: Any, choices: Any) -> list[tuple[str, Any]]:
    return [("", label), *choices]


class TicketFilterForm(forms.Form):
    queue = forms.ChoiceField(
        label=_("Queue"), required=False, choices=[(q.slug, q.label) for q in QUEUES]
    )
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.MultipleChoiceField(label=_("Status"), required=False, choices=Status.choices)
    priority = forms.ChoiceField(
        label=_("Priority"),
        required=False,
        choices=_blank(_("Every priority"), Priority.choices),
    )
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=_blank(_("Every type"), RequestType.choices),
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        required=False,
        choices=_blank(_("Every channel"), Channel.choices),
    )
    team = forms.ModelChoiceField(
        label=_("Team"),
        required=False,
        queryset=Team.objects.all(),
        empty_label=_("Every team"),
    )
    assignee = forms.RegexField(
        label=_("Assignee"),
        required=False,
        regex=ASSIGNEE,
        error_messages={"invalid": _("Choose a person, “me” or “none”.")},
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    organization = forms.CharField(label=_("Organization"), required=False, max_length=200)
    created_from = forms.DateField(label=_("Created from"), required=False)
    created_to = forms.DateField(label=_("Created to"), required=False)
    updated_from = forms.DateField(label=_("Updated from"), required=False)
    updated_to = forms.DateField(label=_("Updated to"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("priority", _("Most urgent first")),
            ("newest", _("Newest first")),
            ("updated", _("Recently updated")),
        ],
    )

    def clean_organization(self) -> Organization | None:
        return organization_typed(self.cleaned_data["organization"])

    def clean_tag(self) -> str:
        return self.cleaned_data["tag"].strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for start, end in (("created_from", "created_to"), ("updated_from", "updated_to")):
            if cleaned.get(start) and cleaned.get(end) and cleaned[start] > cleaned[end]:
                self.add_error(end, _("The end of the range is before its start."))
        return cleaned


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def filter_condition(cleaned: dict[str, Any], user: Any) -> Q:
    """The conditions of a cleaned `TicketFilterForm`, in the caller's time zone
    (the dates are days on the caller's calendar)."""
    condition, found = filter_parts(cleaned, user)
    return condition if found is None else condition & found.condition


def filter_parts(cleaned: dict[str, Any], user: Any) -> tuple[Q, Match | None]:
    """filter_condition in two: the conditions but the search, and what the
    search matches (with, for common words, a sample of its matches: see
    core.search.Match)."""
    condition = queue_condition(cleaned.get("queue") or "", user)
    if cleaned.get("status"):
        condition &= Q(status__in=cleaned["status"])
    if cleaned.get("priority"):
        # By rank: the column the inbox's order indexes lead with.
        condition &= Q(priority_rank=PRIORITY_RANK[Priority(cleaned["priority"])])
    for field in ("type", "channel"):
        if cleaned.get(field):
            condition &= Q(**{field: cleaned[field]})
    # By id: a model instance inside an aggregate's FILTER is not resolved.
    for field in ("team", "organization"):
        if cleaned.get(field):
            condition &= Q(**{f"{field}_id": cleaned[field].pk})
    assignee = cleaned.get("assignee")
    if assignee == "me":
        condition &= Q(assignee=user)
    elif assignee == "none":
        condition &= Q(assignee__isnull=True)
    elif assignee:
        condition &= Q(assignee_id=int(assignee))
    if cleaned.get("tag"):
        # A subquery, not a join: a join would repeat a ticket per tag in counts.
        tagged = Ticket.tags.through.objects.filter(tag__name=cleaned["tag"])
        condition &= Q(pk__in=tagged.values("ticket_id"))
    for field in ("created", "updated"):
        if cleaned.get(f"{field}_from"):
            condition &= Q(**{f"{field}_at__gte": _day_start(cleaned[f"{field}_from"])})
        if cleaned.get(f"{field}_to"):
            end = _day_start(cleaned[f"{field}_to"] + timedelta(days=1))
            condition &= Q(**{f"{field}_at__lt": end})
    return condition, search_match(cleaned["q"], user) if cleaned.get("q") else None


def read_filters(data: Any, *, default_queue: str = DEFAULT_QUEUE) -> TicketFilterForm:
    """A bound form over the inbox's query string, with the default queue."""
    values = data.copy()
    for key in KEYS:
        # An empty select or box sends "": it means no filter.
        values.setlist(key, [value for value in values.getlist(key) if value.strip()])
    if not values.get("queue"):
        values["queue"] = default_queue
    return TicketFilterForm(values)
