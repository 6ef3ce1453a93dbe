"""GET /api/v1/calls with its filters, the calls pages and the agent call
report, scoped by role: staff who work conversations see the call log; a
recording plays for the agent on the call and for reviewers (the heads),
nobody else; customers and sales see no calls."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from carebase.core.roles import Role
from carebase.crm.actions import do_create_contact
from carebase.telephony.actions import do_issue_pbx_token, do_store_recording
from carebase.telephony.models import Call, Extension, Pbx, Ring
from carebase.testing import client_for, make_user
from carebase.tickets.actions import do_create_ticket

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]
WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture
def pbx():
    return Pbx.objects.create(name="centrala")


def make_call(pbx, number, *, agent=None, start, wait=10, talk=100, answered=True, **fields):
    extension = None
    if agent is not None:
        extension, _ = Extension.objects.get_or_create(
            pbx=pbx, number=f"1{agent.pk:02d}", user=agent
        )
    started = start
    call = Call.objects.create(
        pbx=pbx,
        unique_id=f"{number}-{start.timestamp()}",
        direction=fields.pop("direction", "inbound"),
        caller="+48601234567",
        callee="+48221000000",
        line=fields.pop("line", "support"),
        extension=extension,
        agent=agent,
        started_at=started,
        answered_at=started + timedelta(seconds=wait) if answered else None,
        ended_at=started + timedelta(seconds=wait + talk),
        wait_seconds=wait,
        talk_seconds=talk if answered else 0,
        disposition="answered" if answered else "missed",
        missed_reason="" if answered else "not_answered",
        source="events",
        **fields,
    )
    if extension is not None:
        Ring.objects.create(
            call=call, extension=extension, agent=agent, rang_at=started,
            answered=answered, ring_seconds=wait,
        )  # fmt: skip
    return call


@pytest.fixture
def calls(pbx, agent, trainee):
    monday = datetime(2026, 11, 30, 10, 0, tzinfo=WARSAW)
    day = timedelta(days=1)
    return {
        "agent_answered": make_call(pbx, "a", agent=agent, start=monday, wait=5, talk=60),
        "agent_missed": make_call(
            pbx, "b", agent=agent, start=monday + timedelta(hours=1), answered=False
        ),
        "trainee_answered": make_call(pbx, "c", agent=trainee, start=monday + day, wait=30),
        "outbound": make_call(
            pbx, "d", agent=agent, start=monday + 2 * day, direction="outbound", line=""
        ),
    }


def test_the_calls_api_lists_and_filters_calls(api_as, agent, calls):
    api = api_as(agent)
    everything = api.get("/calls")
    assert everything.status_code == 200
    assert len(everything.json()["items"]) == 4
    item = everything.json()["items"][0]
    assert {"id", "direction", "caller", "callee", "line", "agent", "started_at", "answered_at",
            "ended_at", "wait_seconds", "talk_seconds", "disposition", "missed_reason",
            "ticket", "contact", "unique_id", "recording"} <= set(item)  # fmt: skip
    mine = api.get("/calls", agent="me").json()["items"]
    assert {call["id"] for call in mine} == {
        calls["agent_answered"].pk,
        calls["agent_missed"].pk,
        calls["outbound"].pk,
    }
    missed = api.get("/calls", disposition="missed").json()["items"]
    assert [call["id"] for call in missed] == [calls["agent_missed"].pk]
    since = api.get("/calls", since="2026-12-01T00:00:00+01:00").json()["items"]
    assert {call["id"] for call in since} == {calls["trainee_answered"].pk, calls["outbound"].pk}
    naive = api.get("/calls", since="2026-12-01T00:00:00").json()["items"]
    assert len(naive) == 2  # read in Warsaw time
    paged = api.get("/calls", limit=3).json()
    assert len(paged["items"]) == 3 and paged["next"]
    rest = api.get("/calls", limit=3, cursor=paged["next"]).json()
    assert len(rest["items"]) == 1 and rest["next"] is None


def test_bad_filters_get_clear_errors(api_as, agent, calls):
    api = api_as(agent)
    assert api.get("/calls", disposition="lost").status_code == 422
    assert api.get("/calls", since="1700000000").status_code == 422
    assert api.get("/calls", agent="everyone").status_code == 422
    assert api.get("/calls", cursor="bogus").status_code == 400
    assert api.get(f"/calls/{calls['outbound'].pk + 100}").status_code == 404


def test_customers_and_sales_see_no_calls(api_as, customer, sales, calls):
    for user in (customer, sales):
        assert api_as(user).get("/calls").status_code == 403
        assert api_as(user).get(f"/calls/{calls['agent_answered'].pk}").status_code == 404
        assert client_for(user).get("/calls/").status_code == 403
    assert Client().get("/api/v1/calls").status_code == 401


def test_a_recording_plays_for_the_agent_on_the_call_and_the_head_only(
    api_as, agent, trainee, head_of_support, calls
):
    call = calls["agent_answered"]
    do_store_recording(call, SimpleUploadedFile("rec.wav", b"RIFF....WAVEfmt ", "audio/wav"))
    assert (
        api_as(agent)
        .get(f"/calls/{call.pk}")
        .json()["recording"]
        .endswith(f"/calls/{call.pk}/recording")
    )
    assert api_as(trainee).get(f"/calls/{call.pk}").json()["recording"] is None
    for user, status in ((agent, 200), (head_of_support, 200), (trainee, 404)):
        response = client_for(user).get(f"/calls/{call.pk}/recording")
        assert response.status_code == status, user
    response = client_for(head_of_support).get(f"/calls/{call.pk}/recording")
    assert response["Content-Type"] in ("audio/wav", "audio/x-wav")
    assert b"".join(response.streaming_content).startswith(b"RIFF")
    page = client_for(head_of_support).get(f"/calls/{call.pk}/").content.decode()
    assert f'<audio controls preload="none" src="/calls/{call.pk}/recording"' in page
    page = client_for(trainee).get(f"/calls/{call.pk}/").content.decode()
    assert "<audio" not in page and "only the agent on the call and reviewers" in page


def test_a_recording_at_the_pbx_is_reached_through_the_permission_check(
    client, agent, trainee, calls
):
    call = calls["agent_answered"]
    call.recording_url = "https://pbx.example.com/rec/a.wav"
    call.save()
    response = client_for(agent).get(f"/calls/{call.pk}/recording")
    assert (response.status_code, response["Location"]) == (302, call.recording_url)
    assert client_for(trainee).get(f"/calls/{call.pk}/recording").status_code == 404


def test_a_pbx_uploads_a_recording_with_its_token(pbx, calls):
    token = do_issue_pbx_token(pbx)
    call = calls["agent_answered"]

    def upload(name, content=b"ID3....", call_id=call.unique_id, key=token):
        return Client().post(
            "/api/v1/telephony/recordings",
            {"call_id": call_id, "file": SimpleUploadedFile(name, content)},
            headers={"Authorization": f"Bearer {key}"},
        )

    assert upload("a.mp3", key="cb_wrong").status_code == 403
    assert upload("a.mp3", call_id="nope").status_code == 404
    assert upload("a.exe").status_code == 422
    call.refresh_from_db()
    assert not call.recording
    response = upload("a.mp3")
    assert response.status_code == 201
    call.refresh_from_db()
    assert call.recording.name.endswith(".mp3")


def test_the_agent_report_shows_who_answers_and_who_does_not(
    api_as, agent, trainee, head_of_support, calls
):
    period = {"since": "2026-11-30T00:00:00+01:00", "until": "2026-12-07T00:00:00+01:00"}
    lines = api_as(head_of_support).get("/calls/report", **period).json()
    by_agent = {line["agent"]: line for line in lines}
    assert by_agent[agent.pk]["answered"] == 1
    assert by_agent[agent.pk]["missed"] == 1
    assert by_agent[agent.pk]["missed_share"] == 0.5
    assert by_agent[agent.pk]["talk_seconds"] == 60
    assert by_agent[trainee.pk]["average_answer_seconds"] == 30
    assert by_agent[trainee.pk]["p90_answer_seconds"] == 30
    assert lines[0]["agent"] == agent.pk  # the most missed first
    own = api_as(trainee).get("/calls/report", **period).json()
    assert [line["agent"] for line in own] == [trainee.pk]
    assert (
        api_as(head_of_support)
        .get("/calls/report", since="2026-12-07T00:00:00Z", until="2026-11-30T00:00:00Z")
        .status_code
        == 422
    )


def test_the_report_page_and_the_calls_page_filter(head_of_support, agent, calls):
    client = client_for(head_of_support)
    page = client.get("/calls/report/", {"since": "2026-11-30", "until": "2026-12-06"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Piotr Agent" in text and "50%" in text
    assert "Agents did not answer" in text  # missed calls by reason
    listed = client.get("/calls/", {"disposition": "missed"}).content.decode()
    assert f'href="/calls/{calls["agent_missed"].pk}/"' in listed
    assert f'href="/calls/{calls["agent_answered"].pk}/"' not in listed
    bad = client.get("/calls/", {"since": "2026-12-06", "until": "2026-11-30"})
    assert "The end comes before the start." in bad.content.decode()
    assert 'href="tel:+48601234567"' in listed


def test_the_agent_writes_a_summary_into_the_calls_conversation(agent, calls):
    call = calls["agent_answered"]
    client = client_for(agent)
    assert client.post(f"/calls/{call.pk}/summary/", {"body": "  "}).status_code == 422
    response = client.post(f"/calls/{call.pk}/summary/", {"body": "Wants call recording on."})
    assert response.status_code == 302
    call.refresh_from_db()
    note = call.ticket.messages.get(body_text="Wants call recording on.")
    assert (note.kind, note.author_user) == ("note", agent)
    assert call.ticket.assignee == agent
    # The next summary goes into the same conversation.
    client.post(f"/calls/{call.pk}/summary/", {"body": "Called again."})
    assert call.ticket.messages.filter(kind="note").count() == 2


def test_the_timeline_of_a_conversation_shows_its_calls(agent, trainee, calls):
    anna = do_create_contact(actor=None, name="Anna Nowak", phones=["+48601234567"])
    ticket = do_create_ticket(subject="Recording", body="x", requester=anna, channel="phone")
    call = calls["agent_answered"]
    call.ticket = ticket
    call.recording_url = "https://pbx.example.com/rec/a.wav"
    call.save()
    page = client_for(agent).get(f"/tickets/{ticket.pk}/").content.decode()
    assert f'id="call-{call.pk}"' in page and "<audio" in page
    page = client_for(trainee).get(f"/tickets/{ticket.pk}/").content.decode()
    assert f'id="call-{call.pk}"' in page and "<audio" not in page


def test_a_mentor_without_review_rights_hears_only_their_own_calls(pbx, calls):
    mentor = make_user("mentor9", Role.MENTOR)
    call = calls["agent_answered"]
    call.recording_url = "https://pbx.example.com/rec/a.wav"
    call.save()
    assert client_for(mentor).get(f"/calls/{call.pk}/recording").status_code == 404


def test_the_report_percentile_matches_interpolation_between_ranks():
    import statistics

    from carebase.telephony.report import _percentile

    waits = [3, 3, 5, 8, 8, 8, 13, 21, 34, 55, 89]
    counted = sorted({wait: waits.count(wait) for wait in waits}.items())
    expected = statistics.quantiles(waits, n=10, method="inclusive")[-1]
    assert _percentile(counted, len(waits), 0.9) == pytest.approx(expected)
    assert _percentile([(7, 1)], 1, 0.9) == 7


def test_a_summary_goes_only_into_a_conversation_the_agent_may_work(agent, calls):
    from carebase.accounts.models import Team

    vip = Team.objects.create(slug="vip", name="VIP", kind="support")
    anna = do_create_contact(actor=None, name="Anna Nowak", phones=["+48601234567"])
    secret = do_create_ticket(
        subject="Secret VIP", body="x", requester=anna, channel="phone", team=vip
    )
    call = calls["agent_answered"]
    call.ticket = secret
    call.save()
    client = client_for(agent)
    page = client.get(f"/calls/{call.pk}/").content.decode()
    assert "Secret VIP" not in page and 'id="summary"' not in page
    assert client.post(f"/calls/{call.pk}/summary/", {"body": "Peek"}).status_code == 404
    assert not secret.messages.filter(body_text="Peek").exists()


def test_mapping_an_extension_gives_its_agent_the_calls_and_rings_it_had(pbx, admin, agent):
    from carebase.telephony.actions import do_map_extension

    extension = Extension.objects.create(pbx=pbx, number="150")
    start = datetime(2026, 11, 30, 10, 0, tzinfo=WARSAW)
    call = make_call(pbx, "z", start=start)
    call.extension = extension
    call.save()
    Ring.objects.create(call=call, extension=extension, rang_at=start, answered=True)
    assert do_map_extension(extension, agent) == 1
    call.refresh_from_db()
    assert call.agent == agent and Ring.objects.get().agent == agent


def test_a_contacts_page_shows_their_calls_and_links_to_all_of_them(agent, sales, calls):
    anna = do_create_contact(actor=None, name="Anna Nowak", phones=["+48601234567"])
    Call.objects.update(contact=anna)
    page = client_for(agent).get(f"/crm/contacts/{anna.pk}/").content.decode()
    assert 'id="contact-calls"' in page
    assert page.count('href="/calls/') >= 4
    assert (
        'id="contact-calls"'
        not in client_for(sales).get(f"/crm/contacts/{anna.pk}/").content.decode()
    )
    listed = client_for(agent).get("/calls/", {"contact": anna.pk}).content.decode()
    assert "Calls of Anna Nowak" in listed
    assert listed.count('<tr><td><a href="/calls/') == 4
    other = do_create_contact(actor=None, name="Jan Kowalski")
    none = client_for(agent).get("/calls/", {"contact": other.pk}).content.decode()
    assert "No calls match." in none
