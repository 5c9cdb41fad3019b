from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import InternalSlaCase, msk


@tagged("post_install", "-at_install")
class TestSlaClock(InternalSlaCase):
    def test_urgent_request_matches_and_gets_working_hour_deadlines(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        self.assertEqual(ticket.requester_department_id, self.marketing)
        self.assertEqual(ticket.provider_department_id, self.it)
        self.assertEqual(ticket.sla_agreement_id, self.agreement)
        self.assertEqual(ticket.sla_version_id.number, 1)
        self.assertEqual(len(ticket.sla_line_ids), 2)
        self.assertEqual(self.line(ticket, "first_response").deadline, msk(2026, 3, 2, 11, 0))
        resolution = self.line(ticket)
        self.assertEqual(resolution.name, "Urgent solved")
        self.assertEqual(resolution.deadline, msk(2026, 3, 2, 12, 0))
        self.assertEqual(resolution.at_risk_date, msk(2026, 3, 2, 11, 30))
        self.assertEqual(resolution.state, "running")
        self.assertEqual(ticket.sla_state, "running")
        self.assertEqual(ticket.sla_deadline, msk(2026, 3, 2, 11, 0))
        # both clocks' starts are on the timeline, read off the lines (no event row logged)
        self.assertFalse(ticket.sla_event_ids)
        starts = ticket.sla_timeline_ids.filtered(lambda event: event.event_type == "start")
        self.assertEqual(
            sorted(
                (event.line_id.id, event.date, event.cause, event.deadline) for event in starts
            ),
            sorted(
                (line.id, msk(2026, 3, 2, 10, 0), "Ticket created", line.deadline)
                for line in ticket.sla_line_ids
            ),
        )

    def test_normal_request_due_end_of_working_day(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 16, 0))
        self.assertEqual(self.line(ticket).name, "Solved by end of day")
        self.assertEqual(self.line(ticket).deadline, msk(2026, 3, 2, 18, 0))
        # after hours: the next working day (Tuesday) ends at 18:00
        late = self.create_ticket(msk(2026, 3, 2, 19, 30))
        self.assertEqual(self.line(late).deadline, msk(2026, 3, 3, 18, 0))
        # Friday evening before the 9 March holiday: Tuesday 10 March
        friday = self.create_ticket(msk(2026, 3, 6, 18, 30))
        self.assertEqual(self.line(friday).deadline, msk(2026, 3, 10, 18, 0))

    def test_pause_stage_stops_the_clock_and_moves_the_deadline(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        self.at(msk(2026, 3, 2, 10, 30), ticket, stage_id=self.stage_waiting.id)
        line = self.line(ticket)
        self.assertEqual(line.state, "paused")
        self.assertEqual(ticket.sla_state, "paused")
        self.assertEqual(len(ticket.sla_pause_ids), 1)
        # the sweep never breaches a paused clock
        with freeze_time(msk(2026, 3, 2, 17, 0)):
            self.env["internal.sla.line"]._cron_sweep()
        self.assertEqual(line.state, "paused")
        # resumed at 14:30: 1.5 h were left -> 16:00 (lunch 13-14 is not working time)
        self.at(msk(2026, 3, 2, 14, 30), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(line.state, "running")
        self.assertEqual(line.deadline, msk(2026, 3, 2, 16, 0))
        self.assertEqual(line.paused_seconds, 3 * 3600)
        pause = ticket.sla_pause_ids
        self.assertEqual(
            (pause.date_start, pause.date_end),
            (msk(2026, 3, 2, 10, 30), msk(2026, 3, 2, 14, 30)),
        )
        kinds = ticket.sla_event_ids.filtered(lambda e: e.line_id == line).mapped("event_type")
        self.assertIn("pause", kinds)
        self.assertIn("resume", kinds)

    def test_first_response_from_provider_reply_only(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        with freeze_time(msk(2026, 3, 2, 10, 10)):
            ticket.with_user(self.requester).message_post(
                body="Any news?", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertFalse(ticket.sla_first_response_date)
        with freeze_time(msk(2026, 3, 2, 10, 20)):
            ticket.with_user(self.agent).message_post(
                body="Internal note", message_type="comment", subtype_xmlid="mail.mt_note"
            )
        self.assertFalse(ticket.sla_first_response_date, "an internal note is not a response")
        with freeze_time(msk(2026, 3, 2, 10, 30)):
            # the requester's own manager is an internal user, but not the provider
            ticket.sudo().message_post(
                body="Please hurry, this blocks our campaign",
                author_id=self.mk_head.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertFalse(ticket.sla_first_response_date, "the customer side is no response")
        self.assertEqual(ticket.sla_provider_reply_count, 0)
        with freeze_time(msk(2026, 3, 2, 10, 40)):
            ticket.with_user(self.agent).message_post(
                body="On it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(ticket.sla_first_response_date, msk(2026, 3, 2, 10, 40))
        first = self.line(ticket, "first_response")
        self.assertEqual((first.state, first.reached_date), ("met", msk(2026, 3, 2, 10, 40)))
        self.assertEqual(ticket.sla_provider_reply_count, 1)

    def test_a_requester_assigned_their_own_request_does_not_answer_it(self):
        """Filed without a contact (as through the API) by a requester who is also a
        member of the team, auto-assigned to themselves: the request is theirs, and
        their own comment is a requester's reply, not the provider's first response."""
        self.team.user_ids = [Command.link(self.requester.id)]
        ticket = self.create_ticket(
            msk(2026, 3, 2, 10, 0), user=self.requester, partner_id=False
        )
        ticket.sudo().user_id = self.requester
        self.assertEqual(ticket.requester_department_id, self.marketing)
        self.assertEqual(ticket.sla_agreement_id, self.agreement)
        with freeze_time(msk(2026, 3, 2, 10, 10)):
            ticket.with_user(self.requester).message_post(
                body="Screenshot attached",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertFalse(ticket.sla_first_response_date)
        self.assertEqual(ticket.sla_provider_reply_count, 0)
        self.assertEqual(ticket.sla_last_requester_reply, msk(2026, 3, 2, 10, 10))
        with freeze_time(msk(2026, 3, 2, 10, 40)):
            ticket.with_user(self.agent).message_post(
                body="On it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(ticket.sla_first_response_date, msk(2026, 3, 2, 10, 40))
        # and it is theirs to rate once closed
        self.at(msk(2026, 3, 2, 11, 0), ticket, stage_id=self.stage_done.id)
        csat = self.env["internal.sla.feedback.invitation"].search(
            [("ticket_id", "=", ticket.id), ("kind", "=", "csat")]
        )
        self.assertEqual(csat.user_id, self.requester)

    def test_first_response_from_a_provider_employee_outside_the_team(self):
        """Anyone of the provider department answers for it, a sub-department included."""
        desk = self.env["hr.department"].create({"name": "IT Desk", "parent_id": self.it.id})
        colleague = self.env["res.users"].create(
            {
                "name": "Olga",
                "login": "olga.desk",
                "group_ids": [(4, self.ref("base.group_user"))],
            }
        )
        self.env["hr.employee"].create(
            {"name": "Olga", "user_id": colleague.id, "department_id": desk.id}
        )
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        with freeze_time(msk(2026, 3, 2, 10, 15)):
            ticket.sudo().message_post(
                body="Forwarded to us, looking",
                author_id=colleague.partner_id.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        self.assertEqual(ticket.sla_first_response_date, msk(2026, 3, 2, 10, 15))

    def test_first_response_on_leaving_the_initial_stage(self):
        """B5, mode "stage": a reply is not the response, the first move out of the
        initial stage is."""
        self.agreement.first_response_mode = "stage"
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        with freeze_time(msk(2026, 3, 2, 10, 10)):
            ticket.with_user(self.agent).message_post(
                body="On it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertFalse(ticket.sla_first_response_date)
        self.at(msk(2026, 3, 2, 10, 50), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(ticket.sla_first_response_date, msk(2026, 3, 2, 10, 50))
        first = self.line(ticket, "first_response")
        self.assertEqual((first.state, first.reached_date), ("met", msk(2026, 3, 2, 10, 50)))
        self.at(msk(2026, 3, 2, 11, 30), ticket, stage_id=self.stage_waiting.id)
        self.assertEqual(ticket.sla_first_response_date, msk(2026, 3, 2, 10, 50))

    def test_close_in_time_is_met_late_is_breached_with_overrun(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        with freeze_time(msk(2026, 3, 2, 10, 30)):
            ticket.with_user(self.agent).message_post(
                body="Looking", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.at(msk(2026, 3, 2, 11, 30), ticket, stage_id=self.stage_done.id)
        self.assertEqual(self.line(ticket).state, "met")
        self.assertEqual(self.line(ticket).consumed_seconds, 5400)
        self.assertEqual(ticket.sla_state, "met")
        late = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        self.at(msk(2026, 3, 2, 14, 30), late, stage_id=self.stage_done.id)
        line = self.line(late)
        self.assertEqual(line.state, "breached")
        # 3.5 working hours consumed (10-13, 14-14:30) for a 2 h target
        self.assertEqual(line.overrun_seconds, 5400)
        self.assertEqual(late.sla_state, "breached")
        self.assertEqual(
            (line.consumed_display, line.overrun_display),
            ("3 h 30 min (+1 h 30 min)", "1 h 30 min"),
        )

    def test_used_and_overrun_are_live_on_an_open_clock(self):
        """B3: the ticket's lines show the working time used and the overrun as the clock
        runs, not as of its last state change."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        line = self.line(ticket)
        with freeze_time(msk(2026, 3, 2, 11, 15)):
            line.invalidate_recordset()
            self.assertEqual(
                (line.consumed_display, line.overrun_display), ("1 h 15 min", False)
            )
        # 10-13 and 14-14:45 used for a 2 h target: 1 h 45 min past it
        with freeze_time(msk(2026, 3, 2, 14, 45)):
            line.invalidate_recordset()
            self.assertEqual(
                (line.consumed_display, line.overrun_display),
                ("3 h 45 min (+1 h 45 min)", "1 h 45 min"),
            )

    def test_reopen_continues_from_consumed_time(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        self.at(msk(2026, 3, 2, 11, 0), ticket, stage_id=self.stage_done.id)
        self.at(msk(2026, 3, 2, 15, 0), ticket, stage_id=self.stage_progress.id)
        line = self.line(ticket)
        self.assertEqual(line.state, "running")
        self.assertFalse(line.reached_date)
        # 1 h consumed before closing: 1 h left from 15:00
        self.assertEqual(line.deadline, msk(2026, 3, 2, 16, 0))
        self.assertIn("reopen", ticket.sla_event_ids.mapped("event_type"))

    def test_resolution_time_runs_to_the_first_close(self):
        """KPI catalogue: resolution time is the working time to the first closed stage;
        the reopened request's clock goes on for its SLA state, its first close stays, also
        when a re-match replaces the reopened clock."""
        ticket = self.create_ticket_filed(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 11, 0), ticket, stage_id=self.stage_done.id)
        line = self.line(ticket)
        self.assertEqual(
            (line.first_reached_date, line.first_reached_seconds),
            (msk(2026, 3, 2, 11, 0), 3600),
        )
        self.at(msk(2026, 3, 2, 15, 0), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(line.first_reached_seconds, 3600)
        # urgent now: the reopened clock is replaced, the first close carried over
        self.at(msk(2026, 3, 2, 15, 30), ticket, priority="3")
        line = self.line(ticket)
        self.assertEqual(line.name, "Urgent solved")
        self.assertEqual(line.consumed_at_base, 3600 + 1800)
        self.assertEqual(
            (line.first_reached_date, line.first_reached_seconds),
            (msk(2026, 3, 2, 11, 0), 3600),
        )
        self.at(msk(2026, 3, 2, 16, 0), ticket, stage_id=self.stage_done.id)
        self.assertEqual((line.state, line.consumed_seconds), ("met", 7200))
        self.assertEqual(line.first_reached_seconds, 3600)
        kpis = self.env["internal.sla.kpi"]._kpis(
            [("id", "=", ticket.id)], msk(2026, 3, 1, 0, 0), msk(2026, 4, 1, 0, 0)
        )
        self.assertEqual(kpis["resolution"], {"mean": 3600.0, "p90": 3600, "count": 1})
        self.assertEqual(kpis["resolution_met_percent"], 100.0)

    def test_priority_change_rematches_keeping_elapsed_time(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.assertEqual(self.line(ticket).name, "Solved by end of day")
        with freeze_time(msk(2026, 3, 2, 10, 30)):
            ticket.with_context(tracking_disable=False).write({"priority": "3"})
        line = self.line(ticket)
        self.assertEqual(line.name, "Urgent solved")
        self.assertEqual(line.consumed_at_base, 1800)
        self.assertEqual(line.deadline, msk(2026, 3, 2, 12, 0))
        self.assertEqual(
            len(ticket.sla_line_ids.filtered(lambda l: l.metric == "resolution")), 1
        )
        self.assertIn("rematch", ticket.sla_event_ids.mapped("event_type"))
        note = ticket.message_ids.filtered(lambda m: "Re-matched" in (m.body or ""))
        self.assertTrue(note, "the re-match is noted in the chatter")

    def test_a_rematch_keeps_the_replaced_clocks_history(self):
        """H4: the start and at-risk moments of a clock replaced by a re-match stay in
        the timeline (history is not rewritten, H1)."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        with freeze_time(msk(2026, 3, 2, 11, 45)):
            self.env["internal.sla.line"]._cron_sweep()
        self.assertEqual(self.line(ticket).state, "at_risk")

        def moments():
            return {
                (event.event_type, event.date, event.cause)
                for event in ticket.sla_timeline_ids
                if event.target_name == "Urgent solved"
                and event.event_type in ("start", "at_risk", "breach")
            }

        before = moments()
        self.assertEqual({kind for kind, _date, _cause in before}, {"start", "at_risk"})
        with freeze_time(msk(2026, 3, 2, 11, 50)):
            ticket.write({"priority": "1"})
        self.assertEqual(self.line(ticket).name, "Solved by end of day")
        self.assertEqual(moments(), before)

    def test_a_rematch_does_not_erase_a_breach(self):
        """Lowering the priority of an overdue request keeps its breach: the clock stays,
        breached, and runs on to the close (the request's resolution time is not cut
        short by the move); its metric starts no other clock."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        with freeze_time(msk(2026, 3, 2, 14, 30)):
            self.env["internal.sla.line"]._cron_sweep()
        with freeze_time(msk(2026, 3, 2, 15, 0)):
            ticket.write({"priority": "1"})
        resolution = self.line(ticket)
        self.assertEqual(len(resolution), 1)
        self.assertEqual(
            (resolution.name, resolution.state, resolution.reached_date),
            ("Urgent solved", "breached", False),
        )
        self.assertEqual(ticket.sla_state, "breached")
        self.assertEqual(
            set(
                ticket.sla_timeline_ids.filtered(lambda e: e.line_id == resolution).mapped(
                    "event_type"
                )
            )
            >= {"breach", "rematch"},
            True,
        )
        # the request keeps its agreement; the note names the clock running on breached
        self.assertEqual(ticket.sla_agreement_id, self.agreement)
        note = ticket.message_ids.filtered(
            lambda m: "Re-matched after" in (m.body or "") and m.message_type == "comment"
        )
        self.assertEqual(len(note), 1)
        self.assertIn("Urgent solved", note.body)
        self.assertNotIn("no agreement applies", note.body)
        # solved at 17:00: 6 working hours since 10:00 (lunch 13-14 excluded), breached
        with freeze_time(msk(2026, 3, 2, 17, 0)):
            ticket.stage_id = self.stage_done
        self.assertEqual(
            (resolution.state, resolution.reached_date, resolution.first_reached_seconds),
            ("breached", msk(2026, 3, 2, 17, 0), 6 * 3600),
        )

    def test_category_target_and_category_change_rematch(self):
        """A target for a category is more specific than the agreement's general one
        (B1); setting the category at triage re-matches, keeping the elapsed time."""
        hardware = self.env["helpdesk.ticket.category"].create({"name": "Hardware"})
        self.agreement.action_cancel()
        agreement = self.create_agreement(
            target_ids=[
                Command.create(
                    {
                        "name": "Solved by end of day",
                        "metric": "resolution",
                        "duration_type": "end_of_day",
                        "duration": 0,
                    }
                ),
                Command.create(
                    {
                        "name": "Hardware within 4 hours",
                        "metric": "resolution",
                        "category_ids": [Command.set(hardware.ids)],
                        "duration_type": "hours",
                        "duration": 4,
                    }
                ),
            ]
        )
        filed_with = self.create_ticket(msk(2026, 3, 2, 10, 0), category_id=hardware.id)
        self.assertEqual(filed_with.sla_agreement_id, agreement)
        self.assertEqual(self.line(filed_with).name, "Hardware within 4 hours")
        # 10:00 + 4 working hours, lunch 13:00-14:00 excluded
        self.assertEqual(self.line(filed_with).deadline, msk(2026, 3, 2, 15, 0))
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.assertEqual(self.line(ticket).name, "Solved by end of day")
        with freeze_time(msk(2026, 3, 2, 11, 0)):
            ticket.with_context(tracking_disable=False).write({"category_id": hardware.id})
        line = self.line(ticket)
        self.assertEqual(line.name, "Hardware within 4 hours")
        self.assertEqual(line.consumed_at_base, 3600)
        self.assertEqual(line.deadline, msk(2026, 3, 2, 15, 0))
        self.assertIn("rematch", ticket.sla_event_ids.mapped("event_type"))
        note = ticket.message_ids.filtered(lambda m: "Re-matched" in (m.body or ""))
        self.assertTrue(note)

    def test_team_change_to_an_uncovered_team_drops_the_clock(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        other_team = self.env["helpdesk.ticket.team"].create({"name": "Elsewhere"})
        self.at(msk(2026, 3, 2, 10, 30), ticket, team_id=other_team.id)
        self.assertFalse(ticket.sla_agreement_id)
        # the clocks stop for good, kept for the record (B13): no open line is left
        self.assertEqual(set(ticket.sla_line_ids.mapped("state")), {"cancelled"})
        self.assertFalse(ticket.sla_state)
        self.assertFalse(ticket.sla_deadline)

    def test_ticket_without_agreement_has_no_clock(self):
        other_team = self.env["helpdesk.ticket.team"].create({"name": "No department"})
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), team_id=other_team.id)
        self.assertFalse(ticket.sla_agreement_id)
        self.assertFalse(ticket.sla_line_ids)
        self.assertFalse(ticket.sla_state)

    def test_requester_commitment_is_enforced(self):
        self.agreement.required_field_ids = self.env.ref(
            "internal_sla.field_helpdesk_ticket__business_impact"
        )
        with self.assertRaises(ValidationError) as refused:
            self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.assertIn("requires from the requester: Business Impact", str(refused.exception))
        self.assertFalse(self.env["helpdesk.ticket"].search([("team_id", "=", self.team.id)]))
        ticket = self.create_ticket(
            msk(2026, 3, 2, 10, 0), business_impact="Campaign launch on Friday"
        )
        self.assertTrue(ticket.sla_line_ids)
        with self.assertRaises(ValidationError):
            ticket.business_impact = False
        self.assertEqual(ticket.business_impact, "Campaign launch on Friday")

    def test_a_transfer_to_a_demanding_agreement_asks_for_its_commitments(self):
        """Moved to a team whose agreement requires the business impact, a request
        without it is refused (A3) and stays where it was; given in the same save, the
        transfer goes through under the new agreement."""
        hr_team = self.env["helpdesk.ticket.team"].create(
            {"name": "HR Desk", "department_id": self.hr.id}
        )
        hr_marketing = self.create_agreement(
            name="HR ↔ Marketing",
            provider_department_id=self.hr.id,
            required_field_ids=[
                Command.set(
                    self.env.ref("internal_sla.field_helpdesk_ticket__business_impact").ids
                )
            ],
        )
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        lines = [(line.name, line.state) for line in ticket.sla_line_ids]
        with self.assertRaises(ValidationError) as refused:
            self.at(msk(2026, 3, 2, 10, 30), ticket, team_id=hr_team.id)
        self.assertIn(
            "HR ↔ Marketing requires from the requester: Business Impact",
            str(refused.exception),
        )
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.sla_agreement_id, self.agreement)
        self.assertEqual([(line.name, line.state) for line in ticket.sla_line_ids], lines)
        self.at(
            msk(2026, 3, 2, 10, 30),
            ticket,
            team_id=hr_team.id,
            business_impact="The fair's stand is waiting",
        )
        self.assertEqual(ticket.sla_agreement_id, hr_marketing)

    def test_a_later_requirement_does_not_block_older_requests(self):
        """A request filed before its agreement required the business impact (or attached
        when the agreement was put in force) still moves through its stages; emptying a
        required field is what is refused."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.agreement.required_field_ids = self.env.ref(
            "internal_sla.field_helpdesk_ticket__business_impact"
        )
        self.at(msk(2026, 3, 2, 11, 0), ticket, stage_id=self.stage_progress.id, priority="2")
        self.at(msk(2026, 3, 2, 12, 0), ticket, stage_id=self.stage_done.id)
        self.assertTrue(ticket.stage_id.closed)
        ticket.business_impact = "Posters for the fair"
        with self.assertRaises(ValidationError) as refused:
            ticket.write({"business_impact": False, "priority": "3"})
        self.assertIn("Fill in Business Impact", str(refused.exception))
        self.assertEqual(ticket.priority, "2")

    def test_a_closed_request_is_not_rematched(self):
        """Its clocks are history: a change of priority after closing starts no clock."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 11, 0), ticket, stage_id=self.stage_done.id)
        before = [(line.name, line.state, line.reached_date) for line in ticket.sla_line_ids]
        events = len(ticket.sla_event_ids)
        self.at(msk(2026, 3, 5, 11, 0), ticket, priority="3")
        self.assertEqual(
            [(line.name, line.state, line.reached_date) for line in ticket.sla_line_ids],
            before,
        )
        self.assertEqual(len(ticket.sla_event_ids), events)
        self.assertNotIn("Re-matched", " ".join(ticket.message_ids.mapped("body")))

    def test_preview_on_agreement_and_new_request(self):
        with freeze_time(msk(2026, 3, 2, 10, 0)):
            self.agreement.invalidate_recordset(["preview"])
            self.assertIn("would be due at", self.agreement.preview)
            new = self.env["helpdesk.ticket"].new(
                {
                    "team_id": self.team.id,
                    "priority": "3",
                    "partner_id": self.requester.partner_id.id,
                }
            )
            self.assertIn("Urgent solved: due", new.sla_preview)
