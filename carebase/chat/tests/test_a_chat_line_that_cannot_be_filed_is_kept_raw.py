"""A chat line is stored raw and filed in one transaction; when filing fails
(here a fault injected into the filing step, the database being real), the
raw line is still kept, with the reason, and the minute sweep files it once
filing works again. A line sent twice is filed once."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from carebase.chat import actions
from carebase.chat.models import AgentState, InboundChatMessage, Widget
from carebase.tickets.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor(agent):
    widget = Widget.objects.create(name="Sklep", allowed_origins=["https://shop.example"])
    actions.do_set_agent_state(agent, AgentState.AVAILABLE)
    visitor = actions.do_start_visitor(widget, language="pl")
    actions.do_receive_visitor_message(visitor, client_id="1", text="Dzień dobry")
    return visitor


def test_a_line_whose_filing_fails_is_kept_raw_and_filed_by_the_sweep(visitor, monkeypatch):
    def broken(inbound):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(actions, "_file", broken)
    received = actions.do_receive_visitor_message(visitor, client_id="2", text="Mam pytanie")
    assert received.message is None and not received.duplicate
    kept = InboundChatMessage.objects.get(visitor=visitor, client_id="2")
    assert kept.raw == {"text": "Mam pytanie"} and "the disk is full" in kept.error
    assert not Message.objects.filter(body_text="Mam pytanie").exists()

    monkeypatch.undo()
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        assert actions.file_stranded_messages() == 1
    kept.refresh_from_db()
    assert kept.message is not None and kept.message.body_text == "Mam pytanie"


def test_a_line_sent_again_is_filed_once(visitor):
    first = actions.do_receive_visitor_message(visitor, client_id="2", text="Mam pytanie")
    again = actions.do_receive_visitor_message(visitor, client_id="2", text="Mam pytanie")
    assert not first.duplicate and again.duplicate
    assert again.message == first.message
    assert Message.objects.filter(body_text="Mam pytanie").count() == 1
