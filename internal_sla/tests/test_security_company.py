"""G2, multi-company: Users and Managers see the agreements of their departments (and
everything that hangs off them) in the companies they work in, never in another one."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import InternalSlaCase, msk, office_attendances

DETAILS = {
    "internal.sla.agreement": lambda agreement: agreement,
    "internal.sla.target": lambda agreement: (
        agreement.target_ids | agreement.version_ids.target_ids
    ),
    "internal.sla.agreement.version": lambda agreement: agreement.version_ids,
    "internal.sla.stage.rule": lambda agreement: agreement.stage_rule_ids,
    "internal.sla.frame": lambda agreement: agreement.frame_ids,
}


@tagged("post_install", "-at_install")
class TestMultiCompany(InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        # IT and Marketing of company B, where the same agent and heads work as well
        cls.it_b, cls.marketing_b = cls.env["hr.department"].create(
            [
                {"name": "IT B", "company_id": cls.company_b.id},
                {"name": "Marketing B", "company_id": cls.company_b.id},
            ]
        )
        Employee = cls.env["hr.employee"]
        employees_b = Employee.create(
            [
                {
                    "name": name,
                    "user_id": user.id,
                    "department_id": dep.id,
                    "company_id": cls.company_b.id,
                }
                for name, user, dep in (
                    ("Ivan B", cls.it_head, cls.it_b),
                    ("Anton B", cls.agent, cls.it_b),
                    ("Roman B", cls.requester, cls.marketing_b),
                )
            ]
        )
        cls.it_b.manager_id = employees_b[0]
        calendar_b = cls.env["resource.calendar"].create(
            {
                "name": "Company B office",
                "tz": "Europe/Moscow",
                "company_id": cls.company_b.id,
                "attendance_ids": office_attendances(),
            }
        )
        cls.agreement_b = cls.create_agreement(
            name="IT B ↔ Marketing B",
            company_id=cls.company_b.id,
            provider_department_id=cls.it_b.id,
            customer_department_id=cls.marketing_b.id,
            resource_calendar_id=calendar_b.id,
        )
        cls.create_frames_and_stage_rules(cls.agreement | cls.agreement_b)

    def assert_sees(self, user, companies, agreements):
        """``user`` working in ``companies`` sees all of ``agreements`` and nothing of the
        others (of these two)."""
        env = self.env(
            user=user, context=dict(self.env.context, allowed_company_ids=companies.ids)
        )
        for agreement in self.agreement | self.agreement_b:
            for model, details in DETAILS.items():
                records = details(agreement)
                with self.subTest(user=user.login, agreement=agreement.name, model=model):
                    self.assertTrue(records)
                    self.assertEqual(records.company_id, agreement.company_id)
                    found = env[model].search([("id", "in", records.ids)])
                    if agreement in agreements:
                        self.assertEqual(found, records)
                        env[model].browse(records.ids).read(["company_id"])
                    else:
                        self.assertFalse(found)
                        with self.assertRaises(AccessError):
                            env[model].browse(records.ids).read(["company_id"])

    def test_user_and_manager_of_company_a_only_see_nothing_of_company_b(self):
        """Members (agent, requester) and the head of IT B match company B's agreement by
        department, yet working in company A only they see none of it."""
        for user in (self.agent, self.requester, self.it_head):
            self.assertEqual(user.company_ids, self.company_a)
            self.assert_sees(user, self.company_a, self.agreement)

    def test_user_and_manager_of_both_companies_see_both(self):
        both = self.company_a | self.company_b
        for user in (self.agent, self.requester, self.it_head):
            user.company_ids = both
            self.assert_sees(user, both, self.agreement | self.agreement_b)
            # company B switched off in the company switcher: only A's again
            self.assert_sees(user, self.company_a, self.agreement)
            self.assert_sees(user, self.company_b, self.agreement_b)

    def test_manager_manages_company_b_agreement_only_when_working_in_b(self):
        self.it_head.company_ids = self.company_a | self.company_b
        agreement_b = self.agreement_b.with_user(self.it_head)
        with self.assertRaises(AccessError):
            agreement_b.with_context(allowed_company_ids=self.company_a.ids).write(
                {"review_interval_months": 3}
            )
        agreement_b.with_context(allowed_company_ids=self.company_b.ids).write(
            {"review_interval_months": 3}
        )
        self.assertEqual(self.agreement_b.review_interval_months, 3)

    def test_company_b_sees_no_frame_of_company_a(self):
        """Empowerment frames have their own company rule: even an SLA Administrator, who
        sees every frame of their companies, sees none of another company's."""
        admin_b = new_test_user(
            self.env,
            login="sla_admin_b",
            groups="internal_sla.internal_sla_group_admin",
            company_id=self.company_b.id,
            company_ids=[Command.set(self.company_b.ids)],
        )
        Frame = self.env["internal.sla.frame"].with_user(admin_b)
        frames_a, frames_b = self.agreement.frame_ids, self.agreement_b.frame_ids
        self.assertEqual(Frame.search([("id", "in", (frames_a | frames_b).ids)]), frames_b)
        with self.assertRaises(AccessError):
            Frame.browse(frames_a.ids).read(["name"])
        # the agent moves to company B: a member of IT still, they no longer read the
        # frames of IT's agreement in company A
        self.agent.write(
            {"company_id": self.company_b.id, "company_ids": [Command.set(self.company_b.ids)]}
        )
        Frame = self.env["internal.sla.frame"].with_user(self.agent)
        self.assertEqual(Frame.search([("id", "in", (frames_a | frames_b).ids)]), frames_b)
        with self.assertRaises(AccessError):
            Frame.browse(frames_a.ids).read(["name"])

    def test_a_request_to_company_b_matches_in_company_b(self):
        """helpdesk_mgmt files a request in its team's company, whatever company the form
        proposed; Roman, employed by both companies, asks as Marketing B there."""
        team_b = self.env["helpdesk.ticket.team"].create(
            {
                "name": "IT Support B",
                "department_id": self.it_b.id,
                "company_id": self.company_b.id,
            }
        )
        for proposed in (self.company_a, None):
            with self.subTest(proposed=proposed and proposed.name):
                values = {"company_id": proposed.id} if proposed else {}
                ticket = self.create_ticket(
                    msk(2026, 3, 2, 10, 0),
                    team_id=team_b.id,
                    stage_id=self.stage_new.id,
                    **values,
                )
                self.assertEqual(ticket.company_id, self.company_b)
                self.assertEqual(ticket.requester_department_id, self.marketing_b)
                self.assertEqual(ticket.sla_agreement_id, self.agreement_b)
                self.assertTrue(ticket.sla_line_ids)
