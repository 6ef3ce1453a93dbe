"""About 1,000 conversations over the last 90 days, on every channel, of every
type and status, with believable Polish and English texts and realistic reply
times, so that the inbox (and later the KPIs) look like a working department.

Seeded once: when conversations exist, nothing is added.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from carebase.accounts.models import Team, User
from carebase.crm.models import Contact, Language
from carebase.tickets.actions import (
    do_add_reply,
    do_assign,
    do_change_status,
    do_create_ticket,
)
from carebase.tickets.models import Channel, Priority, RequestType, Status, Ticket
from carebase.tickets.notify import muted
from carebase.tickets.saved_views import do_save_view

TICKETS = 1000
DAYS = 90

# (type, subject, first message) in Polish and English.
REQUESTS = {
    Language.POLISH: [
        (
            RequestType.PROBLEM,
            "Rozmowy się nie nagrywają",
            "Od wczoraj w projekcie nie ma nagrań rozmów, chociaż połączenia są widoczne w raporcie. Co się stało?",
        ),
        (
            RequestType.PROBLEM,
            "Widget nie ładuje się na stronie",
            "Po aktualizacji strony widget oddzwaniania przestał się wyświetlać. Sprawdzaliśmy w Chrome i Firefoksie.",
        ),
        (
            RequestType.PROBLEM,
            "Brak przekierowania po godzinach pracy",
            "Połączenia po 17:00 nie trafiają na numer dyżurny, tylko się rozłączają.",
        ),
        (
            RequestType.PROBLEM,
            "Nie widzimy połączeń w raporcie",
            "W raporcie z zeszłego tygodnia brakuje połączeń z kampanii Google Ads.",
        ),
        (
            RequestType.PROBLEM,
            "Numer dynamiczny się nie podmienia",
            "Na landing page cały czas wyświetla się numer statyczny zamiast dynamicznego.",
        ),
        (
            RequestType.CONFIGURATION,
            "Konfiguracja call trackingu dla nowego klienta",
            "Podpisaliśmy umowę z nowym klientem. Prosimy o skonfigurowanie call trackingu dla jego strony i dwóch kampanii.",
        ),
        (
            RequestType.CONFIGURATION,
            "Dodanie nowego numeru do projektu",
            "Potrzebujemy dodatkowego numeru warszawskiego (22) do kampanii radiowej.",
        ),
        (
            RequestType.CONFIGURATION,
            "Integracja z CRM",
            "Prosimy o podłączenie integracji z naszym CRM, tak żeby połączenia trafiały do kart klientów.",
        ),
        (
            RequestType.QUESTION,
            "Jak wyeksportować raport do Excela?",
            "Szef potrzebuje raportu połączeń z ostatniego miesiąca w Excelu. Jak to zrobić?",
        ),
        (
            RequestType.QUESTION,
            "Jak dodać nowego użytkownika?",
            "Dołączyła do nas nowa osoba w dziale sprzedaży. Jak nadać jej dostęp do panelu?",
        ),
        (
            RequestType.QUESTION,
            "Faktura za ostatni miesiąc",
            "Gdzie w panelu znajdę fakturę za październik?",
        ),
        (
            RequestType.FEATURE_REQUEST,
            "Powiadomienie SMS o nieodebranym połączeniu",
            "Byłoby super, gdyby system wysyłał SMS do handlowca, kiedy nie odbierze połączenia od klienta.",
        ),
        (
            RequestType.FEATURE_REQUEST,
            "Integracja z Pipedrive",
            "Czy planujecie integrację z Pipedrive? Bardzo by nam to ułatwiło pracę.",
        ),
        (
            RequestType.FEEDBACK,
            "Dziękujemy za szybką pomoc",
            "Chciałam podziękować za błyskawiczną pomoc przy konfiguracji. Wszystko działa!",
        ),
        (
            RequestType.FEEDBACK,
            "Uwagi do nowego panelu",
            "Nowy panel jest czytelniejszy, ale brakuje nam filtra po źródle ruchu.",
        ),
    ],
    Language.ENGLISH: [
        (
            RequestType.PROBLEM,
            "Calls are not being recorded",
            "Since yesterday our project has no call recordings, although the calls show up in the report.",
        ),
        (
            RequestType.PROBLEM,
            "Callback widget does not load",
            "After our website update the callback widget stopped appearing. Tested in Chrome and Safari.",
        ),
        (
            RequestType.PROBLEM,
            "Missing calls in the weekly report",
            "Calls from the Facebook campaign are missing from last week's report.",
        ),
        (
            RequestType.CONFIGURATION,
            "Please set up call tracking for a new client",
            "We have signed a new client. Could you configure call tracking for their website and two campaigns?",
        ),
        (
            RequestType.CONFIGURATION,
            "Add a UK number to our project",
            "We need a London number for our new campaign in the UK.",
        ),
        (
            RequestType.QUESTION,
            "How do I export the call report?",
            "How can I export last month's calls to a spreadsheet?",
        ),
        (
            RequestType.QUESTION,
            "Can we change the recording retention?",
            "How long do you keep call recordings, and can we shorten it for GDPR reasons?",
        ),
        (
            RequestType.FEATURE_REQUEST,
            "Feature wish: Slack notifications",
            "It would help a lot to get a Slack message for every missed call.",
        ),
        (
            RequestType.FEEDBACK,
            "Great support, thank you!",
            "Just wanted to say thank you for the quick help this morning.",
        ),
    ],
}

AGENT_REPLIES = {
    Language.POLISH: [
        "Dzień dobry, dziękujemy za zgłoszenie. Sprawdzamy konfigurację projektu i wrócimy z informacją.",
        "Znaleźliśmy przyczynę: reguła przekierowania miała błędne godziny. Poprawiliśmy ją, proszę sprawdzić.",
        "Raport można wyeksportować w zakładce Raporty → Eksport, wybierając format XLSX.",
        "Skonfigurowaliśmy projekt zgodnie z prośbą. Numery są już aktywne.",
        "Przekazaliśmy sugestię zespołowi produktu. Dziękujemy, to cenna uwaga!",
    ],
    Language.ENGLISH: [
        "Hello, thank you for reaching out. We are checking your project's configuration and will get back to you.",
        "We found the cause: the forwarding rule had the wrong hours. It is fixed now, please check.",
        "You can export the report under Reports → Export, choosing XLSX.",
        "Your project is configured as requested; the numbers are live.",
        "We have passed your idea to the product team. Thank you!",
    ],
}

CUSTOMER_FOLLOW_UPS = {
    Language.POLISH: [
        "Dziękuję, teraz działa.",
        "Niestety problem nadal występuje.",
        "Super, dziękuję!",
    ],
    Language.ENGLISH: [
        "Thanks, it works now.",
        "Unfortunately it still happens.",
        "Great, thank you!",
    ],
}

CHANNELS = (
    [Channel.EMAIL] * 8
    + [Channel.CHAT] * 4
    + [Channel.PHONE] * 4
    + [
        Channel.PORTAL,
        Channel.PORTAL,
        Channel.TELEGRAM,
        Channel.API,
    ]
)
# How long the first answer takes, by channel (minutes: low, high).
FIRST_REPLY_MINUTES = {
    Channel.PHONE: (1, 20),
    Channel.CHAT: (1, 8),
    Channel.EMAIL: (15, 600),
    Channel.PORTAL: (15, 480),
    Channel.TELEGRAM: (5, 120),
    Channel.API: (30, 600),
}


def seed(context: Any) -> None:
    if Ticket.objects.exists():
        return
    rng = context.random
    support = Team.objects.get(slug="support")
    success = Team.objects.get(slug="success")
    agents = list(support.members.filter(is_active=True).exclude(username="kasia.head"))
    managers = list(success.members.filter(is_active=True).exclude(username="marta.cs"))
    contacts = list(
        Contact.objects.filter(user__isnull=True, organization__isnull=False).select_related(
            "organization"
        )
    )
    if not agents or not managers or not contacts:
        return
    with muted():
        _seed(
            rng,
            support,
            success,
            agents,
            managers,
            contacts,
            context.options.get("tickets", TICKETS),
        )
    _seed_views(support, success)


def _seed_views(support: Team, success: Team) -> None:
    """Views the heads share with their teams, and one an agent keeps."""
    head = support.members.filter(username="kasia.head").first()
    if head is not None:
        do_save_view(
            owner=head,
            name="Urgent, unassigned",
            team=support,
            filters={"queue": ["unassigned"], "priority": ["urgent"]},
        )
        do_save_view(
            owner=head,
            name="Waiting on a third party",
            team=support,
            filters={"queue": ["on_hold"], "team": [str(support.pk)]},
        )
    cs_head = success.members.filter(username="marta.cs").first()
    if cs_head is not None:
        do_save_view(
            owner=cs_head,
            name="VIP clients",
            team=success,
            filters={"queue": ["open"], "tag": ["vip"]},
        )
    agent = support.members.exclude(username="kasia.head").order_by("pk").first()
    if agent is not None:
        do_save_view(
            owner=agent,
            name="My phone calls",
            filters={"queue": ["mine"], "channel": ["phone"]},
        )


def _seed(
    rng: Any,
    support: Team,
    success: Team,
    agents: list[User],
    managers: list[User],
    contacts: list[Contact],
    count: int,
) -> None:
    now = timezone.now()
    for _number in range(count):
        # More recent days are busier, like a growing client base.
        age = timedelta(days=DAYS * (rng.random() ** 1.4), minutes=rng.randrange(0, 600))
        created = now - age
        requester = rng.choice(contacts)
        language = Language(requester.language)
        kind, subject, body = rng.choice(REQUESTS[language])
        channel = rng.choice(CHANNELS)
        success_work = (
            kind in (RequestType.CONFIGURATION, RequestType.FEEDBACK) and rng.random() < 0.5
        )
        team = success if success_work else support
        people = managers if success_work else agents
        priority = Priority.NORMAL
        if kind == RequestType.PROBLEM:
            priority = rng.choice([Priority.URGENT, Priority.HIGH, Priority.HIGH, Priority.NORMAL])
        elif kind == RequestType.FEATURE_REQUEST:
            priority = Priority.LOW
        ticket = do_create_ticket(
            subject=subject,
            body=body,
            requester=requester,
            channel=channel,
            type=kind,
            priority=priority,
            team=team,
            tags=["demo"] + (["vip"] if requester.organization.tier == "strategic" else []),
            created_at=created,
        )
        _play(rng, ticket, rng.choice(people), language, channel, created, now, age)


def _play(
    rng: Any,
    ticket: Ticket,
    agent: User,
    language: str,
    channel: str,
    created: Any,
    now: Any,
    age: timedelta,
) -> None:
    """Let the conversation happen: older ones are further along."""
    days = age.days
    low, high = FIRST_REPLY_MINUTES[Channel(channel)]
    at = created + timedelta(minutes=rng.randint(low, high))
    if at >= now:
        return  # still new and waiting
    if days < 1 and rng.random() < 0.35:
        return
    do_assign(ticket, agent, actor=agent, at=at)
    replies = AGENT_REPLIES[Language(language)]
    if days >= 2 or rng.random() < 0.6:
        stage = rng.random()
        status = None
        if days >= 7 or stage < 0.5:
            status = Status.SOLVED
        elif stage < 0.7:
            status = Status.PENDING
        elif stage < 0.8:
            status = Status.ON_HOLD
        do_add_reply(
            ticket, body=rng.choice(replies[1:]), author_user=agent, status=status, created_at=at
        )
    else:
        do_add_reply(ticket, body=replies[0], author_user=agent, created_at=at)
        return
    ticket.refresh_from_db()
    if ticket.status == Status.SOLVED:
        later = at + timedelta(hours=rng.randint(1, 48))
        if later < now and rng.random() < 0.15:
            # The customer writes back: the conversation reopens, then is solved again.
            follow = rng.choice(CUSTOMER_FOLLOW_UPS[Language(language)])
            do_add_reply(ticket, body=follow, author_contact=ticket.requester, created_at=later)
            again = later + timedelta(hours=rng.randint(1, 24))
            if again < now:
                do_add_reply(
                    ticket,
                    body=rng.choice(replies[1:]),
                    author_user=agent,
                    status=Status.SOLVED,
                    created_at=again,
                )
        ticket.refresh_from_db()
        closed_at = (ticket.solved_at or at) + timedelta(days=4)
        if ticket.status == Status.SOLVED and closed_at < now:
            do_change_status(ticket, Status.CLOSED, actor=None, at=closed_at)
