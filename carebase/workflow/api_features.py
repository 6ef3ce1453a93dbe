"""The feature requests board over the REST API: those who work conversations
list, create and edit features and link conversations to them; those who set
the queue's rules decide (status, decision) and notify the requesters."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import Field, Query, Router, Schema, Status

from carebase.accounts.http import AuthenticatedRequest
from carebase.api.pagination import ERRORS, Id, PageParams, paginate
from carebase.tickets.access import access_ticket, tickets_for
from carebase.workflow.features import (
    MAX_DECISION,
    MAX_DESCRIPTION,
    MAX_TITLE,
    access_feature,
    audience,
    can_decide,
    can_use_board,
    do_create_feature,
    do_decide_feature,
    do_link_ticket,
    do_notify_requesters,
    do_unlink_ticket,
    do_update_feature,
    features_for,
    mrr_totals,
    search_condition,
    with_counts,
)
from carebase.workflow.models import Feature, FeatureRequest, FeatureStatus

router = Router(tags=["features"])


class MoneyOut(Schema):
    currency: str
    amount: Decimal


class FeatureOut(Schema):
    id: int
    title: str
    description: str
    status: FeatureStatus
    decision: str
    decided_by: int | None = Field(None, alias="decided_by_id")
    decided_at: datetime | None
    organizations: int = Field(description="Distinct organizations whose conversations ask.")
    conversations: int
    mrr: list[MoneyOut] = Field(
        description="The MRR of those organizations, each counted once, summed per currency."
    )
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_organizations(feature: Feature) -> int:
        return feature.organization_count  # type: ignore[attr-defined]

    @staticmethod
    def resolve_conversations(feature: Feature) -> int:
        return feature.conversation_count  # type: ignore[attr-defined]

    @staticmethod
    def resolve_mrr(feature: Feature) -> list[dict]:
        return [{"currency": c, "amount": amount} for amount, c in mrr_totals(feature)]


class FeatureList(Schema):
    items: list[FeatureOut]
    next: str | None


class RequestOut(Schema):
    ticket: int = Field(alias="ticket_id")
    reference: str
    subject: str
    organization: int | None
    linked_at: datetime
    notified_at: datetime | None

    @staticmethod
    def resolve_reference(request: FeatureRequest) -> str:
        return request.ticket.reference

    @staticmethod
    def resolve_subject(request: FeatureRequest) -> str:
        return request.ticket.subject

    @staticmethod
    def resolve_organization(request: FeatureRequest) -> int | None:
        return request.ticket.organization_id


class FeatureDetailOut(FeatureOut):
    requests: list[RequestOut] = Field(
        description="The conversations that ask for it, those the caller may open."
    )

    @staticmethod
    def resolve_requests(feature: Feature) -> list[FeatureRequest]:
        return feature.requests_shown  # type: ignore[attr-defined]


class FeatureIn(Schema):
    title: str = Field(max_length=MAX_TITLE)
    description: str = Field("", max_length=MAX_DESCRIPTION)
    ticket: Id | None = Field(None, description="A conversation to link at once.")


class FeaturePatch(Schema):
    title: str | None = Field(None, max_length=MAX_TITLE)
    description: str | None = Field(None, max_length=MAX_DESCRIPTION)
    status: FeatureStatus | None = Field(None, description="Heads only.")
    decision: str | None = Field(None, max_length=MAX_DECISION, description="Heads only.")


class FeatureFilters(Schema):
    status: FeatureStatus | None = None
    q: str | None = Field(None, max_length=200, description="Words of the title or description.")


class LinkIn(Schema):
    ticket: Id


class NotifiedOut(Schema):
    emailed: int = Field(description="Requesters emailed now (none of them ever before).")
    notified_before: int
    without_email: int


def _counted(pk: int) -> Feature:
    return with_counts(Feature.objects.filter(pk=pk)).get()


def _detail(request: AuthenticatedRequest, pk: int) -> Feature:
    feature = _counted(pk)
    feature.requests_shown = list(  # type: ignore[attr-defined]
        FeatureRequest.objects.filter(feature=feature, ticket__in=tickets_for(request.user))
        .select_related("ticket")
        .order_by("linked_at", "id")
    )
    return feature


@router.get("/features", response={200: FeatureList, **ERRORS}, summary="List features")
def list_features(
    request: AuthenticatedRequest, filters: Query[FeatureFilters], page: Query[PageParams]
) -> dict:
    if not can_use_board(request.user):
        raise PermissionDenied
    queryset = with_counts(features_for(request.user))
    if filters.status is not None:
        queryset = queryset.filter(status=filters.status)
    if filters.q and (found := search_condition(filters.q)) is not None:
        queryset = queryset.filter(found)
    return paginate(queryset, page.cursor, page.limit)


@router.post("/features", response={201: FeatureDetailOut, **ERRORS}, summary="Create a feature")
def create_feature(request: AuthenticatedRequest, body: FeatureIn) -> Status:
    """With `ticket`, that conversation is linked at once (404 if the caller
    may not see it, 409 if it already asks for another feature)."""
    if not can_use_board(request.user):
        raise PermissionDenied
    ticket = access_ticket(request.user, body.ticket, work=True) if body.ticket else None
    feature = do_create_feature(
        title=body.title, description=body.description, actor=request.user, ticket=ticket
    )
    return Status(201, _detail(request, feature.pk))


@router.get(
    "/features/{feature_id}", response={200: FeatureDetailOut, **ERRORS}, summary="Get a feature"
)
def get_feature(request: AuthenticatedRequest, feature_id: Id) -> Feature:
    access_feature(request.user, feature_id)
    return _detail(request, feature_id)


@router.patch(
    "/features/{feature_id}", response={200: FeatureDetailOut, **ERRORS}, summary="Change a feature"
)
def update_feature(request: AuthenticatedRequest, feature_id: Id, body: FeaturePatch) -> Feature:
    """Anyone who works conversations renames it; only heads change its
    status and decision (a declined feature needs a decision)."""
    feature = access_feature(request.user, feature_id)
    values = body.model_dump(exclude_unset=True)
    for field in ("title", "description", "status", "decision"):
        if field in values and values[field] is None:
            raise ValidationError({field: ["This field cannot be null."]})
    deciding = {key: values[key] for key in ("status", "decision") if key in values}
    if deciding and not can_decide(request.user):
        raise PermissionDenied("Only those who set the queue's rules decide on features.")
    if "title" in values or "description" in values:
        do_update_feature(
            feature,
            actor=request.user,
            title=values.get("title"),
            description=values.get("description"),
        )
    if deciding:
        do_decide_feature(feature, actor=request.user, **deciding)
    return _detail(request, feature_id)


@router.post(
    "/features/{feature_id}/requests",
    response={201: FeatureDetailOut, **ERRORS},
    summary="Link a conversation",
)
def link_ticket(request: AuthenticatedRequest, feature_id: Id, body: LinkIn) -> Status:
    """404 when the caller may not see the conversation; 409 when it already
    asks for a feature. An open conversation of another type becomes a
    feature request."""
    feature = access_feature(request.user, feature_id)
    ticket = access_ticket(request.user, body.ticket, work=True)
    do_link_ticket(feature, ticket, actor=request.user)
    return Status(201, _detail(request, feature_id))


@router.delete(
    "/features/{feature_id}/requests/{ticket_id}",
    response={204: None, **ERRORS},
    summary="Unlink a conversation",
)
def unlink_ticket(request: AuthenticatedRequest, feature_id: Id, ticket_id: Id) -> Status:
    feature = access_feature(request.user, feature_id)
    ticket = access_ticket(request.user, ticket_id, work=True)
    do_unlink_ticket(feature, ticket, actor=request.user)
    return Status(204, None)


@router.post(
    "/features/{feature_id}/notify",
    response={200: NotifiedOut, **ERRORS},
    summary="Email the requesters that it is done",
)
def notify_requesters(request: AuthenticatedRequest, feature_id: Id) -> dict:
    """Heads only; 409 unless the feature is done. Each requester is emailed
    once ever: calling again emails only those linked since."""
    feature = access_feature(request.user, feature_id, decide=True)
    emailed = do_notify_requesters(feature, actor=request.user)
    after = audience(feature)
    return {
        "emailed": emailed,
        "notified_before": after.notified - emailed,
        "without_email": after.without_email,
    }
