"""What-if replay of past tickets against other targets (H2), in plain Python.

A past ticket is reduced to the instants that drove its clocks: when its clocks started,
its pauses, its first response, its resolution and its stays in each stage (entered,
left).  Replaying it against a draft agreement (or an amendment) is then the same clock
arithmetic as the live engine (``sla_clock``): the draft's targets are matched on the
ticket's priority and category, measured on the draft's calendar, and each clock is
evaluated at its reach instant (or at ``now`` while the ticket is still open).  A
time-in-stage target is replayed on every stay of the ticket in its stage, as the live
engine starts one clock each time the ticket enters the stage.  Nothing is written
anywhere: the ORM side turns the projections into a report next to what really happened.

Escalations are projected as the sweep raises them: a level whose instant comes before the
target is reached (or before ``now``) has been reached.
"""

from dataclasses import dataclass
from datetime import datetime

from .kpi import sla_met_percent
from .matching import select_targets
from .sla_clock import BREACHED, MET, Clock, evaluate

REPLAYED_METRICS = ("first_response", "resolution", "stage")


@dataclass(frozen=True)
class ReplayTicket:
    """The facts of one past ticket that its clocks depend on (naive UTC instants)."""

    id: int
    priority: str
    category_id: int | None
    start: datetime
    pauses: tuple = ()  # (start, end or None), chronological
    first_response: datetime | None = None
    resolved: datetime | None = None
    stays: tuple = ()  # (stage id, entered, left or None), chronological

    def reached(self, metric):
        return self.first_response if metric == "first_response" else self.resolved


@dataclass(frozen=True)
class Projection:
    """One target of one ticket, as the replayed clock ends."""

    ticket_id: int
    metric: str
    target_id: int
    target_name: str
    target_seconds: int
    state: str
    deadline: datetime
    consumed_seconds: int
    escalation_level: int
    stage_id: int | None = None  # time-in-stage targets: the stage
    start: datetime | None = None  # when the clock started (the stay's entry)


def escalation_level(escalation_dates, reached, now, paused_since=None):
    """Levels the sweep would have raised: those due before the target was reached, or
    by ``now`` for a clock still running; a clock paused now raised none since its pause
    began (its dates are planned as if work resumed then, and a paused line does not
    escalate)."""
    if reached:
        return sum(1 for due in escalation_dates if due < reached)
    if paused_since:
        return sum(1 for due in escalation_dates if due < paused_since)
    return sum(1 for due in escalation_dates if due <= now)


def ticket_clocks(targets, ticket):
    """(target, start, reached, stage id) of each clock the draft's ``targets`` start for
    ``ticket``: its first response and resolution from the ticket's start, then one clock
    per stay in a stage with a time-in-stage target, from the entry to the exit."""
    clocks = [
        (target, ticket.start, ticket.reached(target.metric), None)
        for target in select_targets(targets, ticket.priority, ticket.category_id)
        if target.metric != "stage"
    ]
    for stage_id, entered, left in ticket.stays:
        clocks += [
            (target, entered, left, stage_id)
            for target in select_targets(targets, ticket.priority, ticket.category_id, stage_id)
            if target.metric == "stage"
        ]
    return clocks


def replay(working_time, targets, hours_per_day, escalation_percents, tickets, now):
    """Project ``tickets`` (:class:`ReplayTicket`) on ``targets`` (``TargetInfo`` of the
    draft) measured on ``working_time``; one :class:`Projection` per ticket and matching
    first-response or resolution target, then per stay in a stage with a time-in-stage
    target, in the order of ``tickets``."""
    projections = []
    for ticket in tickets:
        for target, start, reached, stage_id in ticket_clocks(targets, ticket):
            seconds = target.seconds(start, working_time, hours_per_day)
            state = evaluate(
                working_time,
                Clock(
                    target_seconds=seconds,
                    at_risk_percent=target.at_risk_percent,
                    base=start,
                    pauses=ticket.pauses,
                    reached=reached,
                    escalation_percents=tuple(escalation_percents),
                ),
                now,
            )
            projections.append(
                Projection(
                    ticket_id=ticket.id,
                    metric=target.metric,
                    target_id=target.id,
                    target_name=target.name,
                    target_seconds=seconds,
                    state=state.state,
                    deadline=state.deadline,
                    consumed_seconds=state.consumed_seconds,
                    escalation_level=escalation_level(
                        state.escalation_dates, reached, now, state.paused_since
                    ),
                    stage_id=stage_id,
                    start=start,
                )
            )
    return projections


def stays(start, current_stage_id, moves):
    """A ticket's stays in its stages, ``(stage id, entered, left or None)``, from its
    stage changes ``moves`` (``(instant, old stage id, new stage id)``, chronological).

    :param start: when the ticket started (its first stay's entry)
    :param current_stage_id: its stage now (its only stay when it never moved)
    """
    result = []
    stage_id = moves[0][1] if moves else current_stage_id
    entered = start
    for instant, _old, new in moves:
        result.append((stage_id, entered, instant))
        stage_id, entered = new, instant
    result.append((stage_id, entered, None))
    return tuple(result)


def summarize(rows):
    """Per metric: met, breached and open targets, met % (``None`` without a reached
    target) and the number of targets that reached each escalation level.

    :param rows: iterable of (metric, state, escalation level), actual or projected
    """
    summary = {}
    for metric, state, level in rows:
        figures = summary.setdefault(
            metric,
            {"met": 0, "breached": 0, "open": 0, "escalated": [0, 0, 0], "total": 0},
        )
        figures["total"] += 1
        if state == MET:
            figures["met"] += 1
        elif state == BREACHED:
            figures["breached"] += 1
        else:
            figures["open"] += 1
        for reached_level in range(1, min(level or 0, 3) + 1):
            figures["escalated"][reached_level - 1] += 1
    for figures in summary.values():
        figures["met_percent"] = sla_met_percent(figures["met"], figures["breached"])
    return summary
