"""The demo's feature board: telephony wishes in every status, decided by
the head of support, each asked for by conversations of several
organizations (some of another type, now feature requests); seeded once."""

from io import StringIO

import pytest
from django.core.management import call_command

from carebase.accounts.models import User
from carebase.testing import client_for
from carebase.tickets.models import RequestType, Ticket
from carebase.workflow.features import with_counts
from carebase.workflow.models import Feature, FeatureRequest, FeatureStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


def test_the_demo_fills_the_feature_board_once():
    call_command("demo", tickets=60, stdout=StringIO())
    features, requests = Feature.objects.count(), FeatureRequest.objects.count()
    tickets = Ticket.objects.count()
    call_command("demo", tickets=60, stdout=StringIO())  # again: nothing doubled
    assert (Feature.objects.count(), FeatureRequest.objects.count()) == (features, requests)
    assert Ticket.objects.count() == tickets

    assert 6 <= features <= 8
    assert set(Feature.objects.values_list("status", flat=True)) == set(FeatureStatus.values)
    head = User.objects.get(username="kasia.head")
    decided = Feature.objects.exclude(status=FeatureStatus.NEW)
    assert all(feature.decided_by == head for feature in decided)
    final = decided.filter(status__in=["planned", "done", "declined"])
    assert final.exists() and all(feature.decision for feature in final)
    counted = with_counts(Feature.objects.all())
    assert sum(1 for f in counted if f.organization_count >= 2) >= 5
    linked = Ticket.objects.filter(feature_request__isnull=False)
    assert not linked.exclude(status="closed").exclude(type=RequestType.FEATURE_REQUEST).exists()

    page = client_for(head).get("/workflow/features/").content.decode()
    assert "Kreator IVR po polsku" in page and "Eksport nagrań rozmów do Amazon S3" in page
    hubspot = Feature.objects.get(title="Integracja CRM z HubSpot")
    detail = client_for(head).get(f"/workflow/features/{hubspot.pk}/").content.decode()
    assert "PLN" in detail and "Połączenia w HubSpot" in detail
