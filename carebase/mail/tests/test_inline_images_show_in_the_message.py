"""An HTML message's cid: images (real messages from the corpus) show in the
conversation: the link points at the stored attachment, served behind the
message's own permission check."""

import pytest

from carebase.mail.actions import do_process_email, do_receive_email
from carebase.mail.models import InboundStatus
from carebase.mail.tests.conftest import CORPUS
from carebase.testing import client_for
from carebase.tickets.models import Attachment

pytestmark = pytest.mark.django_db


def _file(path: str, mailbox):
    inbound = do_receive_email((CORPUS / path).read_bytes(), mailbox=mailbox, source="pipe")
    do_process_email(inbound)
    assert inbound.status == InboundStatus.CREATED, inbound.error
    return inbound.ticket_message


def test_an_embedded_image_links_to_its_stored_attachment(mailbox, admin, outsider):
    message = _file("stalwart-thirdparty/016.eml", mailbox)
    image = Attachment.objects.get(message=message)
    assert image.content_id == "part1.8C5E6A81.D0C1B91A@example.com"
    assert "cid:" not in message.body_html
    assert f'src="/tickets/attachments/{image.pk}/"' in message.body_html
    page = client_for(admin).get(f"/tickets/{message.ticket_id}/").content.decode()
    assert f'src="/tickets/attachments/{image.pk}/"' in page
    served = client_for(admin).get(f"/tickets/attachments/{image.pk}/")
    assert served.status_code == 200
    assert served["Content-Type"].startswith("image/")
    assert client_for(outsider).get(f"/tickets/attachments/{image.pk}/").status_code == 404


def test_a_quoted_printable_html_part_links_its_image_too(mailbox):
    message = _file(
        "mikel-mail/attachment_emails_attachment_message_rfc822_inline_image.eml", mailbox
    )
    linked = [a for a in Attachment.objects.filter(message=message) if a.content_id]
    assert linked
    assert all(f"/tickets/attachments/{a.pk}/" in message.body_html for a in linked)
    assert "cid:" not in message.body_html
