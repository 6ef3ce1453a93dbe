"""Schema-driven fuzzing: every request schemathesis derives from the OpenAPI
schema gets a documented status, a JSON body of the documented shape, and never
a server error. Deterministic (derandomized) so CI sees the same cases."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from carebase.accounts.actions import do_create_api_token
from carebase.core.roles import Role
from carebase.testing import make_customer, make_user
from carebase.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

FUZZ = settings(
    max_examples=12,
    derandomize=True,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():
    # The WSGI app is called directly, not through Django's test client, so
    # do what the test client does: keep request boundaries from closing the
    # connection that holds the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=["admin", "customer"])
def bearer(request, db):
    if request.param == "admin":
        user = make_user("fuzz-admin", Role.ADMIN)
    else:
        user = make_customer("fuzzcustomer", "Fuzz Co")
    _token, raw = do_create_api_token(user, name="fuzz", actor=user)
    return {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@FUZZ
def test_every_generated_request_gets_a_documented_answer(case, bearer):
    # Not checked: that every schema-valid request succeeds. Some rules cannot
    # be written in JSON Schema (a phone number that exists, a cursor this API
    # gave out, a URL Django accepts); those answer a documented 400 or 422.
    case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance])
