import pytest

from carebase.accounts.models import Team
from carebase.testing import client_for

pytestmark = pytest.mark.django_db


def test_admins_open_django_admin_and_its_lists(admin):
    client = client_for(admin)
    for path in (
        "/admin/",
        "/admin/accounts/user/",
        "/admin/crm/organization/",
        "/admin/crm/contact/",
        "/admin/accounts/team/",
    ):
        assert client.get(path).status_code == 200, path


def test_other_roles_are_kept_out_of_django_admin(head_of_support):
    response = client_for(head_of_support).get("/admin/")
    assert response.status_code == 302


def test_support_and_customer_success_teams_exist_from_the_start(db):
    assert set(Team.objects.values_list("slug", flat=True)) >= {"support", "success"}


def test_staff_see_the_teams_and_their_members(agent):
    team = Team.objects.get(slug="support")
    team.members.add(agent)
    page = client_for(agent).get("/accounts/teams/").content.decode()
    assert "Customer Success" in page and "Piotr Agent" in page


def test_customers_do_not_see_the_teams_page(customer):
    response = client_for(customer).get("/accounts/teams/")
    assert response.status_code == 302


def test_taking_the_admin_group_away_in_django_admin_takes_the_rights_away(admin, agent):
    from django.contrib.auth.models import Group

    from carebase.core.access import Perm, has_perm

    agent.groups.add(Group.objects.get(name="admin"))
    agent.refresh_from_db()
    assert agent.is_staff and agent.is_superuser
    agent.groups.remove(Group.objects.get(name="admin"))
    agent.refresh_from_db()
    assert not agent.is_staff and not agent.is_superuser
    assert not has_perm(agent, Perm.MANAGE_USERS)


def test_removing_users_from_the_admin_group_page_takes_the_rights_away(admin):
    from django.contrib.auth.models import Group

    Group.objects.get(name="admin").user_set.remove(admin)
    admin.refresh_from_db()
    assert not admin.is_superuser
