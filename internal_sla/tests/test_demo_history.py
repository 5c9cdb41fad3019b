import io
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from openpyxl import load_workbook

from odoo import fields
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoHistory(TransactionCase):
    """The demo database shows six months of real figures on every screen (SPEC G5)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.it_marketing = cls.env.ref("internal_sla.demo_agreement_it_marketing", False)
        if not cls.it_marketing:
            return
        ref = cls.env.ref
        cls.agreements = (
            cls.it_marketing
            | ref("internal_sla.demo_agreement_hr_managers")
            | ref("internal_sla.demo_agreement_finance_sales")
            | ref("internal_sla.demo_agreement_it_sales")
        )
        cls.tickets = cls.env["helpdesk.ticket"].search(
            [("sla_agreement_id", "in", cls.agreements.ids)]
        )

    def setUp(self):
        super().setUp()
        if not self.it_marketing:
            self.skipTest("demo data not installed")

    def test_five_agreements_three_seeds_in_force(self):
        draft = self.env.ref("internal_sla.demo_agreement_it_finance")
        self.assertEqual(set(self.agreements.mapped("state")), {"active"})
        self.assertEqual(draft.state, "draft")
        for agreement in self.agreements:
            self.assertTrue(agreement.target_ids, agreement.name)
            # both sides have someone to escalate to, invite and print on the card
            self.assertTrue(agreement.provider_owner_id, agreement.name)
            self.assertTrue(agreement.customer_owner_id, agreement.name)

    def test_six_months_of_requests_in_every_state(self):
        self.assertGreaterEqual(len(self.tickets), 200)
        now = fields.Datetime.now()
        oldest = min(self.tickets.mapped("create_date"))
        self.assertLess(oldest, now - relativedelta(months=5))
        self.assertGreater(oldest, now - relativedelta(months=6, days=2))
        months = {(d.year, d.month) for d in self.tickets.mapped("create_date")}
        self.assertGreaterEqual(len(months), 6, "requests in each of the last six months")
        self.assertEqual(
            set(self.tickets.mapped("sla_state")),
            {"running", "at_risk", "paused", "met", "breached"},
        )
        closed = self.tickets.filtered(lambda t: t.stage_id.closed)
        opened = self.tickets - closed
        self.assertGreater(len(opened), 10)
        met_share = len(closed.filtered(lambda t: t.sla_state == "met")) / len(closed)
        self.assertTrue(0.6 < met_share < 0.95, f"a realistic mix, not {met_share:.0%} met")
        # flow: transfers between IT teams, reopens, repeats, first contact resolutions
        self.assertTrue(self.tickets.filtered("sla_transfer_count"))
        self.assertTrue(self.tickets.filtered("sla_reopen_count"))
        self.assertTrue(self.tickets.filtered("sla_is_repeat"))
        self.assertTrue(closed.filtered("sla_first_contact_resolution"))
        self.assertTrue(self.tickets.sla_pause_ids.filtered("date_end"))

    def test_timeline_written_as_it_happened(self):
        """Closing dates, messages and SLA lines carry the replayed instants, not the day
        of the install."""
        done = self.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        solved = self.tickets.filtered(lambda t: t.stage_id == done and not t.sla_reopen_count)
        self.assertGreater(len(solved), 100)
        closing_months = {(d.year, d.month) for d in solved.mapped("closed_date")}
        self.assertGreaterEqual(len(closing_months), 6)
        for ticket in solved:
            self.assertLess(ticket.create_date, ticket.closed_date)
            resolution = ticket.sla_line_ids.filtered(lambda line: line.metric == "resolution")
            self.assertEqual(resolution.reached_date, ticket.closed_date, ticket.name)
            first_reply = ticket.message_ids.filtered(
                lambda m: m.message_type == "comment"
            ).sorted("date")[:1]
            self.assertEqual(ticket.sla_first_response_date, first_reply.date, ticket.name)
        self.assertEqual(
            set(solved.sla_event_ids.mapped("event_type")) >= {"start", "met"}, True
        )

    def test_open_requests_hold_their_running_stretch(self):
        """H12: the team holding each open request has its running stretch, measured at
        the load in the request's working time; the closed ones have none."""
        stretches = self.env["internal.sla.ownership"].search(
            [("ticket_id", "in", self.tickets.ids), ("ended_by", "=", "holding")]
        )
        open_tickets = self.tickets.filtered(lambda t: t.team_id and not t.stage_id.closed)
        self.assertTrue(open_tickets)
        self.assertEqual(stretches.ticket_id, open_tickets)
        self.assertEqual(len(stretches), len(open_tickets))
        for stretch in stretches:
            ticket = stretch.ticket_id
            self.assertEqual(stretch.team_id, ticket.team_id)
            self.assertEqual(stretch.date_from, ticket.sla_team_since)
            self.assertEqual(
                stretch.working_seconds,
                ticket._sla_working_time().working_seconds(stretch.date_from, stretch.date_to),
            )
        self.assertTrue(any(stretches.mapped("working_seconds")))

    def test_feedback_figures_are_shown(self):
        """Enough respondents everywhere: no NPS or CSAT figure hidden by the anonymity
        rule, and a trend over the months."""
        for agreement in self.agreements:
            self.assertTrue(agreement.feedback_has_data, agreement.name)
            self.assertFalse(agreement.feedback_hidden, agreement.name)
            self.assertGreaterEqual(agreement.feedback_nps_answers, 5, agreement.name)
        for agreement in self.it_marketing | self.env.ref(
            "internal_sla.demo_agreement_finance_sales"
        ):
            self.assertGreaterEqual(agreement.feedback_csat_answers, 10, agreement.name)
            self.assertTrue(0 < agreement.feedback_csat < 100, agreement.name)
        trend = self.env["internal.sla.feedback.report"]._read_group(
            [("kind", "=", "nps")], ["date_answered:month"], ["nps:avg"]
        )
        shown = [nps for _month, nps in trend if nps is not None]
        self.assertGreaterEqual(len(shown), 5, "an NPS figure in five months at least")
        csat = self.env["internal.sla.feedback.invitation"].search(
            [("kind", "=", "csat"), ("agreement_id", "in", self.agreements.ids)]
        )
        self.assertEqual(set(csat.mapped("state")) >= {"answered", "expired", "skipped"}, True)
        self.assertTrue(csat.filtered(lambda i: i.followup_state == "open"))
        self.assertTrue(csat.filtered(lambda i: i.followup_state == "done"))
        # the answers are in Odoo's survey answers too: the Surveys app shows them
        answered = self.env["internal.sla.feedback.invitation"].search(
            [("state", "=", "answered"), ("agreement_id", "in", self.agreements.ids)]
        )
        self.assertEqual(set(answered.mapped("kind")), {"csat", "nps"})
        # (the hand-written answers of the feedback demo have no survey answer behind)
        surveyed = answered.filtered("user_input_id")
        self.assertGreater(len(surveyed), 100)
        for invitation in surveyed:
            self.assertEqual(invitation.user_input_id.state, "done")
            self.assertEqual(invitation._read_user_input()["score"], invitation.score)
        feelings = set(answered.filtered(lambda i: i.kind == "csat").mapped("feeling"))
        self.assertEqual(
            feelings,
            set(
                self.env.ref(
                    "internal_sla.survey_internal_sla_csat_feeling"
                ).suggested_answer_ids.mapped("value")
            ),
        )

    def test_reports_show_data(self):
        kpis = self.env["internal.sla.kpi"]._kpis(
            [("sla_agreement_id", "in", self.agreements.ids)], groupby="agreement"
        )
        for agreement in self.agreements:
            figures = kpis[agreement.id]
            self.assertTrue(50 < figures["sla_met_percent"] < 100, agreement.name)
            self.assertTrue(figures["first_response_mean"], agreement.name)
            self.assertGreater(figures["volume"], 30, agreement.name)
            self.assertTrue(agreement.kpi_sla_met_display, agreement.name)
        # the SLA analysis has lines in each of the last months
        analysis = self.env["internal.sla.report"]._read_group(
            [("agreement_id", "in", self.agreements.ids)], ["create_date:month"], ["__count"]
        )
        self.assertGreaterEqual(len(analysis), 6)
        # people and departments
        anna = self.env.ref("internal_sla.demo_employee_it_agent")
        public = self.env["hr.employee.public"].browse(anna.id)
        self.assertGreater(public.sla_ticket_count, 20)
        self.assertNotEqual(public.sla_csat_display, "no data")
        it = self.env.ref("internal_sla.demo_department_it")
        self.assertNotEqual(it.sla_health, "no_data")

    def test_scorecard_xlsx_has_kpis_breaches_and_comments(self):
        today = fields.Date.today()
        report = self.env.ref("internal_sla.internal_sla_scorecard_xlsx_report")
        content, _kind = self.env["ir.actions.report"]._render(
            report,
            self.it_marketing.ids,
            {
                "date_from": str(today - relativedelta(months=6)),
                "date_to": str(today + timedelta(days=1)),
            },
        )
        book = load_workbook(io.BytesIO(content))
        values = {
            row[1]: row[2] for row in book["Scorecard"].iter_rows(min_row=7, values_only=True)
        }
        self.assertNotEqual(values["SLA met % (all targets)"], "no data")
        self.assertNotEqual(values["Satisfaction index (CSAT)"], "no data")
        breaches = list(book["Breached requests"].iter_rows(min_row=2, values_only=True))
        self.assertGreater(len(breaches), 5)
        comments = list(book["Survey comments"].iter_rows(min_row=2, values_only=True))
        self.assertGreater(len(comments), 3)
        self.assertNotIn("no data", str(comments[0]))

    def test_review_meetings_with_reports(self):
        events = self.env["calendar.event"].search(
            [("sla_agreement_id", "in", self.agreements.ids), ("sla_report_date", "!=", False)]
        )
        self.assertGreaterEqual(len(events), 10)
        self.assertGreaterEqual(len({(e.start.year, e.start.month) for e in events}), 5)
        self.assertTrue(all(e.sla_minutes and e.sla_decision_ids for e in events))
        self.assertTrue(all(e.sla_report_date > e.stop for e in events))
