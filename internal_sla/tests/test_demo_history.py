import io
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time
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

    def test_an_amendment_takes_effect_next_month(self):
        versions = self.it_marketing.version_ids.sorted("number")
        self.assertEqual(versions.mapped("number"), [1, 2])
        self.assertGreater(versions[1].date_effective, fields.Date.today())
        self.assertEqual(versions[1].date_effective.day, 1)
        eod = versions[1].target_ids.filtered(lambda t: t.duration_type == "end_of_day")
        self.assertEqual(eod.cutoff_time, 16.0)
        # in force today: version 1, without a cut-off
        self.assertEqual(self.it_marketing.current_version_id, versions[0])
        self.assertFalse(versions[0].target_ids.filtered("cutoff_time"))

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
        # (a request decided within a frame has no reply: the decision closed it)
        solved = self.tickets.filtered(
            lambda t: (
                t.stage_id == done and not t.sla_reopen_count and not t.sla_decided_within_frame
            )
        )
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
            set(solved.sla_timeline_ids.mapped("event_type")) >= {"start", "met"}, True
        )

    def test_breaches_went_up_the_escalation_chain_when_they_happened(self):
        """B7 in the history: every breached target reached at least level 2 (its
        deadline) when it crossed it; the notes are dated then, and the escalations of
        requests solved since were done when they were solved."""
        breached = self.tickets.sla_line_ids.filtered(lambda line: line.state == "breached")
        self.assertGreater(len(breached), 30)
        self.assertFalse(breached.filtered(lambda line: line.escalation_level < 2))
        solved = breached.filtered("reached_date")
        for line in solved:
            notes = line.ticket_id.message_ids.filtered(
                lambda m, line=line: (
                    f"({line.name})" in (m.body or "") and "Escalated to level" in m.body
                )
            )
            # (a pause after a level moves the dates of the levels already reached)
            self.assertEqual(len(notes), line.escalation_level, line.ticket_id.name)
            self.assertGreater(min(notes.mapped("date")), line.date_start)
            self.assertLessEqual(max(notes.mapped("date")), line.reached_date)
        activities = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search([("internal_sla_line_id", "in", solved.ids)])
        )
        self.assertGreater(len(activities), len(solved))
        self.assertFalse(activities.filtered("active"))
        for activity in activities:
            # (done when the request was solved, the first time for a reopened one)
            self.assertTrue(
                activity.create_date.date()
                <= activity.date_done
                <= activity.internal_sla_line_id.reached_date.date(),
                activity.res_name,
            )

    def test_simulator_on_the_targets_in_force_finds_what_happened(self):
        """H2 against the replayed history: the same targets give the actual figures,
        escalations included."""
        today = fields.Date.today()
        with freeze_time(fields.Datetime.now()):
            # the open requests as the five-minute sweep keeps them: the test database may
            # have been built hours ago, and some have reached a level or a deadline since
            self.env["internal.sla.line"]._cron_sweep()
            simulation = self.env["internal.sla.simulation"].create(
                {
                    "agreement_id": self.it_marketing.id,
                    "use_targets_in_force": True,
                    "date_from": today - relativedelta(months=6),
                    "date_to": today,
                }
            )
            simulation.action_run()
        self.assertTrue(simulation.summary_ids)
        for summary in simulation.summary_ids:
            for figure in ("met", "breached", "open", "level1", "level2", "level3"):
                self.assertEqual(
                    summary[f"projected_{figure}"], summary[f"actual_{figure}"], figure
                )
            self.assertGreater(summary.actual_level1, 0)
        # reopened requests among them, whose closed stretch neither side counts
        self.assertTrue(simulation.line_ids.ticket_id.filtered("sla_reopen_count"))

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
        self.assertEqual(set(answered.mapped("kind")), {"csat", "nps", "energy"})
        # the hand-written answers of the feedback demo have their survey answer too
        self.assertTrue(all(answered.mapped("user_input_id")))
        self.assertGreater(len(answered), 100)
        for invitation in answered:
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


@tagged("post_install", "-at_install")
class TestDemoStories(TransactionCase):
    """The demo shows each capability at least once, created by the product's own methods
    (SPEC G5): eNPS and meeting energy above the anonymity minimum (C3, C7), a chained
    handoff (H7), explained breaches and an accepted exception (H5), requests decided within
    a frame (A4), requesters answering while their request waits (H6, H8)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.it_marketing = cls.env.ref("internal_sla.demo_agreement_it_marketing", False)

    def setUp(self):
        super().setUp()
        if not self.it_marketing:
            self.skipTest("demo data not installed")

    def ticket(self, name):
        ticket = self.env["helpdesk.ticket"].search([("name", "=", name)])
        self.assertEqual(len(ticket), 1, name)
        return ticket

    def test_enps_of_the_three_provider_departments_is_shown(self):
        Invitation = self.env["internal.sla.feedback.invitation"]
        # the scores of the demo's two rounds of six people each
        # IT, one silent in the first round: 6 promoters (9, 10 …), 1 detractor (6) of 11
        # answers → (6 − 1) / 11 = 45.45, shown "+45"
        # Finance: 5 promoters, 3 detractors (6, 5, 6) of 12 → (5 − 3) / 12 = 16.7, "+17"
        # HR, one silent in the first round: 5 promoters (9, 10, 9, 9, 10), 2 detractors
        # (6, 6) of 11 → (5 − 2) / 11 = 27.27, "+27"
        for xmlid, enps, shown, answers in (
            ("demo_department_it", 45.45, "+45", 11),
            ("demo_department_finance", 16.7, "+17", 12),
            ("demo_department_hr", 27.27, "+27", 11),
        ):
            department = self.env.ref(f"internal_sla.{xmlid}")
            self.assertEqual(department.enps_cadence, "quarterly")
            self.assertGreater(department.enps_next_date, fields.Date.today())
            answered = Invitation.search(
                [
                    ("kind", "=", "enps"),
                    ("provider_department_id", "=", department.id),
                    ("state", "=", "answered"),
                ]
            )
            self.assertEqual(len(answered), answers, department.name)
            self.assertEqual(len(answered.user_id), 6, department.name)
            self.assertEqual(len({i.date_sent.date() for i in answered}), 2, "two rounds")
            figures = Invitation._stats(
                [("kind", "=", "enps"), ("provider_department_id", "=", department.id)]
            )[()]
            self.assertFalse(figures["hidden"])
            self.assertAlmostEqual(figures["enps"], enps, places=1)
            self.assertEqual(department.sla_kpi_enps_display, shown)
            expired = Invitation.search_count(
                [
                    ("kind", "=", "enps"),
                    ("provider_department_id", "=", department.id),
                    ("state", "=", "expired"),
                ]
            )
            self.assertEqual(expired, 12 - answers, "silence is data (C4)")
            # answered on the survey page: the survey's answer holds the same score
            for invitation in answered:
                self.assertEqual(invitation.user_input_id.state, "done")
                self.assertEqual(invitation._read_user_input()["score"], invitation.score)
                self.assertLess(invitation.date_sent, invitation.date_answered)

    def test_meeting_energy_of_the_monthly_reviews_is_shown(self):
        events = self.env["calendar.event"].search(
            [("sla_agreement_id", "=", self.it_marketing.id), ("sla_report_date", "!=", False)]
        )
        energy = self.env["internal.sla.feedback.invitation"].search(
            [
                ("kind", "=", "energy"),
                ("event_id", "in", events.ids),
                ("state", "=", "answered"),
            ]
        )
        self.assertGreaterEqual(len(energy.user_id), 5)
        series = f"{self.it_marketing.name}: monthly review"
        self.assertEqual(set(energy.mapped("meeting_series")), {series})
        figures = events._internal_sla_energy()[(series,)]
        self.assertFalse(figures["hidden"])
        self.assertAlmostEqual(
            figures["energy"], sum(energy.mapped("score")) / len(energy), places=6
        )
        self.assertTrue(-2 <= figures["energy"] <= 2)
        for invitation in energy:
            self.assertEqual(invitation._read_user_input()["score"], invitation.score)
            self.assertLess(invitation.event_id.stop, invitation.date_answered)
        # the ones nobody answered by the history's day have expired, as the feedback cron
        # would have it (the test database is built once a day: later deadlines may have
        # passed since, and only the cron expires those)
        self.assertFalse(
            self.env["internal.sla.feedback.invitation"].search_count(
                [
                    ("state", "=", "sent"),
                    ("deadline", "<", fields.Datetime.now() - timedelta(days=1)),
                ]
            )
        )

    def test_chained_handoffs(self):
        hr = self.env.ref("internal_sla.demo_agreement_hr_managers")
        done = self.ticket("Accounts and laptop for the new marketing assistant")
        child = done.sla_child_ids
        self.assertEqual(child.name, "Employee record for the new marketing assistant")
        self.assertEqual(child.sla_agreement_id, hr)
        self.assertEqual(child.requester_department_id, done.provider_department_id)
        self.assertTrue(child.stage_id.closed and done.stage_id.closed)
        wait = done.sla_pause_ids.filtered("handoff_ticket_id")
        self.assertEqual(wait.handoff_ticket_id, child)
        self.assertEqual(wait.date_end, child.closed_date)
        self.assertLess(child.create_date, child.closed_date)
        self.assertLess(child.closed_date, done.closed_date)
        # the urgent target is met: the clock stood still while HR worked
        self.assertEqual(done.sla_state, "met")
        self.assertEqual(done.sla_chain_length, 2)
        self.assertGreater(done.sla_chain_hours, done.sla_chain_own_hours)
        self.assertGreater(child.sla_chain_own_hours, 0)
        # and one still waiting on HR
        waiting = self.ticket("Account for the summer intern")
        self.assertEqual(waiting.sla_state, "paused")
        self.assertFalse(waiting.sla_child_ids.stage_id.closed)
        self.assertFalse(waiting.sla_pause_ids.filtered("handoff_ticket_id").date_end)
        kpis = self.env["internal.sla.kpi"]._kpis(
            [("sla_agreement_id", "=", self.it_marketing.id)]
        )
        self.assertGreater(kpis["handoff_percent"], 0)

    def test_breaches_explained_and_an_exception_accepted(self):
        accepted = self.ticket("Projector in meeting room 3 does not connect").sla_line_ids
        accepted = accepted.filtered(lambda line: line.state == "breached")
        self.assertEqual(accepted.mapped("exception_state"), ["accepted"])
        self.assertEqual(accepted.breach_cause, "third_party")
        self.assertIn("supplier", accepted.breach_reason)
        requested = self.ticket("Campaign landing page returns error 500").sla_line_ids
        self.assertEqual(set(requested.mapped("state")), {"breached"})
        self.assertEqual(set(requested.mapped("exception_state")), {"requested"})
        explained = self.ticket("Onboarding plan for the new marketing assistant").sla_line_ids
        explained = explained.filtered(lambda line: line.state == "breached")
        self.assertTrue(explained and all(explained.mapped("breach_reason")))
        self.assertFalse(any(explained.mapped("exception_state")))
        # the review accepted it: the adjusted attainment counts it as met
        kpis = self.env["internal.sla.kpi"]._kpis(
            [("sla_agreement_id", "=", self.it_marketing.id)]
        )
        self.assertGreater(kpis["sla_met_percent_adjusted"], kpis["sla_met_percent"])
        # tomorrow's review lists the exception still to decide
        agenda = self.env.ref("internal_sla.demo_meeting_review_next").description
        self.assertIn("Campaign landing page returns error 500", str(agenda))

    def test_requests_decided_within_the_frame(self):
        finance_sales = self.env.ref("internal_sla.demo_agreement_finance_sales")
        frame = self.env.ref("internal_sla.demo_frame_sales_discount")
        decided = self.env["helpdesk.ticket"].search(
            [
                ("sla_agreement_id", "=", finance_sales.id),
                ("sla_decided_within_frame", "=", True),
            ]
        )
        # the two hand-written requests and those of the half year
        self.assertGreaterEqual(len(decided), 10)
        self.assertGreaterEqual(len({t.create_date.strftime("%Y-%m") for t in decided}), 4)
        self.assertEqual(decided.sla_frame_id, frame)
        self.assertLessEqual(max(decided.mapped("sla_request_amount")), frame.max_amount)
        self.assertTrue(all(decided.mapped("stage_id.closed")))
        for ticket in decided:
            self.assertLess(ticket.create_date, ticket.closed_date)
            self.assertLess(ticket.closed_date, fields.Datetime.now() - timedelta(minutes=1))
        # nobody is asked to rate a service the requester's side gave itself
        self.assertFalse(decided.feedback_invitation_ids)
        kpis = self.env["internal.sla.kpi"]._kpis([("sla_agreement_id", "=", finance_sales.id)])
        # most special conditions are decided by Sales, as in the seed agreement (F3: > 80%)
        self.assertGreater(kpis["empowerment_percent"], 60)

    def test_handoffs_across_the_half_year(self):
        parents = self.env["helpdesk.ticket"].search(
            [("sla_child_ids", "!=", False), ("sla_agreement_id", "=", self.it_marketing.id)]
        )
        self.assertGreaterEqual(len(parents), 6)
        self.assertGreaterEqual(len({t.create_date.strftime("%Y-%m") for t in parents}), 4)
        solved = parents.filtered(lambda t: t.stage_id.closed)
        self.assertGreaterEqual(len(solved), 5)
        for parent in solved:
            child = parent.sla_child_ids
            self.assertEqual(child.team_id, self.env.ref("internal_sla.demo_team_hr_desk"))
            self.assertLess(parent.create_date, child.create_date)
            self.assertLess(child.closed_date, parent.closed_date)
            wait = parent.sla_pause_ids.filtered("handoff_ticket_id")
            self.assertEqual(wait.date_end, child.closed_date)

    def test_breaches_explained_across_the_half_year(self):
        explained = self.env["internal.sla.line"].search(
            [("state", "=", "breached"), ("breach_cause", "!=", False)]
        )
        breached = self.env["internal.sla.line"].search_count([("state", "=", "breached")])
        self.assertGreater(len(explained), breached / 3)
        months = {line.deadline.strftime("%Y-%m") for line in explained}
        self.assertGreaterEqual(len(months), 5)
        self.assertGreaterEqual(len(set(explained.mapped("breach_cause"))), 4)
        decided = explained.filtered(lambda l: l.exception_state in ("accepted", "rejected"))
        self.assertEqual(set(decided.mapped("exception_state")), {"accepted", "rejected"})
        # explained the day after the breach, decided at the next monthly review: the
        # chatter reads as it happened, not as of the install
        old = explained.filtered(
            lambda l: l.deadline < fields.Datetime.now() - timedelta(days=40)
        )
        self.assertTrue(old)
        for line in old[:10]:
            notes = line.ticket_id.message_ids.filtered(
                lambda m: "Breach explained" in (m.body or "")
            )
            self.assertTrue(notes, line.ticket_id.name)
            for note in notes:
                self.assertLess(note.date, fields.Datetime.now() - timedelta(days=30))
                self.assertGreaterEqual(note.date, line.deadline)

    def test_requesters_reply_while_waiting(self):
        agreements = self.env["internal.sla.agreement"].search([("state", "=", "active")])
        tickets = self.env["helpdesk.ticket"].search(
            [
                ("sla_agreement_id", "in", agreements.ids),
                ("sla_last_requester_reply", "!=", False),
            ]
        )
        self.assertGreater(len(tickets), 30)
        # each reply is the requester's message, at the instant it was replayed
        for ticket in tickets[:20]:
            replies = ticket.message_ids.filtered(
                lambda m, t=ticket: m.message_type == "comment" and m.author_id == t.partner_id
            )
            self.assertEqual(max(replies.mapped("date")), ticket.sla_last_requester_reply)
        # IT ↔ Marketing's stage rule put the request back to work at the reply; the
        # requester's clock does not count the wait for them (H6)
        waited = tickets.filtered(
            lambda t: t.sla_agreement_id == self.it_marketing and t.stage_id.closed
        )
        self.assertTrue(waited)
        for ticket in waited:
            ended = ticket.sla_pause_ids.mapped("date_end")
            self.assertIn(ticket.sla_last_requester_reply, ended, ticket.name)
        kpis = self.env["internal.sla.kpi"]._kpis(
            [("sla_agreement_id", "=", self.it_marketing.id)]
        )
        self.assertTrue(kpis["requester_wait_mean"])
        # a pause set at once after the requester's reply is flagged (H8)
        flagged = self.ticket("Newsletter images blocked in Outlook")
        self.assertEqual(flagged.sla_state, "paused")
        pause = flagged.sla_pause_ids.filtered(lambda p: not p.date_end)
        self.assertTrue(pause.suspicious)
        self.assertEqual(pause.requester_replied_before, flagged.sla_last_requester_reply)

    def test_requests_filed_during_the_surge_have_relaxed_targets(self):
        """B11 in the demo: the review campaign's requests to the HR desk were filed while
        its surge was in progress; some met only their relaxed targets, so HR's SLA met
        reads higher adjusted than raw."""
        surge = self.env.ref("internal_sla.demo_surge_hr_review_campaign")
        self.assertTrue(surge.date_end, "the surge ended after the campaign")
        during = self.env["helpdesk.ticket"].search([("sla_surge_id", "=", surge.id)])
        self.assertGreaterEqual(len(during), 8)
        for ticket in during:
            self.assertTrue(surge.date_start <= ticket.create_date < surge.date_end)
        lines = during.sla_line_ids
        self.assertEqual(set(lines.mapped("surge_factor")), {1.5})
        for line in lines:
            self.assertEqual(line.target_seconds, round(line.raw_target_seconds * 1.5))
        relaxed_only = lines.filtered(lambda line: line.state == "met" and not line.raw_met)
        self.assertTrue(relaxed_only, "some targets were met thanks to the relaxation")
        # nothing filed outside the window was relaxed
        hr = self.env.ref("internal_sla.demo_agreement_hr_managers")
        outside = self.env["helpdesk.ticket"].search(
            [("sla_agreement_id", "=", hr.id), ("sla_surge_id", "=", False)]
        )
        self.assertEqual(set(outside.sla_line_ids.mapped("surge_factor")), {1.0})
        kpis = self.env["internal.sla.kpi"]._kpis([("sla_agreement_id", "=", hr.id)])
        self.assertGreater(kpis["sla_met_percent"], kpis["sla_met_percent_raw"])
