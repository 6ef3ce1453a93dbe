"""Two support mailboxes and a few email conversations played through the
real intake: threaded replies in Polish and English, a reply whose client
dropped the headers, a copied colleague, an attachment, a bounce and a
message that needs attention. Seeded once, when no mailbox exists."""

from __future__ import annotations

import base64
from datetime import timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from typing import Any

from django.utils import timezone

from carebase.accounts.models import Team, User
from carebase.crm.models import Contact
from carebase.mail.actions import do_process_email, do_receive_email
from carebase.mail.models import Mailbox, OutboundEmail, OutboundStatus
from carebase.tickets.actions import do_add_reply
from carebase.tickets.notify import muted

# A one-pixel PNG: the "screenshot" a customer attaches.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def _mail(
    *,
    sender: str,
    to: str,
    subject: str,
    text: str,
    message_id: str,
    at: Any,
    html: str | None = None,
    attachment: tuple[str, bytes, str] | None = None,
    **headers: str,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(at)
    message["Message-ID"] = message_id
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    if attachment:
        name, content, content_type = attachment
        maintype, subtype = content_type.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


def _ingest(raw: bytes, mailbox: Mailbox) -> Any:
    return do_process_email(do_receive_email(raw, mailbox=mailbox, source="imap")).inbound


def _reply(ticket: Any, agent: User, body: str) -> str:
    """An agent's reply, already delivered (the demo's history): its Message-ID."""
    message = do_add_reply(ticket, body=body, author_user=agent)
    outbound = OutboundEmail.objects.get(ticket_message=message)
    OutboundEmail.objects.filter(pk=outbound.pk).update(
        status=OutboundStatus.SENT, attempts=1, sent_at=timezone.now()
    )
    return f"<{outbound.message_id}>"


def seed(context: Any) -> None:
    if Mailbox.objects.exists():
        return
    support = Team.objects.filter(slug="support").first()
    agent = User.objects.filter(username="piotr.agent").first()
    english_agent = User.objects.filter(username="john.agent").first() or agent
    pomoc = Mailbox.objects.create(
        name="pomoc",
        address="pomoc@carebase.example",
        team=support,
        language="pl",
        signature="Zespół wsparcia carebase\ntel. +48 22 123 45 67",
    )
    english = Mailbox.objects.create(
        name="support",
        address="support@carebase.example",
        team=support,
        language="en",
        signature="carebase Support · +48 22 123 45 67",
    )
    # Customers of the demo company write in: their conversations show their
    # organizations, and no one new is added to the client base.
    senders = [
        (contact.name, contact.emails[0])
        for contact in Contact.objects.filter(user__isnull=True, organization__isnull=False)
        .prefetch_related("identities")
        .order_by("pk")[:12]
        if contact.emails
    ]
    if agent is None or len(senders) < 3:
        return
    now = timezone.now()
    # The history is seeded, not received: no acknowledgements go out for it.
    Mailbox.objects.update(acknowledge=False)
    pomoc.refresh_from_db()
    english.refresh_from_db()
    with muted():
        _polish_thread(pomoc, agent, now - timedelta(days=2), senders[0])
        _english_thread(english, english_agent or agent, now - timedelta(days=1), senders[1])
        _bounce_and_attention(pomoc, agent, now - timedelta(hours=5), senders[2])
    Mailbox.objects.update(acknowledge=True)


def _polish_thread(mailbox: Mailbox, agent: User, at: Any, who: tuple[str, str]) -> None:
    sender = formataddr(who)
    first = _ingest(
        _mail(
            sender=sender,
            to=mailbox.address,
            subject="Nie ma nagrań rozmów od poniedziałku",
            text=(
                "Dzień dobry,\n\nod poniedziałku w panelu nie ma nagrań rozmów przychodzących, "
                "choć same połączenia widać w raporcie. Załączam zrzut ekranu.\n\n"
                f"Pozdrawiam\n{who[0]}"
            ),
            html=(
                "<p>Dzień dobry,</p><p>od poniedziałku w panelu <b>nie ma nagrań</b> rozmów "
                "przychodzących, choć same połączenia widać w raporcie. Załączam zrzut ekranu.</p>"
                f"<p>Pozdrawiam<br>{who[0]}</p>"
            ),
            attachment=("zrzut-ekranu.png", PIXEL, "image/png"),
            message_id="<3f2a9c1e.demo@hotel-pod-debami.example>",
            at=at,
        ),
        mailbox,
    )
    ticket = first.ticket
    ours = _reply(
        ticket,
        agent,
        "Dzień dobry,\n\ndziękuję za zgłoszenie. Nagrywanie było wyłączone w ustawieniach "
        "projektu po zmianie pakietu; włączyłem je ponownie. Nowe rozmowy będą nagrywane. "
        "Proszę dać znać, czy wszystko działa.",
    )
    _ingest(
        _mail(
            sender=sender,
            to=mailbox.address,
            subject=f"Re: Nie ma nagrań rozmów od poniedziałku [{ticket.reference}]",
            text=(
                "Działa, dziękuję bardzo!\n\n"
                f"W dniu {at:%d.%m.%Y} o 10:12, Zespół wsparcia carebase napisał(a):\n"
                "> Dzień dobry,\n> dziękuję za zgłoszenie."
            ),
            message_id="<8b1d77e0.demo@hotel-pod-debami.example>",
            In_Reply_To=ours,
            References=f"<3f2a9c1e.demo@hotel-pod-debami.example> {ours}",
            at=at + timedelta(hours=3),
        ),
        mailbox,
    )


def _english_thread(mailbox: Mailbox, agent: User, at: Any, who: tuple[str, str]) -> None:
    sender = formataddr(who)
    first = _ingest(
        _mail(
            sender=sender,
            to=mailbox.address,
            subject="Callback widget does not load on our booking page",
            text=(
                "Hi,\n\nsince this morning the callback widget does not show up on "
                "https://northwind-travel.example/booking. Other pages are fine.\n\n"
                f"Thanks,\n{who[0]}\n-- \n{who[0]}"
            ),
            message_id="<cafe1234.demo@northwind-travel.example>",
            Cc=f"Lisa Park <lisa@{who[1].split('@')[1]}>",
            at=at,
        ),
        mailbox,
    )
    ticket = first.ticket
    _reply(
        ticket,
        agent,
        "Hello,\n\nthe booking page loads our script twice since your last deployment, "
        "and the second copy stops the first. Please remove the older snippet from the "
        "page footer; the widget will then appear.",
    )
    # The customer's phone client drops the threading headers: the subject still finds it.
    _ingest(
        _mail(
            sender=sender,
            to=mailbox.address,
            subject="RE: Callback widget does not load on our booking page",
            text="Removed it and the widget is back. Thanks!\n\nSent from my iPhone",
            message_id="<beef5678.demo@northwind-travel.example>",
            at=at + timedelta(hours=2),
        ),
        mailbox,
    )


def _bounce_and_attention(mailbox: Mailbox, agent: User, at: Any, who: tuple[str, str]) -> None:
    sender = formataddr(who)
    first = _ingest(
        _mail(
            sender=sender,
            to=mailbox.address,
            subject="Prośba o konfigurację numeru dla nowej filii",
            text="Dzień dobry, otwieramy filię w Gdyni i potrzebujemy nowego numeru śledzącego.",
            message_id="<a1b2c3.demo@autoserwis-zielinski.example>",
            at=at,
        ),
        mailbox,
    )
    ours = _reply(
        first.ticket,
        agent,
        "Dzień dobry, numer przygotujemy jutro. Proszę o nazwę kampanii dla nowej filii.",
    )
    bounce = EmailMessage()
    bounce["From"] = "Mail Delivery System <MAILER-DAEMON@mx.demo-mail.example>"
    bounce["To"] = mailbox.address
    bounce["Subject"] = "Undelivered Mail Returned to Sender"
    bounce["Message-ID"] = "<bounce-1.demo@mx.autoserwis-zielinski.example>"
    bounce["Auto-Submitted"] = "auto-replied"
    bounce.set_content(
        f"This is the mail system at host mx.demo-mail.example.\n\n<{who[1]}>: mailbox full"
    )
    original = EmailMessage()
    original["Message-ID"] = ours
    original["Subject"] = "Re: Prośba o konfigurację numeru dla nowej filii"
    bounce.add_attachment(original)
    bounce.replace_header(
        "Content-Type", bounce["Content-Type"].replace("multipart/mixed", "multipart/report")
    )
    bounce.set_param("report-type", "delivery-status")
    _ingest(bounce.as_bytes(), mailbox)
    # A message without a sender: stored, and listed as needing attention.
    _ingest(
        b"To: pomoc@carebase.example\r\nSubject: (brak nadawcy)\r\n"
        b"Message-ID: <nosender.demo@example>\r\n\r\nTresc bez nadawcy.\r\n",
        mailbox,
    )
