"""Calls in the queue: an answered inbound call opens (or joins) the
caller's phone conversation, assigned to the agent who took it; missed calls
in business hours open one urgent callback conversation per caller an hour,
due within the callback minutes; calling back links to it and, answered,
marks it done. Short abandons, calls out of hours and internal calls open
nothing. A CDR import files only its recent calls."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from carebase.crm.actions import do_create_contact
from carebase.telephony.models import Call, Callback, Extension, Pbx
from carebase.testing import client_for
from carebase.tickets.models import Ticket

pytestmark = pytest.mark.django_db


class Phone:
    """A PBX posting events, one call after another."""

    def __init__(self, agent):
        out = StringIO()
        call_command("pbx_token", "centrala", stdout=out, stderr=StringIO())
        self.token = out.getvalue().strip()
        self.pbx = Pbx.objects.get(name="centrala")
        Extension.objects.create(pbx=self.pbx, number="100", user=agent)
        self.count = 0

    def event(self, kind, call_id, at, **fields):
        body = {"event": kind, "call_id": call_id, "at": at, **fields}
        response = Client().post(
            "/api/v1/telephony/events",
            data=json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.token}"},
        )
        assert response.status_code == 202, response.content
        return response.json()

    def inbound(self, at, *, answered_after=None, lasts=8, number="+48601234567"):
        self.count += 1
        call_id = f"in-{self.count}"
        start = f"2026-11-30T{at}:00+01:00"
        self.event("started", call_id, start, **{"from": number, "to": "+48221000000"})
        self.event("ringing", call_id, start, extension="100")
        base = timezone.datetime.fromisoformat(start)
        if answered_after is not None:
            moment = (base + timedelta(seconds=answered_after)).isoformat()
            self.event("answered", call_id, moment, extension="100")
        end = (base + timedelta(seconds=lasts + (answered_after or 0))).isoformat()
        return self.event("ended", call_id, end)

    def outbound(self, at, number, *, answered=True):
        self.count += 1
        call_id = f"out-{self.count}"
        start = f"2026-11-30T{at}:00+01:00"
        self.event("started", call_id, start, **{"from": "100", "to": number})
        if answered:
            self.event("answered", call_id, start.replace(":00+", ":09+"), extension="100")
        return self.event("ended", call_id, start.replace(":00+", ":50+"))


@pytest.fixture
def phone(agent):
    return Phone(agent)


def test_an_answered_call_opens_a_phone_conversation_for_its_agent(phone, agent):
    anna = do_create_contact(actor=None, name="Anna Nowak", phones=["+48601234567"], language="en")
    result = phone.inbound("10:00", answered_after=12, lasts=200)
    ticket = Ticket.objects.get(pk=result["ticket"])
    assert (ticket.channel, ticket.requester, ticket.assignee, ticket.status) == (
        "phone", anna, agent, "open",
    )  # fmt: skip
    assert ticket.subject == "Call from Anna Nowak"
    assert "answered by Piotr Agent after 12 s" in ticket.messages.get().body_text
    page = client_for(agent).get(f"/tickets/{ticket.pk}/")
    assert page.status_code == 200
    assert f'id="call-{result["call"]}"' in page.content.decode()


def test_what_the_conversation_says_of_the_call_is_in_the_clients_language(phone):
    do_create_contact(actor=None, name="Jan Kowalski", phones=["+48601234567"], language="pl")
    ticket = Ticket.objects.get(pk=phone.inbound("10:00")["ticket"])
    assert ticket.subject == "Oddzwonić: Jan Kowalski"
    assert "Nieodebrane połączenie od 601 234 567" in ticket.messages.get().body_text
    assert "Oddzwonić do 2026-11-30 10:30." in ticket.messages.get().body_text


def test_a_call_while_the_conversation_is_open_joins_it(phone):
    first = phone.inbound("10:00", answered_after=5, lasts=60)
    second = phone.inbound("11:00", answered_after=5, lasts=60)
    assert first["ticket"] == second["ticket"]
    assert Ticket.objects.count() == 1
    assert Call.objects.filter(ticket=first["ticket"]).count() == 2


def test_an_unknown_caller_becomes_a_contact_with_the_number(phone):
    result = phone.inbound("10:00", answered_after=5, number="+48 22 555 01 02")
    requester = Ticket.objects.get(pk=result["ticket"]).requester
    assert requester.phones == ["+48225550102"]
    assert Call.objects.get(pk=result["call"]).contact == requester


def test_missed_calls_within_the_hour_open_one_urgent_callback(phone):
    results = [phone.inbound(at) for at in ("10:00", "10:05", "10:40")]
    assert len({result["ticket"] for result in results}) == 1
    ticket = Ticket.objects.get(pk=results[0]["ticket"])
    assert (ticket.priority, ticket.channel) == ("urgent", "phone")
    assert list(ticket.tags.values_list("name", flat=True)) == ["callback"]
    callback = Callback.objects.get()
    assert callback.missed_calls == 3
    assert timezone.localtime(callback.due_at).strftime("%H:%M") == "10:30"
    later = phone.inbound("11:30")
    assert later["ticket"] != ticket.pk
    assert Callback.objects.count() == 2


def test_short_abandons_and_calls_out_of_hours_ask_for_no_callback(phone):
    short = phone.inbound("10:00", lasts=2)
    evening = phone.inbound("19:30")
    assert short["ticket"] is None and evening["ticket"] is None
    reasons = set(Call.objects.values_list("missed_reason", flat=True))
    assert reasons == {"short_abandon", "out_of_hours"}
    assert Ticket.objects.count() == 0


def test_calling_back_links_to_the_callback_and_an_answer_marks_it_done(phone):
    missed = phone.inbound("10:00")
    unanswered = phone.outbound("10:10", "+48601234567", answered=False)
    assert unanswered["ticket"] == missed["ticket"]
    assert Callback.objects.get().done_at is None
    answered = phone.outbound("10:20", "+48 601 234 567")
    assert answered["ticket"] == missed["ticket"]
    callback = Callback.objects.get()
    assert callback.done_by_id == answered["call"]
    assert timezone.localtime(callback.done_at).strftime("%H:%M:%S") == "10:20:09"


def test_a_client_who_gets_through_themselves_needs_no_callback(phone):
    missed = phone.inbound("10:00")
    answered = phone.inbound("10:15", answered_after=5)
    assert answered["ticket"] == missed["ticket"]
    assert Callback.objects.get().done_by_id == answered["call"]


def test_a_cdr_import_files_its_recent_calls_only(tmp_path, agent):
    pbx = Pbx.objects.create(name="centrala")
    Extension.objects.create(pbx=pbx, number="100", user=agent)
    now = timezone.localtime()
    # Both answered (business hours do not matter); one today, one a month ago.
    rows = []
    for index, moment in enumerate((now - timedelta(hours=2), now - timedelta(days=30))):
        start = moment.strftime("%Y-%m-%d %H:%M:%S")
        answer = (moment + timedelta(seconds=9)).strftime("%Y-%m-%d %H:%M:%S")
        end = (moment + timedelta(seconds=99)).strftime("%Y-%m-%d %H:%M:%S")
        rows.append(
            f'"","48601234567","100","from-external","<48601234567>","PJSIP/trunk-{index}",'
            f'"PJSIP/100-{index}","Dial","PJSIP/100","{start}","{answer}","{end}",99,90,'
            f'"ANSWERED","DOCUMENTATION","17000000{index}.1",""\n'
        )
    path = tmp_path / "Master.csv"
    path.write_text("".join(rows))
    out = StringIO()
    call_command(
        "import_calls", str(path), "--format", "asterisk-csv", stdout=out, stderr=StringIO()
    )
    assert "1 recent calls put into conversations." in out.getvalue()
    recent, old = Call.objects.order_by("-started_at")
    assert recent.ticket is not None and recent.ticket.assignee == agent
    assert old.ticket is None
    call_command(
        "import_calls", str(path), "--format", "asterisk-csv", "--file-recent", "0",
        stdout=StringIO(), stderr=StringIO(),
    )  # fmt: skip
    assert Ticket.objects.count() == 1


def test_an_answer_reported_after_the_end_turns_the_callback_into_the_call_it_was(phone, agent):
    phone.event(
        "started",
        "late",
        "2026-11-30T10:00:00+01:00",
        **{"from": "+48601234567", "to": "+48221000000"},
    )
    phone.event("ringing", "late", "2026-11-30T10:00:01+01:00", extension="100")
    missed = phone.event("ended", "late", "2026-11-30T10:03:00+01:00")
    callback = Callback.objects.get()
    assert missed["ticket"] == callback.ticket_id and missed["disposition"] == "missed"
    answered = phone.event("answered", "late", "2026-11-30T10:00:09+01:00", extension="100")
    assert answered["disposition"] == "answered"
    callback.refresh_from_db()
    assert callback.done_by_id == answered["call"]


def test_one_answered_call_back_settles_every_open_callback_of_the_number(phone):
    first = phone.inbound("10:00")
    second = phone.inbound("11:30")
    assert first["ticket"] != second["ticket"]
    back = phone.outbound("11:40", "+48601234567")
    assert back["ticket"] == second["ticket"]
    assert not Callback.objects.filter(done_at__isnull=True).exists()


def test_a_callback_solved_by_hand_is_not_joined_nor_linked(phone, agent):
    from carebase.tickets.actions import do_change_status

    first = phone.inbound("10:00")
    do_change_status(Ticket.objects.get(pk=first["ticket"]), "solved", actor=agent)
    again = phone.inbound("10:20")
    assert again["ticket"] != first["ticket"]
    assert Ticket.objects.get(pk=again["ticket"]).status == "new"
    back = phone.outbound("10:30", "+48601234567")
    assert back["ticket"] == again["ticket"]


def test_a_number_no_contact_can_hold_is_kept_as_a_call_and_opens_nothing(phone):
    result = phone.inbound("10:00", answered_after=5, number="+999")
    assert result["ticket"] is None
    call = Call.objects.get(pk=result["call"])
    assert (call.caller, call.disposition) == ("+999", "answered")


def test_events_that_were_not_applied_are_applied_again(phone):
    from carebase.telephony.actions import do_apply_stranded_events
    from carebase.telephony.models import PbxEvent

    phone.inbound("10:00", answered_after=5)
    PbxEvent.objects.update(processed_at=None, received_at=timezone.now() - timedelta(minutes=5))
    Call.objects.update(talk_seconds=0)
    assert do_apply_stranded_events() == 1
    assert Call.objects.get().talk_seconds == 8
    assert not PbxEvent.objects.filter(processed_at__isnull=True).exists()


def test_a_top_tier_clients_callback_is_due_on_their_tiers_hours(phone, settings):
    from carebase.core.models import Calendar, CalendarTier
    from carebase.crm.models import Organization

    settings.BUSINESS_HOURS = "mon-fri 08:00-10:10"
    premium = Calendar.objects.create(name="Premium", hours="mon-sun 07:00-22:00")
    CalendarTier.objects.create(calendar=premium, tier="strategic")
    tel_net = Organization.objects.create(name="Tel-Net", tier="strategic")
    do_create_contact(actor=None, name="Ewa", phones=["+48601234567"], organization=tel_net)
    do_create_contact(actor=None, name="Olek", phones=["+48601000111"])
    phone.inbound("10:00")  # the desk closes at 10:10: a standard client waits for Tuesday
    phone.inbound("10:00", number="+48601000111")
    due = {
        callback.ticket.requester.name: timezone.localtime(callback.due_at).strftime("%a %H:%M")
        for callback in Callback.objects.select_related("ticket__requester")
    }
    assert due == {"Ewa": "Mon 10:30", "Olek": "Tue 08:20"}
