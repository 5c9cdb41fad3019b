"""Breach forecast and surge detection arithmetic against hand-computed figures (no
database)."""

import random
import unittest

from ..engine import forecast

HOUR = 3600


def four_clocks():
    """Two met (5 % and 50 % of the target used), two breached (125 %, 150 %)."""
    histogram = forecast.Histogram()
    for bin_, breached in ((1, False), (10, False), (25, True), (30, True)):
        histogram.add(bin_, breached)
    return histogram


class TestForecastEngine(unittest.TestCase):
    def test_ratio_bins(self):
        self.assertEqual(forecast.ratio_bin(0, HOUR), 0)
        self.assertEqual(forecast.ratio_bin(1799, HOUR), 9)
        self.assertEqual(forecast.ratio_bin(1800, HOUR), 10)
        self.assertEqual(forecast.ratio_bin(HOUR, HOUR), 20)
        self.assertEqual(forecast.ratio_bin(10 * HOUR, HOUR), forecast.MAX_BIN)
        self.assertEqual(forecast.ratio_bin(5, 0), forecast.MAX_BIN)

    def test_survivors_are_the_clocks_that_got_as_far(self):
        histogram = four_clocks()
        self.assertEqual(histogram.survivors(0.0), (4, 2))
        self.assertEqual(histogram.survivors(0.5), (3, 2))  # bins 10, 25, 30
        self.assertEqual(histogram.survivors(0.9), (2, 2))
        self.assertEqual(histogram.survivors(2.5), (0, 0))

    def test_probability_is_smoothed_from_coarse_to_fine(self):
        history = forecast.History()
        for bin_, breached in ((1, False), (10, False), (25, True), (30, True)):
            history.add("resolution", 1, "1", 7, bin_, breached)
        # e = 0: prior 0, then four levels with the same 4 clocks (2 breached), weight 5:
        # 2/9 -> (2 + 5·2/9)/9 = 28/81 -> (2 + 5·28/81)/9 = 302/729 -> 2968/6561
        self.assertAlmostEqual(
            history.probability("resolution", 1, "1", 7, 0.0), 2968 / 6561, places=12
        )
        # e = 0.5: prior 0.5, 3 survivors of which 2 breached:
        # (2 + 2.5)/8 = 0.5625 -> 0.6015625 -> 0.6259765625 -> 0.641235351...
        self.assertAlmostEqual(
            history.probability("resolution", 1, "1", 7, 0.5), 0.64123535156, places=10
        )
        # an unknown category stops at the team's priority bucket
        self.assertAlmostEqual(
            history.probability("resolution", 1, "1", 99, 0.0), 302 / 729, places=12
        )
        # nothing known about the metric: the share of the target used
        self.assertEqual(history.probability("first_response", 1, "1", 7, 0.3), 0.3)

    def test_load_and_score(self):
        self.assertEqual(forecast.load_factor(20, 10), 2.0)
        self.assertEqual(forecast.load_factor(100, 10), 3.0)  # bounded
        self.assertEqual(forecast.load_factor(1, 10), 0.5)
        self.assertEqual(forecast.load_factor(5, 0), 1.0)
        self.assertEqual(forecast.risk_score(0.5), 50)
        # odds 1 × 4 ** 0.5 = 2 -> 2/3
        self.assertEqual(forecast.risk_score(0.5, 4.0), 67)
        self.assertEqual(forecast.risk_score(0.0, 3.0), 0)
        self.assertEqual(forecast.risk_score(1.0, 0.5), 100)
        history = forecast.History()
        # a clock past its target is breached already
        self.assertEqual(forecast.score(history, "resolution", 1, "1", 7, HOUR, HOUR), 100)
        # nothing known: the share used (25 %)
        self.assertEqual(forecast.score(history, "resolution", 1, "1", 7, 900, HOUR), 25)

    def test_scores_rank_slow_teams_and_late_clocks_higher(self):
        history = forecast.History()
        for _ in range(30):
            history.add("resolution", 1, "1", 7, 8, False)  # team 1: done at 40 %
            history.add("resolution", 2, "1", 7, 24, True)  # team 2: breaches
        history.add("resolution", 1, "1", 7, 22, True)
        fast = forecast.score(history, "resolution", 1, "1", 7, 0, HOUR)
        fast_late = forecast.score(history, "resolution", 1, "1", 7, 0.6 * HOUR, HOUR)
        slow = forecast.score(history, "resolution", 2, "1", 7, 0, HOUR)
        slow_loaded = forecast.score(history, "resolution", 2, "1", 7, 0, HOUR, 20, 10)
        self.assertLess(fast, 10)
        self.assertGreater(fast_late, 50)  # the one late clock of team 1 breached
        self.assertLess(fast, fast_late)
        self.assertLess(fast_late, slow)
        self.assertLessEqual(slow, slow_loaded)

    def test_scores_are_deterministic(self):
        def build(order_seed):
            rng = random.Random(42)
            rows = [
                (
                    rng.choice(("first_response", "resolution")),
                    rng.randint(1, 3),
                    rng.choice("0123"),
                    rng.randint(1, 4),
                    rng.randint(0, forecast.MAX_BIN),
                )
                for _ in range(500)
            ]
            random.Random(order_seed).shuffle(rows)
            history = forecast.History()
            for metric, team, priority, category, bin_ in rows:
                history.add(metric, team, priority, category, bin_, bin_ > forecast.BINS)
            return [
                forecast.score(history, m, t, p, c, used, HOUR, backlog, 6)
                for m in ("first_response", "resolution")
                for t in (1, 2, 3, 4)
                for p in "03"
                for c in (1, 5)
                for used in (0, 600, 1800, 3000)
                for backlog in (3, 12)
            ]

        first = build(1)
        self.assertEqual(first, build(1))
        self.assertEqual(first, build(2))  # the order the history comes in does not matter

    def test_precision_recall(self):
        predictions = [(True, True), (True, False), (False, True), (False, False)]
        self.assertEqual(forecast.precision_recall(predictions), (50.0, 50.0))
        self.assertEqual(
            forecast.precision_recall([(True, True)] * 3 + [(False, True)]), (100.0, 75.0)
        )
        self.assertEqual(forecast.precision_recall([(False, False)]), (None, None))

    def test_precision_recall_from_counts(self):
        # 4 flagged, 3 of them breached; 6 breaches in all
        self.assertEqual(forecast.precision_recall_counts(3, 4, 6), (75.0, 50.0))
        self.assertEqual(forecast.precision_recall_counts(0, 0, 2), (None, 0.0))
        self.assertEqual(forecast.precision_recall_counts(0, 3, 0), (0.0, None))


class TestSurgeRule(unittest.TestCase):
    def test_threshold_is_crossed_above_n(self):
        self.assertFalse(forecast.surge_due(10, 0, threshold=10))
        self.assertTrue(forecast.surge_due(11, 0, threshold=10))

    def test_share_above_the_average(self):
        self.assertFalse(forecast.surge_due(15, 10, percent_above=50))
        self.assertTrue(forecast.surge_due(16, 10, percent_above=50))
        self.assertFalse(forecast.surge_due(16, 0, percent_above=50))  # no history

    def test_either_or_both(self):
        self.assertTrue(forecast.surge_due(11, 10, 10, 50, "any"))
        self.assertFalse(forecast.surge_due(11, 10, 10, 50, "all"))
        self.assertTrue(forecast.surge_due(16, 10, 10, 50, "all"))
        self.assertFalse(forecast.surge_due(1000, 10))  # no condition, no surge
