"""Unit tests of the SLA clock's escalation instants (B7), no database."""

import unittest
from datetime import datetime

from ..engine.sla_clock import Clock, evaluate, next_escalation
from .test_engine_working_time import moscow

HOUR = 3600
# Monday 2026-03-02 10:00 Moscow (07:00 UTC); an 8 working-hour target
START = datetime(2026, 3, 2, 7, 0)


class TestEscalationInstants(unittest.TestCase):
    def test_levels_fall_at_their_share_of_working_time(self):
        clock = Clock(8 * HOUR, 75, START, escalation_percents=(75, 100, 150))
        state = evaluate(moscow(), clock, START)
        self.assertEqual(
            state.escalation_dates,
            (
                # 6 working hours: 10-13, lunch, 14-17 Moscow
                datetime(2026, 3, 2, 14, 0),
                # 8 h: the deadline, Tuesday 10:00 Moscow
                datetime(2026, 3, 3, 7, 0),
                # 12 h: Tuesday 15:00 Moscow (4 h after 10:00, lunch skipped)
                datetime(2026, 3, 3, 12, 0),
            ),
        )
        self.assertEqual(state.escalation_dates[1], state.deadline)
        self.assertEqual(state.escalation_dates[0], state.at_risk_date)

    def test_a_pause_moves_every_level(self):
        # paused Monday 11:00-15:00 Moscow: 3 working hours (lunch excluded) frozen
        pause = (datetime(2026, 3, 2, 8, 0), datetime(2026, 3, 2, 12, 0))
        clock = Clock(8 * HOUR, 75, START, pauses=(pause,), escalation_percents=(75, 100))
        state = evaluate(moscow(), clock, datetime(2026, 3, 2, 13, 0))
        self.assertEqual(
            state.escalation_dates,
            # 6 h: Monday 10-11, then 15-18, Tuesday 9-11; 8 h: Tuesday 13:00 Moscow
            (datetime(2026, 3, 3, 8, 0), datetime(2026, 3, 3, 10, 0)),
        )

    def test_consumed_time_before_a_rematch_counts(self):
        clock = Clock(
            8 * HOUR, 75, START, consumed_at_base=7 * HOUR, escalation_percents=(75, 100)
        )
        state = evaluate(moscow(), clock, START)
        # 75% already used: due at once; 100% one working hour later
        self.assertEqual(state.escalation_dates, (START, datetime(2026, 3, 2, 8, 0)))

    def test_next_escalation(self):
        dates = (datetime(2026, 1, 1), datetime(2026, 1, 2))
        self.assertEqual(next_escalation(0, dates), dates[0])
        self.assertEqual(next_escalation(1, dates), dates[1])
        self.assertIsNone(next_escalation(2, dates))
        self.assertIsNone(next_escalation(0, ()))
