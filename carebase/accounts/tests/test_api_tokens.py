import pytest

from carebase.accounts.models import ApiToken, token_digest
from carebase.testing import ApiClient, client_for

pytestmark = pytest.mark.django_db


def create_token_on_the_profile_page(client, name="PBX forwarder"):
    response = client.post("/accounts/profile/tokens/", {"name": name})
    assert response.status_code == 200
    return response.context["new_token"]


def test_a_token_is_shown_once_and_stored_hashed(agent):
    client = client_for(agent)
    raw = create_token_on_the_profile_page(client)
    token = ApiToken.objects.get(user=agent)
    assert token.digest == token_digest(raw)
    assert raw not in token.digest and token.prefix == raw[:10]
    assert raw not in client.get("/accounts/profile/").content.decode()


def test_a_token_calls_the_api_as_its_user(agent):
    raw = create_token_on_the_profile_page(client_for(agent))
    response = ApiClient(token=raw).get("/me")
    assert response.status_code == 200 and response.json()["username"] == "agent1"
    assert ApiToken.objects.get(user=agent).last_used_at is not None


def test_a_revoked_token_is_refused(agent):
    client = client_for(agent)
    raw = create_token_on_the_profile_page(client)
    token = ApiToken.objects.get(user=agent)
    response = client.post(f"/accounts/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert ApiClient(token=raw).get("/me").status_code == 401


def test_a_deactivated_users_token_is_refused(agent):
    raw = create_token_on_the_profile_page(client_for(agent))
    agent.is_active = False
    agent.save()
    assert ApiClient(token=raw).get("/me").status_code == 401


def test_a_token_without_a_name_is_refused(agent):
    response = client_for(agent).post("/accounts/profile/tokens/", {"name": ""})
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_nobody_revokes_another_users_token(agent, trainee):
    create_token_on_the_profile_page(client_for(agent))
    token = ApiToken.objects.get(user=agent)
    response = client_for(trainee).post(f"/accounts/profile/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_an_admin_revokes_any_token(agent, admin):
    create_token_on_the_profile_page(client_for(agent))
    token = ApiToken.objects.get(user=agent)
    client_for(admin).post(f"/accounts/profile/tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_revoking_an_unknown_token_is_a_404(agent):
    assert client_for(agent).post("/accounts/profile/tokens/999/revoke/").status_code == 404
