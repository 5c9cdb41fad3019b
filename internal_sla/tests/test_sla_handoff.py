from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user

from .common import InternalSlaCase, msk

HOUR = 3600


class TestHandoff(InternalSlaCase):
    """Chained handoffs (H7): a Marketing request to IT waits on HR, which waits on
    Finance; each waiting request's clocks pause exactly until its linked request closes.

    Monday 2 March 2026, Moscow office hours 9-13, 14-18."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.finance = cls.env["hr.department"].create({"name": "Finance"})
        cls.hr_agent = cls._agent("hr_agent", "Helen HR", cls.hr)
        cls.fin_agent = cls._agent("fin_agent", "Fedor Finance", cls.finance)
        cls.hr_team = cls._team("HR Desk", cls.hr, cls.hr_agent)
        cls.fin_team = cls._team("Finance Desk", cls.finance, cls.fin_agent)
        cls.hr_for_it = cls._provider_agreement("HR ↔ IT", cls.hr, cls.it)
        cls.fin_for_hr = cls._provider_agreement("Finance ↔ HR", cls.finance, cls.hr)

    @classmethod
    def _agent(cls, login, name, department):
        user = new_test_user(
            cls.env,
            login=login,
            name=name,
            groups="internal_sla.internal_sla_group_user,helpdesk_mgmt.group_helpdesk_user_team",
        )
        cls.env["hr.employee"].create(
            {"name": name, "user_id": user.id, "department_id": department.id}
        )
        return user

    @classmethod
    def _team(cls, name, department, agent):
        return cls.env["helpdesk.ticket.team"].create(
            {
                "name": name,
                "department_id": department.id,
                "user_ids": [Command.set([agent.id])],
            }
        )

    @classmethod
    def _provider_agreement(cls, name, provider, customer):
        return cls.create_agreement(
            name=name,
            provider_department_id=provider.id,
            customer_department_id=customer.id,
            target_ids=[
                Command.create(
                    {
                        "name": "Solved in 8 h",
                        "metric": "resolution",
                        "duration_type": "hours",
                        "duration": 8,
                    }
                )
            ],
        )

    def hand_off(self, ticket, team, when, user):
        with freeze_time(when):
            wizard = (
                self.env["internal.sla.handoff.wizard"]
                .with_user(user)
                .with_context(default_ticket_id=ticket.id)
                .create({"department_id": team.department_id.id})
            )
            self.assertEqual(wizard.team_id, team)
            action = wizard.action_confirm()
        child = ticket.sla_child_ids.sorted("id")[-1:]
        self.assertEqual((action["res_model"], action["res_id"]), ("helpdesk.ticket", child.id))
        return child

    def close(self, ticket, when, user):
        with freeze_time(when):
            ticket.with_user(user).write({"stage_id": self.stage_done.id})

    def test_parent_pauses_until_the_child_closes(self):
        parent = self.create_ticket(msk(2026, 3, 2, 10, 0))
        resolution = self.line(parent)
        self.assertEqual(resolution.deadline, msk(2026, 3, 2, 18, 0))  # end of the day
        child = self.hand_off(parent, self.hr_team, msk(2026, 3, 2, 11, 0), self.agent)
        self.assertEqual(child.sla_parent_id, parent)
        self.assertEqual(child.sla_agreement_id, self.hr_for_it)
        self.assertEqual(child.requester_department_id, self.it)
        self.assertEqual(child.partner_id, self.agent.partner_id)
        # 8 working hours from Monday 11:00: 11-13, 14-18, Tuesday 9-11
        self.assertEqual(self.line(child).deadline, msk(2026, 3, 3, 11, 0))
        self.assertEqual(resolution.state, "paused")
        pause = parent.sla_pause_ids
        self.assertEqual(pause.cause, "Waiting on HR")
        self.assertEqual(pause.handoff_ticket_id, child)
        self.assertEqual(pause.date_start, msk(2026, 3, 2, 11, 0))
        self.assertFalse(pause.date_end)

        # a sweep while the child is open does not breach or escalate the waiting parent
        with freeze_time(msk(2026, 3, 2, 17, 0)):
            self.env["internal.sla.line"]._cron_sweep()
        self.assertEqual(resolution.state, "paused")

        self.close(child, msk(2026, 3, 2, 15, 0), self.hr_agent)
        self.assertEqual(pause.date_end, msk(2026, 3, 2, 15, 0))
        self.assertEqual(pause.working_seconds, 3 * HOUR)  # 11-13, 14-15
        self.assertEqual(resolution.state, "running")
        # 7 h allowed, 1 h used before the wait: 15-18 and Tuesday 9-12
        self.assertEqual(resolution.deadline, msk(2026, 3, 3, 12, 0))
        back = parent.sla_event_ids.filtered(lambda e: e.rule.startswith("Back from HR"))
        # both clocks (first response, resolution) resume at the child's closing
        self.assertEqual(set(back.mapped("date")), {msk(2026, 3, 2, 15, 0)})
        self.assertEqual(set(back.mapped("event_type")), {"resume"})
        self.assertEqual(len(back), 2)

        self.close(parent, msk(2026, 3, 3, 10, 0), self.agent)
        self.assertEqual(resolution.state, "met")
        # the chain: 8 working hours end to end, 3 of them in HR
        self.assertEqual(parent.sla_chain_root_id, parent)
        self.assertEqual(child.sla_chain_root_id, parent)
        self.assertEqual(parent.sla_chain_length, 2)
        self.assertEqual(parent.sla_chain_hours, 8.0)
        self.assertEqual((parent.sla_chain_own_hours, parent.sla_chain_share), (5.0, 62.5))
        self.assertEqual((child.sla_chain_own_hours, child.sla_chain_share), (3.0, 37.5))
        # KPI service: one request of the two waited on another department
        kpis = self.env["internal.sla.kpi"]._kpis(
            [("id", "in", (parent | child).ids)], date(2020, 1, 1), date(2030, 1, 1)
        )
        self.assertEqual(kpis["handoff_percent"], 50.0)

    def test_two_departments_waited_on_at_once(self):
        """The request waits until both linked requests are closed, whichever closes
        first, and its clocks resume once."""
        self._provider_agreement("Finance ↔ IT", self.finance, self.it)
        parent = self.create_ticket(msk(2026, 3, 2, 10, 0))
        resolution = self.line(parent)
        hr_child = self.hand_off(parent, self.hr_team, msk(2026, 3, 2, 11, 0), self.agent)
        fin_child = self.hand_off(parent, self.fin_team, msk(2026, 3, 2, 11, 30), self.agent)
        self.close(fin_child, msk(2026, 3, 2, 12, 0), self.fin_agent)
        self.assertEqual(resolution.state, "paused", "HR's request is still open")
        open_wait = parent.sla_pause_ids.filtered(lambda p: not p.date_end)
        self.assertEqual(open_wait.handoff_ticket_id, hr_child)
        self.assertEqual(open_wait.cause, "Waiting on HR")
        self.close(hr_child, msk(2026, 3, 2, 15, 0), self.hr_agent)
        self.assertEqual(resolution.state, "running")
        self.assertFalse(parent.sla_pause_ids.filtered(lambda p: not p.date_end))
        # paused 11:00-15:00 without a gap: 3 working hours (lunch 13-14)
        self.assertEqual(sum(parent.sla_pause_ids.mapped("working_seconds")), 3 * HOUR)
        self.assertEqual(resolution.deadline, msk(2026, 3, 3, 12, 0))

    def test_the_business_impact_travels_with_the_linked_request(self):
        """An agreement requiring the business impact (A3) gets it from the waiting
        request; without one there, the agent is told where to fill it in."""
        self.hr_for_it.required_field_ids = self.env.ref(
            "internal_sla.field_helpdesk_ticket__business_impact"
        )
        bare = self.create_ticket(msk(2026, 3, 2, 10, 0))
        with self.assertRaises(UserError) as refused:
            self.hand_off(bare, self.hr_team, msk(2026, 3, 2, 11, 0), self.agent)
        self.assertIn("Business Impact", str(refused.exception))
        self.assertIn("fill it in there", str(refused.exception))
        self.assertFalse(bare.sla_child_ids)
        self.assertFalse(bare.sla_pause_ids)
        parent = self.create_ticket(msk(2026, 3, 2, 10, 0), business_impact="Launch on Friday")
        child = self.hand_off(parent, self.hr_team, msk(2026, 3, 2, 11, 0), self.agent)
        self.assertEqual(child.business_impact, "Launch on Friday")
        self.assertEqual(child.sla_agreement_id, self.hr_for_it)

    def test_nested_chain(self):
        parent = self.create_ticket(msk(2026, 3, 2, 10, 0))
        child = self.hand_off(parent, self.hr_team, msk(2026, 3, 2, 11, 0), self.agent)
        grandchild = self.hand_off(child, self.fin_team, msk(2026, 3, 2, 12, 0), self.hr_agent)
        self.assertEqual(grandchild.sla_agreement_id, self.fin_for_hr)
        self.assertEqual(grandchild.sla_parent_id, child)
        self.assertEqual(grandchild.sla_chain_root_id, parent)
        self.assertEqual(self.line(child).state, "paused")

        self.close(grandchild, msk(2026, 3, 2, 14, 30), self.fin_agent)
        self.assertEqual(self.line(child).state, "running")
        self.assertEqual(self.line(parent).state, "paused", "still waiting on HR")
        self.assertEqual(child.sla_pause_ids.date_end, msk(2026, 3, 2, 14, 30))
        # HR used 11-12 and 14:30 onward: 1 h + 3.5 h left of its 8 h by 18:00
        self.assertEqual(self.line(child).consumed_seconds, HOUR)

        self.close(child, msk(2026, 3, 2, 15, 0), self.hr_agent)
        self.assertEqual(parent.sla_pause_ids.date_end, msk(2026, 3, 2, 15, 0))
        self.assertEqual(self.line(parent).state, "running")
        self.close(parent, msk(2026, 3, 3, 10, 0), self.agent)
        self.assertEqual(parent.sla_chain_length, 3)
        self.assertEqual(parent.sla_chain_hours, 8.0)
        self.assertEqual(parent.sla_chain_own_hours, 5.0)
        # HR: 11-12 and 14:30-15:00; Finance: 12-13 and 14:00-14:30
        self.assertEqual(child.sla_chain_own_hours, 1.5)
        self.assertEqual(grandchild.sla_chain_own_hours, 1.5)
        self.assertAlmostEqual(
            sum((parent | child | grandchild).mapped("sla_chain_share")), 100.0
        )

    def test_a_stage_pause_gives_way_and_comes_back(self):
        parent = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 10, 30), parent, stage_id=self.stage_waiting.id)
        child = self.hand_off(parent, self.hr_team, msk(2026, 3, 2, 11, 0), self.agent)
        stage_pause, handoff = parent.sla_pause_ids.sorted("date_start")
        self.assertEqual(stage_pause.date_end, msk(2026, 3, 2, 11, 0))
        self.assertEqual(handoff.handoff_ticket_id, child)
        # leaving the waiting stage does not end the wait on HR
        self.at(msk(2026, 3, 2, 12, 0), parent, stage_id=self.stage_progress.id)
        self.assertFalse(handoff.date_end)
        self.assertEqual(self.line(parent).state, "paused")
        # back in the waiting stage, no second clock stop while HR works
        self.at(msk(2026, 3, 2, 12, 30), parent, stage_id=self.stage_waiting.id)
        self.assertEqual(len(parent.sla_pause_ids), 2)
        # HR is done while the request still waits on its requester: a stage pause again
        self.close(child, msk(2026, 3, 2, 15, 0), self.hr_agent)
        self.assertEqual(handoff.date_end, msk(2026, 3, 2, 15, 0))
        open_pause = parent.sla_pause_ids.filtered(lambda p: not p.date_end)
        self.assertEqual(open_pause.date_start, msk(2026, 3, 2, 15, 0))
        self.assertFalse(open_pause.handoff_ticket_id)
        self.assertEqual(self.line(parent).state, "paused")

    def test_closing_the_parent_ends_its_wait(self):
        parent = self.create_ticket(msk(2026, 3, 2, 10, 0))
        child = self.hand_off(parent, self.hr_team, msk(2026, 3, 2, 11, 0), self.agent)
        self.close(parent, msk(2026, 3, 2, 12, 0), self.agent)
        self.assertEqual(parent.sla_pause_ids.date_end, msk(2026, 3, 2, 12, 0))
        self.close(child, msk(2026, 3, 2, 15, 0), self.hr_agent)
        self.assertEqual(parent.sla_pause_ids.date_end, msk(2026, 3, 2, 12, 0))
        self.assertEqual(self.line(parent).reached_date, msk(2026, 3, 2, 12, 0))

    def test_deleting_the_linked_request_resumes_the_wait(self):
        parent = self.create_ticket(msk(2026, 3, 2, 10, 0))
        child = self.hand_off(parent, self.hr_team, msk(2026, 3, 2, 11, 0), self.agent)
        resolution = self.line(parent)
        self.assertEqual(resolution.state, "paused")
        with freeze_time(msk(2026, 3, 2, 15, 0)):
            child.sudo().with_context(internal_sla_now=msk(2026, 3, 2, 15, 0)).unlink()
        self.assertEqual(parent.sla_pause_ids.date_end, msk(2026, 3, 2, 15, 0))
        self.assertEqual(resolution.state, "running")
        # as if the linked request had closed at 15:00: Tuesday 12:00
        self.assertEqual(resolution.deadline, msk(2026, 3, 3, 12, 0))

    def test_access_child_department_sees_the_child_not_the_parent(self):
        parent = self.create_ticket(msk(2026, 3, 2, 10, 0))
        child = self.hand_off(parent, self.hr_team, msk(2026, 3, 2, 11, 0), self.agent)
        Ticket = self.env["helpdesk.ticket"]
        self.assertEqual(Ticket.with_user(self.hr_agent).search([("id", "=", child.id)]), child)
        self.assertFalse(Ticket.with_user(self.hr_agent).search([("id", "=", parent.id)]))
        with self.assertRaises(AccessError):
            parent.with_user(self.hr_agent).check_access("read")
        # the child shows its parent by name all the same
        data = child.with_user(self.hr_agent).read(["sla_parent_id"])[0]
        self.assertEqual(data["sla_parent_id"][0], parent.id)
        # the Finance agent sees neither
        self.assertFalse(
            Ticket.with_user(self.fin_agent).search([("id", "in", (parent | child).ids)])
        )
        # the requester of the parent (IT agent) follows the child he asked for
        self.assertEqual(parent.with_user(self.agent).sla_child_ids, child)

    def test_bad_handoffs_are_refused(self):
        parent = self.create_ticket(msk(2026, 3, 2, 10, 0))
        with self.assertRaisesRegex(UserError, "another department"):
            parent._sla_hand_off(self.team, self.agreement, "Same department", False)
        with self.assertRaisesRegex(UserError, "falls under"):
            parent._sla_hand_off(self.fin_team, self.hr_for_it, "Wrong agreement", False)
        self.close(parent, msk(2026, 3, 2, 12, 0), self.agent)
        with self.assertRaisesRegex(UserError, "is closed"):
            parent._sla_hand_off(self.hr_team, self.hr_for_it, "Too late", False)

    def test_replayed_handoff(self):
        """A handoff replayed in the past (demo history, imports): the linked request is
        filed, worked and closed at its own instants, the parent waits exactly that long."""
        now = msk(2026, 3, 3, 12, 0)  # Tuesday 12:00 Moscow
        parent = self.env["helpdesk.ticket"]._sla_replay(
            self.calendar,
            [
                {
                    "ago": 6,  # Monday 15:00
                    "vals": {
                        "name": "Accounts for a new colleague",
                        "description": "<p>Starts tomorrow.</p>",
                        "team_id": self.team.id,
                        "partner_id": self.requester.partner_id.id,
                    },
                    "steps": [
                        (5, "reply", {"author": self.agent.id, "body": "Waiting on HR."}),
                        (
                            5,  # Monday 16:00
                            "handoff",
                            {
                                "author": self.agent.id,
                                "team": self.hr_team.id,
                                "name": "Employee record",
                                "steps": [(2, "stage", self.stage_done.id)],  # Tuesday 10:00
                            },
                        ),
                        (1, "stage", self.stage_done.id),  # Tuesday 11:00
                    ],
                }
            ],
            now=now,
        )
        child = parent.sla_child_ids
        self.assertEqual(child.create_date, msk(2026, 3, 2, 16, 0))
        self.assertEqual(child.closed_date, msk(2026, 3, 3, 10, 0))
        self.assertEqual(child.partner_id, self.agent.partner_id)
        self.assertEqual(child.sla_agreement_id, self.hr_for_it)
        wait = parent.sla_pause_ids
        self.assertEqual(
            (wait.handoff_ticket_id, wait.date_start, wait.date_end),
            (child, msk(2026, 3, 2, 16, 0), msk(2026, 3, 3, 10, 0)),
        )
        self.assertEqual(parent.closed_date, msk(2026, 3, 3, 11, 0))
        # Monday 15:00-16:00 and Tuesday 10:00-11:00: two working hours of its own
        resolution = self.line(parent)
        self.assertEqual(resolution.consumed_seconds, 2 * HOUR)
