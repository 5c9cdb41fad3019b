from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import InternalSlaHttpCase, employees, new_test_users
from .reports_common import answer_nps
from .test_ui import screenshot_at_the_end


@tagged("post_install", "-at_install")
class TestManagerReportsUi(InternalSlaHttpCase):
    browser_size = "1440x1000"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        requester = cls.requester.partner_id.id
        base = {"team_id": cls.team.id, "partner_id": requester, "user_id": cls.agent.id}
        cls.env["helpdesk.ticket"]._sla_replay(
            cls.calendar,
            [
                {  # answered in 30 working minutes, solved in 1 h: met
                    "ago": 6,
                    "vals": dict(base, name="Printer queue stuck", description="<p>.</p>"),
                    "steps": [
                        (5.5, "reply", {"author": cls.agent.id, "body": "Looking"}),
                        (5, "stage", cls.stage_done.id),
                    ],
                },
                {  # urgent, answered after 2 h and solved after 4 h: both breached
                    "ago": 5,
                    "vals": dict(
                        base, name="Campaign site down", description="<p>.</p>", priority="3"
                    ),
                    "steps": [
                        (3, "reply", {"author": cls.agent.id, "body": "On it"}),
                        (1, "stage", cls.stage_done.id),
                    ],
                },
            ],
        )

    def test_manager_reads_the_dashboard_and_a_scorecard(self):
        with screenshot_at_the_end("manager_scorecard"):
            self.start_tour(
                "/odoo/action-internal_sla.internal_sla_dashboard_action",
                "internal_sla_manager_dashboard_tour",
                login="it_head",
            )

    def test_manager_reads_the_agreement_card(self):
        self.agreement.commitments = "<p>Marketing states the business impact of a request.</p>"
        self.agreement.required_field_ids = self.env["ir.model.fields"]._get(
            "helpdesk.ticket", "business_impact"
        )
        with screenshot_at_the_end("agreement_card"):
            self.browser_js(
                f"/report/html/internal_sla.agreement_card/{self.agreement.id}",
                "if (!document.body.innerText.toLowerCase().includes('business impact')) "
                "{ console.error('required field missing'); } "
                "else if (!document.body.innerText.includes('Urgent solved')) "
                "{ console.error('targets missing'); } "
                "else { console.log('test successful'); }",
                login="mk_head",
            )


@tagged("post_install", "-at_install")
class TestPairMatrixUi(InternalSlaHttpCase):
    browser_size = "1440x900"

    def test_manager_reads_the_pair_matrix(self):
        ticket = self.create_ticket(datetime.now() - timedelta(days=3))
        self.assertTrue(ticket.sla_line_ids)
        self.env.cr.execute(
            "UPDATE internal_sla_line SET state = 'met', reached_date = date_start "
            "WHERE ticket_id = %s",
            [ticket.id],
        )
        people = list(new_test_users(self.env, *employees("nps_person", 10)))
        scores = [10, 9] * 30 + [8, 7] * 10 + [6, 0, 3, 5] * 5  # +40
        answer_nps(self.env, self.agreement, people, scores, datetime.now())
        with screenshot_at_the_end("pair_matrix"):
            self.start_tour(
                "/odoo/action-internal_sla.internal_sla_report_matrix_action",
                "internal_sla_pair_matrix_tour",
                login="it_head",
            )
