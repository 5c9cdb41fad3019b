"""G2: a request's SLA lines, clock events and timeline are read by exactly those who read
the request (helpdesk_mgmt's rules on ``helpdesk.ticket``), and written by nobody directly."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import InternalSlaCase, msk, new_test_users

TICKET_RECORDS = ("internal.sla.line", "internal.sla.event", "internal.sla.timeline")


@tagged("post_install", "-at_install")
class TestTicketRecordsFollowTheTicket(InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr_agreement = cls.create_agreement(
            name="HR for IT", provider_department_id=cls.hr.id, customer_department_id=cls.it.id
        )
        (
            cls.plain_requester,
            cls.hr_agent,
            cls.helpdesk_manager,
            cls.sla_head,
        ) = new_test_users(
            cls.env,
            ("plain_req", "Petr Plain Requester", "base.group_user"),
            (
                "hr_agent",
                "Hanna HR Agent",
                "internal_sla.internal_sla_group_user,helpdesk_mgmt.group_helpdesk_user_team",
            ),
            ("hd_manager", "Helga Helpdesk Manager", "helpdesk_mgmt.group_helpdesk_manager"),
            (
                "sla_head",
                "Sergei Sales And Marketing",
                "internal_sla.internal_sla_group_manager",
            ),
        )
        Employee = cls.env["hr.employee"]
        Employee.create(
            [
                {
                    "name": "Petr",
                    "user_id": cls.plain_requester.id,
                    "department_id": cls.marketing.id,
                },
                {"name": "Hanna", "user_id": cls.hr_agent.id, "department_id": cls.hr.id},
            ]
        )
        # heads the division above Marketing: a manager of Marketing's agreements and reports
        cls.env["hr.department"].create(
            {
                "name": "Sales and Marketing",
                "manager_id": Employee.create(
                    {"name": "Sergei", "user_id": cls.sla_head.id}
                ).id,
                "child_ids": [Command.link(cls.marketing.id)],
            }
        )
        cls.hr_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "HR desk",
                "department_id": cls.hr.id,
                "user_ids": [Command.set(cls.hr_agent.ids)],
            }
        )
        # a Marketing employee's request to IT, an IT agent's request to HR
        cls.it_ticket = cls.create_ticket(
            cls, msk(2026, 3, 2, 10, 0), partner_id=cls.plain_requester.partner_id.id
        )
        cls.hr_ticket = cls.create_ticket(
            cls,
            msk(2026, 3, 2, 10, 0),
            name="Vacation balance is wrong",
            team_id=cls.hr_team.id,
            partner_id=cls.agent.partner_id.id,
        )
        # a wait for the requester on each: logged clock events (pause, resume) besides
        # the starts, at-risk and breach moments the timeline reads off the lines
        for ticket in cls.it_ticket | cls.hr_ticket:
            cls.at(cls, msk(2026, 3, 2, 10, 15), ticket, stage_id=cls.stage_waiting.id)
            cls.at(cls, msk(2026, 3, 2, 10, 30), ticket, stage_id=cls.stage_progress.id)
        cls.env.flush_all()

    def records(self, model, tickets):
        return self.env[model].search([("ticket_id", "in", tickets.ids)])

    def assert_reads_exactly(self, user, readable):
        tickets = self.it_ticket | self.hr_ticket
        for model in TICKET_RECORDS:
            for ticket in tickets:
                records = self.records(model, ticket)
                with self.subTest(user=user.login, model=model, ticket=ticket.name):
                    self.assertTrue(records)  # each request has lines, events, timeline
                    as_user = self.env[model].with_user(user)
                    found = as_user.search([("ticket_id", "in", tickets.ids)])
                    if ticket in readable:
                        self.assertEqual(found & records, records)
                        as_user.browse(records.ids).read(["ticket_id"])
                    else:
                        self.assertFalse(found & records)
                        with self.assertRaises(AccessError):
                            as_user.browse(records.ids).read(["ticket_id"])
        # the request itself is readable by the same people
        self.assertEqual(
            self.env["helpdesk.ticket"].with_user(user).search([("id", "in", tickets.ids)]),
            readable,
        )

    def test_plain_requester_reads_own_request_only(self):
        self.assert_reads_exactly(self.plain_requester, self.it_ticket)
        self.assertEqual(
            len(self.it_ticket.with_user(self.plain_requester).sla_line_ids),
            len(self.it_ticket.sla_line_ids),
        )

    def test_agent_of_another_team_reads_own_team_requests_only(self):
        self.assert_reads_exactly(self.hr_agent, self.hr_ticket)

    def test_helpdesk_manager_reads_every_request(self):
        self.assert_reads_exactly(self.helpdesk_manager, self.it_ticket | self.hr_ticket)

    def test_sla_manager_reads_the_lines_of_the_agreements_they_manage(self):
        """A head of Marketing's division reads the SLA analysis of Marketing's requests
        (its own rule, unchanged) and the SLA lines of the agreements he manages, to review
        their breaches and exceptions, without working the requests; their events and
        timeline only once he may read the request itself, here as a follower. HR's
        agreement with IT is none of his."""
        lines = self.it_ticket.sla_line_ids
        as_head = self.env["internal.sla.line"].with_user(self.sla_head)
        self.assertEqual(as_head.search([("ticket_id", "in", self.it_ticket.ids)]), lines)
        self.assertFalse(as_head.search([("ticket_id", "in", self.hr_ticket.ids)]))
        with self.assertRaises(AccessError):
            as_head.browse(self.hr_ticket.sla_line_ids.ids).read(["state"])
        for model in ("internal.sla.event", "internal.sla.timeline"):
            self.assertFalse(
                self.env[model]
                .with_user(self.sla_head)
                .search([("ticket_id", "in", self.it_ticket.ids)])
            )
        self.assertFalse(
            self.env["helpdesk.ticket"]
            .with_user(self.sla_head)
            .search([("id", "=", self.it_ticket.id)])
        )
        # he decides an exception asked on one of them
        line = lines[:1]
        line.exception_state = "requested"
        as_head.browse(line.ids).action_accept_exception()
        self.assertEqual(line.exception_state, "accepted")
        # managing an agreement is not writing its lines
        with self.assertRaises(AccessError):
            as_head.browse(line.ids).write({"state": "met"})
        report = self.env["internal.sla.report"].with_user(self.sla_head)
        self.assertEqual(
            report.search_count([("ticket_id", "=", self.it_ticket.id)]),
            len(self.it_ticket.sla_line_ids),
        )
        # a row opened from the analysis is named after its request
        for model in ("internal.sla.report", "internal.sla.ticket.report"):
            rows = (
                self.env[model]
                .with_user(self.sla_head)
                .search([("ticket_id", "=", self.it_ticket.id)])
            )
            self.assertTrue(rows, model)
            self.assertEqual(set(rows.mapped("display_name")), {self.it_ticket.display_name})
        self.it_ticket.message_subscribe(partner_ids=self.sla_head.partner_id.ids)
        self.assert_reads_exactly(self.sla_head, self.it_ticket)

    def test_other_company_request_records_are_hidden(self):
        """The request's company rule comes along: a helpdesk manager working in the
        current company only does not read the lines of another company's request."""
        other = self.env["res.company"].create({"name": "Other Co"})
        self.helpdesk_manager.company_ids = self.env.company | other
        self.hr_ticket.company_id = other
        as_manager = self.env["internal.sla.line"].with_user(self.helpdesk_manager)
        lines = self.hr_ticket.sla_line_ids
        self.assertFalse(
            as_manager.with_context(allowed_company_ids=self.env.company.ids).search(
                [("id", "in", lines.ids)]
            )
        )
        self.assertEqual(
            as_manager.with_context(allowed_company_ids=(self.env.company | other).ids).search(
                [("id", "in", lines.ids)]
            ),
            lines,
        )
        # the request's records moved with it (their own company column, which the
        # reports filter on, too)
        self.at(msk(2026, 3, 2, 11, 0), self.hr_ticket, stage_id=self.stage_waiting.id)
        self.hr_ticket.company_id = self.env.company
        self.assertTrue(self.records("internal.sla.pause", self.hr_ticket))
        self.hr_ticket.company_id = other
        for model in ("internal.sla.line", "internal.sla.event", "internal.sla.pause"):
            with self.subTest(model=model):
                records = self.records(model, self.hr_ticket)
                self.assertTrue(records)
                self.assertEqual(records.company_id, other)
        self.assertEqual(
            self.records("internal.sla.line", self.it_ticket).company_id, self.env.company
        )

    def test_nobody_writes_lines_or_events_directly(self):
        line = self.it_ticket.sla_line_ids[0]
        event = self.records("internal.sla.event", self.it_ticket)[0]
        for user in (
            self.plain_requester,
            self.hr_agent,
            self.helpdesk_manager,
            self.sla_head,
            self.agent,
            self.it_head,
        ):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    line.with_user(user).write({"breach_reason": "Nobody asked"})
                with self.assertRaises(AccessError):
                    line.with_user(user).unlink()
                with self.assertRaises(AccessError):
                    self.env["internal.sla.line"].with_user(user).create(
                        {"ticket_id": self.it_ticket.id, "name": "Forged"}
                    )
                with self.assertRaises(AccessError):
                    event.with_user(user).write({"rule": "Forged"})
                with self.assertRaises(AccessError):
                    event.with_user(user).unlink()
        self.assertFalse(line.breach_reason)

    def test_agent_moves_the_request_and_its_clock_follows(self):
        """The engine writes the lines and events on behalf of whoever edits the request:
        an agent of the team pauses the clock and reads the pause in the timeline."""
        agent_ticket = self.hr_ticket.with_user(self.hr_agent)
        self.at(msk(2026, 3, 2, 11, 0), agent_ticket, stage_id=self.stage_waiting.id)
        self.assertEqual(set(agent_ticket.sla_line_ids.mapped("state")), {"paused"})
        self.assertIn("pause", agent_ticket.sla_timeline_ids.mapped("event_type"))

    def test_pauses_and_team_ownership_follow_the_request(self):
        """The rows of the Paused and Team ownership analyses: read by those who read the
        request, and by the managers of its agreement (who analyse their teams)."""
        self.at(msk(2026, 3, 2, 11, 0), self.it_ticket, stage_id=self.stage_waiting.id)
        self.at(msk(2026, 3, 2, 11, 0), self.hr_ticket, stage_id=self.stage_waiting.id)
        self.env["internal.sla.ownership"]._cron_refresh()  # the holding teams' stretches
        self.env.flush_all()
        tickets = self.it_ticket | self.hr_ticket
        for model in ("internal.sla.pause", "internal.sla.ownership"):
            rows = self.records(model, tickets)
            self.assertEqual(rows.ticket_id, tickets, model)
            for user, readable in (
                (self.plain_requester, self.it_ticket),
                (self.hr_agent, self.hr_ticket),
                (self.helpdesk_manager, tickets),
                (self.sla_head, self.it_ticket),  # manages IT ↔ Marketing, not HR's
            ):
                with self.subTest(model=model, user=user.login):
                    found = (
                        self.env[model]
                        .with_user(user)
                        .search([("ticket_id", "in", tickets.ids)])
                    )
                    self.assertEqual(found.ticket_id, readable)
                    hidden = rows.filtered(
                        lambda row, readable=readable: row.ticket_id not in readable
                    )
                    if hidden:
                        with self.assertRaises(AccessError):
                            hidden.with_user(user).read(["ticket_id"])
