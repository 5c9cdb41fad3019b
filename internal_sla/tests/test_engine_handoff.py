"""Unit tests of the two clocks' and the handoff chain's arithmetic (H6, H7), no database."""

import unittest

from ..engine.handoff import Hop, chain_figures, hop_seconds
from ..engine.two_clocks import elapsed_excluding
from .test_engine_simulation import msk
from .test_engine_working_time import moscow

HOUR = 3600


class TestElapsedExcluding(unittest.TestCase):
    def test_periods_are_left_out_and_clipped(self):
        start, end = msk(2026, 3, 2, 10, 0), msk(2026, 3, 2, 16, 0)  # 5 working hours
        self.assertEqual(elapsed_excluding(moscow(), start, end), 5 * HOUR)
        # 9:00-11:00 clipped to 10-11, 15:00 onward still running: 3 h left
        periods = ((msk(2026, 3, 2, 9, 0), msk(2026, 3, 2, 11, 0)), (msk(2026, 3, 2, 15), None))
        self.assertEqual(elapsed_excluding(moscow(), start, end, periods), 3 * HOUR)
        self.assertEqual(elapsed_excluding(moscow(), end, start), 0)

    def test_weekend_is_not_working_time(self):
        friday, monday = msk(2026, 3, 6, 16, 0), msk(2026, 3, 9, 11, 0)
        self.assertEqual(elapsed_excluding(moscow(), friday, monday), 4 * HOUR)


class TestChain(unittest.TestCase):
    def test_shares_of_a_nested_chain_add_up(self):
        monday = (2026, 3, 2)
        root = Hop(
            1, msk(*monday, 10), msk(2026, 3, 3, 10), ((msk(*monday, 11), msk(*monday, 15)),)
        )
        middle = Hop(
            2, msk(*monday, 11), msk(*monday, 15), ((msk(*monday, 12), msk(*monday, 14, 30)),)
        )
        leaf = Hop(3, msk(*monday, 12), msk(*monday, 14, 30))
        self.assertEqual(hop_seconds(moscow(), middle, None), (3 * HOUR, 1.5 * HOUR))
        total, figures = chain_figures(moscow(), 1, [root, middle, leaf], None)
        self.assertEqual(total, 8 * HOUR)
        self.assertEqual(figures[1], (5 * HOUR, 62.5))
        self.assertEqual(figures[2], (1.5 * HOUR, 18.75))
        self.assertEqual(figures[3], (1.5 * HOUR, 18.75))

    def test_open_chain_is_measured_at_now_and_empty_chain_has_no_share(self):
        start = msk(2026, 3, 2, 10)
        root = Hop(1, start, None, ((msk(2026, 3, 2, 11), None),))
        child = Hop(2, msk(2026, 3, 2, 11), None)
        total, figures = chain_figures(moscow(), 1, [root, child], msk(2026, 3, 2, 12))
        self.assertEqual(total, 2 * HOUR)
        self.assertEqual(figures, {1: (HOUR, 50.0), 2: (HOUR, 50.0)})
        total, figures = chain_figures(moscow(), 1, [Hop(1, start, None)], start)
        self.assertEqual((total, figures[1]), (0, (0, None)))
