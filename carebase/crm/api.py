"""Organizations, contacts and projects over the REST API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from ninja import Field, Query, Router, Schema, Status
from pydantic import HttpUrl, UrlConstraints

from carebase.accounts.http import AuthenticatedRequest
from carebase.api.pagination import ERRORS, Id, PageParams, paginate
from carebase.core.access import is_staff_member
from carebase.crm.access import (
    access_contact,
    access_organization,
    access_project,
    contacts_for,
    cs_owner_candidates,
    organizations_for,
    projects_for,
    require_edit,
)
from carebase.crm.actions import (
    do_create_contact,
    do_create_organization,
    do_create_project,
    do_delete_contact,
    do_delete_organization,
    do_merge_contacts,
    do_update_contact,
    do_update_organization,
    do_update_project,
)
from carebase.crm.identities import IdentityError, normalize
from carebase.crm.models import (
    Contact,
    Currency,
    IdentityKind,
    Language,
    Organization,
    OrganizationStatus,
    Plan,
    Project,
    ProjectStatus,
    Tier,
    name_key,
)

router = Router(tags=["crm"])


# The model keeps 200 characters; pydantic's HttpUrl alone allows 2083.
WebsiteUrl = Annotated[HttpUrl, UrlConstraints(max_length=200)]


def _staff_only(obj: Any, context: dict[str, Any], field: str) -> Any:
    """Internal fields (segment, MRR, notes) are null for a customer's token."""
    request = context.get("request") if context else None
    if request is None or not is_staff_member(request.user):
        return None
    return getattr(obj, field)


class OrganizationOut(Schema):
    id: int
    name: str
    tier: Tier | None = Field(description="Null for customers.")
    plan: Plan
    mrr: Decimal | None = Field(description="Null for customers.")
    currency: Currency
    status: OrganizationStatus
    cs_owner: int | None = Field(None, alias="cs_owner_id")
    website: str
    tax_id: str
    notes: str | None = Field(description="Null for customers.")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_tier(obj: Organization, context: dict[str, Any]) -> Any:
        return _staff_only(obj, context, "tier")

    @staticmethod
    def resolve_mrr(obj: Organization, context: dict[str, Any]) -> Any:
        return _staff_only(obj, context, "mrr")

    @staticmethod
    def resolve_notes(obj: Organization, context: dict[str, Any]) -> Any:
        return _staff_only(obj, context, "notes")


class OrganizationIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    tier: Tier = Tier.STANDARD
    plan: Plan = Plan.START
    mrr: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)
    currency: Currency = Currency.PLN
    status: OrganizationStatus = OrganizationStatus.ACTIVE
    cs_owner: Id | None = None
    website: WebsiteUrl | None = None
    tax_id: str = Field("", max_length=32)
    notes: str = ""


class OrganizationPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    tier: Tier | None = None
    plan: Plan | None = None
    mrr: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    currency: Currency | None = None
    status: OrganizationStatus | None = None
    cs_owner: Id | None = None
    website: WebsiteUrl | None = None
    tax_id: str | None = Field(None, max_length=32)
    notes: str | None = None


class OrganizationList(Schema):
    items: list[OrganizationOut]
    next: str | None


class OrganizationFilters(Schema):
    q: str | None = Field(None, description="Part of the name or tax ID.")
    tier: Tier | None = None
    plan: Plan | None = None
    status: OrganizationStatus | None = None
    cs_owner: Id | None = None


def _organization_values(payload: Schema, *, partial: bool) -> dict[str, Any]:
    values = payload.model_dump(exclude_unset=partial)
    if "website" in values:
        values["website"] = str(values["website"]) if values["website"] else ""
    if "cs_owner" in values:
        owner_id = values.pop("cs_owner")
        owner = None
        if owner_id is not None:
            owner = cs_owner_candidates().filter(pk=owner_id).first()
            if owner is None:
                raise ValidationError(
                    {"cs_owner": [f"No active admin, head of CS or CS manager with id {owner_id}."]}
                )
        values["cs_owner"] = owner
    if partial:
        for field in ("name", "tier", "plan", "mrr", "currency", "status", "tax_id", "notes"):
            if field in values and values[field] is None:
                raise ValidationError({field: ["This field cannot be null."]})
    return values


@router.get(
    "/organizations", response={200: OrganizationList, **ERRORS}, summary="List organizations"
)
def list_organizations(
    request: AuthenticatedRequest, filters: Query[OrganizationFilters], page: Query[PageParams]
) -> dict:
    queryset = organizations_for(request.user)
    if filters.q:
        queryset = queryset.filter(
            Q(name_key__contains=name_key(filters.q)) | Q(tax_id__icontains=filters.q)
        )
    for field in ("tier", "plan", "status"):
        value = getattr(filters, field)
        if value is not None:
            queryset = queryset.filter(**{field: value})
    if filters.cs_owner is not None:
        queryset = queryset.filter(cs_owner_id=filters.cs_owner)
    return paginate(queryset, page.cursor, page.limit)


@router.post(
    "/organizations", response={201: OrganizationOut, **ERRORS}, summary="Create an organization"
)
def create_organization(request: AuthenticatedRequest, payload: OrganizationIn) -> Status:
    require_edit(request.user)
    values = _organization_values(payload, partial=False)
    return Status(201, do_create_organization(actor=request.user, **values))


@router.get("/organizations/{organization_id}", response={200: OrganizationOut, **ERRORS})
def get_organization(request: AuthenticatedRequest, organization_id: Id) -> Organization:
    return access_organization(request.user, organization_id)


@router.patch("/organizations/{organization_id}", response={200: OrganizationOut, **ERRORS})
def update_organization(
    request: AuthenticatedRequest, organization_id: Id, payload: OrganizationPatch
) -> Organization:
    organization = access_organization(request.user, organization_id, edit=True)
    do_update_organization(
        organization, actor=request.user, **_organization_values(payload, partial=True)
    )
    return organization


@router.delete("/organizations/{organization_id}", response={204: None, **ERRORS})
def delete_organization(request: AuthenticatedRequest, organization_id: Id) -> Status:
    """Deletes the organization with its projects; refused (409) while it has contacts."""
    organization = access_organization(request.user, organization_id, delete=True)
    do_delete_organization(organization, actor=request.user)
    return Status(204, None)


class ContactOut(Schema):
    id: int
    name: str
    organization: int | None = Field(None, alias="organization_id")
    language: Language
    job_title: str
    notes: str | None = Field(description="Null for customers.")
    emails: list[str]
    phones: list[str]
    telegram: list[str]
    whatsapp: list[str]
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_notes(obj: Contact, context: dict[str, Any]) -> Any:
        return _staff_only(obj, context, "notes")


class ContactIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    emails: list[str] = []
    phones: list[str] = Field([], description="Any readable form; stored in E.164.")
    telegram: list[str] = []
    whatsapp: list[str] = []
    organization: Id | None = None
    language: Language = Language.POLISH
    job_title: str = Field("", max_length=120)
    notes: str = ""


class ContactPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    emails: list[str] | None = None
    phones: list[str] | None = None
    telegram: list[str] | None = None
    whatsapp: list[str] | None = None
    organization: Id | None = None
    language: Language | None = None
    job_title: str | None = Field(None, max_length=120)
    notes: str | None = None


class ContactList(Schema):
    items: list[ContactOut]
    next: str | None


class ContactFilters(Schema):
    q: str | None = Field(None, description="Part of the name, email or phone number.")
    organization: Id | None = None
    email: str | None = Field(None, description="Exact email address (any case).")
    phone: str | None = Field(None, description="Phone number in any readable form.")
    telegram: str | None = None


def _contact_values(
    request: AuthenticatedRequest, payload: Schema, *, partial: bool
) -> dict[str, Any]:
    values = payload.model_dump(exclude_unset=partial)
    if "organization" in values:
        organization_id = values.pop("organization")
        organization = None
        if organization_id is not None:
            organization = organizations_for(request.user).filter(pk=organization_id).first()
            if organization is None:
                raise ValidationError(
                    {"organization": [f"No organization with id {organization_id}."]}
                )
        values["organization"] = organization
    if partial:
        for field, value in list(values.items()):
            if value is None and field != "organization":
                raise ValidationError({field: ["This field cannot be null."]})
    return values


def _identity_filter(queryset: Any, kind: str, raw: str) -> Any:
    try:
        value = normalize(kind, raw)
    except IdentityError:
        return queryset.none()
    return queryset.filter(identities__kind=kind, identities__value=value)


@router.get("/contacts", response={200: ContactList, **ERRORS}, summary="List contacts")
def list_contacts(
    request: AuthenticatedRequest, filters: Query[ContactFilters], page: Query[PageParams]
) -> dict:
    queryset = contacts_for(request.user).prefetch_related("identities")
    if filters.q:
        queryset = queryset.filter(
            Q(name_key__contains=name_key(filters.q))
            | Q(identities__value__icontains=filters.q.lower())
        ).distinct()
    if filters.organization is not None:
        queryset = queryset.filter(organization_id=filters.organization)
    if filters.email:
        queryset = _identity_filter(queryset, IdentityKind.EMAIL, filters.email)
    if filters.phone:
        queryset = _identity_filter(queryset, IdentityKind.PHONE, filters.phone)
    if filters.telegram:
        queryset = _identity_filter(queryset, IdentityKind.TELEGRAM, filters.telegram)
    return paginate(queryset, page.cursor, page.limit)


@router.post("/contacts", response={201: ContactOut, **ERRORS}, summary="Create a contact")
def create_contact(request: AuthenticatedRequest, payload: ContactIn) -> Status:
    require_edit(request.user)
    contact = do_create_contact(
        actor=request.user, **_contact_values(request, payload, partial=False)
    )
    return Status(201, access_contact(request.user, contact.pk))


@router.get("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def get_contact(request: AuthenticatedRequest, contact_id: Id) -> Contact:
    return access_contact(request.user, contact_id)


@router.patch("/contacts/{contact_id}", response={200: ContactOut, **ERRORS})
def update_contact(request: AuthenticatedRequest, contact_id: Id, payload: ContactPatch) -> Contact:
    contact = access_contact(request.user, contact_id, edit=True)
    do_update_contact(
        contact, actor=request.user, **_contact_values(request, payload, partial=True)
    )
    return access_contact(request.user, contact_id)


@router.delete("/contacts/{contact_id}", response={204: None, **ERRORS})
def delete_contact(request: AuthenticatedRequest, contact_id: Id) -> Status:
    """Deletes the contact and its identities; refused (409) while it has an active portal login."""
    contact = access_contact(request.user, contact_id, delete=True)
    do_delete_contact(contact, actor=request.user)
    return Status(204, None)


class ContactMergeIn(Schema):
    duplicate: Id = Field(description="The contact merged into this one, then deleted.")


@router.post(
    "/contacts/{contact_id}/merge",
    response={200: ContactOut, **ERRORS},
    summary="Merge a duplicate contact into this one",
)
def merge_contacts(
    request: AuthenticatedRequest, contact_id: Id, payload: ContactMergeIn
) -> Contact:
    """Moves everything of the duplicate to this contact: its identities, its
    conversations and messages, its calls, any other row that points at it,
    and its history. This contact keeps its name and language, takes the
    organization and job title it lacks, gets the duplicate's notes appended,
    and takes over the portal login when only the duplicate has one. The
    duplicate is then deleted.

    404 when either contact is not visible to the caller, 403 without the
    right to edit contacts, 409 when both contacts have a portal login (or the
    login would change organization), 422 when a contact is merged into itself.
    """
    kept = access_contact(request.user, contact_id, edit=True)
    duplicate = access_contact(request.user, payload.duplicate, edit=True)
    do_merge_contacts(kept, duplicate, actor=request.user)
    return access_contact(request.user, contact_id)


class ProjectOut(Schema):
    id: int
    organization: int = Field(alias="organization_id")
    name: str
    status: ProjectStatus
    external_id: str
    created_at: datetime
    disconnected_at: datetime | None


class ProjectIn(Schema):
    organization: Id
    name: str = Field(min_length=1, max_length=200)
    status: ProjectStatus = ProjectStatus.ACTIVE
    external_id: str = Field("", max_length=64)


class ProjectPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    status: ProjectStatus | None = None
    external_id: str | None = Field(None, max_length=64)


class ProjectList(Schema):
    items: list[ProjectOut]
    next: str | None


@router.get("/projects", response={200: ProjectList, **ERRORS}, summary="List projects")
def list_projects(
    request: AuthenticatedRequest,
    page: Query[PageParams],
    organization: Id | None = None,
    status: ProjectStatus | None = None,
) -> dict:
    queryset = projects_for(request.user)
    if organization is not None:
        queryset = queryset.filter(organization_id=organization)
    if status is not None:
        queryset = queryset.filter(status=status)
    return paginate(queryset, page.cursor, page.limit)


@router.post(
    "/projects", response={201: ProjectOut, **ERRORS}, summary="Add a project to an organization"
)
def create_project(request: AuthenticatedRequest, payload: ProjectIn) -> Status:
    organization = access_organization(request.user, payload.organization, edit=True)
    values = payload.model_dump(exclude={"organization"})
    return Status(201, do_create_project(organization, actor=request.user, **values))


@router.patch("/projects/{project_id}", response={200: ProjectOut, **ERRORS})
def update_project(request: AuthenticatedRequest, project_id: Id, payload: ProjectPatch) -> Project:
    project = access_project(request.user, project_id, edit=True)
    values = payload.model_dump(exclude_unset=True)
    for field, value in values.items():
        if value is None:
            raise ValidationError({field: ["This field cannot be null."]})
    do_update_project(project, actor=request.user, **values)
    return project
