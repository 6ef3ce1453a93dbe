"""A generic CSV with a header row, its columns named by a mapping: dates
in ISO 8601 or DD.MM.YYYY, dispositions in words, the agent's extension;
bad lines listed by number and skipped. Admins import files from the calls
pages too: the worker imports them and the page shows the summary."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils.timezone import localtime

from carebase.telephony.models import Call, CallImport, Extension, Pbx
from carebase.testing import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]

SAMPLE = Path(__file__).parent / "data" / "calls-export.csv"
COLUMNS = (
    "call_id=Call ID,start=Start Time,answer=Answered At,end=End Time,caller=From,callee=To,"
    "caller_name=Caller Name,agent=Agent Ext,line=Queue,disposition=Status"
)


def import_csv(*extra, path=SAMPLE):
    out = StringIO()
    call_command(
        "import_calls", str(path), "--format", "csv", *extra, "--file-recent", "0",
        stdout=out, stderr=StringIO(),
    )  # fmt: skip
    return out.getvalue()


def test_a_mapped_csv_becomes_calls_and_its_bad_lines_are_listed(agent):
    pbx = Pbx.objects.create(name="centrala")
    Extension.objects.create(pbx=pbx, number="100", user=agent)
    output = import_csv("--columns", COLUMNS)
    assert "9 records: 4 calls imported, 0 updated, 0 unchanged, 5 records skipped." in output
    assert "line 6: The start time “yesterday” is not a date and time" in output
    assert "line 7: The call ends before it starts or is answered." in output
    assert "line 8: Unknown disposition “Exploded”." in output
    assert "line 9: The call id is empty." in output
    assert "line 10: 2 columns; the header has more." in output
    calls = {call.unique_id: call for call in Call.objects.all()}
    answered = calls["c-1001"]
    assert (answered.direction, answered.disposition, answered.agent) == (
        "inbound",
        "answered",
        agent,
    )
    assert (answered.caller_name, answered.line, answered.wait_seconds, answered.talk_seconds) == (
        "Jan Kowalski", "support", 8, 272,
    )  # fmt: skip
    missed = calls["c-1002"]
    assert (missed.caller, missed.disposition) == ("+48601234567", "missed")
    assert localtime(missed.started_at).strftime("%d.%m %H:%M") == "30.11 09:20"
    outbound = calls["c-1003"]
    assert (outbound.direction, outbound.agent, outbound.talk_seconds) == ("outbound", agent, 180)
    assert calls["c-1004"].disposition == "busy"
    # Importing again changes nothing.
    assert "0 calls imported, 0 updated, 4 unchanged" in import_csv("--columns", COLUMNS)


def test_a_mapping_that_does_not_fit_the_file_is_refused(db):
    with pytest.raises(CommandError, match="has no column “Begin”"):
        import_csv("--columns", "call_id=Call ID,start=Begin")
    with pytest.raises(CommandError, match="Name the columns of: start, caller, callee"):
        import_csv("--columns", "call_id=Call ID")
    with pytest.raises(CommandError, match="“begin” is not a field carebase reads"):
        import_csv("--columns", "begin=Start Time")
    assert Call.objects.count() == 0


def upload(name="calls-export.csv"):
    return SimpleUploadedFile(name, SAMPLE.read_bytes(), "text/csv")


def mapping_form(**extra):
    fields = dict(part.split("=") for part in COLUMNS.split(","))
    return {f"column_{field}": column for field, column in fields.items()} | extra


def test_an_admin_imports_a_file_from_the_page_and_sees_its_summary(
    admin, agent, django_capture_on_commit_callbacks
):
    pbx = Pbx.objects.create(name="centrala")
    client = client_for(admin)
    assert client.get("/calls/imports/").status_code == 200
    form = mapping_form(pbx=pbx.pk, format="csv", file=upload(), file_recent_hours=0)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/calls/imports/", form)
    job = CallImport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/calls/imports/{job.pk}/"
    assert (job.status, job.rows, job.imported, job.skipped) == ("done", 9, 4, 5)
    assert job.new_extensions == ["100"]
    page = client.get(response["Location"]).content.decode()
    assert "The call ends before it starts or is answered." in page
    assert "New extensions, to map to agents" in page


def test_a_mapping_that_does_not_fit_is_said_on_the_form_and_nothing_is_kept(admin):
    pbx = Pbx.objects.create(name="centrala")
    form = mapping_form(pbx=pbx.pk, format="csv", file=upload(), file_recent_hours=0)
    form["column_start"] = "Begin"
    response = client_for(admin).post("/calls/imports/", form)
    assert response.status_code == 422
    assert "The file has no column “Begin”" in response.content.decode()
    assert CallImport.objects.count() == 0


def test_an_asterisk_file_imports_from_the_page_too(admin, django_capture_on_commit_callbacks):
    pbx = Pbx.objects.create(name="centrala")
    master = Path(__file__).parent / "data" / "Master.csv"
    form = {
        "pbx": pbx.pk, "format": "asterisk-csv", "file_recent_hours": 0,
        "file": SimpleUploadedFile("Master.csv", master.read_bytes(), "text/csv"),
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client_for(admin).post("/calls/imports/", form)
    job = CallImport.objects.get()
    assert (job.status, job.imported, job.skipped) == ("done", 6, 6)


def test_only_admins_import_calls(head_of_support, agent):
    for user in (head_of_support, agent):
        assert client_for(user).get("/calls/imports/").status_code == 403
    assert "Import calls" not in client_for(agent).get("/calls/").content.decode()
