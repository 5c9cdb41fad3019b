"""Which agreement, version and targets apply to a request (B1), in plain Python.

The ORM side builds an :class:`Index` of the agreements in force once (cached until an
agreement, version, target or stage changes); matching a request is then a few comparisons,
with no query, which keeps ticket creation cheap.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

import pytz

DURATION_SECONDS = {"minutes": 60, "hours": 3600}
END_OF_DAY = {"end_of_day": 0, "end_of_next_day": 1}


@dataclass(frozen=True)
class TargetInfo:
    id: int
    name: str
    metric: str
    stage_id: int | None
    priority: str | None
    category_ids: frozenset
    duration_type: str
    duration: float
    at_risk_percent: float
    sequence: int = 10
    # "end of the (next) working day" targets: a request reaching the team at or after
    # this local hour counts from the next working day (None: no cut-off)
    cutoff_hour: float | None = None

    def applies_to(self, priority, category_id):
        if self.priority and self.priority != priority:
            return False
        return not self.category_ids or category_id in self.category_ids

    def specificity(self):
        """More specific targets win: priority and category set, then lower sequence."""
        return (bool(self.priority), bool(self.category_ids), -self.sequence, -self.id)

    def seconds(self, start, working_time, hours_per_day):
        """Working seconds allowed for a request started at ``start``."""
        if self.duration_type in DURATION_SECONDS:
            return round(self.duration * DURATION_SECONDS[self.duration_type])
        if self.duration_type == "days":
            return round(self.duration * (hours_per_day or 8.0) * 3600)
        days_after = END_OF_DAY[self.duration_type]
        if (
            self.cutoff_hour is not None
            and working_time.arrival_hour(start) >= self.cutoff_hour
        ):
            days_after += 1
        return working_time.working_seconds(start, working_time.end_of_day(start, days_after))


@dataclass(frozen=True)
class VersionInfo:
    id: int
    number: int
    date_effective: date
    targets: tuple = ()


@dataclass(frozen=True)
class AgreementInfo:
    id: int
    customer_scope: str
    customer_department_id: int | None
    team_ids: frozenset
    date_start: date
    date_end: date | None
    calendar_id: int
    tz: str
    hours_per_day: float
    required_fields: tuple
    versions: tuple = ()  # sorted by (date_effective, number)
    escalation_percents: tuple = ()

    def covers(self, customer_department_id, team_id, day):
        if day < self.date_start or (self.date_end and day > self.date_end):
            return False
        if (
            self.customer_scope != "all"
            and self.customer_department_id != customer_department_id
        ):
            return False
        return not self.team_ids or team_id in self.team_ids

    def rank(self):
        """A department-specific, team-specific agreement beats a general one."""
        return (self.customer_scope != "department", not self.team_ids, self.id)

    def version_at(self, day):
        current = None
        for version in self.versions:
            if version.date_effective <= day:
                current = version
        return current


@dataclass(frozen=True)
class Index:
    # (company_id, provider_department_id) -> tuple of AgreementInfo
    agreements: dict = field(default_factory=dict)
    pause_stage_ids: frozenset = frozenset()
    # every field any agreement requires from requesters (A3)
    required_fields: frozenset = frozenset()

    def match(self, company_id, provider_department_id, customer_department_id, team_id, start):
        """The agreement in force for a request started at ``start`` (naive UTC) and its
        version on that day (the agreement's local day)."""
        candidates = []
        for agreement in self.agreements.get((company_id, provider_department_id), ()):
            day = local_date(start, agreement.tz)
            if agreement.covers(customer_department_id, team_id, day):
                candidates.append((agreement.rank(), agreement, day))
        if not candidates:
            return None, None
        _rank, agreement, day = min(candidates, key=lambda c: c[0])
        return agreement, agreement.version_at(day)


def local_date(moment, tz):
    """Local calendar date of a naive UTC datetime in time zone ``tz`` (pytz's time zone
    database, as Odoo and the working-time engine)."""
    return pytz.utc.localize(moment).astimezone(pytz.timezone(tz)).date()


def utc_start_of_day(day, tz):
    """Naive UTC instant at which local day ``day`` begins in time zone ``tz``."""
    local = pytz.timezone(tz).localize(datetime.combine(day, time.min))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def select_targets(targets, priority, category_id, stage_id=None):
    """The most specific target per metric; stage targets only for ``stage_id``."""
    best = {}
    for target in targets:
        if not target.applies_to(priority, category_id):
            continue
        if target.metric == "stage" and target.stage_id != stage_id:
            continue
        key = (target.metric, target.stage_id)
        if key not in best or target.specificity() > best[key].specificity():
            best[key] = target
    return sorted(best.values(), key=lambda t: (t.sequence, t.id))
