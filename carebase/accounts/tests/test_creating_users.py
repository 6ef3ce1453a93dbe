import pytest
from django.core.exceptions import ValidationError

from carebase.accounts.actions import do_create_user
from carebase.core.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["anna@firma", "", "anna nowak", "anna/nowak"])
def test_unusable_usernames_are_refused(username):
    with pytest.raises(ValidationError) as error:
        do_create_user(username, roles=[Role.SALES])
    assert "username" in error.value.message_dict


def test_an_invalid_email_is_refused():
    with pytest.raises(ValidationError) as error:
        do_create_user("anna", roles=[Role.SALES], email="anna@")
    assert "email" in error.value.message_dict


def test_a_user_created_without_a_password_can_set_one_by_email(client):
    user = do_create_user("anna", roles=[Role.SALES], email="anna@example.com")
    assert user.has_usable_password()
    response = client.post("/accounts/password-reset/", {"email": "anna@example.com"})
    assert response.status_code == 302
    from django.core import mail

    assert len(mail.outbox) == 1


def test_a_password_change_is_recorded(agent):
    from carebase.core.models import AuditEvent
    from carebase.testing import PASSWORD, client_for

    response = client_for(agent).post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-password-9",
            "new_password2": "another-long-password-9",
        },
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(kind="accounts.password_changed", actor=agent).exists()
