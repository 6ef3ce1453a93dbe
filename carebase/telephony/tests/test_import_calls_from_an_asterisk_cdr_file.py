"""`manage.py import_calls --format asterisk-csv FILE` turns a Master.csv into
calls: direction, agent (by extension), caller as E.164 and the contact
holding that number, wait and talk time, disposition and why a call was
missed. Bad lines are listed by number and skipped, unknown extensions are
kept for mapping, and importing again changes nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils.timezone import localtime

from carebase.crm.actions import do_create_contact
from carebase.telephony.models import Call, Extension, Pbx

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).parent / "data" / "Master.csv"


def import_calls(path=SAMPLE, *extra):
    out = StringIO()
    call_command(
        "import_calls", str(path), "--format", "asterisk-csv", *extra, stdout=out, stderr=StringIO()
    )
    return out.getvalue()


def test_a_master_csv_becomes_calls_and_its_bad_lines_are_listed(agent):
    pbx = Pbx.objects.create(name="centrala")
    Extension.objects.create(pbx=pbx, number="100", user=agent)
    jan = do_create_contact(actor=None, name="Jan Kowalski", phones=["+48 22 123 45 67"])
    output = import_calls()
    assert "12 records: 6 calls imported, 0 updated, 0 unchanged, 6 records skipped." in output
    for line in (6, 7, 9, 10, 11, 13):
        assert f"line {line}: " in output
    assert "New extensions, to map to agents: 101, 102" in output
    assert sorted(Extension.objects.filter(user__isnull=True).values_list("number", flat=True)) == [
        "101",
        "102",
    ]
    calls = {localtime(call.started_at).strftime("%H:%M"): call for call in Call.objects.all()}
    answered = calls["09:15"]
    assert (answered.direction, answered.disposition, answered.missed_reason) == (
        "inbound",
        "answered",
        "",
    )
    assert (answered.caller, answered.caller_name, answered.callee) == (
        "+48221234567",
        "Jan Kowalski",
        "100",
    )
    assert answered.agent == agent and answered.contact == jan
    assert (answered.wait_seconds, answered.talk_seconds) == (8, 272)
    # Nobody was free in the queue: the caller waited 7 s and hung up.
    queued = calls["09:20"]
    assert (queued.disposition, queued.missed_reason, queued.line) == (
        "missed",
        "no_agent",
        "support",
    )
    assert queued.caller == "+48601234567" and queued.agent is None
    outbound = calls["10:00"]
    assert (outbound.direction, outbound.callee, outbound.talk_seconds) == (
        "outbound",
        "+48221234567",
        180,
    )
    assert outbound.extension.number == "101" and outbound.agent is None  # not mapped yet
    assert outbound.contact == jan
    # Extension 100 rang and was busy; 102 was congested.
    assert (calls["11:00"].disposition, calls["11:00"].missed_reason) == ("busy", "not_answered")
    assert calls["11:05"].disposition == "failed"


def test_importing_again_changes_nothing():
    import_calls()
    assert "0 calls imported, 0 updated, 6 unchanged" in import_calls()
    assert Call.objects.count() == 6


def test_a_later_leg_of_a_call_updates_it(tmp_path):
    import_calls()
    later = tmp_path / "Master.csv"
    # The busy call of 11:00 (linkedid 1730541600.5) went on to extension 101.
    later.write_text(
        '"","48221234567","101","from-external","<48221234567>","PJSIP/trunk-00000020",'
        '"PJSIP/101-00000021","Dial","PJSIP/101,30,tT","2026-11-02 11:00:20",'
        '"2026-11-02 11:00:26","2026-11-02 11:02:26",126,120,"ANSWERED","DOCUMENTATION",'
        '"1730541620.7","","","1730541600.5",14\n'
    )
    assert "0 calls imported, 1 updated" in import_calls(later)
    call = Call.objects.get(unique_id="1730541600.5")
    assert (call.disposition, call.missed_reason, call.extension.number) == ("answered", "", "101")
    assert (call.wait_seconds, call.talk_seconds) == (26, 120)


def test_several_pbxs_need_a_name_and_a_missing_file_is_an_error(tmp_path):
    Pbx.objects.create(name="warszawa")
    Pbx.objects.create(name="krakow")
    with pytest.raises(CommandError, match="several PBXs"):
        import_calls()
    with pytest.raises(CommandError, match="No PBX"):
        import_calls(SAMPLE, "--pbx", "gdansk")
    with pytest.raises(CommandError, match="Cannot read"):
        import_calls(tmp_path / "missing.csv", "--pbx", "krakow")
    assert not Call.objects.exists()


def test_a_call_in_the_hour_that_repeats_when_summer_time_ends_is_imported_once(tmp_path):
    autumn = tmp_path / "Master.csv"
    autumn.write_text(
        '"","48221234567","100","from-external","<48221234567>","PJSIP/trunk-00000030",'
        '"PJSIP/100-00000031","Dial","PJSIP/100,30,tT","2026-10-25 02:30:00",'
        '"2026-10-25 02:30:04","2026-10-25 02:31:04",64,60,"ANSWERED","DOCUMENTATION",'
        '"1792888200.30",""\n'
    )
    assert "1 calls imported" in import_calls(autumn)
    assert "0 updated, 1 unchanged" in import_calls(autumn)


def test_the_import_shows_a_progress_bar_with_the_share_read_and_the_rate(db):
    err = StringIO()
    call_command(
        "import_calls", str(SAMPLE), "--format", "asterisk-csv", stdout=StringIO(), stderr=err
    )
    bar = err.getvalue()
    assert "[##############################] 100% 12 records," in bar
    assert "/s, 0 s left" in bar


def test_drafting_in_another_process_gives_the_same_calls_and_line_numbers(
    tmp_path, monkeypatch, agent
):
    from carebase.telephony import actions

    # Small chunks, so that the legs of calls and a quoted line break fall on
    # their borders, as they do in a file of a million records.
    monkeypatch.setattr(actions, "CHUNK", 3)
    path = tmp_path / "Master.csv"
    lines = SAMPLE.read_text().splitlines(keepends=True)
    path.write_text("".join(lines * 2))
    Extension.objects.create(pbx=Pbx.objects.create(name="centrala"), number="100", user=agent)

    def imported(workers):
        out = StringIO()
        call_command(
            "import_calls", str(path), "--format", "asterisk-csv", "--workers", str(workers),
            "--file-recent", "0", stdout=out, stderr=StringIO(),
        )  # fmt: skip
        calls = sorted(
            Call.objects.values_list(
                "unique_id", "direction", "caller", "callee", "agent", "started_at",
                "answered_at", "ended_at", "disposition", "missed_reason",
            )
        )  # fmt: skip
        return out.getvalue(), calls

    in_one, calls_in_one = imported(0)
    Call.objects.all().delete()
    Extension.objects.filter(user__isnull=True).delete()
    in_two, calls_in_two = imported(1)
    assert calls_in_two == calls_in_one
    assert in_two == in_one
    assert f"line {len(lines) + 6}: " in in_two  # a bad line of the second copy


def test_deletes_keep_calls_consistent_without_database_constraints(agent):
    """Calls and rings name their PBX, extension and agent without a
    constraint in the database (docs/architecture.md): Django's delete
    must still protect, null and cascade."""
    from django.db.models import ProtectedError

    from carebase.telephony.models import Ring

    pbx = Pbx.objects.create(name="centrala")
    extension = Extension.objects.create(pbx=pbx, number="100", user=agent)
    import_calls()
    answered = Call.objects.filter(agent=agent).count()
    assert answered and Ring.objects.filter(agent=agent).exists()
    with pytest.raises(ProtectedError):
        pbx.delete()
    agent.delete()
    assert Call.objects.filter(extension=extension, agent__isnull=True).count() == answered
    assert not Ring.objects.filter(agent__isnull=False).exists()
    extension.delete()
    assert not Call.objects.filter(extension__number="100").exists()
    assert not Ring.objects.filter(extension__number="100").exists()
    call = Call.objects.filter(rings__isnull=False).first()
    others = Ring.objects.exclude(call=call).count()
    call.delete()
    assert Ring.objects.count() == others


def test_an_import_leaves_the_cycle_collector_on(db):
    import gc

    Pbx.objects.create(name="centrala")
    import_calls()
    assert gc.isenabled()
