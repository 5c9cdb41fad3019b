"""Agreement changes reach the open tickets (B1, B13, A1 states): a change of what an
agreement covers (teams, validity, customer, provider, put in force, cancelled, expired)
re-matches the open requests whose agreement changes, as a change of the request would."""

from ast import literal_eval

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import InternalSlaCase, msk


@tagged("post_install", "-at_install")
class TestSlaAgreementScope(InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.infra = cls.env["helpdesk.ticket.team"].create(
            {"name": "IT Infrastructure", "department_id": cls.it.id}
        )

    GENERAL = {
        "name": "IT for everyone",
        "customer_scope": "all",
        "customer_department_id": False,
        "target_ids": [
            Command.create(
                {
                    "name": "Solved within 4 hours",
                    "metric": "resolution",
                    "duration_type": "hours",
                    "duration": 4,
                }
            )
        ],
    }

    def general_agreement(self, activate=True, **values):
        """IT for all departments: one resolution target of 4 working hours."""
        return self.create_agreement(activate=activate, **dict(self.GENERAL, **values))

    def create_ticket(self, when, priority="1", user=None, **values):
        """As the fixture's, with ``create_date`` at ``when`` (the transaction's time
        otherwise): a request without agreement is measured from it once covered."""
        ticket = super().create_ticket(when, priority, user, **values)
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", [when, ticket.id]
        )
        ticket.invalidate_recordset(["create_date"])
        return ticket

    def line(self, ticket, metric="resolution"):
        """The ticket's live line of ``metric`` (stopped ones left aside)."""
        lines = super().line(ticket, metric)
        return lines.filtered(lambda line: line.state != "cancelled")

    def events(self, ticket, kind):
        ticket.invalidate_recordset(["sla_timeline_ids"])
        return ticket.sla_timeline_ids.filtered(lambda event: event.event_type == kind)

    def notes(self, ticket, text):
        return ticket.message_ids.filtered(lambda message: text in (message.body or ""))

    def sweep(self, when):
        with freeze_time(when):
            self.env["internal.sla.line"]._cron_sweep()

    def assert_detached(self, ticket, rule):
        self.assertFalse(ticket.sla_agreement_id)
        self.assertFalse(ticket.sla_version_id)
        self.assertEqual(set(ticket.sla_line_ids.mapped("state")), {"cancelled"})
        self.assertFalse(ticket.sla_state)
        self.assertFalse(ticket.sla_deadline)
        self.assertEqual(set(self.events(ticket, "cancel").mapped("rule")), {rule})
        self.assertTrue(self.notes(ticket, "no agreement applies any more"))
        self.assertTrue(self.notes(ticket, rule))

    # -- a change of scope -----------------------------------------------------------------

    def test_team_taken_off_the_agreement_stops_its_clocks(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 10, 30), self.agreement, team_ids=[Command.set(self.infra.ids)])
        self.assert_detached(ticket, "Agreement IT ↔ Marketing changed: Helpdesk teams")
        # the half hour used is kept on the stopped lines
        self.assertEqual(set(ticket.sla_line_ids.mapped("consumed_seconds")), {1800})
        # hours later: nothing turns at risk or breached, nothing is counted
        self.sweep(msk(2026, 3, 3, 12, 0))
        self.assertEqual(set(ticket.sla_line_ids.mapped("state")), {"cancelled"})
        self.assertFalse(ticket.sla_state)
        self.at(msk(2026, 3, 3, 12, 0), ticket, stage_id=self.stage_done.id)
        self.assertEqual(set(ticket.sla_line_ids.mapped("state")), {"cancelled"})
        self.assertEqual(self.agreement.sla_met_percent, -1)

    def test_team_given_back_restarts_the_clocks_from_the_ticket_start(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 10, 15), self.agreement, team_ids=[Command.set(self.infra.ids)])
        self.at(
            msk(2026, 3, 2, 10, 30),
            self.agreement,
            team_ids=[Command.set((self.infra | self.team).ids)],
        )
        self.assertEqual(ticket.sla_agreement_id, self.agreement)
        response = ticket.sla_line_ids.filtered(
            lambda line: line.metric == "first_response" and line.state != "cancelled"
        )
        # measured from the ticket's start: half of the hour used, due at 11:00
        self.assertEqual(response.consumed_at_base, 1800)
        self.assertEqual(response.deadline, msk(2026, 3, 2, 11, 0))
        self.assertEqual(ticket.sla_deadline, msk(2026, 3, 2, 11, 0))
        self.assertEqual(ticket.sla_state, "running")
        rule = "Agreement IT ↔ Marketing changed: Helpdesk teams"
        self.assertEqual(self.events(ticket, "rematch").mapped("rule"), [rule, rule])
        self.assertEqual(len(self.notes(ticket, rule)), 2)

    def test_a_wait_ends_with_the_agreement_and_starts_again_with_it(self):
        waiting = self.create_ticket(msk(2026, 3, 2, 10, 0))
        resumed = self.create_ticket(msk(2026, 3, 2, 10, 0))
        for ticket in waiting | resumed:
            self.at(msk(2026, 3, 2, 10, 15), ticket, stage_id=self.stage_waiting.id)
        self.at(msk(2026, 3, 2, 10, 30), self.agreement, team_ids=[Command.set(self.infra.ids)])
        self.assertFalse((waiting | resumed).sla_pause_ids.filtered(lambda p: not p.date_end))
        # back to work while under no agreement: nothing records it
        self.at(msk(2026, 3, 2, 11, 0), resumed, stage_id=self.stage_progress.id)
        self.at(msk(2026, 3, 2, 12, 0), self.agreement, team_ids=False)
        # the recorded wait (10:15-10:30) is not counted; under no agreement nothing was
        # waited for: 15 min + 10:30-12:00 used. Still waiting: paused again; back at
        # work: running
        for ticket in waiting | resumed:
            self.assertEqual(self.line(ticket).consumed_at_base, 900 + 5400)
        self.assertEqual(self.line(waiting).state, "paused")
        self.assertEqual(self.line(resumed).state, "running")

    def test_validity_ended_before_the_ticket_started(self):
        before = self.create_ticket(msk(2026, 3, 2, 10, 0))
        ticket = self.create_ticket(msk(2026, 3, 3, 10, 0))
        self.at(msk(2026, 3, 3, 11, 0), self.agreement, date_end="2026-03-02")
        self.assert_detached(ticket, "Agreement IT ↔ Marketing changed: Valid until")
        # a request of the last valid day keeps its clocks
        self.assertEqual(before.sla_agreement_id, self.agreement)
        self.assertEqual(self.line(before).state, "running")
        self.assertFalse(self.events(before, "cancel"))

    def test_customer_scope_widened_takes_other_departments_requests(self):
        marketing = self.create_ticket(msk(2026, 3, 2, 10, 0))
        hr = self.create_ticket(msk(2026, 3, 2, 10, 0), partner_id=self.outsider.partner_id.id)
        self.assertFalse(hr.sla_agreement_id)
        events_before = marketing.sla_event_ids
        self.at(
            msk(2026, 3, 2, 10, 30),
            self.agreement,
            customer_scope="all",
            customer_department_id=False,
        )
        # the request it covered already is left alone
        self.assertEqual(marketing.sla_event_ids, events_before)
        # HR's gets clocks measured from its creation: half an hour used
        self.assertEqual(hr.sla_agreement_id, self.agreement)
        self.assertEqual(self.line(hr).deadline, msk(2026, 3, 2, 18, 0))
        self.assertEqual(self.line(hr, "first_response").deadline, msk(2026, 3, 2, 11, 0))
        self.assertEqual(self.line(hr, "first_response").consumed_seconds, 1800)
        self.assertEqual(self.line(hr, "first_response").state, "running")
        rule = "Agreement IT ↔ Marketing changed: Customer scope, Customer"
        self.assertEqual(set(self.events(hr, "start").mapped("rule")), {rule})
        self.assertTrue(self.notes(hr, rule))

    def test_customer_department_changed_moves_the_clocks(self):
        marketing = self.create_ticket(msk(2026, 3, 2, 10, 0))
        hr = self.create_ticket(msk(2026, 3, 2, 10, 0), partner_id=self.outsider.partner_id.id)
        self.at(msk(2026, 3, 2, 11, 0), self.agreement, customer_department_id=self.hr.id)
        rule = "Agreement IT ↔ Marketing changed: Customer"
        self.assert_detached(marketing, rule)
        self.assertEqual(hr.sla_agreement_id, self.agreement)

    def test_provider_department_changed(self):
        facilities = self.env["hr.department"].create({"name": "Facilities"})
        desk = self.env["helpdesk.ticket.team"].create(
            {"name": "Facilities desk", "department_id": facilities.id}
        )
        it_ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        desk_ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), team_id=desk.id)
        self.at(msk(2026, 3, 2, 10, 30), self.agreement, provider_department_id=facilities.id)
        rule = "Agreement IT ↔ Marketing changed: Provider"
        self.assert_detached(it_ticket, rule)
        self.assertEqual(desk_ticket.sla_agreement_id, self.agreement)
        self.assertEqual(self.line(desk_ticket, "first_response").deadline, msk(2026, 3, 2, 11))

    # -- states: put in force, cancelled, expired -------------------------------------------

    def test_cancel_stops_the_clocks_and_keeps_them_out_of_the_kpis(self):
        met = self.create_ticket(msk(2026, 3, 2, 9, 0))
        self.at(msk(2026, 3, 2, 9, 30), met, stage_id=self.stage_done.id)
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        # at risk at 10:45, escalated to level 1 at 75 % of the first response
        self.sweep(msk(2026, 3, 2, 10, 50))
        self.assertEqual(self.line(ticket, "first_response").state, "at_risk")
        self.assertTrue(ticket.activity_ids)
        with freeze_time(msk(2026, 3, 2, 10, 55)):
            self.agreement.action_cancel()
        self.assert_detached(ticket, "Agreement IT ↔ Marketing cancelled")
        self.assertFalse(ticket.activity_ids, "the escalation activity is done")
        self.sweep(msk(2026, 3, 3, 12, 0))
        self.assertEqual(set(ticket.sla_line_ids.mapped("state")), {"cancelled"})
        self.assertFalse(ticket.sla_line_ids.filtered("escalation_next_date"))
        # the closed request keeps its met targets; the stopped ones count nowhere
        self.assertEqual(set(met.sla_line_ids.mapped("state")), {"met"})
        self.assertEqual(self.agreement.sla_met_percent, 100)
        # the month the requests were filed in (not the default twelve months up to today,
        # which leave March 2026 behind from March 2027 on)
        kpis = self.agreement.get_kpis("2026-03-01", "2026-04-01")[0]["kpis"]
        self.assertEqual(kpis["volume"], 1, "the request left the cancelled agreement")
        self.assertEqual(kpis["sla_met_percent"], 100)
        analysis = self.env["internal.sla.report"].search([("ticket_id", "=", ticket.id)])
        self.assertFalse(sum(analysis.mapped("breached_count")))

    def test_cancel_does_not_erase_a_breach(self):
        """A target already overdue when the agreement is cancelled stops breached and
        stays in the figures: a scope change is no way to clean up breaches."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.sweep(msk(2026, 3, 2, 11, 30))
        self.assertEqual(self.line(ticket, "first_response").state, "breached")
        with freeze_time(msk(2026, 3, 2, 12, 0)):
            self.agreement.action_cancel()
        first_response = self.line(ticket, "first_response")
        self.assertEqual(first_response.state, "breached")
        self.assertEqual(first_response.reached_date, msk(2026, 3, 2, 12, 0))
        self.assertEqual(first_response.overrun_seconds, 3600)
        # the stop of both clocks is on the timeline with the cancellation as its rule
        self.assertEqual(len(self.events(ticket, "cancel")), 2)
        self.assertEqual(
            set(self.events(ticket, "cancel").mapped("rule")),
            {"Agreement IT ↔ Marketing cancelled"},
        )
        # the resolution target, still ahead, is stopped without a verdict
        resolution = ticket.sla_line_ids.filtered(lambda line: line.metric == "resolution")
        self.assertEqual(resolution.state, "cancelled")
        # the escalation activities are done; the breach it keeps asks why (H5)
        self.assertEqual(
            ticket.activity_ids.activity_type_id,
            self.env.ref("internal_sla.mail_activity_type_breach_reason"),
        )
        self.assertEqual(ticket.activity_ids.summary, "Explain the breach: First response")
        self.assertEqual(self.agreement.sla_met_percent, 0)

    def test_cancel_rematches_to_the_general_agreement(self):
        general = self.general_agreement()
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.assertEqual(ticket.sla_agreement_id, self.agreement)
        with freeze_time(msk(2026, 3, 2, 11, 0)):
            self.agreement.action_cancel()
        self.assertEqual(ticket.sla_agreement_id, general)
        self.assertEqual(ticket.sla_version_id, general.version_ids)
        line = self.line(ticket)
        self.assertEqual(line.name, "Solved within 4 hours")
        # 1 h used; 3 h left from 11:00: 11-13 and 14-15
        self.assertEqual(line.consumed_at_base, 3600)
        self.assertEqual(line.deadline, msk(2026, 3, 2, 15, 0))
        self.assertEqual(ticket.sla_line_ids, line, "the general agreement has no response")
        rule = "Agreement IT ↔ Marketing cancelled"
        self.assertIn(rule, self.events(ticket, "rematch").mapped("rule"))
        self.assertTrue(self.notes(ticket, rule))

    def test_putting_in_force_takes_the_requests_it_covers_best(self):
        self.agreement.action_cancel()
        general = self.general_agreement()
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.assertEqual(ticket.sla_agreement_id, general)
        specific = self.create_agreement(activate=False, name="IT ↔ Marketing 2026")
        with freeze_time(msk(2026, 3, 2, 10, 30)):
            specific.action_activate()
        self.assertEqual(ticket.sla_agreement_id, specific)
        self.assertEqual(self.line(ticket).name, "Solved by end of day")
        self.assertEqual(self.line(ticket).consumed_at_base, 1800)
        self.assertEqual(self.line(ticket, "first_response").deadline, msk(2026, 3, 2, 11, 0))
        rule = "Agreement IT ↔ Marketing 2026 put in force"
        self.assertIn(rule, self.events(ticket, "rematch").mapped("rule"))

    def test_created_in_force_is_put_in_force(self):
        """An agreement created active (an import, the API) gets its first version, its
        review date and reminder, and takes the open requests it covers, archived ones
        included; one created as a draft takes none."""
        self.agreement.action_cancel()
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        archived = self.create_ticket(msk(2026, 3, 2, 10, 0))
        archived.active = False
        self.assertFalse(ticket.sla_agreement_id)
        vals = dict(
            self.GENERAL,
            provider_department_id=self.it.id,
            resource_calendar_id=self.calendar.id,
            date_start="2026-01-01",
            provider_owner_id=self.it_head.id,
        )
        Agreement = self.env["internal.sla.agreement"]
        with freeze_time(msk(2026, 3, 2, 10, 30)):
            draft = Agreement.create(dict(vals, name="Draft terms"))
            self.assertFalse(ticket.sla_agreement_id)
            self.assertFalse(draft.version_ids)
            general = Agreement.create(dict(vals, state="active"))
        self.assertEqual(general.version_ids.mapped("number"), [1])
        self.assertEqual(general.version_ids.target_ids.mapped("duration"), [4])
        self.assertTrue(general.next_review_date)
        self.assertEqual(
            general.activity_ids.mapped("user_id"), self.it_head, "review reminder"
        )
        for request in ticket | archived:
            self.assertEqual(request.sla_agreement_id, general)
            self.assertEqual(request.sla_version_id, general.version_ids)
            # measured from the request's start: 10-13 and 14-15 of the same day
            self.assertEqual(self.line(request).deadline, msk(2026, 3, 2, 15, 0))
        rule = "Agreement IT for everyone put in force"
        self.assertIn(rule, self.events(ticket, "start").mapped("rule"))
        # cancelled, it lets both go again, the archived one too
        with freeze_time(msk(2026, 3, 2, 11, 0)):
            general.action_cancel()
        for request in ticket | archived:
            self.assertFalse(request.sla_agreement_id)
        # in force without targets: refused, nothing saved
        with self.assertRaises(UserError) as refused:
            Agreement.create(dict(vals, name="No terms", state="active", target_ids=[]))
        self.assertIn("has no targets", str(refused.exception))
        self.assertFalse(Agreement.search([("name", "=", "No terms")]))

    def test_expiry_by_the_cron_hands_over_to_the_successor(self):
        self.agreement.date_end = "2026-03-02"
        successor = self.create_agreement(
            name="IT ↔ Marketing, new terms",
            date_start="2026-03-03",
            target_ids=[
                Command.create(
                    {
                        "name": "Solved within a day",
                        "metric": "resolution",
                        "duration_type": "hours",
                        "duration": 8,
                    }
                )
            ],
        )
        # urgent: 2 h, due 10:00 the next morning, not overdue at the handover
        ticket = self.create_ticket(msk(2026, 3, 2, 17, 0), priority="3")
        # by the end of the day: overdue at the handover
        late = self.create_ticket(msk(2026, 3, 2, 17, 0))
        self.assertEqual(ticket.sla_agreement_id, self.agreement)
        with freeze_time(msk(2026, 3, 3, 9, 30)):
            self.env["internal.sla.agreement"]._cron_lifecycle()
        self.assertEqual(self.agreement.state, "expired")
        self.assertEqual(ticket.sla_agreement_id, successor)
        line = self.line(ticket)
        self.assertEqual(line.name, "Solved within a day")
        # a breach under the expired terms stands (H8): no new clock replaces it
        self.assertEqual(
            (self.line(late).name, self.line(late).state), ("Solved by end of day", "breached")
        )
        # 17-18 and 09-09:30 used: 1.5 h; 6.5 h left: 09:30-13, 14-17
        self.assertEqual(line.consumed_at_base, 5400)
        self.assertEqual(line.deadline, msk(2026, 3, 3, 17, 0))
        rule = "Agreement IT ↔ Marketing expired"
        self.assertIn(rule, self.events(ticket, "rematch").mapped("rule"))

    def test_expiry_without_successor_stops_the_clocks(self):
        self.agreement.date_end = "2026-03-02"
        # first response due 9:45 the next morning; resolved by the end of the last day
        ticket = self.create_ticket(msk(2026, 3, 2, 17, 45))
        with freeze_time(msk(2026, 3, 3, 9, 30)):
            self.env["internal.sla.agreement"]._cron_lifecycle()
        states = {line.metric: line.state for line in ticket.sla_line_ids}
        # the resolution target, missed while the agreement was in force, stays missed
        self.assertEqual(states, {"first_response": "cancelled", "resolution": "breached"})
        self.assertFalse(ticket.sla_agreement_id)
        self.assertTrue(self.notes(ticket, "no agreement applies any more"))
        self.sweep(msk(2026, 3, 4, 12, 0))
        self.assertEqual(
            {line.metric: line.state for line in ticket.sla_line_ids}, states, "nothing moves"
        )

    # -- idempotency, cost -------------------------------------------------------------------

    def test_writing_the_same_scope_again_rematches_nothing(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 10, 30), self.agreement, team_ids=[Command.set(self.team.ids)])
        # the team was covered already (all teams of IT): nothing changes hands
        self.assertFalse(self.events(ticket, "rematch") | self.events(ticket, "cancel"))
        self.at(msk(2026, 3, 2, 10, 30), self.agreement, team_ids=[Command.set(self.infra.ids)])
        events, messages = ticket.sla_event_ids, ticket.message_ids
        self.at(msk(2026, 3, 2, 10, 40), self.agreement, team_ids=[Command.set(self.infra.ids)])
        self.at(
            msk(2026, 3, 2, 10, 40), self.agreement, date_start="2026-01-01", state="active"
        )
        self.assertEqual(ticket.sla_event_ids, events)
        self.assertEqual(ticket.message_ids, messages)
        # under review the agreement is still in force: its requests keep their clocks
        self.agreement.team_ids = False
        events = ticket.sla_event_ids
        self.agreement.action_review()
        self.assertEqual(ticket.sla_event_ids, events)

    def test_finding_the_affected_requests_costs_the_same_for_more_of_them(self):
        def queries_of_a_change(day):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.at(msk(2026, 3, 2, 12, 0), self.agreement, date_end=day)
            return self.env.cr.sql_log_count - before

        for _n in range(2):
            self.create_ticket(msk(2026, 3, 2, 10, 0))
        few = queries_of_a_change("2026-12-30")
        for _n in range(10):
            self.create_ticket(msk(2026, 3, 2, 10, 0))
        many = queries_of_a_change("2026-12-29")
        self.assertEqual(many, few)

    def test_stopping_the_clocks_costs_the_same_for_more_requests(self):
        def queries_of_a_cancel(agreement):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            with freeze_time(msk(2026, 3, 2, 12, 0)):
                agreement.action_cancel()
                self.env.flush_all()
            return self.env.cr.sql_log_count - before

        tickets = self.env["helpdesk.ticket"]
        for _n in range(2):
            tickets |= self.create_ticket(msk(2026, 3, 2, 10, 0))
        few = queries_of_a_cancel(self.agreement)
        successor = self.create_agreement(name="IT ↔ Marketing, new terms")
        with freeze_time(msk(2026, 3, 2, 11, 0)):
            successor._sla_scope_changed({successor.id: None})
        for _n in range(10):
            tickets |= self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.assertEqual(tickets.sla_agreement_id, successor)
        many = queries_of_a_cancel(successor)
        self.assertFalse(tickets.sla_agreement_id)
        self.assertEqual(len(self.notes(tickets, "no agreement applies any more")), 2 + 12)
        # the same statements for 12 requests as for 2: the ORM may only split a flush in
        # one UPDATE per set of changed columns
        self.assertLessEqual(many, few + 2)

    # -- the "Due today" filter --------------------------------------------------------------

    def test_due_today_is_the_users_day(self):
        """Local midnight in the user's time zone, not UTC's: at 01:30 in Moscow (22:30
        UTC the day before) a request due at 17:00 Moscow is due today, one due tomorrow
        morning is not."""
        arch = self.env["helpdesk.ticket"].get_views([(False, "search")])["views"]["search"][
            "arch"
        ]
        domain = literal_eval(
            etree.fromstring(arch).xpath("//filter[@name='sla_due_today']")[0].get("domain")
        )
        today = self.create_ticket(msk(2026, 3, 2, 10, 0))
        tomorrow = self.create_ticket(msk(2026, 3, 2, 10, 0))
        overdue = self.create_ticket(msk(2026, 3, 2, 10, 0))
        for ticket, deadline in (
            (today, msk(2026, 3, 3, 17, 0)),
            (tomorrow, msk(2026, 3, 4, 10, 0)),
            (overdue, msk(2026, 3, 2, 18, 0)),
        ):
            ticket.write({"sla_deadline": deadline, "sla_state": "running"})
        tickets = today | tomorrow | overdue
        Ticket = self.env["helpdesk.ticket"].with_context(tz="Europe/Moscow")
        with freeze_time(msk(2026, 3, 3, 1, 30)):
            due = Ticket.search([*domain, ("id", "in", tickets.ids)])
        self.assertEqual(due, today | overdue)
        # in UTC, still the 2nd: only the overdue one
        with freeze_time(msk(2026, 3, 3, 1, 30)):
            due = Ticket.with_context(tz="UTC").search([*domain, ("id", "in", tickets.ids)])
        self.assertEqual(due, overdue)
