"""Every message of the real-world corpus is stored as it came and either
filed into a conversation or listed as needing attention with a reason:
none crashes processing, none is lost."""

import pytest

from carebase.mail.actions import do_process_email, do_receive_email
from carebase.mail.models import InboundEmail, InboundStatus
from carebase.mail.tests.conftest import CORPUS

pytestmark = pytest.mark.django_db

FILES = sorted(
    path
    for path in CORPUS.rglob("*")
    if path.is_file() and path.name not in ("README.md", "LICENSE", "COPYING")
)


def test_the_corpus_is_there():
    assert len(FILES) >= 200


@pytest.mark.parametrize("path", FILES, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_a_corpus_message_is_stored_then_filed_or_flagged(path, mailbox):
    raw = path.read_bytes()
    inbound = do_receive_email(raw, mailbox=mailbox, source="pipe")
    outcome = do_process_email(inbound)
    stored = InboundEmail.objects.get(pk=inbound.pk)
    assert bytes(stored.raw) == raw
    assert stored.status in (
        InboundStatus.CREATED,
        InboundStatus.APPENDED,
        InboundStatus.DUPLICATE,
        InboundStatus.NEEDS_ATTENTION,
    )
    if stored.status == InboundStatus.NEEDS_ATTENTION:
        assert stored.error
        assert stored.ticket is None
    else:
        assert stored.ticket is not None
        assert stored.ticket_message is not None
        assert "<script" not in stored.ticket_message.body_html.lower()
    assert outcome.as_json()["status"] == stored.status
