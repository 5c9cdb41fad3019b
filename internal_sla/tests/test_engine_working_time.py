"""Unit tests of the working-time engine alone (no database)."""

import unittest
from dataclasses import replace
from datetime import date, datetime

from ..engine.matching import TargetInfo
from ..engine.working_time import (
    Attendance,
    NoWorkingTime,
    WorkingTime,
    day_offset,
    hour_to_seconds,
)

OFFICE = [
    Attendance(day, hour_from, hour_to)
    for day in range(5)
    for hour_from, hour_to in ((9, 13), (14, 18))
]


def moscow(leaves=()):
    return WorkingTime("Europe/Moscow", OFFICE, leaves)


class TestWorkingTime(unittest.TestCase):
    def test_two_working_hours_inside_a_day(self):
        # Monday 2026-03-02 10:00 Moscow = 07:00 UTC; 2 h later is 12:00 Moscow
        self.assertEqual(
            moscow().add(datetime(2026, 3, 2, 7, 0), 7200), datetime(2026, 3, 2, 9, 0)
        )

    def test_overlapping_attendances_count_once(self):
        """Deliberate difference with Odoo (which counts an overlap twice; its calendar
        form refuses overlapping attendances, data imported otherwise may have them):
        09:00-13:00 and 12:00-15:00 are six working hours, not seven."""
        shifts = WorkingTime("UTC", [Attendance(0, 9, 13), Attendance(0, 12, 15)])
        monday = datetime(2026, 3, 2, 9, 0)
        self.assertEqual(shifts.working_seconds(monday, datetime(2026, 3, 2, 15, 0)), 6 * 3600)
        self.assertEqual(shifts.add(monday, 5 * 3600), datetime(2026, 3, 2, 14, 0))

    def test_lunch_break_is_skipped(self):
        # 12:00 Moscow + 2 h: 1 h before lunch, 1 h after -> 15:00 Moscow
        self.assertEqual(
            moscow().add(datetime(2026, 3, 2, 9, 0), 7200), datetime(2026, 3, 2, 12, 0)
        )

    def test_landing_on_end_of_day_stays_that_day(self):
        # 16:00 + 2 h is 18:00 the same day, not 09:00 the next morning
        self.assertEqual(
            moscow().add(datetime(2026, 3, 2, 13, 0), 7200), datetime(2026, 3, 2, 15, 0)
        )

    def test_friday_evening_rolls_to_monday(self):
        # Friday 2026-03-06 17:00 Moscow + 2 h -> Monday 2026-03-09 10:00 Moscow
        self.assertEqual(
            moscow().add(datetime(2026, 3, 6, 14, 0), 7200), datetime(2026, 3, 9, 7, 0)
        )

    def test_public_holiday_is_skipped(self):
        # 2026-03-09 is a holiday: Friday 17:00 + 2 h -> Tuesday 10:00
        holiday = [(datetime(2026, 3, 8, 21, 0), datetime(2026, 3, 9, 21, 0))]
        self.assertEqual(
            moscow(holiday).add(datetime(2026, 3, 6, 14, 0), 7200),
            datetime(2026, 3, 10, 7, 0),
        )

    def test_zero_seconds_is_the_next_working_moment(self):
        cal = moscow()
        inside = datetime(2026, 3, 2, 8, 0)
        self.assertEqual(cal.add(inside, 0), inside)
        # at 13:00 Moscow (lunch) the next working moment is 14:00
        self.assertEqual(cal.add(datetime(2026, 3, 2, 10, 0), 0), datetime(2026, 3, 2, 11, 0))

    def test_working_seconds_between(self):
        cal = moscow()
        # Monday 10:00 -> Tuesday 10:00 Moscow: 7 h Monday + 1 h Tuesday
        self.assertEqual(
            cal.working_seconds(datetime(2026, 3, 2, 7, 0), datetime(2026, 3, 3, 7, 0)),
            8 * 3600,
        )
        self.assertEqual(
            cal.working_seconds(datetime(2026, 3, 3, 7, 0), datetime(2026, 3, 2, 7, 0)),
            -8 * 3600,
        )

    def test_add_and_between_are_inverse(self):
        cal = moscow()
        start = datetime(2026, 3, 4, 12, 34, 56)
        for seconds in (1, 59, 3600, 4 * 3600 + 17, 40 * 3600, 400 * 3600):
            deadline = cal.add(start, seconds)
            self.assertEqual(cal.working_seconds(start, deadline), seconds)

    def test_subtract_goes_back_in_working_time(self):
        cal = moscow()
        # Tuesday 10:00 Moscow minus 2 working hours -> Monday 17:00 Moscow
        self.assertEqual(
            cal.subtract(datetime(2026, 3, 3, 7, 0), 7200), datetime(2026, 3, 2, 14, 0)
        )
        # Monday 10:00 minus 1 h: exactly the start of the day; minus 2 h: Friday 17:00
        self.assertEqual(
            cal.subtract(datetime(2026, 3, 2, 7, 0), 3600), datetime(2026, 3, 2, 6, 0)
        )
        self.assertEqual(
            cal.subtract(datetime(2026, 3, 2, 7, 0), 7200), datetime(2026, 2, 27, 14, 0)
        )
        # landing on the end of an interval gives the latest such instant (after lunch)
        self.assertEqual(
            cal.subtract(datetime(2026, 3, 2, 12, 0), 3600), datetime(2026, 3, 2, 11, 0)
        )
        # far back: the span grows backwards as needed
        start = datetime(2024, 1, 1, 7, 0)
        end = cal.add(start, 900 * 3600)
        self.assertEqual(cal.working_seconds(cal.subtract(end, 900 * 3600), end), 900 * 3600)
        with self.assertRaises(ValueError):
            cal.subtract(end, -1)

    def test_subtract_then_add_is_identity_inside_working_time(self):
        cal = moscow()
        end = datetime(2026, 3, 4, 12, 34, 56)  # Wednesday 15:34:56 Moscow, working
        for seconds in (1, 59, 3600, 4 * 3600 + 17, 40 * 3600, 400 * 3600):
            start = cal.subtract(end, seconds)
            self.assertEqual(cal.working_seconds(start, end), seconds)
            self.assertEqual(cal.add(start, seconds), end)

    def test_end_of_working_day(self):
        cal = moscow()
        # during Monday -> Monday 18:00 Moscow
        self.assertEqual(
            cal.end_of_day(datetime(2026, 3, 2, 7, 0)), datetime(2026, 3, 2, 15, 0)
        )
        # after hours on Monday -> Tuesday 18:00
        self.assertEqual(
            cal.end_of_day(datetime(2026, 3, 2, 16, 0)), datetime(2026, 3, 3, 15, 0)
        )
        # Friday during the day, end of NEXT working day -> Monday 18:00
        self.assertEqual(
            cal.end_of_day(datetime(2026, 3, 6, 7, 0), 1), datetime(2026, 3, 9, 15, 0)
        )
        # exactly at 18:00 the working day is over: the next one counts
        self.assertEqual(
            cal.end_of_day(datetime(2026, 3, 2, 15, 0)), datetime(2026, 3, 3, 15, 0)
        )

    def test_end_of_working_day_round_the_clock(self):
        """Working hours that run through midnight still end each day at midnight (local
        time): Monday to Friday 00:00-24:00 are five days, not one."""
        always = WorkingTime("Europe/Moscow", [Attendance(day, 0, 24) for day in range(5)], [])
        monday_10 = datetime(2026, 3, 2, 7, 0)
        self.assertEqual(always.end_of_day(monday_10), datetime(2026, 3, 2, 21, 0))
        self.assertEqual(always.end_of_day(monday_10, 1), datetime(2026, 3, 3, 21, 0))
        # Wednesday, in the middle of the week's single stretch of work
        self.assertEqual(
            always.end_of_day(datetime(2026, 3, 4, 12, 0)), datetime(2026, 3, 4, 21, 0)
        )
        # Friday's next working day is Monday
        self.assertEqual(
            always.end_of_day(datetime(2026, 3, 6, 12, 0), 1), datetime(2026, 3, 9, 21, 0)
        )
        # seven days a week
        daily = WorkingTime("UTC", [Attendance(day, 0, 24) for day in range(7)], [])
        self.assertEqual(
            daily.end_of_day(datetime(2026, 3, 7, 5, 0), 2), datetime(2026, 3, 10, 0, 0)
        )

    def test_end_of_day_target_with_a_cut_off(self):
        """From 16:00 (the calendar's time zone) a request counts from the next working
        day; one made after hours reaches the team the next morning, before the cut-off."""
        cal = moscow()
        eod = TargetInfo(1, "EOD", "resolution", None, None, frozenset(), "end_of_day", 0, 75)
        cut = replace(eod, cutoff_hour=16.0)
        monday_15h59 = datetime(2026, 3, 2, 12, 59)  # Moscow = UTC + 3
        monday_16h = datetime(2026, 3, 2, 13, 0)
        evening = datetime(2026, 3, 2, 17, 30)  # 20:30 Moscow: Tuesday 09:00 for the team
        self.assertEqual(cal.arrival_hour(monday_15h59), 15 + 59 / 60)
        self.assertEqual(cal.arrival_hour(evening), 9.0)
        # 15:59: 2 h 01 of Monday left, as without a cut-off
        self.assertEqual(cut.seconds(monday_15h59, cal, 8), eod.seconds(monday_15h59, cal, 8))
        self.assertEqual(cut.seconds(monday_15h59, cal, 8), 2 * 3600 + 60)
        # 16:00: the rest of Monday and all of Tuesday
        self.assertEqual(cut.seconds(monday_16h, cal, 8), 2 * 3600 + 8 * 3600)
        self.assertEqual(eod.seconds(monday_16h, cal, 8), 2 * 3600)
        # after hours: Tuesday, which it reaches at 09:00, before the cut-off
        self.assertEqual(cut.seconds(evening, cal, 8), 8 * 3600)
        # end of the NEXT working day from 16:00: Wednesday evening
        next_day = replace(cut, duration_type="end_of_next_day")
        self.assertEqual(next_day.seconds(monday_16h, cal, 8), 2 * 3600 + 16 * 3600)

    def test_dst_spring_forward_in_berlin(self):
        night = [Attendance(6, 0.5, 4.5)]  # Sunday 00:30-04:30 local
        cal = WorkingTime("Europe/Berlin", night)
        # 2026-03-29: clocks jump 02:00 -> 03:00; 00:30 CET = 23:30 UTC, 04:30 CEST = 02:30
        start = datetime(2026, 3, 28, 23, 30)
        self.assertEqual(cal.working_seconds(start, datetime(2026, 3, 29, 2, 30)), 3 * 3600)
        self.assertEqual(cal.add(start, 3 * 3600), datetime(2026, 3, 29, 2, 30))

    def test_dst_fall_back_in_berlin(self):
        night = [Attendance(6, 0.5, 4.5)]
        cal = WorkingTime("Europe/Berlin", night)
        # 2026-10-25: 00:30 CEST = 22:30 UTC (Sat), 04:30 CET = 03:30 UTC: 5 real hours
        start = datetime(2026, 10, 24, 22, 30)
        self.assertEqual(cal.working_seconds(start, datetime(2026, 10, 25, 3, 30)), 5 * 3600)

    def test_day_offsets_and_switch_days(self):
        """A day's offset is read once per zone and day; the days of a DST switch have
        none (their spans are localised one by one, as the two tests above check)."""
        self.assertEqual(day_offset("Europe/Berlin", date(2026, 3, 28)), 3600)
        self.assertIsNone(day_offset("Europe/Berlin", date(2026, 3, 29)))
        self.assertEqual(day_offset("Europe/Berlin", date(2026, 3, 30)), 7200)
        self.assertIsNone(day_offset("Europe/Berlin", date(2026, 10, 25)))
        self.assertEqual(day_offset("Europe/Moscow", date(2026, 3, 29)), 3 * 3600)
        self.assertEqual(day_offset("UTC", date(2026, 3, 29)), 0)
        # the same days for a second calendar of the zone cost no localisation
        hits = day_offset.cache_info().hits
        WorkingTime("Europe/Berlin", OFFICE).add(datetime(2026, 3, 27, 8, 0), 3600)
        WorkingTime("Europe/Berlin", OFFICE).add(datetime(2026, 3, 27, 8, 0), 3600)
        self.assertGreater(day_offset.cache_info().hits, hits + 50)

    def test_two_week_calendar(self):
        odd_even = [Attendance(0, 9, 17, 0), Attendance(1, 9, 17, 1)]
        cal = WorkingTime("UTC", odd_even, two_weeks=True)
        monday = datetime(2026, 3, 2, 9, 0)
        first = cal.add(monday, 1)
        # exactly one of Monday (week type 0) or Tuesday (type 1) of that week works
        self.assertIn(first.date().isoformat(), ("2026-03-02", "2026-03-03", "2026-03-09"))
        self.assertEqual(cal.working_seconds(monday, cal.add(monday, 20 * 3600)), 20 * 3600)

    def test_minute_rounding_of_attendance_hours(self):
        self.assertEqual(hour_to_seconds(8.5), 8 * 3600 + 30 * 60)
        self.assertEqual(hour_to_seconds(8.3333333), 8 * 3600 + 20 * 60)
        self.assertEqual(hour_to_seconds(24.0), 86400)

    def test_no_working_time(self):
        with self.assertRaises(NoWorkingTime):
            WorkingTime("UTC", []).add(datetime(2026, 1, 1), 60)
        everything_off = [(datetime(2000, 1, 1), datetime(2100, 1, 1))]
        with self.assertRaises(NoWorkingTime):
            moscow(everything_off).add(datetime(2026, 1, 1), 60)

    def test_the_horizon_does_not_depend_on_earlier_questions(self):
        """Working time found only beyond the four years planned ahead is refused, whether
        or not an earlier question already built the span up to it."""
        closure = [(datetime(2027, 1, 1), datetime(2040, 1, 1))]
        inside = datetime(2028, 3, 1, 7, 0)
        with self.assertRaises(NoWorkingTime):
            moscow(closure).add(inside, 3600)
        warmed = moscow(closure)
        self.assertEqual(
            warmed.add(datetime(2040, 1, 2, 6, 0), 3600), datetime(2040, 1, 2, 7, 0)
        )
        with self.assertRaises(NoWorkingTime):
            warmed.add(inside, 3600)
        with self.assertRaises(NoWorkingTime):
            warmed.end_of_day(inside)
        # and backwards: the working time before the closure is more than four years back
        with self.assertRaises(NoWorkingTime):
            warmed.subtract(datetime(2039, 6, 1), 3600)
        # within the horizon, the same answer cold and warm
        self.assertEqual(
            moscow(closure).add(datetime(2039, 6, 1), 3600),
            warmed.add(datetime(2039, 6, 1), 3600),
        )

    def test_negative_duration_refused(self):
        with self.assertRaises(ValueError):
            moscow().add(datetime(2026, 1, 1), -1)
