"""The conditions of queue rules and SLA policies: what a conversation must be
for them to apply. Stored as JSON ({"channel": ["phone", "chat"], "tier":
["strategic"], "keywords": ["nie działa"]}); every key given must hold (and),
any of a key's values will do (or). No key at all: every conversation.

One reader (`read_conditions`) checks them on save, with messages that say
what is wrong; one matcher (`Conditions.matches`) applies them to `Facts`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carebase.core.hours import conversation_schedule
from carebase.core.search import terms, words
from carebase.crm.models import Plan, Tier
from carebase.tickets.models import Channel, Priority, RequestType, Ticket

MAX_VALUES = 50
MAX_KEYWORD = 100
# Long mail is matched on its start: a keyword deep in a quoted thread is noise.
KEYWORD_TEXT_CHARS = 20_000

CHOICES: dict[str, Any] = {
    "channel": Channel,
    "type": RequestType,
    "priority": Priority,
    "tier": Tier,
    "plan": Plan,
}
LIST_KEYS = ("channel", "type", "priority", "tier", "plan", "tags", "keywords", "mailbox")
KEYS = (*LIST_KEYS, "form", "business_hours")

# The ticket field each condition reads (for the loop check).
READS = {
    "channel": "channel",
    "type": "type",
    "priority": "priority",
    "tier": "organization",
    "plan": "organization",
    "tags": "tags",
    "keywords": "text",
    "mailbox": "source",
    "form": "source",
    "business_hours": "time",
}

LABELS = {
    "channel": gettext_lazy("Channel"),
    "type": gettext_lazy("Type"),
    "priority": gettext_lazy("Priority"),
    "tier": gettext_lazy("Organization tier"),
    "plan": gettext_lazy("Plan"),
    "tags": gettext_lazy("Tags"),
    "keywords": gettext_lazy("Keywords in the subject or text"),
    "mailbox": gettext_lazy("Mailbox"),
    "form": gettext_lazy("Form fields"),
    "business_hours": gettext_lazy("Business hours"),
}


@dataclass
class Facts:
    """What conditions look at, of one conversation at one moment."""

    channel: str
    type: str
    priority: str
    tier: str | None  # None: no organization
    plan: str | None
    tags: set[str]
    subject: str
    body: str
    source: Mapping[str, str]
    at: datetime
    # Whether `at` is in the business hours of the conversation's team.
    in_business_hours: Callable[[], bool]
    _terms: set[str] | None = field(default=None, repr=False)

    def text_terms(self) -> set[str]:
        if self._terms is None:
            self._terms = terms(self.subject, self.body[:KEYWORD_TEXT_CHARS])
        return self._terms


@dataclass(frozen=True)
class Conditions:
    values: dict[str, Any]

    @property
    def reads(self) -> set[str]:
        return {READS[key] for key in self.values}

    def matches(self, facts: Facts) -> bool:
        return all(_holds(key, wanted, facts) for key, wanted in self.values.items())

    def describe(self) -> list[tuple[str, str]]:
        """(label, values) pairs for a page."""
        described = []
        for key, wanted in self.values.items():
            if key == "business_hours":
                text = _("in business hours") if wanted else _("outside business hours")
            elif key == "form":
                text = ", ".join(f"{name} = {value}" for name, value in wanted.items())
            elif key in CHOICES:
                labels = dict(CHOICES[key].choices)
                text = ", ".join(str(labels.get(value, value)) for value in wanted)
            else:
                text = ", ".join(wanted)
            described.append((str(LABELS[key]), text))
        return described


def _holds(key: str, wanted: Any, facts: Facts) -> bool:
    if key in ("channel", "type", "priority", "tier", "plan"):
        return getattr(facts, key) in wanted
    if key == "tags":
        return bool(facts.tags & set(wanted))
    if key == "mailbox":
        return facts.source.get("mailbox", "").lower() in wanted
    if key == "form":
        return all(
            facts.source.get(f"form.{name}", "").strip().lower() == value
            for name, value in wanted.items()
        )
    if key == "business_hours":
        return bool(facts.in_business_hours()) == wanted
    if key == "keywords":
        found = facts.text_terms()
        # A keyword of several words matches when each of its words is there,
        # in any of its forms ("nie działa" matches "przestało działać").
        return any(all(word in found for word in _keyword(keyword).split()) for keyword in wanted)
    raise KeyError(key)


@lru_cache(maxsize=10_000)
def _keyword(text: str) -> str:
    """The keyword as the matcher compares it: each word in its folded lemma."""
    from carebase.core.search import word_forms

    return " ".join(word_forms(word)[-1] for word in words(text))


def read_conditions(raw: Any, *, allow: tuple[str, ...] = KEYS) -> Conditions:
    """Checked and tidied conditions, or ValidationError({"conditions": [...]})."""
    if raw is None:
        raw = {}
    if not isinstance(raw, Mapping):
        raise ValidationError({"conditions": [_("Conditions are an object of lists.")]})
    problems: list[str] = []
    clean: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in allow:
            problems.append(
                _("“%(key)s” is not a condition; use: %(keys)s.")
                % {"key": key, "keys": ", ".join(allow)}
            )
            continue
        label = str(LABELS[key])
        if key == "business_hours":
            if value is None:
                continue
            if not isinstance(value, bool):
                problems.append(_("%(label)s: true or false.") % {"label": label})
                continue
            clean[key] = value
            continue
        if key == "form":
            if not isinstance(value, Mapping) or not all(
                isinstance(name, str) and isinstance(text, str) for name, text in value.items()
            ):
                problems.append(
                    _("%(label)s: an object of field names and values.") % {"label": label}
                )
                continue
            form = {
                name.strip(): text.strip().lower() for name, text in value.items() if name.strip()
            }
            if form:
                clean[key] = form
            continue
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            problems.append(_("%(label)s: a list of values.") % {"label": label})
            continue
        items = list(dict.fromkeys(item.strip() for item in value if item.strip()))
        if len(items) > MAX_VALUES:
            problems.append(
                _("%(label)s: at most %(count)s values.") % {"label": label, "count": MAX_VALUES}
            )
            continue
        if key in CHOICES:
            unknown = [item for item in items if item not in CHOICES[key].values]
            if unknown:
                problems.append(
                    _("%(label)s: “%(value)s” is not one of %(choices)s.")
                    % {
                        "label": label,
                        "value": unknown[0],
                        "choices": ", ".join(CHOICES[key].values),
                    }
                )
                continue
        elif key == "keywords":
            too_long = [item for item in items if len(item) > MAX_KEYWORD]
            if too_long:
                problems.append(
                    _("%(label)s: a keyword is at most %(count)s characters.")
                    % {"label": label, "count": MAX_KEYWORD}
                )
                continue
            matched = [_keyword(item) for item in items]
            if not all(matched):
                problems.append(
                    _("%(label)s: “%(value)s” has no word to look for.")
                    % {"label": label, "value": items[matched.index("")]}
                )
                continue
            items = list(dict.fromkeys(" ".join(item.lower().split()) for item in items))
        else:  # tags, mailbox: compared lower-case
            items = list(dict.fromkeys(item.lower() for item in items))
        if items:
            clean[key] = items
    if problems:
        raise ValidationError({"conditions": problems})
    return Conditions({key: clean[key] for key in KEYS if key in clean})


def facts_of(ticket: Ticket, body: str, source: Any, tags: Iterable[str], at: Any) -> Facts:
    """What the conditions look at, of a conversation (saved or arriving)."""
    organization = ticket.organization

    def in_business_hours() -> bool:
        # The conversation's hours as its clocks count them, less the SLA
        # policy's own calendar: a rule runs before any policy is chosen.
        schedule = conversation_schedule(
            team=ticket.team if ticket.team_id else None,
            tier=organization.tier if organization is not None else None,
        )
        return schedule.is_open(at)

    return Facts(
        channel=ticket.channel,
        type=ticket.type,
        priority=ticket.priority,
        tier=organization.tier if organization is not None else None,
        plan=organization.plan if organization is not None else None,
        tags=set(tags),
        subject=ticket.subject,
        body=body,
        source=source,
        at=at,
        in_business_hours=in_business_hours,
    )
