from odoo import fields
from odoo.tests import tagged

from .common import InternalSlaHttpCase, moscow_calendar
from .feedback_common import FeedbackMixin
from .test_ui import screenshot_at_the_end


@tagged("post_install", "-at_install")
class TestFirstHourUi(FeedbackMixin, InternalSlaHttpCase):
    """A new user's first hour in headless Chromium (issue 8): an agreement from a
    template, a request worked through a pause to its close."""

    browser_size = "1366x768"

    def test_admin_creates_an_agreement_from_a_template(self):
        provider = self.env["hr.department"].create({"name": "Facility Services"})
        moscow_calendar(self.env, name="Facilities hours")
        template = self.env.ref("internal_sla.template_facilities")
        with screenshot_at_the_end("agreement_from_template"):
            self.start_tour(
                "/odoo/action-internal_sla.internal_sla_template_wizard_action",
                "internal_sla_template_tour",
                login="admin",
            )
        agreement = self.env["internal.sla.agreement"].search(
            [("provider_department_id", "=", provider.id)]
        )
        self.assertEqual(len(agreement), 1)
        self.assertEqual(agreement.state, "draft")
        self.assertEqual(agreement.customer_scope, "all")
        self.assertEqual(
            agreement.target_ids.mapped("name"), template.target_ids.mapped("name")
        )

    def test_agent_works_a_request_through_pause_and_close(self):
        # the closed stage folds away in the status bar; unfold it for the click
        self.stage_done.fold = False
        ticket = self.create_ticket(
            fields.Datetime.now(), user_id=self.agent.id, name="Printer on floor 3 jams"
        )
        self.assertEqual(ticket.sla_state, "running")
        with screenshot_at_the_end("agent_pause_and_close"):
            self.start_tour(
                f"/odoo/helpdesk-tickets/{ticket.id}",
                "internal_sla_pause_close_tour",
                login="it_agent",
            )
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertEqual(ticket.sla_state, "met")
        self.assertEqual(len(ticket.sla_pause_ids), 1)
        self.assertTrue(ticket.sla_pause_ids.date_end)
        self.assertTrue(all(line.reached_date for line in ticket.sla_line_ids))
        # closing asked the requester for their satisfaction
        self.assertEqual(ticket.feedback_invitation_ids.state, "sent")

    def test_requester_answers_the_csat_survey(self):
        ticket = self.create_ticket(
            fields.Datetime.now(), user_id=self.agent.id, name="New laptop for a designer"
        )
        ticket.stage_id = self.stage_done
        invitation = ticket.feedback_invitation_ids
        self.assertEqual(invitation.state, "sent")
        # the one-click link of the e-mail: score 5, then the survey for the rest
        url = invitation._answer_url(5).replace(invitation.get_base_url(), "")
        with screenshot_at_the_end("requester_csat_answer"):
            self.start_tour(url, "internal_sla_requester_csat_tour", login="mk_requester")
        self.assertEqual(invitation.state, "answered")
        self.assertEqual(invitation.score, 5)
        self.assertEqual(invitation.category, "promoter")
        self.assertEqual(invitation.comment, "Solved before lunch, thank you!")
        self.assertEqual(ticket.csat_display, "★★★★★ 5 / 5")
