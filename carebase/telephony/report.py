"""The agent call report: who answers and who lets the phone ring.

For each agent over a period: the calls they answered, the rings they let
pass (their extension rang, they did not pick up), the share of rings they
missed, how long callers waited until they answered (average and 90th
percentile) and their talk time. Read from the calls and their rings, two
grouped queries whatever the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from math import ceil
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, Q, QuerySet, Sum

from carebase.accounts.models import User
from carebase.telephony.models import Call, Direction, Ring


@dataclass
class AgentLine:
    agent: Any
    answered: int = 0
    missed: int = 0
    average_answer_seconds: float | None = None
    p90_answer_seconds: float | None = None
    talk_seconds: int = 0

    @property
    def missed_share(self) -> float | None:
        rang = self.answered + self.missed
        return self.missed / rang if rang else None

    @property
    def average_talk_seconds(self) -> float | None:
        return self.talk_seconds / self.answered if self.answered else None


def agent_report(
    since: datetime, until: datetime, agents: QuerySet[Any] | None = None
) -> list[AgentLine]:
    """One line per agent who answered or was rung in [since, until),
    the most missed share first; `agents` limits it (an agent's own line)."""
    answered = Call.objects.filter(
        direction=Direction.INBOUND,
        answered_at__isnull=False,
        agent__isnull=False,
        started_at__gte=since,
        started_at__lt=until,
    )
    rings = Ring.objects.filter(agent__isnull=False, rang_at__gte=since, rang_at__lt=until)
    if agents is not None:
        answered = answered.filter(agent__in=agents)
        rings = rings.filter(agent__in=agents)
    figures = answered.values("agent").annotate(
        count=Count("pk"), wait=Avg("wait_seconds"), talk=Sum("talk_seconds")
    )
    missed = rings.values("agent").annotate(missed=Count("pk", filter=Q(answered=False)))
    lines: dict[int, AgentLine] = {}
    for row in figures:
        lines[row["agent"]] = AgentLine(
            agent=row["agent"],
            answered=row["count"],
            average_answer_seconds=row["wait"],
            talk_seconds=row["talk"] or 0,
        )
    for passed in missed:
        if passed["missed"]:
            lines.setdefault(passed["agent"], AgentLine(agent=passed["agent"])).missed = passed[
                "missed"
            ]
    for agent_id, p90 in _p90_waits(answered).items():
        if agent_id in lines:
            lines[agent_id].p90_answer_seconds = p90
    users = User.objects.in_bulk(list(lines))
    for line in lines.values():
        line.agent = users.get(line.agent, line.agent)
    return sorted(
        lines.values(),
        key=lambda line: (-(line.missed_share or 0), -line.answered, str(line.agent)),
    )


def _p90_waits(answered: QuerySet[Call]) -> dict[int, float]:
    if connection.vendor == "postgresql":
        sql, params = answered.values("agent", "wait_seconds").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT agent_id, percentile_cont(0.9) WITHIN GROUP (ORDER BY wait_seconds)"  # noqa: S608 (the ORM's own query)
                f" FROM ({sql}) AS answered GROUP BY agent_id",
                params,
            )
            return {agent: float(p90) for agent, p90 in cursor.fetchall()}
    waits: dict[int, list[int]] = {}
    for agent, wait in answered.values_list("agent", "wait_seconds"):
        waits.setdefault(agent, []).append(wait)
    return {agent: _percentile(sorted(values), 0.9) for agent, values in waits.items()}


def _percentile(ordered: list[int], share: float) -> float:
    """Linear interpolation between the two nearest ranks (PostgreSQL's percentile_cont)."""
    if len(ordered) == 1:
        return float(ordered[0])
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(ceil(rank), len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
