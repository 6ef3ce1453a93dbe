"""Loading email-channel objects for a caller, by the rules of carebase.core.access.

Mailboxes and the stored inbound mail are settings and raw data: only those
with MANAGE_CHANNELS see them; to anyone else they do not exist (404)."""

from typing import Any

from django.http import Http404

from carebase.core.access import Perm, has_perm
from carebase.mail.models import InboundEmail, Mailbox


def access_mailbox(user: Any, mailbox_id: int) -> Mailbox:
    if not has_perm(user, Perm.MANAGE_CHANNELS):
        raise Http404
    mailbox = Mailbox.objects.select_related("team").filter(pk=mailbox_id).first()
    if mailbox is None:
        raise Http404
    return mailbox


def access_inbound(user: Any, inbound_id: int) -> InboundEmail:
    if not has_perm(user, Perm.MANAGE_CHANNELS):
        raise Http404
    inbound = InboundEmail.objects.select_related("mailbox").filter(pk=inbound_id).first()
    if inbound is None:
        raise Http404
    return inbound
