"""The head's chat rules: whether an unanswered question needs a reason to
close, and the sweep that checks in on an idle chat and then closes it,
once each however often it runs; the visitor's transcript by email."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from carebase.chat import actions
from carebase.chat.models import AgentState, Chat, ChatRules, ChatStatus, Widget
from carebase.testing import client_for
from carebase.tickets.actions import do_add_reply
from carebase.tickets.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat(agent):
    widget = Widget.objects.create(name="Sklep", allowed_origins=["https://shop.example"])
    actions.do_set_agent_state(agent, AgentState.AVAILABLE)
    visitor = actions.do_start_visitor(widget, language="pl")
    actions.do_identify_visitor(visitor, name="Ewa", email="ewa@shop.example")
    actions.do_receive_visitor_message(visitor, client_id="1", text="Jak dodać numer?")
    return Chat.objects.select_related("ticket", "visitor", "agent").get()


def test_the_head_sets_the_rules_and_an_agent_may_not(head_of_support, agent, chat):
    response = client_for(agent).get("/chat/rules/")
    assert response.status_code == 403
    client = client_for(head_of_support)
    assert client.get("/chat/rules/").status_code == 200
    response = client.post(
        "/chat/rules/",
        {
            "checkin_after_minutes": 3,
            "close_after_minutes": 0,
            "checkin_en": "Hi?",
            "checkin_pl": "Halo?",
        },
    )
    assert response.status_code == 422
    assert ChatRules.current().checkin_after_minutes == 5  # nothing changed
    response = client.post(
        "/chat/rules/",
        {
            "checkin_after_minutes": 3,
            "close_after_minutes": 7,
            "checkin_en": "Hi?",
            "checkin_pl": "Halo?",
        },
    )
    assert response.status_code == 302
    rules = ChatRules.current()
    assert (rules.reason_for_unanswered, rules.checkin_after_minutes, rules.updated_by) == (
        False,
        3,
        head_of_support,
    )
    # Without the reason rule, an unanswered chat closes with a resolution alone.
    actions.do_close_chat(chat, actor=agent, resolution="follow_up")
    chat.refresh_from_db()
    assert chat.status == ChatStatus.CLOSED


def test_an_idle_chat_gets_one_check_in_then_closes(chat, agent):
    do_add_reply(chat.ticket, body="Numer dodaje się w Ustawieniach.", author_user=agent)
    assert actions.do_sweep_idle_chats() == (0, 0)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert actions.do_sweep_idle_chats() == (1, 0)
        assert actions.do_sweep_idle_chats() == (0, 0)  # once, however often it runs
    chat.refresh_from_db()
    checkin = chat.ticket.messages.order_by("-id").first()
    assert checkin.body_text == ChatRules.current().checkin_pl and checkin.author_user == agent
    with time_machine.travel(timezone.now() + timedelta(minutes=17)):
        assert actions.do_sweep_idle_chats() == (0, 1)
        assert actions.do_sweep_idle_chats() == (0, 0)
    chat.refresh_from_db()
    chat.ticket.refresh_from_db()
    assert (chat.status, chat.resolution, chat.ticket.status) == (
        ChatStatus.CLOSED,
        "resolved",
        Status.SOLVED,
    )
    assert "No answer from the visitor" in chat.close_reason


def test_a_visitor_who_answers_the_check_in_keeps_the_chat_and_a_waiting_one_is_left(chat, agent):
    do_add_reply(chat.ticket, body="Numer dodaje się w Ustawieniach.", author_user=agent)
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        actions.do_sweep_idle_chats()
        actions.do_receive_visitor_message(chat.visitor, client_id="2", text="Jeszcze jedno…")
    with time_machine.travel(timezone.now() + timedelta(minutes=30)):
        # The visitor waits for the agent: no check-in, no closing.
        assert actions.do_sweep_idle_chats() == (0, 0)
    chat.refresh_from_db()
    assert chat.status == ChatStatus.ACTIVE


def test_the_visitor_gets_the_transcript_by_email(chat, agent, django_capture_on_commit_callbacks):
    do_add_reply(chat.ticket, body="Numer dodaje się w Ustawieniach.", author_user=agent)
    do_add_reply(chat.ticket, body="Notatka dla zespołu", public=False, author_user=agent)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_send_transcript(chat.visitor)
    (sent,) = mail.outbox
    assert sent.to == ["ewa@shop.example"] and chat.ticket.reference in sent.subject
    assert "Jak dodać numer?" in sent.body and "Numer dodaje się w Ustawieniach." in sent.body
    assert "Notatka dla zespołu" not in sent.body
    anonymous = actions.do_start_visitor(chat.widget)
    with pytest.raises(actions.ValidationError):
        actions.do_send_transcript(anonymous)


def test_a_flood_across_the_edge_of_a_counting_bucket_still_gets_only_the_limit_through():
    widget = Widget.objects.create(name="Sklep", allowed_origins=["https://shop.example"])
    visitor = actions.do_start_visitor(widget, language="pl")
    edge = (int(timezone.now().timestamp()) // actions.RATE_WINDOW + 1) * actions.RATE_WINDOW
    before_edge = datetime.fromtimestamp(edge - 1, tz=UTC)
    accepted = 0
    with time_machine.travel(before_edge, tick=False) as clock:
        for number in range(actions.RATE_LIMIT * 2):
            if number == actions.RATE_LIMIT // 2:
                clock.shift(2)  # over the edge, into the next bucket
            try:
                actions.check_rate(visitor)
                accepted += 1
            except actions.Flood as flood:
                assert 1 <= flood.retry_after <= actions.RATE_WINDOW
        assert accepted == actions.RATE_LIMIT
        clock.shift(actions.RATE_WINDOW)  # the first bucket is behind
        with pytest.raises(actions.Flood):  # the second still holds the flood
            actions.check_rate(visitor)
        clock.shift(actions.RATE_WINDOW)
        actions.check_rate(visitor)  # and a quiet visitor may write again


def test_a_widget_is_online_in_its_teams_hours_not_the_desks(agent):
    from carebase.accounts.models import Team
    from carebase.core.models import Calendar

    night_desk = Team.objects.create(name="Nocna zmiana", slug="noc", kind="support")
    night_desk.members.add(agent)
    widget = Widget.objects.create(name="Sklep", allowed_origins=["https://shop.example"])
    actions.do_set_agent_state(agent, AgentState.AVAILABLE)
    saturday_night = datetime(2026, 12, 5, 23, 30, tzinfo=ZoneInfo("Europe/Warsaw"))
    with time_machine.travel(saturday_night, tick=False):
        assert not actions.agents_available(widget)  # the desk's hours: closed
        widget.team = night_desk
        assert not actions.agents_available(widget)  # a team on the desk's hours too
        night_desk.calendar = Calendar.objects.create(name="Noc", hours="mon-sun 20:00-24:00")
        night_desk.save(update_fields=["calendar"])
        widget.team = Team.objects.select_related("calendar").get(pk=night_desk.pk)
        assert actions.agents_available(widget)
