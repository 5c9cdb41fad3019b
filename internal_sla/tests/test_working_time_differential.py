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


def random_cases(seed, count=CASES):
    rng = random.Random(seed)
    year_start = datetime(2026, 1, 1)
    cases = []
    for _i in range(count):
        start = year_start + timedelta(minutes=rng.randrange(365 * 24 * 60))
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
    def compare(self, calendar, seed):
        engine = calendar._internal_sla_working_time()
        mismatches = []
        for start, minutes in random_cases(seed):
            ours = engine.add(start, minutes * 60)
            theirs = odoo_deadline(calendar, start, minutes)
            if ours != theirs:
                mismatches.append((start, minutes, ours, theirs))
        self.assertEqual(mismatches[:5], [], f"{len(mismatches)} mismatches of {CASES}")

    def test_moscow_40h_with_russian_holidays(self):
        self.compare(moscow_calendar(self.env), seed=2026)

    def test_berlin_two_shifts_across_dst(self):
        calendar = berlin_two_shift_calendar(self.env)
        # the corpus does cross both DST switches of 2026
        starts = [start for start, _m in random_cases(1989)]
        self.assertTrue(any(s < datetime(2026, 3, 29) for s in starts))
        self.assertTrue(any(datetime(2026, 10, 25) < s for s in starts))
        self.compare(calendar, seed=1989)

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
