"""Bad input to the API gets JSON errors with the right status, and changes nothing."""

import pytest

from carebase.crm.models import Contact

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "path",
    [
        f"/contacts?organization={HUGE}",
        f"/organizations?cs_owner={HUGE}",
        f"/projects?organization={HUGE}",
        f"/contacts/{HUGE}",
        f"/organizations/{HUGE}",
    ],
)
def test_a_huge_id_is_a_422_not_a_crash(agent, api_as, path):
    api = api_as(agent)
    response = api.client.get(f"/api/v1{path}", headers=api.headers)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_a_huge_id_in_a_body_is_a_422(agent, api_as):
    response = api_as(agent).post("/contacts", {"name": "X", "organization": int(HUGE)})
    assert response.status_code == 422
    assert not Contact.objects.exists()


@pytest.mark.parametrize("limit", ["0", "-1", "201", "many"])
def test_a_limit_out_of_range_is_a_422_naming_it(agent, api_as, limit):
    response = api_as(agent).get("/contacts", limit=limit)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "limit"


def test_an_unknown_api_path_answers_json(agent, api_as):
    api = api_as(agent)
    response = api.client.get("/api/v1/no-such-thing", headers=api.headers)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not Found"}


def test_a_body_that_is_not_an_object_is_a_422(agent, api_as):
    response = api_as(agent).post("/contacts", raw="[1, 2, 3]")
    assert response.status_code in (400, 422)
    assert "detail" in response.json()
