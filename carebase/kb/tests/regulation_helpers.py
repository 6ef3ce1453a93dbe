"""What the tests of regulations read and of review items build: teams,
regulations asked of roles and teams, their new versions, acknowledgements
at a known moment, conversations, and what the pages show of them."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

from carebase.accounts.models import Team, User
from carebase.kb.actions import ArticleData, do_acknowledge, do_update_article
from carebase.kb.models import Acknowledgement, Article
from carebase.kb.tests.agent_helpers import requester
from carebase.kb.tests.kb_helpers import article
from carebase.tickets.actions import do_create_ticket
from carebase.tickets.models import Ticket

WARSAW = ZoneInfo("Europe/Warsaw")


def at(*args: int) -> datetime:
    return datetime(*args, tzinfo=WARSAW)


# Monday 7 December 2026, and the days after it.
PUBLISHED = at(2026, 12, 7, 9, 0)
READ = at(2026, 12, 8, 10, 30)


def team(slug: str, *members: User) -> Team:
    made = Team.objects.create(name=slug.title(), slug=slug, kind="support")
    made.members.add(*members)
    return made


def regulation(
    title: str = "Nagrywanie rozmów: zasady",
    *,
    roles: list[str] | None = None,
    teams: list[Team] | None = None,
    owner: User | None = None,
    when: datetime = PUBLISHED,
) -> Article:
    """A published internal regulation (version 1) that the roles and teams must acknowledge."""
    with time_machine.travel(when, tick=False):
        return article(
            title,
            "Każdą rozmowę z klientem nagrywamy po jego zgodzie.",
            kind="regulation",
            visibility="internal",
            must_read_roles=roles or [],
            must_read_teams=teams or [],
            owner=owner,
            actor=owner,
        )


def new_version(
    regulation: Article,
    body: str,
    *,
    significant: bool,
    note: str = "",
    actor: Any = None,
    when: datetime | None = None,
) -> Article:
    """Publish a changed text of the regulation, keeping who must read it."""
    regulation.refresh_from_db()
    data = ArticleData.of(regulation, body=body)
    with time_machine.travel(when or at(2026, 12, 10, 9, 0), tick=False):
        do_update_article(regulation, data, actor, publish=True, note=note, significant=significant)
    regulation.refresh_from_db()
    return regulation


def acknowledge(regulation: Article, person: User, when: datetime = READ) -> Acknowledgement:
    regulation.refresh_from_db()
    with time_machine.travel(when, tick=False):
        return do_acknowledge(regulation, person)


def readers(page: str) -> list[tuple[int, str, str]]:
    """The rows of the readers' page: (person id, reading, status text)."""
    row = (
        r'<tr data-person="(\d+)" data-reading="(\w+)"><td>.*?</td>\s*<td>.*?</td>\s*<td>(.*?)</td>'
    )
    rows = re.findall(row, page, re.DOTALL)
    return [(int(pk), reading, re.sub(r"<[^>]+>", "", text).strip()) for pk, reading, text in rows]


def counts(page: str) -> dict[int, tuple[int, int, int]]:
    """The report's rows: regulation id -> (required, up to date, pending)."""
    found = {}
    for pk, row in re.findall(r'<tr data-regulation="(\d+)">(.*?)</tr>', page, re.DOTALL):
        numbers = dict(re.findall(r'data-count="(\w+)">(?:<strong>)?(\d+)', row))
        found[int(pk)] = (
            int(numbers["required"]),
            int(numbers["up_to_date"]),
            int(numbers["pending"]),
        )
    return found


def conversation(subject: str, *, team: Team | None = None) -> Ticket:
    """A conversation of a customer, in a team's queue (or the triage pool)."""
    return do_create_ticket(
        subject=subject,
        body="Od wczoraj nie ma nagrań rozmów.",
        requester=requester(email=f"klient{Ticket.objects.count() + 1}@szybkitelefon.example"),
        channel="email",
        team=team,
    )


def review_items(page: str) -> dict[int, str]:
    """The review items of the reviews page, by id."""
    pattern = r'(<article class="card" data-review-item="(\d+)".*?</article>)'
    return {int(pk): block for block, pk in re.findall(pattern, page, re.DOTALL)}
