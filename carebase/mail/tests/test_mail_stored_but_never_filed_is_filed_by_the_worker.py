"""A message whose process died between storing and filing it (a pipe
killed, a worker restarted mid-fetch) is not left unseen: the worker's sweep
files it once it is clearly stranded, and leaves fresh ones to their process."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from carebase.mail.actions import STRANDED_AFTER, do_receive_email
from carebase.mail.models import InboundStatus
from carebase.mail.tasks import file_stranded_email
from carebase.mail.tests.conftest import compose

pytestmark = pytest.mark.django_db


def test_a_stranded_message_is_filed_and_a_fresh_one_is_left_alone(mailbox):
    stranded = do_receive_email(compose(), mailbox=mailbox, source="pipe")
    with time_machine.travel(timezone.now() + STRANDED_AFTER + timedelta(minutes=1)):
        fresh = do_receive_email(
            compose(message_id="<fresh@klient.example>", subject="Drugie zgłoszenie"),
            mailbox=mailbox,
            source="pipe",
        )
        file_stranded_email.call()
    stranded.refresh_from_db()
    fresh.refresh_from_db()
    assert stranded.status == InboundStatus.CREATED
    assert stranded.ticket.subject == "Nagrania rozmów nie działają"
    assert fresh.status == InboundStatus.RECEIVED
    assert fresh.attempts == 0


def test_a_message_whose_processing_never_finishes_is_set_aside(mailbox):
    from carebase.mail.actions import STRANDED_ATTEMPTS
    from carebase.mail.models import InboundEmail

    stuck = do_receive_email(compose(), mailbox=mailbox, source="pipe")
    # Its process died in each of the earlier sweeps' attempts.
    InboundEmail.objects.filter(pk=stuck.pk).update(attempts=STRANDED_ATTEMPTS - 1)
    with time_machine.travel(timezone.now() + STRANDED_AFTER + timedelta(minutes=1)):
        file_stranded_email.call()
    stuck.refresh_from_db()
    assert stuck.status == InboundStatus.NEEDS_ATTENTION
    assert stuck.attempts == STRANDED_ATTEMPTS
    assert "never finished" in stuck.error
