"""Loading CRM objects for a caller, by the rules of carebase.core.access.

Staff who may see the CRM see every organization; a customer sees only their
own organization, its contacts and projects; anyone else sees nothing. Objects
the caller may not see answer 404, as if they did not exist.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from carebase.core.access import Perm, has_perm, is_customer
from carebase.core.roles import Role
from carebase.crm.models import Contact, Organization, Project


def customer_organization_id(user: Any) -> int | None:
    if not is_customer(user):
        return None
    return Contact.objects.filter(user=user).values_list("organization_id", flat=True).first()


def _scope(queryset: QuerySet[Any], user: Any, organization_field: str) -> QuerySet[Any]:
    if has_perm(user, Perm.VIEW_CRM):
        return queryset
    organization_id = customer_organization_id(user)
    if organization_id is not None:
        return queryset.filter(**{organization_field: organization_id})
    return queryset.none()


def organizations_for(user: Any) -> QuerySet[Organization]:
    return _scope(Organization.objects.all(), user, "pk")


def contacts_for(user: Any) -> QuerySet[Contact]:
    return _scope(Contact.objects.all(), user, "organization_id")


def projects_for(user: Any) -> QuerySet[Project]:
    return _scope(Project.objects.all(), user, "organization_id")


def _load(queryset: QuerySet[Any], pk: int, user: Any, edit: bool, delete: bool = False) -> Any:
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    if edit and not has_perm(user, Perm.EDIT_CRM):
        raise PermissionDenied
    if delete and not has_perm(user, Perm.DELETE_CRM):
        raise PermissionDenied
    return obj


def access_organization(
    user: Any, pk: int, *, edit: bool = False, delete: bool = False
) -> Organization:
    return _load(organizations_for(user).select_related("cs_owner"), pk, user, edit, delete)


def access_contact(user: Any, pk: int, *, edit: bool = False, delete: bool = False) -> Contact:
    queryset = contacts_for(user).select_related("organization").prefetch_related("identities")
    return _load(queryset, pk, user, edit, delete)


def access_project(user: Any, pk: int, *, edit: bool = False) -> Project:
    return _load(projects_for(user).select_related("organization"), pk, user, edit)


def require_edit(user: Any) -> None:
    if not has_perm(user, Perm.EDIT_CRM):
        raise PermissionDenied


def cs_owner_candidates() -> QuerySet[Any]:
    """Who may own a client account: active admins, heads of CS and CS managers."""
    from carebase.accounts.models import User

    roles = [Role.ADMIN.value, Role.HEAD_OF_SUCCESS.value, Role.CS_MANAGER.value]
    return (
        User.objects.filter(is_active=True, groups__name__in=roles)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def can_delete(user: Any) -> bool:
    return has_perm(user, Perm.DELETE_CRM)


def can_edit_commercial(user: Any) -> bool:
    return has_perm(user, Perm.EDIT_COMMERCIAL)
