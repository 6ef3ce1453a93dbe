"""From a conversation, an agent flags a suggested article as outdated: a
review item for its owner, linked to the conversation, and an event; a note
is required; nobody flags what they may not read or a conversation they do
not work."""

import pytest

from carebase.core.events import events_for
from carebase.core.roles import Role
from carebase.crm.models import Contact
from carebase.kb.models import EventKind, ReviewItem, ReviewKind
from carebase.kb.tests.agent_helpers import conversation
from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def guide(mentor):
    return article("Przekierowanie połączeń", "Ustaw przekierowanie w panelu.", owner=mentor)


def flag_url(ticket, article):
    return f"/kb/tickets/{ticket.pk}/articles/{article.pk}/flag/"


def test_a_flag_reaches_the_owner_linked_to_the_conversation(agent, mentor, guide):
    ticket = conversation()
    client = client_for(agent)
    answer = client.post(
        flag_url(ticket, guide), {"note": "Panel ma teraz zakładkę Routing."}, follow=True
    )
    assert answer.redirect_chain == [(f"/tickets/{ticket.pk}/", 302)]
    assert "Flagged “Przekierowanie połączeń” as outdated" in answer.content.decode()
    item = ReviewItem.objects.get()
    assert (item.article, item.kind, item.ticket, item.created_by) == (
        guide,
        ReviewKind.OUTDATED,
        ticket,
        agent,
    )
    assert item.note == "Panel ma teraz zakładkę Routing." and item.article.owner == mentor
    event = events_for(guide).get(kind=EventKind.FLAGGED)
    assert event.actor == agent and event.data["ticket"] == ticket.pk


def test_a_flag_needs_a_note(agent, guide):
    ticket = conversation()
    answer = client_for(agent).post(flag_url(ticket, guide), {"note": "   "})
    assert answer.status_code == 422
    page = answer.content.decode()
    assert "This field is required." in page and 'name="note"' in page
    assert not ReviewItem.objects.exists()


def test_the_flag_form_has_a_page_of_its_own(agent, guide):
    ticket = conversation()
    answer = client_for(agent).get(flag_url(ticket, guide))
    assert answer.status_code == 200 and "Przekierowanie połączeń" in answer.content.decode()


def test_an_article_the_agent_may_not_read_is_not_found(agent):
    hidden = article(
        "Przekierowanie połączeń a rabaty",
        "Dla zespołu sukcesu.",
        visibility="roles",
        reader_roles=[Role.HEAD_OF_SUCCESS],
    )
    draft = article("Przekierowanie warunkowe", publish=False)
    ticket = conversation()
    client = client_for(agent)
    for unseen in (hidden, draft):
        assert client.post(flag_url(ticket, unseen), {"note": "Stare."}).status_code == 404
    assert not ReviewItem.objects.exists()


def test_those_who_do_not_work_the_conversation_cannot_flag(customer, outsider, guide):
    ticket = conversation(contact=Contact.objects.get(user=customer))
    # The customer sees their conversation, but does not work it.
    assert client_for(customer).post(flag_url(ticket, guide), {"note": "x"}).status_code == 403
    assert client_for(outsider).post(flag_url(ticket, guide), {"note": "x"}).status_code == 404
    sales = make_user("sales1", Role.SALES)
    assert client_for(sales).post(flag_url(ticket, guide), {"note": "x"}).status_code == 404
    assert not ReviewItem.objects.exists()
