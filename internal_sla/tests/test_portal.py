import re

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import JsonRpcException, new_test_user, tagged
from odoo.tools import format_datetime, mute_logger

from .common import InternalSlaHttpCase, msk

# what the agreement, its clocks and the provider's notes say, never shown to the requester
INTERNAL = (
    "IT ↔ Marketing",
    "Urgent solved",
    "First response",
    "Escalat",
    "Vendor lost the spare part",
    "Budget code 4711",
)


@tagged("post_install", "-at_install")
class TestPortal(InternalSlaHttpCase):
    """The requester's portal shows the deadline and the SLA state of their requests (G3),
    and nothing of the agreement's internals."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(
            cls.env, login="portal_req", groups="base.group_portal", tz="Europe/Moscow"
        )
        cls.other = new_test_user(cls.env, login="portal_other", groups="base.group_portal")
        cls.ticket = cls.portal_ticket(cls.portal, "Print the campaign posters")
        cls.other_ticket = cls.portal_ticket(cls.other, "Someone else's secret request")
        cls.ticket.sudo().message_post(body="Budget code 4711", subtype_xmlid="mail.mt_note")

    @classmethod
    def portal_ticket(cls, user, name):
        with freeze_time(msk(2026, 3, 2, 10, 0)):
            return cls.env["helpdesk.ticket"].create(
                {
                    "name": name,
                    "description": "<p>Needed for Friday</p>",
                    "team_id": cls.team.id,
                    "priority": "3",
                    "user_id": cls.agent.id,
                    "partner_id": user.partner_id.id,
                    "requester_department_id": cls.marketing.id,
                }
            )

    def due(self, *moscow_time):
        return format_datetime(
            self.env, msk(*moscow_time), tz="Europe/Moscow", dt_format="short"
        )

    def page(self, url):
        self.authenticate("portal_req", "portal_req")
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        return response

    def assertNothingInternal(self, html):
        for text in INTERNAL:
            self.assertNotIn(text, html)

    def test_ticket_page_shows_the_deadline_and_the_state(self):
        # first response due within 1 working hour of 10:00 Moscow time
        self.assertEqual(self.ticket.sla_state, "running")
        html = self.page(f"/my/ticket/{self.ticket.id}").text
        self.assertIn("Print the campaign posters", html)
        self.assertIn("Service level:", html)
        self.assertIn('text-bg-success">Running</span>', html)
        self.assertIn("Deadline:</strong>", html)
        self.assertIn(self.due(2026, 3, 2, 11, 0), html)
        self.assertNothingInternal(html)

    def test_request_filed_in_a_surge_tells_its_requester(self):
        """B11: the requester reads on the portal that the provider was in a surge when the
        request was filed, and that its targets are longer; other requests say nothing."""
        self.agreement.write(
            {"surge_enabled": True, "surge_backlog_threshold": 1, "surge_factor": 1.5}
        )
        with freeze_time(msk(2026, 3, 2, 10, 5)):
            self.env["internal.sla.surge"]._cron_evaluate()
        with freeze_time(msk(2026, 3, 2, 10, 10)):
            filed = self.portal_ticket(self.portal, "Posters for the surge week")
        self.assertTrue(filed.sla_surge_id)
        html = self.page(f"/my/ticket/{filed.id}").text
        self.assertIn("o_internal_sla_portal_surge", html)
        self.assertIn("the targets of this request are 1.5× longer", html)
        self.assertNothingInternal(html)
        html = self.page(f"/my/ticket/{self.ticket.id}").text
        self.assertNotIn("o_internal_sla_portal_surge", html)

    def test_breached_request_shows_breached_without_the_reason(self):
        with freeze_time(msk(2026, 3, 2, 12, 30)):
            self.env["internal.sla.line"]._cron_sweep()
        self.assertEqual(self.ticket.sla_state, "breached")
        self.ticket.sla_line_ids.filtered(lambda line: line.state == "breached").sudo().write(
            {"breach_reason": "Vendor lost the spare part"}
        )
        html = self.page(f"/my/ticket/{self.ticket.id}").text
        self.assertIn('text-bg-danger">Breached</span>', html)
        self.assertNothingInternal(html)

    def test_ticket_list_shows_deadline_and_state_of_own_requests_only(self):
        html = self.page("/my/tickets").text
        self.assertIn("Print the campaign posters", html)
        self.assertIn(self.due(2026, 3, 2, 11, 0), html)
        self.assertIn(">Running</span>", html)
        self.assertNotIn("Someone else's secret request", html)
        self.assertNothingInternal(html)

    def test_another_requesters_ticket_is_refused(self):
        self.authenticate("portal_req", "portal_req")
        response = self.url_open(f"/my/ticket/{self.other_ticket.id}")
        # Not Found, like a ticket that does not exist (test_portal_polish)
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("Someone else's secret request", response.text)
        self.assertNotIn(self.due(2026, 3, 2, 11, 0), response.text)

    def test_portal_user_cannot_read_sla_models(self):
        models = [
            name
            for name, model in self.env.registry.items()
            if name.startswith("internal.sla.") and not model._abstract
        ]
        self.assertIn("internal.sla.line", models)
        self.assertIn("internal.sla.agreement", models)
        for name in models:
            with self.subTest(model=name), self.assertRaises(AccessError):
                self.env[name].with_user(self.portal).search([], limit=1)
        ticket = self.ticket.with_user(self.portal)
        self.assertEqual(ticket.name, "Print the campaign posters")
        for field in (
            "sla_line_ids",
            "sla_event_ids",
            "sla_agreement_id",
            "sla_version_id",
            "sla_escalation_level",
            "sla_breach_risk",
            "sla_likely_breach",
            "sla_transfer_count",
            "sla_team_hours",
            "sla_chain_hours",
            "sla_is_repeat",
            "sla_stage_rule_date",
            "feedback_invitation_ids",
        ):
            with self.subTest(field=field), self.assertRaises(AccessError):
                ticket.invalidate_recordset()
                ticket.read([field])
        # nor through RPC from a portal session
        self.authenticate("portal_req", "portal_req")
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException) as error:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/internal.sla.line/search_read",
                {
                    "model": "internal.sla.line",
                    "method": "search_read",
                    "args": [[["ticket_id", "=", self.ticket.id]]],
                    "kwargs": {"fields": ["name", "deadline", "breach_reason"]},
                },
            )
        self.assertEqual(error.exception.args[0], "odoo.exceptions.AccessError")

    def test_new_ticket_form_asks_for_what_the_agreement_requires(self):
        """A3 on the portal: the form asks for the business impact an agreement requires;
        a request without it is refused on the form itself, saving nothing."""
        self.env["hr.employee"].create(
            {
                "name": "Portal requester",
                "work_contact_id": self.portal.partner_id.id,
                "department_id": self.marketing.id,
            }
        )
        self.env.company.helpdesk_mgmt_portal_select_team = True
        self.team.show_in_portal = True
        self.agreement.required_field_ids = self.env.ref(
            "internal_sla.field_helpdesk_ticket__business_impact"
        )
        self.authenticate("portal_req", "portal_req")
        form = self.url_open("/new/ticket")
        self.assertIn('name="business_impact"', form.text)
        Ticket = self.env["helpdesk.ticket"]
        count = Ticket.search_count([])
        values = {
            "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', form.text)[1],
            "team": self.team.id,
            "subject": "Banner for the fair",
            "description": "Needed by Friday",
        }
        refused = self.url_open("/submitted/ticket", data=values)
        self.assertEqual(refused.status_code, 200)
        self.assertIn("o_internal_sla_submit_error", refused.text)
        self.assertIn("Fill in Business Impact", refused.text)
        self.assertEqual(Ticket.search_count([]), count)
        filed = self.url_open(
            "/submitted/ticket", data=dict(values, business_impact="Fair on Monday")
        )
        self.assertEqual(filed.status_code, 200)
        ticket = Ticket.search([("name", "=", "Banner for the fair")])
        self.assertEqual(ticket.business_impact, "Fair on Monday")
        self.assertEqual(ticket.sla_agreement_id, self.agreement)
        self.assertTrue(filed.url.endswith(f"/my/ticket/{ticket.id}"))

    def test_requester_replies_from_the_portal(self):
        """The requester's reply goes through the SLA hooks, which read what the
        requester does not see."""
        ticket = self.ticket.with_user(self.portal)
        ticket.message_post(
            body="Friday 10:00 is fine", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertTrue(self.ticket.sla_last_requester_reply)
