"""When a feature is done, the head tells its requesters in one action: one
email per person however many of their conversations asked, in the person's
language, with the title and the head's decision. Nobody is told twice;
nobody is told before the feature is done."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from carebase.testing import client_for
from carebase.workflow.features import do_create_feature, do_decide_feature, do_link_ticket
from carebase.workflow.models import FeatureRequest

from .feature_helpers import conversation, organization, person

pytestmark = pytest.mark.django_db
DECISION = "Dostępne w wersji 4.2: Integracje → Slack."


@pytest.fixture
def feature(agent):
    telnet = organization("Tel-Net", "1200")
    berlin = organization("Berlin Calls", "99", currency="EUR")
    anna = person("Anna Nowak", telnet, language="pl")
    jonas = person("Jonas Weber", berlin, language="en")
    nobody = person("Bez Adresu", telnet, email=False)
    feature = do_create_feature(title="Powiadomienia na Slacku", actor=agent)
    for requester in (anna, anna, jonas, nobody):
        do_link_ticket(feature, conversation(requester), actor=agent)
    return feature


def test_notifying_is_refused_until_the_feature_is_done(head_of_support, feature, api_as):
    do_decide_feature(feature, actor=head_of_support, status="planned")
    response = api_as(head_of_support).post(f"/features/{feature.pk}/notify")
    assert response.status_code == 409
    client = client_for(head_of_support)
    response = client.post(f"/workflow/features/{feature.pk}/notify/", follow=True)
    assert "Only a feature that is done" in response.content.decode()
    assert mail.outbox == []
    assert not FeatureRequest.objects.filter(notified_at__isnull=False).exists()


def test_each_requester_is_emailed_once_in_their_language(
    head_of_support, feature, api_as, agent, django_capture_on_commit_callbacks
):
    do_decide_feature(feature, actor=head_of_support, status="done", decision=DECISION)
    page = client_for(head_of_support).get(f"/workflow/features/{feature.pk}/").content.decode()
    assert "Notify 2 requesters" in page and "1 requester has no email address" in page

    moment = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw"))
    with (
        time_machine.travel(moment, tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = api_as(head_of_support).post(f"/features/{feature.pk}/notify")
    assert response.status_code == 200
    assert response.json() == {"emailed": 2, "notified_before": 0, "without_email": 1}
    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"anna@tel-net.example", "jonas@berlin-calls.example"}
    polish, english = by_address["anna@tel-net.example"], by_address["jonas@berlin-calls.example"]
    assert polish.subject == "Gotowe: Powiadomienia na Slacku"
    assert "Dzień dobry Anna Nowak" in polish.body and DECISION in polish.body
    assert english.subject == "Done: Powiadomienia na Slacku"
    assert "It is ready." in english.body and DECISION in english.body
    told = FeatureRequest.objects.filter(notified_at=moment)
    assert told.count() == 3  # both of Anna's conversations, and Jonas's

    # Again: nobody new to tell.
    with django_capture_on_commit_callbacks(execute=True):
        again = api_as(head_of_support).post(f"/features/{feature.pk}/notify")
    assert again.json()["emailed"] == 0
    assert len(mail.outbox) == 2

    # A requester linked later is told; Anna, asking once more, is not.
    latecomer = person("Ola Późna", organization("Późni", "10"))
    do_link_ticket(feature, conversation(latecomer), actor=agent)
    anna = FeatureRequest.objects.filter(notified_at__isnull=False).first().ticket.requester
    do_link_ticket(feature, conversation(anna), actor=agent)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(head_of_support).post(
            f"/workflow/features/{feature.pk}/notify/", follow=True
        )
    assert "One requester will get an email." in response.content.decode()
    assert [message.to for message in mail.outbox[2:]] == [["ola@późni.example"]]


def test_the_conversation_shows_when_its_requester_was_told(head_of_support, feature):
    do_decide_feature(feature, actor=head_of_support, status="done", decision=DECISION)
    client = client_for(head_of_support)
    client.post(f"/workflow/features/{feature.pk}/notify/")
    ticket = FeatureRequest.objects.filter(notified_at__isnull=False).first().ticket
    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    assert "The requester was emailed that the feature is done" in page
