"""Detractors followed up in time and feedback cycle time (H10), bounce rate and mean
transfers (B8), paused share per team (H8) in the KPI set, the scorecard and its XLSX,
all against figures computed by hand."""

import io
from datetime import date, datetime

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo.tests import tagged

from .common import InternalSlaCase, msk
from .feedback_common import FeedbackMixin

HOUR = 3600
MARCH = (datetime(2026, 3, 1), datetime(2026, 4, 1))
NOW = datetime(2026, 3, 20, 9, 0)  # "now" of the figures: 20 March


@tagged("post_install", "-at_install")
class TestKpiFollowups(FeedbackMixin, InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.infra = cls.env["helpdesk.ticket.team"].create(
            {"name": "IT Infrastructure", "department_id": cls.it.id}
        )
        cls.people = cls.make_people(5, cls.marketing, prefix="followup")

    def kpis(self, **kwargs):
        with freeze_time(NOW):
            return (
                self.env["internal.sla.kpi"]
                .with_context(internal_sla_now=NOW)
                ._kpis([("sla_agreement_id", "=", self.agreement.id)], *MARCH, **kwargs)
            )

    def make_tickets(self):
        """Three March requests to IT Support:

        - A (urgent), Mon 2 March 10:00, waits on the requester 10:30 → Tue 10:30, closed
          Tue 11:00: clock ran 0.5 + 0.5 = 1 h, stood still Mon 10:30–13:00, 14:00–18:00
          and Tue 9:00–10:30 = 8 h; no transfer;
        - B, Mon 11:00, to Infrastructure at 12:00 and back at 15:00, closed 16:00: two
          transfers, ran 11–13 and 14–16 = 4 h, never paused;
        - C, Tue 3 March 10:00, still open, untouched: no transfer, nothing measured yet.

        Bounce rate 1 of 3 = 33.3 %, mean transfers 2 / 3; paused share of IT Support's
        resolution time 8 / (1 + 8 + 4) = 61.5 %.
        """
        a = self.create_ticket_filed(msk(2026, 3, 2, 10), priority="3")
        self.at(msk(2026, 3, 2, 10, 30), a, stage_id=self.stage_waiting.id)
        self.at(msk(2026, 3, 3, 10, 30), a, stage_id=self.stage_progress.id)
        self.at(msk(2026, 3, 3, 11), a, stage_id=self.stage_done.id)
        b = self.create_ticket_filed(msk(2026, 3, 2, 11))
        self.at(msk(2026, 3, 2, 12), b, team_id=self.infra.id)
        self.at(msk(2026, 3, 2, 15), b, team_id=self.team.id)
        self.at(msk(2026, 3, 2, 16), b, stage_id=self.stage_done.id)
        c = self.create_ticket_filed(msk(2026, 3, 3, 10))
        return a, b, c

    def make_followups(self, ticket_a, ticket_b):
        """Detractor follow-ups as of 20 March:

        NPS answers of 10 March about the agreement: detractor done in time in 2 h,
        detractor done late in 20 h, detractor still open past its 12 March target
        (overdue: late), detractor open until 25 March (not late yet: left out), passive
        with a negative comment followed up late in 50 h (not a detractor: left out).
        CSAT of ticket A: detractor (2 of 5) done in time in 6 h; of ticket B: 5, none.

        Followed up in time: 2 of (2 in time + 1 late + 1 overdue) = 50 %; feedback cycle
        time: (2 + 20 + 6) / 3 h = 9 h 20 min.
        """
        when = datetime(2026, 3, 10, 9)
        done = {"followup_state": "done", "followup_done_date": datetime(2026, 3, 11, 9)}
        nps = [
            (3, dict(done, followup_in_time=True, followup_seconds=2 * HOUR)),
            (0, dict(done, followup_in_time=False, followup_seconds=20 * HOUR)),
            (5, {"followup_state": "open", "followup_deadline": datetime(2026, 3, 12, 9)}),
            (6, {"followup_state": "open", "followup_deadline": datetime(2026, 3, 25, 9)}),
            (7, dict(done, followup_in_time=False, followup_seconds=50 * HOUR)),
        ]
        for person, (score, values) in zip(self.people, nps, strict=True):
            self.answered(person, [score], when, **values)
        self.answered(
            self.requester,
            [2],
            when,
            kind="csat",
            ticket_id=ticket_a.id,
            **dict(done, followup_in_time=True, followup_seconds=6 * HOUR),
        )
        self.answered(self.requester, [5], when, kind="csat", ticket_id=ticket_b.id)

    def test_transfers_and_paused_share(self):
        a, b, _c = self.make_tickets()
        self.assertEqual((a.sla_transfer_count, b.sla_transfer_count), (0, 2))
        self.assertEqual(
            [(self.line(t).consumed_seconds, self.line(t).paused_seconds) for t in (a, b)],
            [(1 * HOUR, 8 * HOUR), (4 * HOUR, 0)],
        )
        kpis = self.kpis()
        self.assertEqual(kpis["volume"], 3)
        self.assertAlmostEqual(kpis["bounce_rate"], 100 / 3)
        self.assertAlmostEqual(kpis["mean_transfers"], 2 / 3)
        self.assertAlmostEqual(kpis["paused_share_percent"], 100 * 8 / 13)
        by_team = self.kpis(groupby="team")
        self.assertEqual(set(by_team), {self.team.id})
        self.assertAlmostEqual(by_team[self.team.id]["paused_share_percent"], 100 * 8 / 13)
        # nothing measured: no data, not 0
        empty = self.env["internal.sla.kpi"]._kpis(
            [("sla_agreement_id", "=", self.agreement.id)], datetime(2026, 5, 1), None
        )
        self.assertIsNone(empty["mean_transfers"])
        self.assertIsNone(empty["paused_share_percent"])

    def test_detractors_followed_up_in_time_and_cycle_time(self):
        a, b, _c = self.make_tickets()
        self.assertIsNone(self.kpis()["followed_up_in_time_percent"])
        self.make_followups(a, b)
        kpis = self.kpis()
        self.assertEqual(kpis["followed_up_in_time_percent"], 50.0)
        self.assertEqual(kpis["feedback_cycle_time"], 28 * HOUR / 3)
        # the invitation-level figure agrees with the KPI set
        Invitation = self.Invitation.with_context(internal_sla_now=NOW)
        self.assertEqual(
            Invitation._followed_up_in_time([("agreement_id", "=", self.agreement.id)]), 50.0
        )
        # 25 March: the last open detractor follow-up is overdue too → 2 of 5
        later = datetime(2026, 3, 26)
        with freeze_time(later):
            figures = (
                self.env["internal.sla.kpi"]
                .with_context(internal_sla_now=later)
                ._kpis([("sla_agreement_id", "=", self.agreement.id)], *MARCH)
            )
        self.assertEqual(figures["followed_up_in_time_percent"], 40.0)
        # per provider: the NPS follow-ups and the CSAT one of ticket A, as above
        by_provider = self.kpis(groupby="provider")
        self.assertEqual(by_provider[self.it.id]["followed_up_in_time_percent"], 50.0)

    def test_facts_and_direct_computation_agree(self):
        a, b, _c = self.make_tickets()
        self.make_followups(a, b)
        self.env["internal.sla.kpi.fact"]._refresh()
        direct = self.env["internal.sla.kpi"].with_context(internal_sla_kpi_direct=True)
        with freeze_time(NOW):
            expected = direct.with_context(internal_sla_now=NOW)._kpis(
                [("sla_agreement_id", "=", self.agreement.id)], *MARCH
            )
        facts = self.kpis()
        for key in (
            "bounce_rate",
            "mean_transfers",
            "paused_share_percent",
            "followed_up_in_time_percent",
            "feedback_cycle_time",
        ):
            self.assertEqual(facts[key], expected[key], key)
        self.assertEqual(facts["followed_up_in_time_percent"], 50.0)

    def scorecard(self, user):
        with freeze_time(NOW):
            return (
                self.env["internal.sla.scorecard"]
                .with_user(user)
                .with_context(internal_sla_now=NOW)
                .create(
                    {
                        "agreement_id": self.agreement.id,
                        "date_from": date(2026, 3, 1),
                        "date_to": date(2026, 4, 1),
                    }
                )
            )

    def test_scorecard_and_xlsx_show_them(self):
        a, b, _c = self.make_tickets()
        self.make_followups(a, b)
        rows = {line.name: line for line in self.scorecard(self.it_head).line_ids}
        expected = {
            "Detractors followed up in time": "50.0 %",
            "Feedback cycle time, mean": "9 h 20 min",
            "Bounce rate (transferred at least once)": "33.3 %",
            "Transfers per request, mean": "0.67",
            "Paused share of resolution time": "61.5 %",
            "IT Support: paused share of resolution time": "61.5 %",
        }
        self.assertEqual({name: rows[name].actual for name in expected}, expected)
        self.assertEqual(
            rows["IT Support: paused share of resolution time"].section,
            "Paused time per team",
        )
        report = self.env.ref("internal_sla.internal_sla_scorecard_xlsx_report")
        with freeze_time(NOW):
            content, _kind = (
                self.env["ir.actions.report"]
                .with_user(self.it_head)
                .with_context(internal_sla_now=NOW)
                ._render(
                    report,
                    self.agreement.ids,
                    {"date_from": "2026-03-01", "date_to": "2026-04-01"},
                )
            )
        card = load_workbook(io.BytesIO(content))["Scorecard"]
        values = {row[1]: row[2] for row in card.iter_rows(min_row=7, values_only=True)}
        self.assertEqual({name: values[name] for name in expected}, expected)
