"""Unit tests of agreement matching helpers, no database."""

import unittest
from datetime import date, datetime

from ..engine.matching import local_date, utc_start_of_day


class TestLocalDays(unittest.TestCase):
    def test_start_of_a_local_day_in_utc(self):
        # Moscow is UTC+3 all year
        self.assertEqual(
            utc_start_of_day(date(2026, 3, 2), "Europe/Moscow"), datetime(2026, 3, 1, 21, 0)
        )
        # Berlin: UTC+1 in winter, UTC+2 from the last Sunday of March
        self.assertEqual(
            utc_start_of_day(date(2026, 3, 29), "Europe/Berlin"), datetime(2026, 3, 28, 23, 0)
        )
        self.assertEqual(
            utc_start_of_day(date(2026, 3, 30), "Europe/Berlin"), datetime(2026, 3, 29, 22, 0)
        )
        self.assertEqual(utc_start_of_day(date(2026, 3, 2), "UTC"), datetime(2026, 3, 2))

    def test_start_of_day_is_the_first_instant_of_that_local_date(self):
        for tz in ("Europe/Moscow", "Europe/Berlin", "America/New_York", "Asia/Kolkata"):
            start = utc_start_of_day(date(2026, 10, 25), tz)
            self.assertEqual(local_date(start, tz), date(2026, 10, 25))
            self.assertEqual(local_date(start.replace(microsecond=0) - _SECOND, tz).day, 24)


_SECOND = datetime(2026, 1, 1, 0, 0, 1) - datetime(2026, 1, 1)
