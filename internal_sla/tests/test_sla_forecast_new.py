"""Breach forecast (B12) from the start: a new request is scored at creation from its team's
profile (stored by the forecast cron), batch creates included, at no query cost; a request
whose team, priority or category changes is scored again at once."""

import unittest

from freezegun import freeze_time

from odoo.tests import tagged
from odoo.tests.common import RecordCapturer

from ..engine import forecast
from .common import msk
from .test_sla_forecast import WEDNESDAY, ForecastHistoryCase


@tagged("post_install", "-at_install")
class TestForecastFromTheStart(ForecastHistoryCase):
    def test_new_requests_are_scored_at_creation_from_the_team_profile(self):
        self.build_history()
        self.refresh(msk(*WEDNESDAY, 9))
        profile = self.slow_team.sla_forecast_profile
        buckets = {tuple(key): bins for key, bins in profile["buckets"]}
        self.assertEqual(buckets[("first_response",)], [[10, 6, 0], [40, 6, 6]])
        self.assertEqual(buckets[("first_response", self.slow_team.id)], [[40, 6, 6]])
        self.assertNotIn(("first_response", self.team.id), buckets)
        # Hand-computed (smoothing 5, nothing used of the first response's hour yet):
        # root 6 breaches of 12: 6/17; IT Support's 0 of 6 -> 30/187 -> 150/2057 ->
        # 750/22627 = 3.3 %; Infrastructure's 6 of 6 -> 12/17 -> 162/187 -> 1932/2057
        # = 93.9 %. The usual backlog is unknown: no load shift.
        fast = self.create_ticket(msk(*WEDNESDAY, 10))
        slow = self.create_ticket(msk(*WEDNESDAY, 10), team_id=self.slow_team.id)
        self.assertEqual((fast.sla_breach_risk, slow.sla_breach_risk), (3, 94))
        self.assertTrue(slow.sla_likely_breach)
        self.assertFalse(fast.sla_likely_breach)
        # the cron scoring them at the same instant finds the same
        self.refresh(msk(*WEDNESDAY, 10))
        self.assertEqual((fast.sla_breach_risk, slow.sla_breach_risk), (3, 94))
        # a batch: every request scored from its own team and priority; an urgent one
        # of Infrastructure has no history of its priority -> the team's 12/17 = 70.6 %
        batch = self.env["helpdesk.ticket"]
        with freeze_time(msk(*WEDNESDAY, 10)):
            batch = batch.create(
                [
                    {
                        "name": f"Batch {n}",
                        "description": "<p>Batch</p>",
                        "team_id": team.id,
                        "priority": priority,
                        "partner_id": self.requester.partner_id.id,
                        "stage_id": self.stage_new.id,
                    }
                    for n, (team, priority) in enumerate(
                        [
                            (self.team, "1"),
                            (self.slow_team, "1"),
                            (self.slow_team, "3"),
                            (self.team, "3"),
                        ]
                    )
                ]
            )
        # IT Support urgent: 0 of 6 at the team level -> 30/187 = 16.0 %
        self.assertEqual(batch.mapped("sla_breach_risk"), [3, 94, 71, 16])

    def test_scores_follow_the_engine_for_a_request_created_later(self):
        """Created well after the cron: the stored backlog stays that of the cron run, the
        score is the engine's for the nearest target with nothing used of it."""
        self.build_history()
        self.refresh(msk(*WEDNESDAY, 9))
        history = self.env["helpdesk.ticket"]._sla_forecast_history(msk(*WEDNESDAY, 9))
        ticket = self.create_ticket(msk(*WEDNESDAY, 16), team_id=self.slow_team.id)
        expected = forecast.score(
            history, "first_response", self.slow_team.id, "1", None, 0, 3600
        )
        self.assertEqual(ticket.sla_breach_risk, expected)

    def test_without_a_profile_nothing_is_known(self):
        self.assertFalse(self.slow_team.sla_forecast_profile)
        ticket = self.create_ticket(msk(*WEDNESDAY, 10), team_id=self.slow_team.id)
        self.assertEqual(ticket.sla_breach_risk, 0)  # nothing used, nothing known
        # a team no agreement covers: no clock, no score
        facilities = self.env["helpdesk.ticket.team"].create({"name": "Facilities"})
        other = self.create_ticket(msk(*WEDNESDAY, 10), team_id=facilities.id)
        self.assertFalse(other.sla_line_ids)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT sla_breach_risk FROM helpdesk_ticket WHERE id = %s", [other.id]
        )
        self.assertIsNone(self.env.cr.fetchone()[0])

    def test_team_priority_or_category_change_scores_again_at_once(self):
        self.build_history()
        self.refresh(msk(*WEDNESDAY, 9))
        ticket = self.create_ticket(msk(*WEDNESDAY, 10))
        self.assertEqual(ticket.sla_breach_risk, 3)
        self.at(msk(*WEDNESDAY, 10), ticket, team_id=self.slow_team.id)
        self.assertEqual(ticket.sla_breach_risk, 94)
        self.at(msk(*WEDNESDAY, 10), ticket, priority="3")
        self.assertEqual(ticket.sla_breach_risk, 71)
        # 30 min later, half of the first response's hour is used: no request of
        # Infrastructure of the same bucket got only that far and met it
        category = self.env["helpdesk.ticket.category"].create({"name": "Network"})
        self.at(msk(*WEDNESDAY, 10, 30), ticket, category_id=category.id)
        history = forecast.history_from_profiles(
            [self.slow_team.sla_forecast_profile["buckets"]]
        )
        expected = forecast.score(
            history, "first_response", self.slow_team.id, "3", category.id, 1800, 3600
        )
        self.assertEqual(ticket.sla_breach_risk, expected)
        self.assertGreater(expected, 71)
        # the cron refreshes profiles only where they changed: a second run rewrites none
        self.refresh(msk(*WEDNESDAY, 11))
        self.env["helpdesk.ticket"]._sla_forecast_store_profiles(
            self.env["helpdesk.ticket"]._sla_forecast_history(msk(*WEDNESDAY, 11)),
            msk(*WEDNESDAY, 11),
        )
        self.assertEqual(self.env.cr.rowcount, 0)

    def test_creating_costs_no_query_more_with_a_profile(self):
        self.build_history()
        Ticket = self.env["helpdesk.ticket"]
        vals = {
            "name": "Printer jammed",
            "description": "<p>Please help</p>",
            "partner_id": self.requester.partner_id.id,
            "team_id": self.slow_team.id,
        }

        def count(batch):
            Ticket.create([dict(vals) for _ in range(batch)])  # warm caches
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            tickets = Ticket.create([dict(vals) for _ in range(batch)])
            self.env.flush_all()
            return tickets, self.cr.sql_log_count - before

        with freeze_time(msk(*WEDNESDAY, 10)):
            _tickets, single = count(1)
            _tickets, batch = count(20)
            self.refresh(msk(*WEDNESDAY, 10))
            tickets, single_scored = count(1)
            self.assertEqual(tickets.sla_breach_risk, 94)
            tickets, batch_scored = count(20)
            self.assertEqual(set(tickets.mapped("sla_breach_risk")), {94})
        self.assertEqual((single_scored, batch_scored), (single, batch))

    def test_a_new_provider_team_or_agreement_runs_the_forecast_soon(self):
        """Its requests would score 0 until the next scheduled run: the forecast is
        triggered when a team becomes a provider's or an agreement is put in force."""
        cron = self.env.ref("internal_sla.ir_cron_internal_sla_forecast")
        triggers = self.env["ir.cron.trigger"].sudo()
        with RecordCapturer(triggers, [("cron_id", "=", cron.id)]) as capture:
            team = self.env["helpdesk.ticket.team"].create({"name": "Print room"})
            team.write({"name": "Print and copy room"})
        self.assertFalse(capture.records, "a team of no provider has nothing to score")
        with RecordCapturer(triggers, [("cron_id", "=", cron.id)]) as capture:
            team.write({"department_id": self.it.id})
        self.assertEqual(len(capture.records), 1)
        with RecordCapturer(triggers, [("cron_id", "=", cron.id)]) as capture:
            self.env["helpdesk.ticket.team"].create(
                {"name": "Network", "department_id": self.it.id}
            )
        self.assertEqual(len(capture.records), 1)
        agreement = self.create_agreement(
            activate=False, name="IT ↔ HR", customer_department_id=self.hr.id
        )
        with RecordCapturer(triggers, [("cron_id", "=", cron.id)]) as capture:
            agreement.action_activate()
        self.assertEqual(len(capture.records), 1)


class TestForecastProfileEngine(unittest.TestCase):
    def test_profile_round_trip_keeps_the_probabilities(self):
        history = forecast.History()
        for metric, team, priority, category, bin_, breached in (
            ("resolution", 1, "1", None, 3, False),
            ("resolution", 1, "1", 7, 25, True),
            ("resolution", 2, "3", None, 30, True),
            ("first_response", 2, "1", None, 12, False),
        ):
            history.add(metric, team, priority, category, bin_, breached)
        profiles = forecast.profiles(history, [1, 2, 9])
        one = forecast.history_from_profiles([profiles[1]])
        both = forecast.history_from_profiles([profiles[1], profiles[2]])
        self.assertNotIn(("resolution", 2), one.buckets)
        for key, ratio in (
            (("resolution", 1, "1", 7), 0.0),
            (("resolution", 1, "1", None), 0.5),
            (("resolution", 1, "2", 7), 0.2),
        ):
            self.assertEqual(
                one.probability(*key, ratio), history.probability(*key, ratio), key
            )
        for key in (("resolution", 2, "3", None), ("first_response", 2, "1", None)):
            self.assertEqual(both.probability(*key, 0.1), history.probability(*key, 0.1))
        # a team with no history keeps the roots only
        self.assertEqual(
            [key for key, _bins in profiles[9]], [["first_response"], ["resolution"]]
        )
        self.assertEqual(
            [key for key, _bins in profiles[2]],
            [
                ["first_response"],
                ["resolution"],
                ["first_response", 2],
                ["first_response", 2, "1"],
                ["first_response", 2, "1", None],
                ["resolution", 2],
                ["resolution", 2, "3"],
                ["resolution", 2, "3", None],
            ],
        )
