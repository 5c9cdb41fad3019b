"""The state of one SLA clock (a ticket's status line), in plain Python.

A clock measures working time from ``base`` (ticket creation, or the instant of a re-match
or reopen, with the working time already consumed before it in ``consumed_at_base``),
minus the pauses after ``base``, until the target is ``reached`` or until ``now``.
"""

from dataclasses import dataclass
from datetime import datetime

RUNNING = "running"
PAUSED = "paused"
AT_RISK = "at_risk"
MET = "met"
BREACHED = "breached"
OPEN_STATES = (RUNNING, PAUSED, AT_RISK)
# states of a target not reached yet: an overdue (breached) clock still runs, accruing overrun
OWED_STATES = (*OPEN_STATES, BREACHED)
# The worst state of a ticket's lines is its overall state.
SEVERITY = {MET: 0, PAUSED: 1, RUNNING: 2, AT_RISK: 3, BREACHED: 4}


@dataclass(frozen=True)
class Clock:
    target_seconds: int
    at_risk_percent: float
    base: datetime
    consumed_at_base: int = 0
    # (start, end or None while paused), in chronological order
    pauses: tuple = ()
    reached: datetime | None = None
    # escalation thresholds (B7) in % of the target, ascending (e.g. 75, 100, 150)
    escalation_percents: tuple = ()


@dataclass(frozen=True)
class ClockState:
    state: str
    deadline: datetime
    at_risk_date: datetime
    consumed_seconds: int
    paused_seconds: int
    overrun_seconds: int
    paused_since: datetime | None
    # instant each escalation threshold is reached, in the order of ``escalation_percents``
    escalation_dates: tuple = ()


def _due(working_time, clock, budget, pauses):
    """Instant at which ``budget`` working seconds after ``base`` are used, pauses excluded.

    While a pause is open the clock is frozen: the instant is planned as if work resumed at
    the moment the pause started, so an open pause never causes a breach.
    """
    cursor = clock.base
    left = budget
    for start, end in pauses:
        start = max(start, cursor)
        work = working_time.working_seconds(cursor, start)
        if work >= left:
            return working_time.add(cursor, left)
        left -= work
        if end is None:
            return working_time.add(start, left)
        cursor = max(cursor, end)
    return working_time.add(cursor, left)


def _due_at_percent(working_time, clock, percent, pauses):
    """Instant at which ``percent`` % of the target is used."""
    budget = int(clock.target_seconds * percent / 100.0 + 0.5)
    return _due(working_time, clock, max(0, budget - clock.consumed_at_base), pauses)


def next_escalation(levels_reached, escalation_dates):
    """Instant of the first escalation level above ``levels_reached`` (None when done)."""
    if levels_reached < len(escalation_dates):
        return escalation_dates[levels_reached]
    return None


def evaluate(working_time, clock: Clock, now: datetime) -> ClockState:
    """State, deadline, at-risk instant and consumed working time of ``clock`` at ``now``."""
    end = clock.reached or now
    # a pause still open when the target is reached ends there
    pauses = [
        (
            max(start, clock.base),
            clock.reached if stop is None and clock.reached else stop,
        )
        for start, stop in clock.pauses
        if (stop is None or stop > clock.base) and start <= end
    ]
    paused_seconds = 0
    paused_since = None
    for start, stop in pauses:
        if stop is None or stop >= end:
            paused_seconds += working_time.working_seconds(start, end)
            if stop is None and not clock.reached:
                paused_since = start
        else:
            paused_seconds += working_time.working_seconds(start, stop)
    consumed = (
        clock.consumed_at_base
        + max(0, working_time.working_seconds(clock.base, end))
        - paused_seconds
    )
    deadline = _due(
        working_time,
        clock,
        max(0, clock.target_seconds - clock.consumed_at_base),
        pauses,
    )
    at_risk_date = _due_at_percent(working_time, clock, clock.at_risk_percent, pauses)
    escalation_dates = tuple(
        _due_at_percent(working_time, clock, percent, pauses)
        for percent in clock.escalation_percents
    )
    if clock.reached:
        state = MET if clock.reached <= deadline else BREACHED
    elif paused_since is not None:
        state = BREACHED if deadline < paused_since else PAUSED
    elif now > deadline:
        state = BREACHED
    elif now >= at_risk_date:
        state = AT_RISK
    else:
        state = RUNNING
    return ClockState(
        state=state,
        deadline=deadline,
        at_risk_date=at_risk_date,
        consumed_seconds=consumed,
        paused_seconds=paused_seconds,
        overrun_seconds=max(0, consumed - clock.target_seconds),
        paused_since=paused_since,
        escalation_dates=escalation_dates,
    )


def worst_state(states):
    """Overall state of a ticket from the states of its lines (False when none); lines
    stopped because the ticket left their agreement (``cancelled``) do not count."""
    states = [s for s in states if s in SEVERITY]
    return max(states, key=SEVERITY.__getitem__) if states else False
