from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import format_datetime

from .common import InternalSlaCase, InternalSlaHttpCase, msk
from .test_ui import screenshot_at_the_end

REQUEST_FORM = "internal_sla.helpdesk_ticket_view_form_request"


@tagged("post_install", "-at_install")
class TestMyRequests(InternalSlaCase):
    """Any employee, without helpdesk rights, files requests under the agreements that
    serve their department (My requests) and sees their deadlines."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employee = new_test_user(
            cls.env, login="mk_employee", name="Mila Marketing", tz="Europe/Moscow"
        )
        cls.hr_employee = new_test_user(cls.env, login="hr_employee", name="Hanna HR")
        Employee = cls.env["hr.employee"]
        Employee.create(
            {"name": "Mila", "user_id": cls.employee.id, "department_id": cls.marketing.id}
        )
        Employee.create(
            {"name": "Hanna", "user_id": cls.hr_employee.id, "department_id": cls.hr.id}
        )
        cls.hr_agreement = cls.create_agreement(
            name="IT ↔ HR", customer_department_id=cls.hr.id
        )
        cls.hr_team = cls.env["helpdesk.ticket.team"].create(
            {"name": "HR desk", "department_id": cls.hr.id}
        )

    def file(self, user, agreement, **values):
        vals = {
            "name": "New laptop for the designer",
            "description": "<p>The old one is broken</p>",
            "sla_request_agreement_id": agreement.id,
        }
        vals.update(values)
        with freeze_time(msk(2026, 3, 2, 10, 0)):
            return self.env["helpdesk.ticket"].with_user(user).create(vals)

    def test_employee_files_a_request_and_sees_its_deadline(self):
        self.assertFalse(self.employee.has_group("helpdesk_mgmt.group_helpdesk_user_own"))
        self.assertFalse(self.employee.has_group("internal_sla.internal_sla_group_user"))
        with freeze_time(msk(2026, 3, 2, 10, 0)):
            form = Form(self.env["helpdesk.ticket"].with_user(self.employee), view=REQUEST_FORM)
            form.sla_request_agreement_id = self.agreement
            self.assertEqual(form.team_id, self.team)
            # the preview before saving: first response within 1 working hour
            self.assertIn("First response: due", form.sla_preview)
            self.assertIn(
                format_datetime(
                    self.env, msk(2026, 3, 2, 11, 0), tz="Europe/Moscow", dt_format="short"
                ),
                form.sla_preview,
            )
            form.name = "New laptop for the designer"
            form.description = "<p>The old one is broken</p>"
            ticket = form.save()
        self.assertEqual(ticket.partner_id, self.employee.partner_id)
        self.assertEqual(ticket.requester_department_id, self.marketing)
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.sla_agreement_id, self.agreement)
        self.assertEqual(ticket.sla_state, "running")
        self.assertEqual(ticket.sla_deadline, msk(2026, 3, 2, 11, 0))
        # read back as the employee: the deadline and the state are theirs to see
        mine = ticket.with_user(self.employee)
        mine.invalidate_recordset()
        self.assertEqual(mine.read(["sla_deadline", "sla_state"])[0]["sla_state"], "running")

    def test_only_agreements_serving_the_employees_department(self):
        Agreement = self.env["internal.sla.agreement"].with_user(self.employee)
        domain = (
            self.env["helpdesk.ticket"].with_user(self.employee)._sla_request_agreement_domain()
        )
        self.assertEqual(Agreement.search(domain), self.agreement)
        self.assertEqual(Agreement.search([]), self.agreement)
        with self.assertRaises(AccessError):
            self.hr_agreement.with_user(self.employee).read(["name"])
        with self.assertRaises(AccessError):
            self.agreement.with_user(self.employee).write({"name": "Mine now"})
        with self.assertRaisesRegex(UserError, "does not serve your department"):
            self.file(self.employee, self.hr_agreement)
        # the HR employee gets the HR agreement only
        hr_domain = (
            self.env["helpdesk.ticket"]
            .with_user(self.hr_employee)
            ._sla_request_agreement_domain()
        )
        self.assertEqual(
            self.env["internal.sla.agreement"].with_user(self.hr_employee).search(hr_domain),
            self.hr_agreement,
        )

    def test_no_request_outside_the_agreements(self):
        outside = "under one of your department's agreements"
        with self.assertRaisesRegex(UserError, outside), freeze_time(msk(2026, 3, 2, 10, 0)):
            self.env["helpdesk.ticket"].with_user(self.employee).create(
                {
                    "name": "Holiday question",
                    "description": "<p>?</p>",
                    "team_id": self.hr_team.id,
                    "partner_id": self.employee.partner_id.id,
                }
            )

    def test_employee_sees_only_own_requests(self):
        mine = self.file(self.employee, self.agreement)
        theirs = self.file(self.hr_employee, self.hr_agreement, name="Payroll export")
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "internal_sla.helpdesk_ticket_action_request"
        )
        self.assertEqual(action["path"], "my-requests")
        Ticket = self.env["helpdesk.ticket"].with_user(self.employee)
        domain = [("partner_id.user_ids", "in", [self.employee.id])]
        self.assertEqual(Ticket.search(domain), mine)
        self.assertEqual(Ticket.search([("id", "in", (mine | theirs).ids)]), mine)
        with self.assertRaises(AccessError):
            theirs.with_user(self.employee).read(["name"])
        with self.assertRaises(AccessError):
            mine.with_user(self.employee).write({"priority": "3"})
        # a helpdesk manager's "My requests" holds their own requests, not everybody's
        self.assertFalse(
            self.env["helpdesk.ticket"]
            .with_user(self.it_head)
            .search([("partner_id.user_ids", "in", [self.it_head.id]), ("id", "in", mine.ids)])
        )
        menu = self.env.ref("internal_sla.helpdesk_ticket_request_menu")
        self.assertIn(
            menu.id, self.env["ir.ui.menu"].with_user(self.employee)._visible_menu_ids()
        )

    def test_requester_commitments_are_enforced(self):
        impact = self.env["ir.model.fields"]._get("helpdesk.ticket", "business_impact")
        self.agreement.write(
            {
                "required_field_ids": [Command.set(impact.ids)],
                "commitments": "<p>Say what the request changes for your campaign</p>",
            }
        )
        with freeze_time(msk(2026, 3, 2, 10, 0)):
            form = Form(self.env["helpdesk.ticket"].with_user(self.employee), view=REQUEST_FORM)
            form.sla_request_agreement_id = self.agreement
            self.assertEqual(form.sla_request_required, "Business Impact")
            self.assertIn("for your campaign", form.sla_request_commitments)
        with self.assertRaisesRegex(ValidationError, "Business Impact"):
            self.file(self.employee, self.agreement)
        ticket = self.file(self.employee, self.agreement, business_impact="Launch slips")
        self.assertEqual(ticket.sla_deadline, msk(2026, 3, 2, 11, 0))

    def test_the_agreement_decides_the_team(self):
        network = self.env["helpdesk.ticket.team"].create(
            {"name": "IT Network", "department_id": self.it.id}
        )
        # another team of the provider stays; a team outside the agreement does not
        kept = self.file(self.employee, self.agreement, team_id=network.id)
        self.assertEqual(kept.team_id, network)
        moved = self.file(self.employee, self.agreement, team_id=self.hr_team.id)
        self.assertEqual(moved.team_id, self.team)
        self.assertEqual(moved.sla_agreement_id, self.agreement)


@tagged("post_install", "-at_install")
class TestMyRequestsUi(InternalSlaHttpCase):
    browser_size = "1440x1000"

    def test_employee_files_a_request_and_sees_its_deadline(self):
        employee = new_test_user(self.env, login="mk_employee", name="Mila Marketing")
        self.env["hr.employee"].create(
            {"name": "Mila", "user_id": employee.id, "department_id": self.marketing.id}
        )
        impact = self.env["ir.model.fields"]._get("helpdesk.ticket", "business_impact")
        self.agreement.required_field_ids = impact
        with screenshot_at_the_end("employee_files_a_request"):
            self.start_tour(
                "/odoo/my-requests", "internal_sla_my_request_tour", login="mk_employee"
            )
        ticket = self.env["helpdesk.ticket"].search(
            [("partner_id", "=", employee.partner_id.id)]
        )
        self.assertEqual(ticket.name, "New laptop for the designer")
        self.assertEqual(ticket.team_id, self.team)
        self.assertEqual(ticket.sla_agreement_id, self.agreement)
        self.assertEqual(ticket.business_impact, "The spring campaign visuals wait for it")
        self.assertTrue(ticket.sla_deadline)
        self.assertEqual(ticket.sla_state, "running")
