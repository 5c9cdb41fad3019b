"""Working-time arithmetic for SLA clocks, in plain Python (no ORM).

A calendar is turned once into a sorted list of UTC working intervals over a span of
dates, with the cumulative working time before each interval.  Every question an SLA asks
then costs two binary searches:

* ``position(t)``: working seconds between the start of the span and ``t``;
* ``add(t, seconds)``: the instant at which ``seconds`` of working time after ``t`` are used
  up (Odoo's ``resource.calendar.plan_hours`` with ``compute_leaves=True``);
* ``between(a, b)``: working seconds between two instants.

The intervals are built exactly like Odoo's ``_work_intervals_batch`` builds them:
attendances of the calendar (lunch and section lines excluded, two-week calendars by week
parity) localised with pytz in the calendar's time zone (``is_dst=False``, as Odoo does),
minus the calendar's time off (global leaves of the calendar or of no calendar).

Deliberate differences with Odoo, all tested:

* Times are whole seconds.  ``plan_hours`` works on float hours and drifts by
  microseconds; an attendance ending at 24:00 ends at 23:59:59.999999 in Odoo and at
  midnight here.  Results agree once Odoo's are rounded to the second, except where
  Odoo's lost microsecond pushes a deadline that fills a shift up to 24:00 into the
  next shift (tested in ``test_working_time_differential``).
* Overlapping attendances are merged; Odoo would count the overlap twice.
* Nothing is planned further than ``MAX_SPAN_DAYS`` ahead: a calendar without working
  time raises ``NoWorkingTime`` instead of returning ``False``.

All datetimes taken and returned are naive UTC, as Odoo stores them.
"""

from bisect import bisect_left, bisect_right
from calendar import timegm
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from threading import RLock
from typing import NamedTuple

import pytz

EPOCH = datetime(1970, 1, 1)
EPOCH_ORDINAL = EPOCH.toordinal()
DAY = 86400
ONE_DAY = timedelta(days=1)
MAX_SPAN_DAYS = 4 * 366


class NoWorkingTime(ValueError):
    """The calendar has no working time in the planning horizon."""


class Attendance(NamedTuple):
    """One attendance line: weekday 0 = Monday, hours as floats like Odoo's."""

    weekday: int
    hour_from: float
    hour_to: float
    week_type: int | None = None  # 0/1 on two-week calendars, else None


def to_seconds(dt: datetime) -> int:
    """Naive UTC datetime -> epoch seconds (microseconds dropped)."""
    return timegm(dt.timetuple())


def to_datetime(seconds: int) -> datetime:
    """Epoch seconds -> naive UTC datetime."""
    return EPOCH + timedelta(seconds=seconds)


def hour_to_seconds(hour: float) -> int:
    """Odoo's ``float_to_time`` rounds an attendance hour to the minute."""
    whole = int(hour)
    minutes = int((hour - whole) * 60 + 0.5)
    return whole * 3600 + minutes * 60


def week_type_of(day: date) -> int:
    """Week parity as Odoo's ``resource.calendar.attendance.get_week_type``."""
    return ((day.toordinal() - 1) // 7) % 2


def _merge(intervals):
    merged = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def _subtract(intervals, holes):
    """Sorted disjoint ``intervals`` minus sorted disjoint ``holes``."""
    result = []
    h = 0
    for start, end in intervals:
        while h < len(holes) and holes[h][1] <= start:
            h += 1
        cursor = start
        k = h
        while k < len(holes) and holes[k][0] < end:
            if holes[k][0] > cursor:
                result.append((cursor, holes[k][0]))
            cursor = max(cursor, holes[k][1])
            k += 1
        if cursor < end:
            result.append((cursor, end))
    return result


@lru_cache(maxsize=16384)
def day_offset(zone: str, day: date) -> int | None:
    """UTC offset in seconds of the local ``day`` in ``zone``, localised with pytz as Odoo
    does, or None when it changes during the day (a DST switch). Memoised for the process:
    every calendar of a zone and every rebuild of one asks for the same days, and two pytz
    localisations a day were most of the time of building a calendar's intervals."""
    tz = pytz.timezone(zone)
    midnight = datetime(day.year, day.month, day.day)
    offset = tz.localize(midnight).utcoffset()
    if tz.localize(midnight + ONE_DAY).utcoffset() != offset:
        return None
    return int(offset.total_seconds())


class WorkingTime:
    """Working intervals of one calendar, materialised lazily over a span of dates."""

    def __init__(self, tz, attendances, leaves=(), two_weeks=False):
        """
        :param tz: time zone name of the calendar (``resource.calendar.tz``)
        :param attendances: iterable of :class:`Attendance`
        :param leaves: iterable of (start, end) naive UTC datetimes of time off
        :param two_weeks: whether attendances alternate by week parity
        """
        self.tz = pytz.timezone(tz or "UTC")
        self.two_weeks = two_weeks
        self.by_weekday = [[] for _ in range(14)]
        for att in attendances:
            span = (hour_to_seconds(att.hour_from), hour_to_seconds(att.hour_to))
            if span[1] <= span[0]:
                continue
            week_types = (0, 1) if not two_weeks or att.week_type is None else (att.week_type,)
            for week_type in week_types:
                self.by_weekday[att.weekday + 7 * week_type].append(span)
        self.has_attendance = any(self.by_weekday)
        self.leaves = _merge((to_seconds(a), to_seconds(b)) for a, b in leaves)
        self.first_day = None
        self.last_day = None  # exclusive
        # epoch bounds of the materialised span, for a cheap "already covered?" test
        self.span_lo = self.span_hi = 0
        self.starts = []
        self.ends = []
        self.cum_before = []  # working seconds before interval i
        self.cum_after = []  # working seconds up to the end of interval i
        # Shared by the threads of a server through a cache: queries and rebuilds serialise
        self.lock = RLock()

    # -- materialisation ---------------------------------------------------------------------

    def _local_intervals(self, day_from: date, day_to: date):
        """UTC intervals of the attendances of local days [day_from, day_to)."""
        # pytz, exactly as Odoo (another tz database, zoneinfo's, can disagree with it):
        # one offset for a day without a switch, each span localised on switch days
        localize = self.tz.localize
        zone = self.tz.zone
        out = []
        day = day_from
        while day < day_to:
            week_type = week_type_of(day) if self.two_weeks else 0
            spans = self.by_weekday[day.weekday() + 7 * week_type]
            if spans:
                offset = day_offset(zone, day)
                if offset is not None:
                    base = (day.toordinal() - EPOCH_ORDINAL) * DAY - offset
                    out.extend((base + start, base + end) for start, end in spans)
                else:
                    midnight = datetime(day.year, day.month, day.day)
                    for start, end in spans:
                        out.append(
                            (
                                self._utc(localize(midnight + timedelta(seconds=start))),
                                self._utc(localize(midnight + timedelta(seconds=end))),
                            )
                        )
            day += ONE_DAY
        return out

    @staticmethod
    def _utc(aware: datetime) -> int:
        return timegm(aware.utctimetuple())

    def _build(self, first_day: date, last_day: date):
        intervals = _subtract(_merge(self._local_intervals(first_day, last_day)), self.leaves)
        self.first_day, self.last_day = first_day, last_day
        # a day of margin on each side absorbs any UTC offset
        self.span_lo = self._utc(pytz.utc.localize(datetime.combine(first_day, time()))) + DAY
        self.span_hi = self._utc(pytz.utc.localize(datetime.combine(last_day, time()))) - DAY
        self.starts = [s for s, _e in intervals]
        self.ends = [e for _s, e in intervals]
        total = 0
        self.cum_before, self.cum_after = [], []
        for start, end in intervals:
            self.cum_before.append(total)
            total += end - start
            self.cum_after.append(total)

    def _local_day(self, seconds: int) -> date:
        return pytz.utc.localize(to_datetime(seconds)).astimezone(self.tz).date()

    def ensure_span(self, start: int, end: int):
        """Materialise at least the local days covering [start, end] (epoch seconds)."""
        if self.first_day is not None and self.span_lo <= start and end <= self.span_hi:
            return
        day_from = self._local_day(start) - timedelta(days=1)
        day_to = self._local_day(end) + timedelta(days=2)
        if self.first_day is None:
            # SLA questions cluster around "now": start with a season ahead
            day_from -= timedelta(days=7)
            day_to += timedelta(days=90)
        if (
            self.first_day is not None
            and day_from >= self.first_day
            and day_to <= self.last_day
        ):
            return
        if self.first_day is not None:
            # grow generously: repeated extensions stay amortised O(n)
            width = (self.last_day - self.first_day).days
            day_from = min(day_from, self.first_day - timedelta(days=width // 2))
            day_to = max(day_to, self.last_day + timedelta(days=width))
        self._build(day_from, day_to)

    def _span_start(self) -> int:
        return self._utc(self.tz.localize(datetime.combine(self.first_day, time())))

    def _span_end(self) -> int:
        return self._utc(self.tz.localize(datetime.combine(self.last_day, time())))

    # -- queries on epoch seconds ------------------------------------------------------------

    def position(self, t: int) -> int:
        """Working seconds from the start of the materialised span to ``t``."""
        i = bisect_right(self.starts, t) - 1
        if i < 0:
            return 0
        return self.cum_before[i] + min(t, self.ends[i]) - self.starts[i]

    def add_seconds(self, t: int, seconds: int) -> int:
        """Instant at which ``seconds`` of working time after ``t`` are used up.

        Landing exactly on the end of an interval returns that end (``plan_hours`` does the
        same), so "2 working hours from 16:00" is 18:00, not 09:00 the next morning.
        """
        if seconds < 0:
            raise ValueError("working time to add must not be negative")
        if not self.has_attendance:
            raise NoWorkingTime("the calendar has no attendance")
        # zero seconds: the first working moment at or after t, past an interval ending at t
        search = bisect_left if seconds else bisect_right
        horizon = t + DAY * 14
        while True:
            self.ensure_span(t, horizon)
            target = self.position(t) + seconds
            j = search(self.cum_after, target)
            if j < len(self.starts):
                return self._within_horizon(t, self.starts[j] + target - self.cum_before[j])
            if horizon - t > DAY * MAX_SPAN_DAYS:
                raise NoWorkingTime("no working time in the planning horizon")
            horizon = t + (horizon - t) * 2

    @staticmethod
    def _within_horizon(t: int, found: int) -> int:
        """``found`` when it lies within the planning horizon of ``t``. The span already
        built may reach further (it grows generously, after earlier questions): an answer
        beyond the horizon is refused all the same, so that it never depends on them."""
        if abs(found - t) > DAY * MAX_SPAN_DAYS:
            raise NoWorkingTime("no working time in the planning horizon")
        return found

    def subtract_seconds(self, t: int, seconds: int) -> int:
        """Latest instant from which ``seconds`` of working time run up to ``t``.

        The mirror of :meth:`add_seconds`: a clock started then would have consumed
        ``seconds`` at ``t`` (replays, simulations, demo histories).  Landing exactly on
        the start of an interval returns that start.
        """
        if seconds < 0:
            raise ValueError("working time to subtract must not be negative")
        if not self.has_attendance:
            raise NoWorkingTime("the calendar has no attendance")
        if not seconds:
            return t
        horizon = t - DAY * 14
        while True:
            self.ensure_span(horizon, t)
            target = self.position(t) - seconds
            if target > 0:
                j = bisect_left(self.cum_after, target)
                if target == self.cum_after[j] and j + 1 < len(self.starts):
                    return self._within_horizon(t, self.starts[j + 1])
                return self._within_horizon(t, self.starts[j] + target - self.cum_before[j])
            if t - horizon > DAY * MAX_SPAN_DAYS:
                raise NoWorkingTime("no working time in the planning horizon")
            horizon = t - (t - horizon) * 2

    def between(self, a: int, b: int) -> int:
        """Working seconds in [a, b] (negative when b < a)."""
        if b < a:
            return -self.between(b, a)
        self.ensure_span(a, b)
        return self.position(b) - self.position(a)

    def day_end(self, t: int, days_after: int = 0) -> int:
        """End of the working day of ``t``, or of the ``days_after``-th working day after.

        The working day of ``t`` is the local date of the first working moment at or after
        ``t``: a request made after hours or on a holiday belongs to the next working day.
        A day ends at its last working moment, at local midnight at the latest (on a
        round-the-clock calendar, each date is a day of its own).
        """
        first = self.add_seconds(t, 0)
        remaining = days_after
        while True:
            day = self._local_day(first)
            next_day = datetime.combine(day + timedelta(days=1), time())
            midnight = self._utc(self.tz.localize(next_day))
            self.ensure_span(first, midnight)
            j = bisect_right(self.starts, first) - 1
            end = first
            while j < len(self.starts) and self.starts[j] < midnight:
                end = min(self.ends[j], midnight)
                j += 1
            if remaining == 0:
                return end
            remaining -= 1
            # the next working day: the first working moment from there on (midnight
            # itself when the work goes on through it)
            first = self.add_seconds(end, 0)

    # -- datetime conveniences -------------------------------------------------------------

    def add(self, start: datetime, seconds: int) -> datetime:
        with self.lock:
            return to_datetime(self.add_seconds(to_seconds(start), int(seconds)))

    def subtract(self, end: datetime, seconds: int) -> datetime:
        with self.lock:
            return to_datetime(self.subtract_seconds(to_seconds(end), int(seconds)))

    def working_seconds(self, start: datetime, end: datetime) -> int:
        with self.lock:
            return self.between(to_seconds(start), to_seconds(end))

    def end_of_day(self, start: datetime, days_after: int = 0) -> datetime:
        with self.lock:
            return to_datetime(self.day_end(to_seconds(start), days_after))

    def arrival_hour(self, start: datetime) -> float:
        """Local hour of the day (13.5 = 13:30) at which a request made at ``start``
        reaches the team: the first working moment at or after ``start``."""
        with self.lock:
            first = to_datetime(self.add_seconds(to_seconds(start), 0))
        local = pytz.utc.localize(first).astimezone(self.tz)
        return local.hour + local.minute / 60 + local.second / 3600
