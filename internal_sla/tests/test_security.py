from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import InternalSlaCase, department_headed_by, msk


@tagged("post_install", "-at_install")
class TestSecurity(InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.hr_agreement = cls.create_agreement(
            name="HR for IT",
            provider_department_id=cls.hr.id,
            customer_department_id=cls.it.id,
        )
        cls.admin_user = new_test_user(
            cls.env, login="sla_admin", groups="internal_sla.internal_sla_group_admin"
        )

    def visible(self, user):
        return self.env["internal.sla.agreement"].with_user(user).search([])

    def test_user_sees_agreements_of_own_department_only(self):
        self.assertEqual(self.visible(self.requester), self.agreement)  # Marketing
        self.assertEqual(self.visible(self.outsider), self.hr_agreement)  # HR
        self.assertEqual(self.visible(self.agent), self.agreement | self.hr_agreement)  # IT
        with self.assertRaises(AccessError):
            self.hr_agreement.with_user(self.requester).read(["name"])

    def test_user_cannot_change_agreements(self):
        with self.assertRaises(AccessError):
            self.agreement.with_user(self.agent).write({"name": "Hacked"})
        with self.assertRaises(AccessError):
            self.env["internal.sla.agreement"].with_user(self.requester).create(
                {
                    "name": "Mine",
                    "provider_department_id": self.it.id,
                    "customer_department_id": self.marketing.id,
                    "resource_calendar_id": self.calendar.id,
                }
            )

    def test_manager_manages_agreements_of_managed_departments(self):
        self.agreement.with_user(self.it_head).write({"review_interval_months": 12})
        self.assertEqual(self.agreement.review_interval_months, 12)
        # the HR agreement serves IT: its manager sees it as a member and manages it as head
        self.hr_agreement.with_user(self.it_head).write({"review_interval_months": 9})
        # Marketing's head does not manage HR's agreement with IT
        with self.assertRaises(AccessError):
            self.hr_agreement.with_user(self.mk_head).read(["name"])
        with self.assertRaises(AccessError):
            self.hr_agreement.with_user(self.mk_head).write({"review_interval_months": 3})

    def test_heads_above_a_department_manage_its_agreements(self):
        """G2 with D1's levels: the head of the department above IT (level 2 of its
        reviews) sees and manages IT's agreements, their reports and meetings; the head
        of a sibling department does not; a change of head above follows at once."""
        coo = new_test_user(
            self.env,
            login="coo",
            name="Oleg COO",
            groups="internal_sla.internal_sla_group_manager",
        )
        operations = department_headed_by(self.env, "Operations", coo, "Oleg")
        self.assertFalse(self.visible(coo))
        self.it.parent_id = operations
        self.env.flush_all()  # as at the end of the request that moved the department
        self.assertEqual(self.visible(coo), self.agreement | self.hr_agreement)
        self.agreement.with_user(coo).write({"review_interval_months": 12})
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.env.flush_all()
        self.assertEqual(
            self.env["internal.sla.report"]
            .with_user(coo)
            .search_count([("ticket_id", "=", ticket.id)]),
            len(ticket.sla_line_ids),
        )
        # Marketing sits elsewhere: its head still sees nothing of HR's agreement with IT
        with self.assertRaises(AccessError):
            self.hr_agreement.with_user(self.mk_head).read(["name"])
        # a new head above IT takes over, the former one loses the view
        successor = new_test_user(
            self.env, login="coo2", groups="internal_sla.internal_sla_group_manager"
        )
        operations.manager_id = self.env["hr.employee"].create(
            {"name": "Successor", "user_id": successor.id}
        )
        self.env.flush_all()
        self.assertEqual(self.visible(successor), self.agreement | self.hr_agreement)
        self.assertFalse(self.visible(coo))

    def test_administrator_sees_and_deletes_everything(self):
        self.assertEqual(self.visible(self.admin_user), self.agreement | self.hr_agreement)
        draft = self.create_agreement(
            name="Draft", activate=False, customer_department_id=self.hr.id
        )
        draft.with_user(self.admin_user).unlink()
        self.assertFalse(draft.exists())
        with self.assertRaises(UserError):
            self.agreement.with_user(self.admin_user).unlink()

    def test_other_company_agreements_are_invisible(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.admin_user.company_ids = self.env.company | other
        self.hr_agreement.company_id = other
        self.assertNotIn(
            self.hr_agreement,
            self.env["internal.sla.agreement"]
            .with_user(self.admin_user)
            .with_context(allowed_company_ids=[self.env.company.id])
            .search([]),
        )

    def test_requester_reads_the_deadline_of_own_ticket(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        as_requester = ticket.with_user(self.requester)
        self.assertEqual(as_requester.sla_deadline, msk(2026, 3, 2, 11, 0))
        self.assertEqual(len(as_requester.sla_line_ids), 2)
        with self.assertRaises(AccessError):
            as_requester.sla_line_ids[0].write({"state": "met"})

    def test_heads_and_members_open_the_agreement_form(self):
        """The form shows the fields required from requesters (field definitions, which
        Odoo keeps from plain users): heads and members of the departments read them."""
        business_impact = self.env["ir.model.fields"]._get("helpdesk.ticket", "business_impact")
        self.agreement.required_field_ids = business_impact
        for user in (self.mk_head, self.requester, self.agent):
            with self.subTest(user=user.login):
                agreement = self.agreement.with_user(user)
                agreement.get_views([(False, "form")])
                values = agreement.web_read(
                    {"required_field_ids": {"fields": {"display_name": {}}}}
                )
                self.assertEqual(values[0]["required_field_ids"][0]["id"], business_impact.id)

    def test_agreement_details_are_read_with_the_agreement(self):
        """G2: the targets, versions (their amendment notes), stage rules and empowerment
        frames of an agreement are read by those who read the agreement: users of its
        departments, the heads of the departments, the administrators. A team's own stage
        rules stay readable by every user."""
        hr_head = new_test_user(
            self.env, login="hr_head", groups="internal_sla.internal_sla_group_manager"
        )
        self.hr.manager_id = self.env["hr.employee"].create(
            {"name": "HR Head", "user_id": hr_head.id}  # heads HR, not a member of it
        )
        self.create_frames_and_stage_rules(self.agreement | self.hr_agreement)
        team_rule = self.env["internal.sla.stage.rule"].create(
            {"team_id": self.team.id, "stage_id": self.stage_new.id, "duration": 2}
        )
        both = self.agreement | self.hr_agreement
        cases = [
            (self.outsider, self.hr_agreement),  # a User of HR
            (self.requester, self.agreement),  # a User of Marketing
            (self.agent, both),  # a User of IT, served by HR
            (self.mk_head, self.agreement),  # heads Marketing
            (hr_head, self.hr_agreement),  # heads HR
            (self.it_head, both),  # heads IT
            (self.admin_user, both),
        ]
        fields_read = {
            "internal.sla.target": "duration",
            "internal.sla.agreement.version": "note",
            "internal.sla.stage.rule": "duration",
            "internal.sla.frame": "max_amount",
        }
        for user, readable in cases:
            for agreement in both:
                details = {
                    "internal.sla.target": agreement.target_ids
                    | agreement.version_ids.target_ids,
                    "internal.sla.agreement.version": agreement.version_ids,
                    "internal.sla.stage.rule": agreement.stage_rule_ids,
                    "internal.sla.frame": agreement.frame_ids,
                }
                for model, records in details.items():
                    with self.subTest(user=user.login, agreement=agreement.name, model=model):
                        self.assertEqual(len(records), 6 if "target" in model else 1)
                        as_user = self.env[model].with_user(user)
                        found = as_user.search([("id", "in", records.ids)])
                        if agreement in readable:
                            self.assertEqual(found, records)
                            as_user.browse(records.ids).read([fields_read[model]])
                        else:
                            self.assertFalse(found)
                            with self.assertRaises(AccessError):
                                as_user.browse(records.ids).read([fields_read[model]])
            with self.subTest(user=user.login, model="team stage rule"):
                self.assertEqual(
                    self.env["internal.sla.stage.rule"]
                    .with_user(user)
                    .search([("id", "=", team_rule.id)]),
                    team_rule,
                )
