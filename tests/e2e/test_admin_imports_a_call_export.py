from pathlib import Path

import pytest
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.telephony.models import Call
from carebase.testing import make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("media_in_tmp"),
]
SAMPLE = Path(__file__).parents[2] / "carebase/telephony/tests/data/calls-export.csv"


def test_an_admin_maps_the_columns_of_an_export_and_imports_it(signed_in):
    make_user("ania", Role.ADMIN, first_name="Ania")
    page = signed_in("ania")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calls").click()
    page.get_by_role("link", name="Import calls").click()
    page.get_by_label("Format").select_option("csv")
    page.get_by_label("File").set_input_files(SAMPLE)
    page.get_by_label("Put into the queue the calls of the last (hours)").fill("0")
    for field, column in {
        "call_id": "Call ID", "start": "Start Time", "answer": "Answered At",
        "end": "End Time", "caller": "From", "callee": "To", "agent": "Agent Ext",
        "line": "Queue", "disposition": "Status", "caller_name": "Caller Name",
    }.items():  # fmt: skip
        page.get_by_label(field, exact=True).fill(column)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Done")
    expect(page.locator("dl.facts")).to_contain_text("4")
    expect(page.get_by_role("heading", name="Skipped lines")).to_be_visible()
    expect(page.get_by_role("cell", name="Unknown disposition “Exploded”.")).to_be_visible()
    assert Call.objects.count() == 4
