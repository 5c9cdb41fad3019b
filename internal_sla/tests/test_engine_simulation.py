"""Unit tests of the what-if replay (H2), no database."""

import unittest
from datetime import datetime, timedelta

from ..engine.matching import TargetInfo
from ..engine.simulation import ReplayTicket, escalation_level, replay, summarize
from .test_engine_working_time import moscow

HOUR = 3600
LEVELS = (75, 100, 150)


def msk(*args):
    return datetime(*args) - timedelta(hours=3)


def target(target_id, metric, hours, priority=None):
    return TargetInfo(
        id=target_id,
        name=f"{metric} {hours} h",
        metric=metric,
        stage_id=None,
        priority=priority,
        category_ids=frozenset(),
        duration_type="hours",
        duration=hours,
        at_risk_percent=75,
    )


# Monday 2 March 2026, Moscow office hours 9-13, 14-18
SOLVED_IN_4H = ReplayTicket(
    id=1,
    priority="1",
    category_id=None,
    start=msk(2026, 3, 2, 10, 0),
    first_response=msk(2026, 3, 2, 10, 30),
    resolved=msk(2026, 3, 2, 15, 0),  # 10-13 and 14-15: 4 working hours
)
PAUSED_3H = ReplayTicket(
    id=2,
    priority="1",
    category_id=None,
    start=msk(2026, 3, 2, 10, 0),
    # waiting on the requester 11:00-15:00: 3 working hours frozen (lunch is not work)
    pauses=((msk(2026, 3, 2, 11, 0), msk(2026, 3, 2, 15, 0)),),
    resolved=msk(2026, 3, 2, 16, 0),
)
STILL_OPEN = ReplayTicket(id=3, priority="1", category_id=None, start=msk(2026, 3, 2, 10, 0))
NOW = msk(2026, 3, 2, 13, 30)


class TestReplay(unittest.TestCase):
    def project(self, targets, tickets, levels=LEVELS):
        return {
            (p.ticket_id, p.metric): p
            for p in replay(moscow(), targets, 8.0, levels, tickets, NOW)
        }

    def test_tightening_resolution_from_8_to_2_hours_turns_met_into_breach(self):
        loose = self.project([target(10, "resolution", 8)], [SOLVED_IN_4H])
        tight = self.project([target(11, "resolution", 2)], [SOLVED_IN_4H])
        self.assertEqual(loose[1, "resolution"].state, "met")
        self.assertEqual(loose[1, "resolution"].consumed_seconds, 4 * HOUR)
        # 6 h (level 1 at 75%) would fall at 17:00, after the 15:00 resolution
        self.assertEqual(loose[1, "resolution"].escalation_level, 0)
        self.assertEqual(tight[1, "resolution"].state, "breached")
        self.assertEqual(tight[1, "resolution"].deadline, msk(2026, 3, 2, 12, 0))
        # 1.5 h at 11:30, 2 h at 12:00, 3 h at 13:00: all before 15:00
        self.assertEqual(tight[1, "resolution"].escalation_level, 3)
        self.assertEqual(tight[1, "resolution"].target_seconds, 2 * HOUR)

    def test_pauses_are_replayed(self):
        tight = self.project([target(11, "resolution", 2)], [PAUSED_3H])
        projection = tight[2, "resolution"]
        # 10-11 then 15-16: two working hours, due exactly at 16:00 -> met
        self.assertEqual(projection.consumed_seconds, 2 * HOUR)
        self.assertEqual(projection.deadline, msk(2026, 3, 2, 16, 0))
        self.assertEqual(projection.state, "met")
        # levels at 1.5 h (15:30) before 16:00; 2 h is 16:00 itself, not before
        self.assertEqual(projection.escalation_level, 1)

    def test_open_ticket_is_measured_at_now(self):
        tight = self.project([target(11, "resolution", 2)], [STILL_OPEN])
        projection = tight[3, "resolution"]
        self.assertEqual(projection.state, "breached")
        self.assertEqual(projection.consumed_seconds, 3 * HOUR)
        self.assertEqual(projection.escalation_level, 3)  # 11:30, 12:00, 13:00 <= 13:30
        loose = self.project([target(10, "resolution", 8)], [STILL_OPEN])
        self.assertEqual(loose[3, "resolution"].state, "running")

    def test_open_ticket_paused_raises_no_level_during_its_pause(self):
        """Waiting on the requester since 11:00 (one working hour used): the levels at
        1.5, 2 and 3 hours are planned as if work resumed at 11:00, in the past at
        13:30, yet none was reached; the clock is paused, not breached."""
        waiting = ReplayTicket(
            id=5,
            priority="1",
            category_id=None,
            start=msk(2026, 3, 2, 10, 0),
            pauses=((msk(2026, 3, 2, 11, 0), None),),
        )
        projection = self.project([target(11, "resolution", 2)], [waiting])[5, "resolution"]
        self.assertEqual(projection.state, "paused")
        self.assertEqual(projection.consumed_seconds, HOUR)
        self.assertEqual(projection.escalation_level, 0)

    def test_most_specific_target_and_unanswered_first_response(self):
        targets = [
            target(20, "first_response", 1),
            target(21, "resolution", 8),
            target(22, "resolution", 2, priority="3"),
        ]
        urgent = ReplayTicket(
            id=4,
            priority="3",
            category_id=None,
            start=msk(2026, 3, 2, 10, 0),
            resolved=msk(2026, 3, 2, 11, 0),
        )
        projections = self.project(targets, [SOLVED_IN_4H, urgent])
        self.assertEqual(projections[1, "resolution"].target_id, 21)
        self.assertEqual(projections[4, "resolution"].target_id, 22)
        self.assertEqual(projections[4, "resolution"].state, "met")
        self.assertEqual(projections[1, "first_response"].state, "met")
        # never answered, 3.5 working hours by 13:30 against 1 h
        self.assertEqual(projections[4, "first_response"].state, "breached")

    def test_no_escalation_when_disabled(self):
        tight = self.project([target(11, "resolution", 2)], [SOLVED_IN_4H], levels=())
        self.assertEqual(tight[1, "resolution"].escalation_level, 0)

    def test_escalation_level_counts_due_instants(self):
        dates = (msk(2026, 3, 2, 11), msk(2026, 3, 2, 12), msk(2026, 3, 2, 13))
        self.assertEqual(escalation_level(dates, msk(2026, 3, 2, 12), NOW), 1)
        self.assertEqual(escalation_level(dates, None, msk(2026, 3, 2, 12)), 2)
        self.assertEqual(escalation_level((), None, NOW), 0)
        # paused at 11:30: only the 11:00 level was reached
        self.assertEqual(escalation_level(dates, None, NOW, msk(2026, 3, 2, 11, 30)), 1)


class TestSummarize(unittest.TestCase):
    def test_met_percent_breaches_and_levels(self):
        summary = summarize(
            [
                ("resolution", "met", 0),
                ("resolution", "breached", 3),
                ("resolution", "breached", 1),
                ("resolution", "running", 0),
                ("first_response", "met", 1),
            ]
        )
        resolution = summary["resolution"]
        self.assertEqual(
            (resolution["met"], resolution["breached"], resolution["open"]), (1, 2, 1)
        )
        self.assertAlmostEqual(resolution["met_percent"], 100 / 3)
        self.assertEqual(resolution["escalated"], [2, 1, 1])
        self.assertEqual(summary["first_response"]["met_percent"], 100.0)

    def test_no_reached_target_is_no_data(self):
        self.assertIsNone(
            summarize([("resolution", "running", 0)])["resolution"]["met_percent"]
        )
        self.assertEqual(summarize([]), {})
