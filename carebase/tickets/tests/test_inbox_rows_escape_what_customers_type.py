"""The inbox rows are written out in Python (see tickets/views.py ROW_HTML):
whatever a customer puts in a subject, a name or a tag arrives as text."""

import pytest

from carebase.crm.actions import do_create_contact
from carebase.crm.models import Organization
from carebase.testing import client_for
from carebase.tickets.actions import do_create_ticket

pytestmark = pytest.mark.django_db


def test_subjects_names_organizations_and_tags_are_escaped_in_the_rows(agent):
    organization = Organization.objects.create(name="<b>Evil & Co</b>")
    requester = do_create_contact(
        actor=None,
        name='Mallory "><script>alert(1)</script>',
        organization=organization,
        emails=["mallory@evil.example"],
    )
    ticket = do_create_ticket(
        subject="<img src=x onerror=alert(2)> it's broken",
        body="x",
        requester=requester,
        channel="email",
        tags=["<svg onload=alert(3)>"],
    )
    page = client_for(agent).get("/tickets/", {"queue": "all"}).content.decode()
    rows = page[page.index("<tbody>") : page.index("</tbody>")]
    assert "<script>" not in rows and "<img" not in rows and "<svg" not in rows
    assert "<b>" not in rows
    assert "&lt;img src=x onerror=alert(2)&gt; it&#x27;s broken" in rows
    assert "Mallory &quot;&gt;&lt;script&gt;" in rows
    assert "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in rows
    assert "&lt;svg onload=alert(3)&gt;" in rows
    assert f'href="/tickets/{ticket.pk}/"' in rows
    assert f'aria-label="Tick {ticket.reference}"' in rows
