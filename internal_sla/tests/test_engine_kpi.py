"""The KPI catalogue's formulas against hand-computed figures (no database)."""

import unittest
from datetime import datetime

from ..engine import kpi

HOUR = 3600


class TestKpiCatalogue(unittest.TestCase):
    def test_seed_example_nps_is_40(self):
        # 100 answers: 60 promoters, 20 passives, 20 detractors -> 60% - 20% = +40
        scores = [10] * 30 + [9] * 30 + [8] * 12 + [7] * 8 + [6] * 10 + [3] * 9 + [0]
        self.assertEqual(len(scores), 100)
        self.assertEqual(
            kpi.nps_counts(scores),
            {"promoters": 60, "passives": 20, "detractors": 20, "answers": 100},
        )
        self.assertEqual(kpi.nps(scores), 40.0)

    def test_nps_bounds_and_edges(self):
        self.assertEqual(kpi.nps([9, 10]), 100.0)
        self.assertEqual(kpi.nps([0, 6]), -100.0)
        self.assertEqual(kpi.nps([7, 8]), 0.0)  # passives only
        self.assertAlmostEqual(kpi.nps([10, 8, 6]), 0.0)
        self.assertAlmostEqual(kpi.nps([10, 10, 5]), 100 / 3)
        self.assertIsNone(kpi.nps([]))
        self.assertEqual(kpi.nps_from_counts(7, 2, 10), 50.0)  # eNPS the same way
        with self.assertRaisesRegex(ValueError, "NPS scores are 0–10"):
            kpi.nps([11])

    def test_csat_counts_four_and_five(self):
        # 4, 5, 5 satisfied of 5 answers -> 60%
        self.assertEqual(kpi.csat_percent([1, 3, 4, 5, 5]), 60.0)
        self.assertIsNone(kpi.csat_percent([]))
        with self.assertRaisesRegex(ValueError, "CSAT scores are 1–5"):
            kpi.csat_percent([0, 4])

    def test_mean_csat_from_the_sum_of_the_answers(self):
        # answers 1, 3, 4, 5, 5: 18 / 5 = 3.6 (E1: mean CSAT)
        self.assertEqual(kpi.mean_score(18, 5), 3.6)
        self.assertIsNone(kpi.mean_score(0, 0))
        self.assertEqual(kpi.display(3.6, "score_of_5"), "3.6 / 5")

    def test_response_times_mean_and_p90(self):
        # 10 first responses of 1..10 working hours: mean 5.5 h, P90 = 9th smallest = 9 h
        figures = kpi.time_kpi([h * HOUR for h in range(10, 0, -1)])
        self.assertEqual(figures, {"mean": 5.5 * HOUR, "p90": 9 * HOUR, "count": 10})
        # P90 of 11 values: ceil(9.9) = 10th smallest
        self.assertEqual(kpi.percentile(range(1, 12), 90), 10)
        self.assertEqual(kpi.percentile([7], 90), 7)
        self.assertEqual(kpi.time_kpi([]), {"mean": None, "p90": None, "count": 0})
        with self.assertRaises(ValueError):
            kpi.percentile([1], 0)

    def test_sla_met_percent_ignores_open_lines(self):
        self.assertEqual(kpi.sla_met_percent(met=45, breached=5), 90.0)
        self.assertIsNone(kpi.sla_met_percent(0, 0))

    def test_sla_met_percent_adjusted_for_accepted_exceptions(self):
        # 40 met, 10 breached of which 4 accepted as exceptions: raw 80%, adjusted 88%
        self.assertEqual(kpi.sla_met_percent(40, 10), 80.0)
        self.assertEqual(kpi.sla_met_percent_adjusted(40, 10, 4), 88.0)
        self.assertIsNone(kpi.sla_met_percent_adjusted(0, 0, 0))

    def test_paused_share(self):
        self.assertEqual(kpi.paused_share_percent(3 * HOUR, 12 * HOUR), 25.0)
        self.assertIsNone(kpi.paused_share_percent(0, 0))

    def test_response_within_four_working_hours(self):
        # exactly 4 h counts as within
        values = [1 * HOUR, 4 * HOUR, 4 * HOUR + 1, 6 * HOUR]
        self.assertEqual(kpi.fast_response_percent(values), 50.0)
        self.assertEqual(kpi.fast_response_percent(values, limit=8 * HOUR), 100.0)
        self.assertIsNone(kpi.fast_response_percent([]))

    def test_ratios_over_closed_tickets(self):
        self.assertEqual(kpi.fcr_percent(30, 40), 75.0)
        self.assertEqual(kpi.repeat_percent(2, 40), 5.0)
        self.assertEqual(kpi.reopen_percent(1, 40), 2.5)
        self.assertEqual(kpi.empowerment_percent(80, 100), 80.0)
        self.assertEqual(kpi.response_rate(45, 60), 75.0)
        self.assertIsNone(kpi.fcr_percent(0, 0))

    def test_bounce_rate_and_mean_transfers(self):
        # 2 of 5 tickets transferred; 0+2+0+1+0 = 3 transfers over 5 tickets
        self.assertEqual(kpi.bounce([0, 2, 0, 1, 0]), {"rate": 40.0, "mean_transfers": 0.6})
        self.assertEqual(kpi.bounce([]), {"rate": None, "mean_transfers": None})

    def test_feedback_cycle_time(self):
        self.assertEqual(kpi.feedback_cycle_time([2 * HOUR, 4 * HOUR, 9 * HOUR]), 5 * HOUR)
        self.assertIsNone(kpi.feedback_cycle_time([]))
        self.assertEqual(kpi.feedback_cycle_time_from_totals(3, 15 * HOUR), 5 * HOUR)
        self.assertIsNone(kpi.feedback_cycle_time_from_totals(0, 0))

    def test_bounce_from_totals(self):
        # 2 of 5 tickets transferred, 3 transfers in all
        self.assertEqual(kpi.bounce_from_totals(2, 3, 5), {"rate": 40.0, "mean_transfers": 0.6})
        self.assertEqual(
            kpi.bounce_from_totals(0, 0, 0), {"rate": None, "mean_transfers": None}
        )

    def test_followed_up_in_time(self):
        # 3 done in time, 1 done late, 1 open past its target: 3 of 5; open ones within
        # their target are not passed in at all
        self.assertEqual(kpi.followed_up_in_time_percent(3, 1, 1), 60.0)
        self.assertEqual(kpi.followed_up_in_time_percent(0, 0, 1), 0.0)
        self.assertIsNone(kpi.followed_up_in_time_percent(0, 0, 0))

    def test_volume_and_backlog(self):
        day = datetime(2026, 3, 2)
        created = [
            datetime(2026, 3, 1, 23),
            day,
            datetime(2026, 3, 8, 23, 59),
            datetime(2026, 3, 9),
        ]
        # the week [2 March, 9 March): the second and third
        self.assertEqual(kpi.volume(created, day, datetime(2026, 3, 9)), 2)
        tickets = [
            (datetime(2026, 3, 1), None),  # still open
            (datetime(2026, 3, 1), datetime(2026, 3, 5)),  # closed before the end
            (datetime(2026, 3, 4), datetime(2026, 3, 12)),  # closed after the end
            (datetime(2026, 3, 10), None),  # created after the end
        ]
        self.assertEqual(kpi.backlog(tickets, datetime(2026, 3, 9)), 2)

    def test_meeting_energy(self):
        self.assertEqual(kpi.meeting_energy([2, 1, 1, -1]), 0.75)
        self.assertIsNone(kpi.meeting_energy([]))
        with self.assertRaisesRegex(ValueError, "Meeting energy scores are -2–2"):
            kpi.meeting_energy([3])


class TestKpiAggregatesAndBenchmarks(unittest.TestCase):
    def test_time_kpi_from_totals_matches_time_kpi(self):
        values = [600, 1800, 3600, 7200, 900]  # 14,100 s over 5 tickets
        self.assertEqual(
            kpi.time_kpi_from_totals(5, 14100, 7200),
            {"mean": 2820.0, "p90": 7200, "count": 5},
        )
        self.assertEqual(kpi.time_kpi(values), kpi.time_kpi_from_totals(5, 14100, 7200))
        self.assertEqual(
            kpi.time_kpi_from_totals(0, 0, None), {"mean": None, "p90": None, "count": 0}
        )

    def test_benchmark_status_at_and_around_the_thresholds(self):
        self.assertEqual(kpi.benchmark_status(">=", 50.0, 50.0), "met")  # NPS +50 is enough
        self.assertEqual(kpi.benchmark_status(">=", 50.0, 49.9), "missed")
        self.assertEqual(kpi.benchmark_status(">", 85.0, 85.0), "missed")  # CSAT must exceed
        self.assertEqual(kpi.benchmark_status(">", 85.0, 85.1), "met")
        self.assertEqual(kpi.benchmark_status("<", 5.0, 5.0), "missed")  # repeats under 5%
        self.assertEqual(kpi.benchmark_status("<", 5.0, 4.0), "met")
        self.assertIsNone(kpi.benchmark_status("<", 5.0, None))

    def test_benchmarks_of_a_kpi_set(self):
        # 3 h 59 min mean first response meets "< 4 h"; 4 h does not; no survey data
        rows = {row["key"]: row for row in kpi.benchmarks({"first_response_mean": 14340})}
        self.assertEqual(
            list(rows),
            [
                "nps",
                "first_response_mean",
                "csat_percent",
                "empowerment_percent",
                "repeat_percent",
            ],
        )
        self.assertEqual(rows["first_response_mean"]["status"], "met")
        self.assertEqual(rows["first_response_mean"]["threshold"], 14400)
        self.assertIsNone(rows["nps"]["status"])
        self.assertIsNone(rows["nps"]["value"])
        late = {row["key"]: row for row in kpi.benchmarks({"first_response_mean": 14400})}
        self.assertEqual(late["first_response_mean"]["status"], "missed")

    def test_health_levels(self):
        self.assertEqual(kpi.health(90.0), "good")
        self.assertEqual(kpi.health(89.9), "watch")
        self.assertEqual(kpi.health(75.0), "watch")
        self.assertEqual(kpi.health(74.9), "poor")
        self.assertEqual(kpi.health(None), "no_data")

    def test_comments_need_five_respondents(self):
        rows = [
            {"respondent": person, "score": 9, "comment": f"note {n}"}
            for n, person in enumerate(["a", "b", "c", "d", "d"])
        ]
        self.assertEqual(kpi.publishable_comments(rows), [])  # 4 people: hidden
        rows.append({"respondent": "e", "score": 3, "comment": "slow"})
        shown = kpi.publishable_comments(rows)
        self.assertEqual(len(shown), 6)
        self.assertEqual(shown[-1], {"score": 3, "comment": "slow"})

    def test_comments_need_five_respondents_of_their_own_survey(self):
        """Five CSAT commenters do not make the NPS comments of two people anonymous."""
        csat = [
            {"respondent": person, "kind": "csat", "comment": f"csat {person}"}
            for person in "abcde"
        ]
        nps = [
            {"respondent": person, "kind": "nps", "comment": f"nps {person}"} for person in "ab"
        ]
        shown = kpi.publishable_comments(nps[:1] + csat + nps[1:])
        self.assertEqual([row["comment"] for row in shown], [f"csat {p}" for p in "abcde"])
        self.assertNotIn("respondent", shown[0])
        nps += [
            {"respondent": person, "kind": "nps", "comment": f"nps {person}"}
            for person in "cde"
        ]
        self.assertEqual(len(kpi.publishable_comments(csat + nps)), 10)
        self.assertEqual(
            kpi.publishable_comments(nps[:4], min_respondents=4),
            [{"kind": "nps", "comment": f"nps {p}"} for p in "abcd"],
        )

    def test_display_of_kpi_values(self):
        self.assertEqual(kpi.display(None, "percent"), "no data")
        self.assertEqual(kpi.display(200 / 3, "percent"), "66.7 %")
        self.assertEqual(kpi.display(40.0, "points"), "+40")
        self.assertEqual(kpi.display(-12.4, "points"), "-12")
        self.assertEqual(kpi.display(2700, "seconds"), "45 min")
        self.assertEqual(kpi.display(4 * HOUR, "seconds"), "4 h 00 min")
        self.assertEqual(kpi.display(12600, "seconds"), "3 h 30 min")
        self.assertEqual(kpi.display(1234567, "count"), "1 234 567")

    def test_hours_and_minutes_of_a_working_time(self):
        # rounded to the minute first: 59 min 40 s is one hour, not "0 h 60 min"
        self.assertEqual(kpi.hours_minutes(3580), (1, 0))
        self.assertEqual(kpi.hours_minutes(12600), (3, 30))
        self.assertEqual(kpi.hours_minutes(2700), (0, 45))
        self.assertEqual(kpi.hours_minutes(29), (0, 0))
