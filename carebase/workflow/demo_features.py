"""A populated feature requests board: what the clients of a telephony SaaS
ask for (Slack and SMS alerts for missed calls, HubSpot and Pipedrive,
recordings exported to S3, an IVR builder in Polish...), in every status, with
the head's decisions, each linked to conversations of several organizations.

Most conversations come from the tickets demo (those whose subject asks for
it; a conversation of another type becomes a feature request as it is
linked); the wishes that demo has no conversation for get a few of their own.
A feature that exists is left alone, so a second run adds nothing.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import Q
from django.utils import timezone

from carebase.accounts.models import Team, User
from carebase.crm.models import Contact, Language
from carebase.tickets.actions import do_add_reply, do_create_ticket
from carebase.tickets.models import Channel, Priority, RequestType, Status, Ticket
from carebase.tickets.notify import muted
from carebase.workflow.features import do_create_feature, do_decide_feature, do_link_ticket
from carebase.workflow.models import Feature, FeatureRequest, FeatureStatus


@dataclass
class Wish:
    title: str
    description: str
    status: FeatureStatus
    decision: str = ""
    age_days: int = 30
    # Demo conversations to link, by subject, and how many at most.
    subjects: list[str] = field(default_factory=list)
    take: int = 0
    # Conversations of its own: (language, channel, subject, body).
    own: list[tuple[str, str, str, str]] = field(default_factory=list)


WISHES = [
    Wish(
        "SMS do handlowca po nieodebranym połączeniu",
        "Gdy handlowiec nie odbierze połączenia z kampanii, system wysyła mu SMS "
        "z numerem klienta i nazwą kampanii, żeby mógł oddzwonić.",
        FeatureStatus.PLANNED,
        "Wchodzi do planu na II kwartał: SMS do osoby przypisanej do kampanii, "
        "włączany w regułach projektu. Treść z numerem klienta i nazwą kampanii.",
        age_days=60,
        subjects=["Powiadomienie SMS o nieodebranym połączeniu"],
        take=7,
    ),
    Wish(
        "Slack notifications for missed calls",
        "A message in a Slack channel for every missed call, with the caller's number "
        "and the campaign it came from.",
        FeatureStatus.DONE,
        "Released in version 4.2: connect Slack under Integrations → Slack and pick a "
        "channel per project. Every missed call posts the caller's number and the campaign.",
        age_days=80,
        subjects=["Feature wish: Slack notifications"],
        take=5,
    ),
    Wish(
        "Integracja z Pipedrive",
        "Połączenia i nagrania w kartach osób i transakcji w Pipedrive, "
        "bez ręcznego przepisywania.",
        FeatureStatus.UNDER_REVIEW,
        "Sprawdzamy API Pipedrive i ilu klientów z niego korzysta; decyzja po przeglądzie "
        "planu na kolejny kwartał.",
        age_days=45,
        subjects=["Integracja z Pipedrive"],
        take=5,
    ),
    Wish(
        "Integracja CRM z HubSpot",
        "Każde połączenie z nagraniem i źródłem ruchu na osi czasu kontaktu w HubSpot; "
        "nowy kontakt zakładany przy pierwszym telefonie.",
        FeatureStatus.PLANNED,
        "Robimy natywną integrację z HubSpot: połączenia i nagrania trafią na oś czasu "
        "kontaktu. Beta dla chętnych klientów w maju.",
        age_days=50,
        subjects=["Integracja z CRM"],
        take=3,
        own=[
            (
                Language.ENGLISH,
                Channel.EMAIL,
                "HubSpot integration for call tracking",
                "Our sales team lives in HubSpot. Could calls and recordings show up on the "
                "contact's timeline there?",
            ),
            (
                Language.POLISH,
                Channel.PHONE,
                "Połączenia w HubSpot",
                "Klient pyta, czy połączenia z call trackingu mogą trafiać do HubSpota "
                "razem z nagraniem.",
            ),
        ],
    ),
    Wish(
        "Eksport nagrań rozmów do Amazon S3",
        "Automatyczne kopiowanie nagrań do zasobnika S3 klienta (własna retencja, "
        "archiwum zgodne z RODO).",
        FeatureStatus.NEW,
        age_days=12,
        subjects=["Can we change the recording retention?"],
        take=1,
        own=[
            (
                Language.POLISH,
                Channel.EMAIL,
                "Automatyczny eksport nagrań na nasz S3",
                "Dział prawny chce trzymać nagrania rozmów u siebie. Czy możecie co noc "
                "kopiować je do naszego zasobnika S3?",
            ),
            (
                Language.ENGLISH,
                Channel.PORTAL,
                "Export call recordings to our S3 bucket",
                "We need every recording copied to our own AWS S3 bucket for compliance.",
            ),
        ],
    ),
    Wish(
        "Kreator IVR po polsku",
        "Samodzielne układanie menu głosowego (wciśnij 1 — sprzedaż, 2 — serwis) w "
        "panelu, z polskim syntezatorem mowy zamiast nagrywania lektora.",
        FeatureStatus.UNDER_REVIEW,
        age_days=20,
        own=[
            (
                Language.POLISH,
                Channel.EMAIL,
                "Kreator menu IVR w panelu",
                "Chcemy sami zmieniać menu głosowe bez pisania do supportu. Najlepiej z "
                "polskim lektorem generowanym z tekstu.",
            ),
            (
                Language.POLISH,
                Channel.CHAT,
                "Zmiana zapowiedzi IVR bez zgłoszenia",
                "Co tydzień prosimy o zmianę zapowiedzi w IVR. Czy da się to zrobić samemu?",
            ),
            (
                Language.POLISH,
                Channel.PHONE,
                "Polski syntezator w IVR",
                "Klient chce zapowiedzi IVR czytanych przez polski syntezator mowy.",
            ),
        ],
    ),
    Wish(
        "Filtr raportów po źródle ruchu",
        "W raporcie połączeń filtr: Google Ads, Facebook, ruch organiczny, bezpośredni.",
        FeatureStatus.DONE,
        "Dostępne od dziś: w raporcie połączeń wybierz Źródło ruchu. Filtr działa też "
        "w eksporcie do Excela.",
        age_days=70,
        subjects=["Uwagi do nowego panelu"],
        take=3,
        own=[
            (
                Language.ENGLISH,
                Channel.EMAIL,
                "Filter the call report by traffic source",
                "We would love to see only the calls from Google Ads in the report.",
            ),
            (
                Language.POLISH,
                Channel.PORTAL,
                "Raport tylko z Facebooka",
                "Czy w raporcie połączeń da się pokazać tylko połączenia z kampanii na Facebooku?",
            ),
        ],
    ),
    Wish(
        "Aplikacja desktopowa na Linuksa",
        "Softphone jako aplikacja na Linuksa (Ubuntu), obok wersji na Windows i macOS.",
        FeatureStatus.DECLINED,
        "Nie planujemy aplikacji desktopowej: softphone w przeglądarce (WebRTC) działa na "
        "Linuksie w Chrome i Firefoksie, z tymi samymi funkcjami.",
        age_days=90,
        own=[
            (
                Language.POLISH,
                Channel.EMAIL,
                "Softphone na Ubuntu",
                "Nasi konsultanci pracują na Ubuntu. Czy będzie aplikacja desktopowa na Linuksa?",
            ),
            (
                Language.ENGLISH,
                Channel.EMAIL,
                "Linux desktop app?",
                "Is a Linux version of the desktop softphone on your roadmap?",
            ),
        ],
    ),
]


def seed(context: Any) -> None:
    if not Ticket.objects.exists():
        return  # no demo conversations to count
    rng = random.Random(840)  # noqa: S311 (demo data, the same every run)
    agent = User.objects.filter(username="piotr.agent").first()
    head = User.objects.filter(username="kasia.head").first()
    support = Team.objects.filter(slug="support").first()
    now = timezone.now()
    with muted():
        for wish in WISHES:
            if Feature.objects.filter(title=wish.title).exists():
                continue
            feature = do_create_feature(
                title=wish.title,
                description=wish.description,
                actor=agent,
                created_at=now - timedelta(days=wish.age_days),
            )
            for ticket in _demo_conversations(wish):
                do_link_ticket(feature, ticket, actor=agent)
            for ticket in _own_conversations(rng, wish, support, now):
                do_link_ticket(feature, ticket, actor=agent)
            if wish.status != FeatureStatus.NEW or wish.decision:
                do_decide_feature(feature, actor=head, status=wish.status, decision=wish.decision)


def _demo_conversations(wish: Wish) -> list[Ticket]:
    """Up to `take` unlinked conversations with these subjects, one per
    organization first. One of another type must still be open to become a
    feature request."""
    if not wish.subjects:
        return []
    candidates = (
        Ticket.objects.filter(subject__in=wish.subjects)
        .exclude(pk__in=FeatureRequest.objects.values("ticket"))
        .exclude(~Q(type=RequestType.FEATURE_REQUEST) & Q(status=Status.CLOSED))
        .order_by("-created_at", "pk")
    )
    chosen: list[Ticket] = []
    organizations: set[int | None] = set()
    later: list[Ticket] = []
    for ticket in candidates[:200]:
        if ticket.organization_id in organizations:
            later.append(ticket)
        else:
            organizations.add(ticket.organization_id)
            chosen.append(ticket)
    # A second conversation from the same organization: its MRR still counts once.
    return (chosen + later)[: wish.take]


# How an agent acknowledges a wish: a department answers feature requests too.
THANKS = {
    Language.POLISH: (
        "Dziękujemy za propozycję! Przekazaliśmy ją zespołowi produktu i damy znać, "
        "gdy zapadnie decyzja."
    ),
    Language.ENGLISH: (
        "Thank you for the suggestion! We have passed it to our product team and will "
        "let you know when there is a decision."
    ),
}


def _own_conversations(rng: random.Random, wish: Wish, team: Team | None, now: Any) -> list[Ticket]:
    agent = User.objects.filter(username="piotr.agent").first()
    tickets = []
    for language, channel, subject, body in wish.own:
        contacts = list(
            Contact.objects.filter(
                user__isnull=True, organization__isnull=False, language=language
            ).order_by("pk")[:60]
        )
        if not contacts:
            continue
        created = now - timedelta(days=rng.randint(1, wish.age_days), hours=rng.randint(0, 8))
        ticket = do_create_ticket(
            subject=subject,
            body=body,
            requester=rng.choice(contacts),
            channel=channel,
            type=RequestType.FEATURE_REQUEST,
            priority=Priority.LOW,
            team=team,
            tags=["demo"],
            created_at=created,
        )
        if agent is not None and now - created > timedelta(days=2):
            # Answered within the hours, as the rest of the demo's queue:
            # only the last two days' wishes still wait in it.
            do_add_reply(
                ticket,
                body=THANKS[Language(language)],
                author_user=agent,
                status=Status.SOLVED,
                created_at=created + timedelta(hours=rng.randint(1, 5)),
            )
        tickets.append(ticket)
    return tickets
