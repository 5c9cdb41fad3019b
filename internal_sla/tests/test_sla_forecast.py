"""Breach forecast (B12) on real tickets: scores follow the history of the team and the
time left, the "Likely to breach" filter, closed requests lose their score, few queries."""

from freezegun import freeze_time

from odoo.tests import tagged

from ..models.res_config_settings import positive_setting
from .common import InternalSlaCase, msk

MONDAY, TUESDAY, WEDNESDAY = (2026, 3, 2), (2026, 3, 3), (2026, 3, 4)


class ForecastHistoryCase(InternalSlaCase):
    """A second team, Infrastructure, and a history where it is slow and IT Support fast."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.slow_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "IT Infrastructure", "department_id": cls.it.id}
        )

    def build_history(self):
        """Six requests of IT Support answered and solved in 30 min (first response: bin
        10 of its hour, met), six of Infrastructure after 10 working hours (bin 40,
        breached both targets)."""
        for _ in range(6):
            fast = self.create_ticket(msk(*MONDAY, 10))
            self.at(msk(*MONDAY, 10, 30), fast, stage_id=self.stage_done.id)
            slow = self.create_ticket(msk(*MONDAY, 10), team_id=self.slow_team.id)
            self.at(msk(*TUESDAY, 12), slow, stage_id=self.stage_done.id)

    def refresh(self, when):
        with freeze_time(when):
            return self.env["helpdesk.ticket"]._cron_forecast()


@tagged("post_install", "-at_install")
class TestForecast(ForecastHistoryCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].sudo().set_param("internal_sla.forecast_threshold", 50)

    def test_scores_follow_history_and_time_left(self):
        self.build_history()
        fast_late = self.create_ticket(msk(*WEDNESDAY, 10))
        fast_early = self.create_ticket(msk(*WEDNESDAY, 10, 40))
        slow = self.create_ticket(msk(*WEDNESDAY, 10, 40), team_id=self.slow_team.id)
        open_ids = (fast_late | fast_early | slow).ids
        # the demo data's open requests are scored too
        demo_open = self.env["helpdesk.ticket"].search_count(
            [
                (
                    "sla_line_ids",
                    "any",
                    [("reached_date", "=", False), ("state", "!=", "cancelled")],
                ),
                ("id", "not in", open_ids),
            ]
        )
        self.assertEqual(self.refresh(msk(*WEDNESDAY, 10, 50)), demo_open + 3)
        tickets = fast_late | fast_early | slow
        lines = tickets.sla_line_ids

        def forecast_state():
            tickets.invalidate_recordset()
            lines.invalidate_recordset()
            return (
                tickets.mapped("sla_breach_risk"),
                tickets.mapped("sla_likely_breach"),
                lines.mapped("forecast_flagged_date"),
                len(tickets.message_ids),
            )

        # the cron run again at the same instant changes nothing (idempotent)
        before = forecast_state()
        self.assertTrue(any(before[2]), "the late ones' targets are flagged")
        self.assertEqual(self.refresh(msk(*WEDNESDAY, 10, 50)), demo_open + 3)
        self.assertEqual(forecast_state(), before)
        # the nearest target is the first response (1 h): 10 min used of it by the early
        # ones, 50 min by the late one, which no fast request of the history went past
        self.assertLess(fast_early.sla_breach_risk, 30)
        self.assertGreater(slow.sla_breach_risk, 80)
        self.assertGreater(fast_late.sla_breach_risk, 80)
        self.assertLess(fast_early.sla_breach_risk, fast_late.sla_breach_risk)
        Ticket = self.env["helpdesk.ticket"]
        self.assertEqual(
            Ticket.search([("sla_likely_breach", "=", True), ("id", "in", open_ids)]),
            slow | fast_late,
        )
        self.assertEqual(
            Ticket.search([("sla_likely_breach", "=", False), ("id", "in", open_ids)]),
            fast_early,
        )
        self.assertTrue(slow.sla_likely_breach)
        self.assertFalse(fast_early.sla_likely_breach)
        # the search view's filter, as a requester would use it
        action_domain = [("sla_likely_breach", "=", True), ("closed", "=", False)]
        self.assertEqual(
            Ticket.with_user(self.it_head).search(action_domain + [("id", "in", open_ids)]),
            slow | fast_late,
        )
        # a closed request loses its score at the next refresh; the others are re-scored
        self.at(msk(*WEDNESDAY, 10, 55), slow, stage_id=self.stage_done.id)
        self.assertEqual(self.refresh(msk(*WEDNESDAY, 11)), demo_open + 2)
        self.assertEqual(slow.sla_breach_risk, 0)
        self.assertFalse(slow.sla_likely_breach)

    def test_history_and_backlog_are_read_as_of_an_instant(self):
        self.build_history()
        Ticket = self.env["helpdesk.ticket"]
        # before Tuesday noon the slow requests were still open: no history for them yet
        before = Ticket._sla_forecast_history(msk(*TUESDAY, 11))
        after = Ticket._sla_forecast_history(msk(*WEDNESDAY, 9))
        key = ("resolution", self.slow_team.id)
        self.assertNotIn(key, before.buckets)
        self.assertEqual(after.buckets[key].survivors(0), (6, 6))
        self.assertEqual(after.buckets[("resolution", self.team.id)].survivors(0), (6, 0))

    def test_scoring_costs_the_same_queries_for_any_number_of_requests(self):
        self.build_history()
        Ticket = self.env["helpdesk.ticket"]
        ours = self.env["helpdesk.ticket"]
        # the backlog's average window is a setting: read once, then cached
        positive_setting(self.env, "surge_average_days")
        for count in (2, 8):
            for _ in range(count // 2):
                ours |= self.create_ticket(msk(*WEDNESDAY, 10))
                ours |= self.create_ticket(msk(*WEDNESDAY, 10), team_id=self.slow_team.id)
            self.env.flush_all()
            self.env.invalidate_all()
            history = Ticket._sla_forecast_history(msk(*WEDNESDAY, 10, 30))
            # open lines, current and average backlogs, agreements, calendars
            with freeze_time(msk(*WEDNESDAY, 10, 30)), self.assertQueryCount(8):
                scores = Ticket._sla_forecast_scores(msk(*WEDNESDAY, 10, 30), history)
            self.assertLessEqual(set(ours.ids), set(scores))
            self.assertEqual(len(ours), 2 if count == 2 else 10)

    def test_accuracy_is_measured_on_real_outcomes(self):
        """Precision and recall from what each forecast run said before the deadline."""
        self.build_history()
        fast_late = self.create_ticket(msk(*WEDNESDAY, 10))
        fast_early = self.create_ticket(msk(*WEDNESDAY, 10, 40))
        slow = self.create_ticket(msk(*WEDNESDAY, 10, 40), team_id=self.slow_team.id)
        self.refresh(msk(*WEDNESDAY, 10, 50))
        flagged = msk(*WEDNESDAY, 10, 50)
        self.assertEqual(self.line(fast_late, "first_response").forecast_flagged_date, flagged)
        self.assertEqual(self.line(slow, "first_response").forecast_flagged_date, flagged)
        self.assertFalse(self.line(fast_early, "first_response").forecast_flagged_date)
        self.assertTrue(self.line(fast_early, "first_response").forecast_scored)
        # only the nearest target is scored
        self.assertFalse(self.line(slow, "resolution").forecast_scored)
        # a false alarm: answered in time after all
        self.at(msk(*WEDNESDAY, 10, 55), fast_late, stage_id=self.stage_done.id)
        # past its deadline (11:40) the early one scores 100, too late to count as a warning
        self.refresh(msk(*WEDNESDAY, 11, 45))
        self.assertFalse(self.line(fast_early, "first_response").forecast_flagged_date)
        self.assertEqual(self.line(slow, "first_response").forecast_flagged_date, flagged)
        self.at(msk(*WEDNESDAY, 12), fast_early, stage_id=self.stage_done.id)
        self.at(msk(*WEDNESDAY, 12), slow, stage_id=self.stage_done.id)
        self.assertEqual(self.line(fast_early, "first_response").state, "breached")
        self.assertEqual(self.line(slow, "first_response").state, "breached")

        Ticket = self.env["helpdesk.ticket"]
        teams = self.team | self.slow_team
        accuracy = Ticket._sla_forecast_accuracy(msk(*WEDNESDAY, 13), teams.ids)
        # (scored, flagged, flagged and breached, breached)
        # past their first-response deadline, the 11:45 run scored the two requests still
        # open on their resolution target, which IT Support's history never went so far
        # on: both flagged, both then solved in time
        for ticket in (fast_early, slow):
            resolution = self.line(ticket, "resolution")
            self.assertEqual(resolution.forecast_flagged_date, msk(*WEDNESDAY, 11, 45))
            self.assertEqual(resolution.state, "met")
        self.assertEqual(accuracy[self.team.id], (3, 2, 0, 1))
        self.assertEqual(accuracy[self.slow_team.id], (2, 2, 1, 1))
        self.assertEqual(accuracy[None], (5, 4, 1, 2))
        # outcomes older than 90 days no longer count
        self.assertEqual(
            Ticket._sla_forecast_accuracy(msk(2026, 6, 10, 13), teams.ids)[None], (0, 0, 0, 0)
        )
        with freeze_time(msk(*WEDNESDAY, 13)):
            teams.invalidate_recordset()
            self.assertEqual(self.slow_team.sla_forecast_precision, 50.0)
            self.assertEqual(self.slow_team.sla_forecast_recall, 100.0)
            self.assertEqual(self.team.sla_forecast_precision, 0.0)
            self.assertEqual(self.team.sla_forecast_recall, 0.0)
            self.assertEqual(
                self.slow_team.sla_forecast_accuracy,
                "Last 90 days, 2 targets: 2 flagged likely to breach, 1 breached; "
                "precision 50%, recall 100%.",
            )

    def test_backtest_measures_the_forecast_on_past_requests(self):
        """The forecast replayed over past days records what it would have said."""
        self.build_history()
        slow = self.create_ticket(msk(*WEDNESDAY, 10, 40), team_id=self.slow_team.id)
        fast = self.create_ticket(msk(*WEDNESDAY, 10, 40))
        self.at(msk(*WEDNESDAY, 11, 20), fast, stage_id=self.stage_done.id)
        self.at(msk(*WEDNESDAY, 12), slow, stage_id=self.stage_done.id)
        # a replay reads when the requests were filed (the transaction's time otherwise)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id IN %s",
            [msk(*WEDNESDAY, 10, 40), (slow.id, fast.id)],
        )
        with freeze_time(msk(*WEDNESDAY, 13)):
            # Tuesday and Wednesday at 11:00 Moscow (8:00 UTC)
            self.env["helpdesk.ticket"]._sla_forecast_backtest(days=1, hours=(8,))
        slow_response = self.line(slow, "first_response")
        self.assertEqual(slow_response.forecast_flagged_date, msk(*WEDNESDAY, 11))
        self.assertEqual(slow_response.state, "breached")
        fast_response = self.line(fast, "first_response")
        self.assertTrue(fast_response.forecast_scored)
        self.assertFalse(fast_response.forecast_flagged_date)
        # the history's requests were past their deadlines at Tuesday 11:00: not scored
        history_lines = self.env["internal.sla.line"].search(
            [("ticket_id.create_date", "<", msk(*TUESDAY, 0)), ("forecast_scored", "=", True)]
        )
        self.assertFalse(
            history_lines.filtered(lambda line: line.ticket_id.team_id == self.slow_team)
        )
        teams = self.team | self.slow_team
        accuracy = self.env["helpdesk.ticket"]._sla_forecast_accuracy(
            msk(*WEDNESDAY, 13), teams.ids
        )
        self.assertEqual(accuracy[self.slow_team.id], (1, 1, 1, 1))
        self.assertEqual(accuracy[self.team.id], (1, 0, 0, 0))
        # run again: nothing changes
        with freeze_time(msk(*WEDNESDAY, 13)):
            self.env["helpdesk.ticket"]._sla_forecast_backtest(days=1, hours=(8,))
        self.assertEqual(
            self.env["helpdesk.ticket"]._sla_forecast_accuracy(msk(*WEDNESDAY, 13), teams.ids),
            accuracy,
        )
        # the Settings button says how it did
        settings = self.env["res.config.settings"].create({})
        with freeze_time(msk(*WEDNESDAY, 13)):
            action = settings.action_internal_sla_forecast_backtest()
        self.assertIn("precision", action["params"]["message"])
