"""Every branch of carebase.core.access."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from carebase.accounts.actions import do_set_roles
from carebase.core.access import (
    ROLE_PERMS,
    Perm,
    has_perm,
    is_customer,
    is_staff_member,
    require_perm,
    roles_of,
)
from carebase.core.roles import Role

pytestmark = pytest.mark.django_db


def test_nobody_has_a_permission():
    assert has_perm(None, Perm.VIEW_CRM) is False


def test_an_anonymous_visitor_has_no_permission():
    assert has_perm(AnonymousUser(), Perm.VIEW_CRM) is False


def test_a_deactivated_user_loses_every_permission(agent):
    agent.is_active = False
    assert has_perm(agent, Perm.VIEW_CRM) is False


def test_a_superuser_has_every_permission(outsider):
    outsider.is_superuser = True
    assert all(has_perm(outsider, perm) for perm in Perm)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_has_exactly_its_permissions(role):
    from carebase.testing import make_user

    user = make_user(f"user-{role.value}", role)
    for perm in Perm:
        assert has_perm(user, perm) is (perm in ROLE_PERMS[role]), (role, perm)


def test_a_user_with_no_role_has_no_permission(outsider):
    assert not any(has_perm(outsider, perm) for perm in Perm)


def test_support_agents_cannot_change_commercial_fields(agent):
    assert has_perm(agent, Perm.EDIT_CRM)
    assert not has_perm(agent, Perm.EDIT_COMMERCIAL)


def test_trainees_and_mentors_only_read_the_crm(trainee, mentor):
    for user in (trainee, mentor):
        assert has_perm(user, Perm.VIEW_CRM)
        assert not has_perm(user, Perm.EDIT_CRM)


def test_require_perm_raises_permission_denied(trainee):
    require_perm(trainee, Perm.VIEW_CRM)
    with pytest.raises(PermissionDenied):
        require_perm(trainee, Perm.EDIT_CRM)


def test_roles_are_read_once_per_user_object(agent, django_assert_num_queries):
    agent = type(agent).objects.get(pk=agent.pk)
    with django_assert_num_queries(1):
        roles_of(agent)
        roles_of(agent)
        has_perm(agent, Perm.VIEW_CRM)


def test_changing_roles_clears_the_cached_roles(agent):
    assert roles_of(agent) == {Role.SUPPORT_AGENT}
    do_set_roles(agent, [Role.CS_MANAGER], actor=None)
    assert roles_of(agent) == {Role.CS_MANAGER}


def test_staff_membership(agent, customer, outsider):
    assert is_staff_member(None) is False
    assert is_staff_member(AnonymousUser()) is False
    assert is_staff_member(agent) is True
    assert is_staff_member(customer) is False
    assert is_staff_member(outsider) is False
    outsider.is_superuser = True
    assert is_staff_member(outsider) is True
    agent.is_active = False
    assert is_staff_member(agent) is False


def test_customer_membership(agent, customer):
    assert is_customer(None) is False
    assert is_customer(AnonymousUser()) is False
    assert is_customer(customer) is True
    assert is_customer(agent) is False
    customer.is_active = False
    assert is_customer(customer) is False


def test_the_admin_role_opens_django_admin(agent):
    do_set_roles(agent, [Role.ADMIN], actor=None)
    agent.refresh_from_db()
    assert agent.is_staff and agent.is_superuser
    do_set_roles(agent, [Role.SUPPORT_AGENT], actor=None)
    agent.refresh_from_db()
    assert not agent.is_staff and not agent.is_superuser
