"""The feature requests board: conversations that ask for the same thing are
grouped into one feature, which the head of the department decides on; when
it is done, the customers who asked are told, once.

- Who: those who work conversations (Perm.WORK_TICKETS) see the board,
  create features and link or unlink the conversations they may see; those
  who set the queue's rules (Perm.CONFIGURE_WORKFLOW) decide a feature's
  status, write the decision and notify the requesters. Nobody else sees it.
- Counting: the requesting organization is the conversation's. The number
  of organizations and their MRR are computed by the database for a whole
  list at once, each organization counted once however many of its
  conversations ask (`with_counts`). MRR is summed per currency: the desk
  keeps no exchange rates, so PLN and EUR are never added together.
- Linking a conversation of another type (a "problem" that is really a
  wish) makes it a feature request through tickets' own do_change_type, so
  its timeline says so; a closed conversation cannot change and keeps its
  type, but may still be linked, since old requests count too.
- Every change is a typed audit event (core.events, as for the business
  calendars): a feature's own changes are its history; a link or unlink is
  recorded on the conversation, whose timeline shows it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from carebase.core import search
from carebase.core.access import Perm, has_perm
from carebase.core.emails import send_templated
from carebase.core.errors import Conflict
from carebase.core.events import event_kinds, record_event
from carebase.crm.models import Contact, ContactIdentity, Currency, IdentityKind, Organization
from carebase.tickets.actions import do_change_type
from carebase.tickets.models import RequestType, Ticket
from carebase.workflow.models import Feature, FeatureRequest, FeatureStatus

SEARCH_KIND = "workflow.feature"
MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_DECISION = 4000
# The currency a board sorted "by MRR" orders by first (the organizations'
# default); the others break ties. There is no exchange rate to add them.
MAIN_CURRENCY = Currency.PLN


@event_kinds
class FeatureEvent(models.TextChoices):
    CREATED = "workflow.feature_created", gettext_lazy("Feature created")
    EDITED = "workflow.feature_edited", gettext_lazy("Feature edited")
    STATUS_CHANGED = "workflow.feature_status_changed", gettext_lazy("Feature status changed")
    DECIDED = "workflow.feature_decided", gettext_lazy("Decision on a feature written")
    NOTIFIED = "workflow.feature_notified", gettext_lazy("Feature requesters notified")
    # Recorded on the conversation (its timeline), naming the feature.
    LINKED = "workflow.feature_linked", gettext_lazy("Linked to a feature request")
    UNLINKED = "workflow.feature_unlinked", gettext_lazy("Unlinked from a feature request")


# --- Who may do what ----------------------------------------------------------


def can_use_board(user: Any) -> bool:
    return has_perm(user, Perm.WORK_TICKETS)


def can_decide(user: Any) -> bool:
    return has_perm(user, Perm.CONFIGURE_WORKFLOW)


def features_for(user: Any) -> QuerySet[Feature]:
    """The features the caller sees: all of them when they work conversations."""
    if not can_use_board(user):
        return Feature.objects.none()
    return Feature.objects.all()


def access_feature(user: Any, pk: int, *, decide: bool = False) -> Feature:
    """A feature the caller may see (else PermissionDenied, or 404 when there
    is none); with decide=True, one they may decide on."""
    if not can_use_board(user):
        raise PermissionDenied
    feature = Feature.objects.select_related("decided_by", "created_by").filter(pk=pk).first()
    if feature is None:
        raise Http404
    if decide and not can_decide(user):
        raise PermissionDenied
    return feature


# --- Counting, in SQL -----------------------------------------------------------


def _count(requests: QuerySet[FeatureRequest], expression: Any) -> Coalesce:
    rows = requests.order_by().values("feature").annotate(n=expression).values("n")
    return Coalesce(Subquery(rows[:1], output_field=models.IntegerField()), 0)


def _mrr(currency: str) -> Coalesce:
    """The MRR of the distinct requesting organizations paying in `currency`:
    an organization is in the set once however many conversations it has."""
    requesters = FeatureRequest.objects.filter(feature=OuterRef(OuterRef("pk"))).values(
        "ticket__organization"
    )
    totals = (
        Organization.objects.filter(currency=currency, pk__in=requesters)
        .order_by()
        .values("currency")
        .annotate(total=Sum("mrr"))
        .values("total")
    )
    money = models.DecimalField(max_digits=16, decimal_places=2)
    return Coalesce(Subquery(totals[:1], output_field=money), Decimal("0"), output_field=money)


def mrr_field(currency: str) -> str:
    return f"mrr_{currency.lower()}"


def with_counts(queryset: QuerySet[Feature]) -> QuerySet[Feature]:
    """Each feature with `conversation_count`, `organization_count` and one
    `mrr_<currency>` per currency: subqueries of the same statement, so a
    list costs one query however long it is."""
    requests = FeatureRequest.objects.filter(feature=OuterRef("pk"))
    return queryset.annotate(
        conversation_count=_count(requests, Count("pk")),
        organization_count=_count(
            requests.filter(ticket__organization__isnull=False),
            Count("ticket__organization", distinct=True),
        ),
        **{mrr_field(currency): _mrr(currency) for currency in Currency.values},
    )


def mrr_totals(feature: Feature) -> list[tuple[Decimal, str]]:
    """(amount, currency) of a feature read through with_counts, those above zero."""
    found = [(getattr(feature, mrr_field(currency), None), currency) for currency in Currency]
    # SQLite's SUM forgets the column's scale: 1200.00 comes back as 1200.
    cent = Decimal("0.01")
    return [(Decimal(amount).quantize(cent), str(currency)) for amount, currency in found if amount]


class Order(models.TextChoices):
    MRR = "mrr", gettext_lazy("MRR")
    ORGANIZATIONS = "organizations", gettext_lazy("Organizations")
    NEWEST = "newest", gettext_lazy("Newest")


def ordered(queryset: QuerySet[Feature], order: str) -> QuerySet[Feature]:
    """A with_counts list in the board's order (by MRR unless told otherwise)."""
    newest = (F("created_at").desc(), F("id").desc())
    organizations = F("organization_count").desc()
    if order == Order.NEWEST:
        return queryset.order_by(*newest)
    if order == Order.ORGANIZATIONS:
        return queryset.order_by(organizations, F("conversation_count").desc(), *newest)
    currencies = [MAIN_CURRENCY, *(c for c in Currency.values if c != MAIN_CURRENCY)]
    by_money = [F(mrr_field(currency)).desc() for currency in currencies]
    return queryset.order_by(*by_money, organizations, *newest)


def status_counts() -> dict[str, int]:
    """How many features are in each status (one aggregate)."""
    rows = Feature.objects.order_by().values("status").annotate(n=Count("pk"))
    counts = {status: 0 for status in FeatureStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def search_condition(text: str) -> Q | None:
    """Features whose title or description match (Polish inflection included)."""
    return search.matching(SEARCH_KIND, text)


def _index(feature: Feature) -> None:
    search.set_document(SEARCH_KIND, feature.pk, search.terms(feature.title, feature.description))


def reindex_features() -> int:
    """Every feature's search document again (manage.py search_reindex calls
    each app's search.reindex_all; workflow's should call this)."""
    count = 0
    for feature in Feature.objects.only("pk", "title", "description").iterator():
        _index(feature)
        count += 1
    return count


# --- Writing features ---------------------------------------------------------


def _clean_text(
    errors: dict[str, list[str]], field: str, value: str, limit: int, *, one_line: bool = False
) -> str:
    cleaned = " ".join(value.split()) if one_line else value.strip()
    if len(cleaned) > limit:
        errors[field] = [_("At most %(count)s characters.") % {"count": limit}]
    return cleaned


def _clean_feature(title: str, description: str) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    title = _clean_text(errors, "title", title, MAX_TITLE, one_line=True)
    if not title:
        errors["title"] = [_("A feature needs a title.")]
    description = _clean_text(errors, "description", description, MAX_DESCRIPTION)
    if errors:
        raise ValidationError(errors)
    return title, description


def do_create_feature(
    *,
    title: str,
    description: str = "",
    actor: Any,
    ticket: Ticket | None = None,
    created_at: datetime | None = None,
) -> Feature:
    """A new feature, with the conversation it was made from linked to it."""
    title, description = _clean_feature(title, description)
    at = created_at or timezone.now()
    with transaction.atomic():
        feature = Feature.objects.create(
            title=title,
            description=description,
            created_by=actor if actor is not None and actor.is_authenticated else None,
            created_at=at,
            updated_at=at,
        )
        record_event(FeatureEvent.CREATED, feature, actor, title=title)
        _index(feature)
        if ticket is not None:
            do_link_ticket(feature, ticket, actor=actor)
    return feature


def do_update_feature(
    feature: Feature, *, actor: Any, title: str | None = None, description: str | None = None
) -> None:
    """Rename a feature or rewrite its description (what is asked for)."""
    new_title, new_description = _clean_feature(
        feature.title if title is None else title,
        feature.description if description is None else description,
    )
    changed = {}
    if new_title != feature.title:
        changed["title"] = [feature.title, new_title]
    if new_description != feature.description:
        changed["description"] = [feature.description[:200], new_description[:200]]
    if not changed:
        return
    with transaction.atomic():
        feature.title, feature.description = new_title, new_description
        feature.updated_at = timezone.now()
        feature.save(update_fields=["title", "description", "updated_at"])
        record_event(FeatureEvent.EDITED, feature, actor, **changed)
        _index(feature)


def do_decide_feature(
    feature: Feature, *, actor: Any, status: str | None = None, decision: str | None = None
) -> None:
    """The head's call: the feature's status and the decision customers will
    read. A feature is declined only with the reason written down."""
    errors: dict[str, list[str]] = {}
    new_status = feature.status if status is None else status
    if new_status not in FeatureStatus.values:
        errors["status"] = [_("“%(value)s” is not a feature status.") % {"value": new_status}]
    new_decision = _clean_text(
        errors, "decision", feature.decision if decision is None else decision, MAX_DECISION
    )
    if new_status == FeatureStatus.DECLINED and not new_decision and "status" not in errors:
        errors["decision"] = [_("Say why the feature is declined.")]
    if errors:
        raise ValidationError(errors)
    if new_status == feature.status and new_decision == feature.decision:
        return
    with transaction.atomic():
        if new_status != feature.status:
            record_event(
                FeatureEvent.STATUS_CHANGED, feature, actor, status=[feature.status, new_status]
            )
        if new_decision != feature.decision:
            record_event(FeatureEvent.DECIDED, feature, actor, decision=new_decision)
        now = timezone.now()
        feature.status, feature.decision = new_status, new_decision
        feature.decided_by = actor if actor is not None and actor.is_authenticated else None
        feature.decided_at = feature.updated_at = now
        feature.save(update_fields=["status", "decision", "decided_by", "decided_at", "updated_at"])


# --- Linking conversations ----------------------------------------------------------


def _already_linked(ticket: Ticket, feature: Feature) -> Conflict:
    return Conflict(
        _("%(reference)s already asks for “%(title)s”; unlink it there first.")
        % {"reference": ticket.reference, "title": feature.title},
        field="ticket",
        feature=feature.pk,
    )


def do_link_ticket(feature: Feature, ticket: Ticket, *, actor: Any) -> FeatureRequest:
    """Count this conversation as asking for the feature. A conversation asks
    for one feature at most (Conflict if it is linked already). An open
    conversation of another type becomes a feature request."""
    existing = FeatureRequest.objects.select_related("feature").filter(ticket=ticket).first()
    if existing is not None:
        raise _already_linked(ticket, existing.feature)
    try:
        with transaction.atomic():
            request = FeatureRequest.objects.create(
                feature=feature,
                ticket=ticket,
                linked_by=actor if actor is not None and actor.is_authenticated else None,
            )
            if ticket.type != RequestType.FEATURE_REQUEST and not ticket.is_closed:
                do_change_type(ticket, RequestType.FEATURE_REQUEST, actor=actor)
            record_event(
                FeatureEvent.LINKED, ticket, actor, feature=feature.pk, title=feature.title
            )
            Feature.objects.filter(pk=feature.pk).update(updated_at=timezone.now())
    except IntegrityError:  # a colleague linked it a moment ago
        other = FeatureRequest.objects.select_related("feature").get(ticket=ticket)
        raise _already_linked(ticket, other.feature) from None
    return request


def do_unlink_ticket(feature: Feature, ticket: Ticket, *, actor: Any) -> None:
    """The conversation no longer counts for the feature (its type stays)."""
    with transaction.atomic():
        deleted, _rows = FeatureRequest.objects.filter(feature=feature, ticket=ticket).delete()
        if not deleted:
            raise Http404
        record_event(FeatureEvent.UNLINKED, ticket, actor, feature=feature.pk, title=feature.title)
        Feature.objects.filter(pk=feature.pk).update(updated_at=timezone.now())


# --- Telling the requesters ------------------------------------------------------------


@dataclass(frozen=True)
class Audience:
    """Who a notification would reach now: requesters not told before."""

    contacts: list[int]  # to email, one each
    without_email: int  # requesters waiting who have no address
    notified: int  # requesters told before


def _audience(feature: Feature) -> Audience:
    requests = FeatureRequest.objects.filter(feature=feature).order_by()
    told = set(
        requests.filter(notified_at__isnull=False).values_list("ticket__requester_id", flat=True)
    )
    has_email = ContactIdentity.objects.filter(
        contact=OuterRef("ticket__requester"), kind=IdentityKind.EMAIL
    )
    waiting = (
        requests.filter(notified_at__isnull=True)
        .annotate(has_email=Exists(has_email))
        .values_list("ticket__requester_id", "has_email")
        .distinct()
    )
    reachable: set[int] = set()
    unreachable: set[int] = set()
    for contact_id, has_address in waiting:
        if contact_id not in told:
            (reachable if has_address else unreachable).add(contact_id)
    return Audience(sorted(reachable), len(unreachable), len(told))


def audience(feature: Feature) -> Audience:
    return _audience(feature)


def do_notify_requesters(feature: Feature, *, actor: Any) -> int:
    """Email each requester who was not told yet that the feature is done,
    with the head's decision, in their language: one email per contact
    however many of their conversations asked. Marks their requests, so a
    second call (a double click, a later link) never emails them again.
    Answers how many emails were queued."""
    with transaction.atomic():
        # One notifier at a time per feature: the second waits and finds nobody left.
        locked = Feature.objects.select_for_update().get(pk=feature.pk)
        if locked.status != FeatureStatus.DONE:
            raise Conflict(
                _("Only a feature that is done can be announced to its requesters."),
                field="status",
            )
        found = _audience(locked)
        if not found.contacts:
            return 0
        now = timezone.now()
        claimed = FeatureRequest.objects.filter(
            feature=locked, notified_at__isnull=True, ticket__requester_id__in=found.contacts
        )
        # The newest conversation of each contact is the one their email points to.
        latest: dict[int, int] = dict(
            claimed.order_by("ticket__requester_id", "ticket_id").values_list(
                "ticket__requester_id", "ticket_id"
            )
        )
        claimed.update(notified_at=now)
        record_event(FeatureEvent.NOTIFIED, locked, actor, contacts=len(found.contacts))
        for contact_id in found.contacts:
            _email_after_commit(locked.pk, contact_id, latest[contact_id])
    return len(found.contacts)


def _email_after_commit(feature_id: int, contact_id: int, ticket_id: int) -> None:
    transaction.on_commit(
        lambda: send_feature_done_email.enqueue(feature_id, contact_id, ticket_id)
    )


@task()
def send_feature_done_email(feature_id: int, contact_id: int, ticket_id: int) -> None:
    """The requester's email: the feature they asked for is done, and what
    the head wrote about it, in the contact's language."""
    feature = Feature.objects.filter(pk=feature_id).first()
    contact = Contact.objects.filter(pk=contact_id).prefetch_related("identities").first()
    if feature is None or contact is None or not contact.emails:
        return
    ticket = Ticket.objects.filter(pk=ticket_id).first()
    # The portal link only helps someone who can sign in.
    link = reverse("portal:ticket", args=[ticket_id]) if ticket and contact.user_id else ""
    context = {"feature": feature, "contact": contact, "ticket": ticket, "link": link}
    send_templated(
        [contact.emails[0]], "workflow/features/email/done", context, language=contact.language
    )
