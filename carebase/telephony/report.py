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

from django.db.models import Count, QuerySet, Sum

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
    passed = Ring.objects.filter(
        agent__isnull=False, answered=False, rang_at__gte=since, rang_at__lt=until
    )
    if agents is not None:
        answered = answered.filter(agent__in=agents)
        passed = passed.filter(agent__in=agents)
    # Waits are whole seconds, a few hundred values: counted per agent and
    # wait, they give the exact average and percentile from one grouped scan
    # instead of sorting every call.
    waits: dict[int, list[tuple[int, int]]] = {}
    lines: dict[int, AgentLine] = {}
    rows = (
        answered.values("agent", "wait_seconds")
        .annotate(count=Count("*"), talk=Sum("talk_seconds"))
        .order_by()
    )
    for row in rows:
        line = lines.setdefault(row["agent"], AgentLine(agent=row["agent"]))
        line.answered += row["count"]
        line.talk_seconds += row["talk"] or 0
        waits.setdefault(row["agent"], []).append((row["wait_seconds"], row["count"]))
    for agent_id, counted in waits.items():
        counted.sort()
        line = lines[agent_id]
        line.average_answer_seconds = sum(wait * count for wait, count in counted) / line.answered
        line.p90_answer_seconds = _percentile(counted, line.answered, 0.9)
    for ring in passed.values("agent").annotate(count=Count("*")).order_by():
        lines.setdefault(ring["agent"], AgentLine(agent=ring["agent"])).missed = ring["count"]
    users = User.objects.in_bulk(list(lines))
    for line in lines.values():
        line.agent = users.get(line.agent, line.agent)
    return sorted(
        lines.values(),
        key=lambda line: (-(line.missed_share or 0), -line.answered, str(line.agent)),
    )


def _percentile(counted: list[tuple[int, int]], total: int, share: float) -> float:
    """The percentile of values given as sorted (value, count) pairs, by
    linear interpolation between the two nearest ranks (as PostgreSQL's
    percentile_cont and numpy's default)."""
    rank = share * (total - 1)
    low, high = int(rank), min(ceil(rank), total - 1)
    seen = 0
    low_value = high_value = None
    for value, count in counted:
        if low_value is None and low < seen + count:
            low_value = value
        if high < seen + count:
            high_value = value
            break
        seen += count
    assert low_value is not None and high_value is not None
    return low_value + (high_value - low_value) * (rank - low)
