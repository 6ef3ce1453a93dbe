"""The demo PBX: a Warsaw Asterisk with a support line and a sales line, an
extension per agent (and one nobody has mapped yet), and three months of
calls: each phone conversation's call, answered by its agent, plus the
calls of a working line, answered, missed (for every reason) and returned.
The last days' missed calls are in the queue as callbacks; some calls have a
recording that plays in the browser.

Seeded once: when calls exist, nothing is added.
"""

from __future__ import annotations

import io
import math
import struct
import wave
from datetime import date, datetime, time, timedelta
from random import Random
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from carebase.accounts.models import Team, User
from carebase.core.hours import default_schedule, is_open
from carebase.crm.models import Contact
from carebase.telephony.actions import do_file_call
from carebase.telephony.models import (
    Call,
    CallSource,
    Direction,
    Disposition,
    Extension,
    MissedReason,
    Pbx,
    Ring,
)
from carebase.tickets.models import Channel, Ticket
from carebase.tickets.notify import muted

DAYS = 90
CALLS_A_DAY = 14  # besides the phone conversations' own calls
# Working days whose missed calls are in the queue now (older ones are
# history): counted in open days, so that a demo seeded on a Monday night
# still has the callbacks of Friday and Thursday waiting.
FILED_DAYS = 2
RECORDED_CALLS = 12
COMPANY_NUMBER = "+48221000000"


def _working_days_back(now: datetime, days: int) -> date:
    """The open day `days` open days before today's (or the last one's):
    the first day whose missed calls the demo files."""
    schedule = default_schedule()
    day, found = now.date(), 0
    for _attempt in range(60):
        if schedule.periods_on(day):
            found += 1
            if found > days:
                break
        day -= timedelta(days=1)
    return day


def seed(context: Any) -> None:
    if Call.objects.exists():
        return
    support = Team.objects.filter(slug="support").first()
    if support is None:
        return
    agents = list(support.members.filter(is_active=True).order_by("username"))
    contacts = [
        contact
        for contact in Contact.objects.filter(user__isnull=True).prefetch_related("identities")
        if contact.phones
    ]
    if not agents or not contacts:
        return
    pbx, _created = Pbx.objects.get_or_create(name="centrala")
    extensions = {
        agent.pk: Extension.objects.get_or_create(
            pbx=pbx, number=str(101 + index), defaults={"user": agent}
        )[0]
        for index, agent in enumerate(agents)
    }
    Extension.objects.get_or_create(pbx=pbx, number="199")  # seen, not mapped yet
    with muted():
        _Seeder(context.random, pbx, agents, extensions, contacts).run()


class _Seeder:
    def __init__(
        self,
        rng: Random,
        pbx: Pbx,
        agents: list[User],
        extensions: dict[int, Extension],
        contacts: list[Contact],
    ) -> None:
        self.rng = rng
        self.pbx = pbx
        self.agents = agents
        self.extensions = extensions
        self.contacts = contacts
        self.count = 0
        self.recording = _tone()

    def run(self) -> None:
        self._conversation_calls()
        now = timezone.localtime()
        filed_since = _working_days_back(now, FILED_DAYS)
        for days_ago in range(DAYS, -1, -1):
            day = (now - timedelta(days=days_ago)).date()
            for _ in range(CALLS_A_DAY if day.weekday() < 5 else 2):
                at = datetime.combine(day, time(7, 30), now.tzinfo) + timedelta(
                    minutes=self.rng.randrange(0, 12 * 60)
                )
                if at >= now - timedelta(minutes=5):
                    continue
                call = self._line_call(at)
                if day >= filed_since:
                    do_file_call(call)

    def _conversation_calls(self) -> None:
        """Every phone conversation began with a call its agent answered."""
        tickets = Ticket.objects.filter(channel=Channel.PHONE).select_related("requester")
        for ticket in tickets.prefetch_related("requester__identities"):
            phones = ticket.requester.phones
            if not phones:
                continue
            agent = ticket.assignee if ticket.assignee_id in self.extensions else None
            agent = agent or self.rng.choice(self.agents)
            start = ticket.created_at - timedelta(seconds=self.rng.randrange(120, 900))
            call = self._call(
                Direction.INBOUND, phones[0], COMPANY_NUMBER, start, agent=agent,
                answered_after=self.rng.randrange(4, 50), talk=self.rng.randrange(60, 700),
                contact=ticket.requester, line="support",
            )  # fmt: skip
            call.ticket = ticket
            call.save(update_fields=["ticket"])

    def _line_call(self, at: datetime) -> Call:
        rng = self.rng
        contact = rng.choice(self.contacts)
        number = contact.phones[0]
        agent = rng.choice(self.agents)
        line = "sales" if rng.random() < 0.2 else "support"
        roll = rng.random()
        if roll < 0.15:
            return self._call(
                Direction.OUTBOUND, str(self.extensions[agent.pk].number), number, at,
                agent=agent, answered_after=rng.randrange(5, 25), talk=rng.randrange(30, 400),
                contact=contact,
            )  # fmt: skip
        if not is_open(at):
            return self._missed(number, at, contact, line, MissedReason.OUT_OF_HOURS)
        if roll < 0.70:
            # Now and then the agent whose phone rang first lets it ring.
            passed = rng.choice(self.agents) if rng.random() < 0.25 else None
            return self._call(
                Direction.INBOUND, number, COMPANY_NUMBER, at, agent=agent,
                answered_after=rng.randrange(3, 90), talk=rng.randrange(40, 900),
                contact=contact, line=line, passed_by=passed if passed != agent else None,
            )  # fmt: skip
        reason = rng.choice(
            [MissedReason.NOT_ANSWERED, MissedReason.NOT_ANSWERED, MissedReason.NO_AGENT,
             MissedReason.SHORT_ABANDON, MissedReason.ABANDONED_IN_MENU]
        )  # fmt: skip
        return self._missed(number, at, contact, line, reason)

    def _missed(self, number: str, at: datetime, contact: Contact, line: str, reason: str) -> Call:
        wait = 2 if reason == MissedReason.SHORT_ABANDON else self.rng.randrange(15, 120)
        rang = self.rng.choice(self.agents) if reason == MissedReason.NOT_ANSWERED else None
        return self._call(
            Direction.INBOUND, number, COMPANY_NUMBER, at, ring_only=rang, wait=wait,
            contact=contact, line=line, reason=reason,
        )  # fmt: skip

    def _call(
        self,
        direction: str,
        caller: str,
        callee: str,
        start: datetime,
        *,
        agent: User | None = None,
        answered_after: int | None = None,
        talk: int = 0,
        wait: int = 0,
        contact: Contact | None = None,
        line: str = "",
        reason: str = "",
        passed_by: User | None = None,
        ring_only: User | None = None,
    ) -> Call:
        self.count += 1
        answered = start + timedelta(seconds=answered_after) if answered_after else None
        ended = (
            (answered + timedelta(seconds=talk)) if answered else start + timedelta(seconds=wait)
        )
        extension = self.extensions[agent.pk] if agent is not None else None
        call = Call.objects.create(
            pbx=self.pbx,
            unique_id=f"{int(start.timestamp())}.{self.count}",
            direction=direction,
            caller=caller,
            callee=callee,
            caller_name=contact.name if contact and direction == Direction.INBOUND else "",
            line=line,
            extension=extension,
            agent=agent,
            contact=contact,
            started_at=start,
            answered_at=answered,
            ended_at=ended,
            wait_seconds=int(((answered or ended) - start).total_seconds()),
            talk_seconds=talk if answered else 0,
            disposition=Disposition.ANSWERED if answered else Disposition.MISSED,
            missed_reason="" if answered else reason,
            source=CallSource.EVENTS,
            created_at=ended,
            updated_at=ended,
        )
        if passed_by is not None:
            self._ring(call, passed_by, start, answered=False, seconds=15)
        if agent is not None and direction == Direction.INBOUND and answered is not None:
            self._ring(call, agent, start, answered=True, seconds=answered_after or 0)
        if ring_only is not None:
            self._ring(call, ring_only, start, answered=False, seconds=wait)
        if answered is not None and self.count % 7 == 0 and self.count <= RECORDED_CALLS * 7:
            call.recording.save(f"{call.pk}.wav", ContentFile(self.recording), save=True)
        return call

    def _ring(self, call: Call, agent: User, at: datetime, *, answered: bool, seconds: int) -> None:
        Ring.objects.create(
            call=call,
            extension=self.extensions[agent.pk],
            agent=agent,
            rang_at=at,
            answered=answered,
            ring_seconds=seconds,
        )


def _tone() -> bytes:
    """Two seconds of a soft 440 Hz tone: a recording the demo can play."""
    rate = 8000
    frames = b"".join(
        struct.pack("<h", int(6000 * math.sin(2 * math.pi * 440 * n / rate)))
        for n in range(rate * 2)
    )
    out = io.BytesIO()
    with wave.open(out, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(rate)
        sound.writeframes(frames)
    return out.getvalue()
