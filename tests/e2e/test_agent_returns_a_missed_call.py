import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.crm.actions import do_create_contact
from carebase.telephony.models import Extension, Pbx
from carebase.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def post_event(token, **body):
    response = Client().post(
        "/api/v1/telephony/events",
        data=json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 202, response.content


def test_an_agent_sees_a_missed_call_to_return_and_writes_its_summary(signed_in):
    agent = make_user("piotr", Role.SUPPORT_AGENT, first_name="Piotr", last_name="Agent")
    out = StringIO()
    call_command("pbx_token", "centrala", stdout=out, stderr=StringIO())
    token = out.getvalue().strip()
    Extension.objects.create(pbx=Pbx.objects.get(name="centrala"), number="100", user=agent)
    do_create_contact(actor=None, name="Anna Nowak", phones=["+48601234567"], language="en")
    # Monday 30 November 2026, 10:00 in Warsaw: the desk is open.
    common = {"call_id": "1764493200.7", "from": "+48601234567", "to": "+48221000000"}
    post_event(token, event="started", at="2026-11-30T10:00:00+01:00", line="support", **common)
    post_event(token, event="ringing", at="2026-11-30T10:00:02+01:00", extension="100", **common)
    post_event(token, event="ended", at="2026-11-30T10:00:40+01:00", reason="no_answer", **common)

    page = signed_in("piotr")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calls").click()
    callbacks = page.get_by_role("region", name="To call back")
    expect(callbacks).to_contain_text("Anna Nowak")
    expect(callbacks.get_by_role("link", name="601 234 567")).to_have_attribute(
        "href", "tel:+48601234567"
    )
    page.get_by_label("Disposition").select_option("missed")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("table.calls tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Agents did not answer")
    rows.first.get_by_role("link").first.click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Missed")
    page.get_by_label("Summary of the call").fill("Called back: wants recordings on line 2.")
    page.get_by_role("button", name="Add summary").click()
    expect(page.get_by_role("status")).to_contain_text("Summary added")
    page.locator("dl.facts").get_by_role("link", name="Call back Anna Nowak").click()

    timeline = page.get_by_role("list", name="Timeline")
    expect(timeline).to_contain_text("Call from")
    expect(timeline).to_contain_text("Call back by")
    expect(timeline).to_contain_text("Called back: wants recordings on line 2.")
