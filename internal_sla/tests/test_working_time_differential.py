"""Differential test: our engine against Odoo's ``resource.calendar.plan_hours``.

2,000 random (start, duration) cases on each of two calendars must give exactly Odoo's
deadlines, Odoo's float result rounded to the second (see the engine's docstring for the
deliberate differences).
"""

import random
from datetime import datetime, timedelta

import pytz

from odoo.tests import TransactionCase, tagged

from .common import berlin_two_shift_calendar, moscow_calendar

CASES = 2000
# 02:00 CET -> 03:00 CEST and 03:00 CEST -> 02:00 CET in Berlin, in UTC
SPRING_SWITCH = datetime(2026, 3, 29, 1, 0)
AUTUMN_SWITCH = datetime(2026, 10, 25, 1, 0)


def random_cases(seed, count=CASES, first=datetime(2026, 1, 1), days=365):
    """``count`` (start, working minutes) cases starting within ``days`` from ``first``."""
    rng = random.Random(seed)
    cases = []
    for _i in range(count):
        start = first + timedelta(minutes=rng.randrange(days * 24 * 60))
        minutes = rng.choice(
            [rng.randrange(1, 60), rng.randrange(60, 8 * 60), rng.randrange(8 * 60, 80 * 60)]
        )
        cases.append((start, minutes))
    return cases


def odoo_deadline(calendar, start, minutes):
    result = calendar.plan_hours(minutes / 60, pytz.utc.localize(start), compute_leaves=True)
    naive = result.astimezone(pytz.utc).replace(tzinfo=None)
    return (naive + timedelta(microseconds=500000)).replace(microsecond=0)


@tagged("post_install", "-at_install")
class TestWorkingTimeDifferential(TransactionCase):
    def compare(self, calendar, cases):
        """Our deadline and Odoo's for each case: [(start, minutes, deadline)]."""
        engine = calendar._internal_sla_working_time()
        mismatches, results = [], []
        for start, minutes in cases:
            ours = engine.add(start, minutes * 60)
            theirs = odoo_deadline(calendar, start, minutes)
            if ours != theirs:
                mismatches.append((start, minutes, ours, theirs))
            results.append((start, minutes, ours))
        self.assertEqual(mismatches[:5], [], f"{len(mismatches)} mismatches of {len(cases)}")
        return results

    def test_moscow_40h_with_russian_holidays(self):
        self.compare(moscow_calendar(self.env), random_cases(2026))

    def test_berlin_two_shifts_across_dst(self):
        """The random corpus crosses both DST switches of 2026: the year's 2,000 cases and
        200 more starting in the week before each switch; enough of them start before a
        switch and end after it, and those too give exactly Odoo's deadlines."""
        calendar = berlin_two_shift_calendar(self.env)
        week = timedelta(days=7)
        cases = random_cases(1989)
        cases += random_cases(1990, 200, SPRING_SWITCH - week, 7)
        cases += random_cases(1991, 200, AUTUMN_SWITCH - week, 7)
        results = self.compare(calendar, cases)
        for switch, at_least in ((SPRING_SWITCH, 30), (AUTUMN_SWITCH, 30)):
            with self.subTest(switch=switch):
                across = [case for case in results if case[0] < switch <= case[2]]
                self.assertGreaterEqual(len(across), at_least, across)

    def test_berlin_two_shifts_hand_computed_across_dst(self):
        """Deadlines across each switch, worked out by hand. The Sunday night shift runs
        00:30-04:30 Berlin time: 3 real hours on 29 March (02:00 CET jumps to 03:00 CEST),
        5 on 25 October (03:00 CEST falls back to 02:00 CET). Weekday shifts 06:00-22:00."""
        calendar = berlin_two_shift_calendar(self.env)
        engine = calendar._internal_sla_working_time()
        cases = [
            # Fri 27 Mar 21:00 CET (20:00 UTC): 1 h to 22:00 CET, then the shortened Sunday
            # shift from 00:30 CET (Sat 23:30 UTC): 2 h later is 03:30 CEST (01:30 UTC)
            (datetime(2026, 3, 27, 20, 0), 3 * 60, datetime(2026, 3, 29, 1, 30)),
            # 1 h Friday + the whole Sunday shift (3 h, to 04:30 CEST = 02:30 UTC) + 1 h
            # from Monday 06:00 CEST (04:00 UTC)
            (datetime(2026, 3, 27, 20, 0), 5 * 60, datetime(2026, 3, 30, 5, 0)),
            # Fri 23 Oct 21:00 CEST (19:00 UTC): 1 h to 22:00 CEST, then the lengthened
            # Sunday shift from 00:30 CEST (Sat 22:30 UTC): 4 h later is 03:30 CET (02:30 UTC)
            (datetime(2026, 10, 23, 19, 0), 5 * 60, datetime(2026, 10, 25, 2, 30)),
            # 1 h Friday + the whole Sunday shift (5 h, to 04:30 CET = 03:30 UTC) + 1 h
            # from Monday 06:00 CET (05:00 UTC)
            (datetime(2026, 10, 23, 19, 0), 7 * 60, datetime(2026, 10, 26, 6, 0)),
        ]
        for start, minutes, deadline in cases:
            with self.subTest(start=start, minutes=minutes):
                self.assertEqual(engine.add(start, minutes * 60), deadline)
                self.assertEqual(odoo_deadline(calendar, start, minutes), deadline)
                self.assertEqual(engine.working_seconds(start, deadline), minutes * 60)

    def test_deliberate_difference_midnight_end(self):
        """An attendance ending at 24:00 ends at midnight here, 1 µs earlier in Odoo, so
        Odoo plans 4 hours of a 20:00-24:00 shift a week later."""
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Evening",
                "tz": "UTC",
                "attendance_ids": [
                    (0, 0, {"name": "late", "dayofweek": "0", "hour_from": 20, "hour_to": 24})
                ],
            }
        )
        start = datetime(2026, 3, 2, 20, 0)
        raw = calendar.plan_hours(4, pytz.utc.localize(start), compute_leaves=True)
        self.assertEqual(raw.replace(tzinfo=None), datetime(2026, 3, 9, 20, 0, 0, 1))
        self.assertEqual(
            calendar._internal_sla_working_time().add(start, 4 * 3600), datetime(2026, 3, 3)
        )
