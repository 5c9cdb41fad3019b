"""F4, F5, G2: the exports read what their screens read — the SLA analysis export as the
analysis list does, the scorecard's XLSX and the agreement card only for those who may
open the scorecard."""

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import InternalSlaCase, department_headed_by, new_test_users
from .reports_common import MARCH, ReportFixture, render_report, xlsx_rows


@tagged("post_install", "-at_install")
class TestReportExportsAccess(ReportFixture, InternalSlaCase):
    def render(self, user, xmlid, ids, data=None):
        return render_report(self.env, user, xmlid, ids, data)

    def test_analysis_export_names_requests_as_the_list_does(self):
        """The head of Marketing's parent department reads Marketing's SLA lines but,
        with personal helpdesk access, none of the IT team's requests: the export names
        them as the analysis list does, it does not fail on them."""
        head = new_test_users(
            self.env,
            (
                "commercial_head",
                "Carla Commercial Head",
                "internal_sla.internal_sla_group_manager,helpdesk_mgmt.group_helpdesk_user_own",
            ),
        )
        commercial = department_headed_by(self.env, "Commercial", head, "Carla")
        self.marketing.parent_id = commercial
        self.env.flush_all()
        Report = self.env["internal.sla.report"].with_user(head)
        lines = Report.search(
            [
                ("agreement_id", "=", self.agreement.id),
                ("create_date", ">=", MARCH[0]),
                ("create_date", "<", MARCH[1]),
            ]
        )
        self.assertEqual(len(lines), 8)
        self.assertFalse(lines.ticket_id.with_user(head)._filtered_access("read"))
        # the list reads the request of each line by its name
        listed = lines.web_read({"ticket_id": {"fields": {"display_name": {}}}})
        names = {row["ticket_id"]["display_name"] for row in listed}
        self.assertEqual(
            names, set((self.t1 | self.t2 | self.t3 | self.t4).mapped("display_name"))
        )
        self.env.invalidate_all()  # the names the list read stay out of the export's way
        content, _kind = self.render(
            head, "internal_sla.internal_sla_analysis_xlsx_report", lines.ids
        )
        rows = xlsx_rows(content, "Lines")
        self.assertEqual(len(rows), 9)
        self.assertEqual({row[0] for row in rows[1:]}, names)

    def test_scorecard_exports_only_for_those_who_open_the_scorecard(self):
        """A plain employee of Marketing reads the agreement serving their department (to
        file requests) but no scorecard: nor its XLSX, nor the agreement card."""
        employee = new_test_users(
            self.env, ("mk_employee", "Mila Marketing", "base.group_user")
        )
        self.env["hr.employee"].create(
            {"name": "Mila", "user_id": employee.id, "department_id": self.marketing.id}
        )
        self.assertTrue(self.agreement.with_user(employee).has_access("read"))
        with self.assertRaises(AccessError):
            self.env["internal.sla.scorecard"].with_user(employee).create(
                {"agreement_id": self.agreement.id}
            )
        march = {"date_from": "2026-03-01", "date_to": "2026-04-01"}
        Report = self.env["ir.actions.report"]
        with self.assertRaises(AccessError) as caught:
            self.render(
                employee, "internal_sla.internal_sla_scorecard_xlsx_report", self.agreement.ids
            )
        self.assertIn("scorecard", str(caught.exception))
        with self.assertRaises(AccessError) as caught:
            Report.with_user(employee)._render_qweb_html(
                "internal_sla.agreement_card", self.agreement.ids, march
            )
        self.assertIn("scorecard", str(caught.exception))
        # the Internal SLA users of the agreement's departments print both
        content, kind = self.render(
            self.requester,
            "internal_sla.internal_sla_scorecard_xlsx_report",
            self.agreement.ids,
            march,
        )
        self.assertEqual(kind, "xlsx")
        self.assertEqual(xlsx_rows(content, "Scorecard")[0][0], self.agreement.name)
        html, _kind = Report.with_user(self.requester)._render_qweb_html(
            "internal_sla.agreement_card", self.agreement.ids, march
        )
        self.assertIn(self.agreement.name, html.decode())
