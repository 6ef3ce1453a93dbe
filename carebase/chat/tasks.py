"""The live chat's background work: idle chats, stranded messages, transcripts."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from carebase.core.schedule import periodic


@periodic(every=timedelta(minutes=1))
@task()
def sweep_idle_chats() -> None:
    """Check in on idle chats and close the ones whose visitor left (actions)."""
    from carebase.chat.actions import do_sweep_idle_chats, file_stranded_messages

    do_sweep_idle_chats()
    file_stranded_messages()


@task()
def send_transcript(chat_id: int) -> None:
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.utils import translation
    from django.utils.translation import gettext as _

    from carebase.chat.actions import transcript_text
    from carebase.chat.models import Chat

    chat = Chat.objects.select_related("visitor", "widget", "ticket").filter(pk=chat_id).first()
    if chat is None or not chat.visitor.email or chat.ticket is None:
        return
    with translation.override(chat.visitor.language):
        subject = _("Your chat with %(site)s") % {"site": chat.widget.name}
        EmailMessage(
            subject=f"{subject} ({chat.ticket.reference})",
            body=transcript_text(chat),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[chat.visitor.email],
        ).send()
