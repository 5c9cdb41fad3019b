from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import InternalSlaHttpCase
from .test_ui import screenshot_at_the_end


@tagged("post_install", "-at_install")
class TestMeetingUi(InternalSlaHttpCase):
    browser_size = "1440x2000"

    def test_head_reads_the_agenda_and_closes_an_action(self):
        self.env["helpdesk.ticket"]._sla_replay(
            self.calendar,
            [
                {
                    "ago": 4,  # urgent: 2 working hours, breached 2 working hours ago
                    "vals": {
                        "name": "Newsletter export times out",
                        "description": "<p>40 minutes, then a timeout</p>",
                        "team_id": self.team.id,
                        "partner_id": self.requester.partner_id.id,
                        "priority": "3",
                    },
                },
            ],
        )
        self.env["internal.sla.line"]._cron_sweep()
        now = fields.Datetime.now().replace(microsecond=0)
        partners = (self.it_head | self.mk_head).partner_id.ids
        Event = self.env["calendar.event"].with_context(no_mail_to_attendees=True)
        sync = Event.create(
            {
                "name": "IT ↔ Marketing: weekly sync",
                "start": now - timedelta(days=2),
                "stop": now - timedelta(days=2, hours=-1),
                "user_id": self.it_head.id,
                "partner_ids": [Command.set(partners)],
                "sla_agreement_id": self.agreement.id,
                "sla_kind": "sync",
            }
        )
        review = Event.create(
            {
                "name": "Quarterly review with Marketing",
                "start": now + timedelta(hours=3),
                "stop": now + timedelta(hours=4),
                "user_id": self.it_head.id,
                "partner_ids": [Command.set(partners)],
                "sla_agreement_id": self.agreement.id,
                "sla_kind": "review",
                "sla_minutes": "<p>VPN and newsletter export reviewed.</p>",
                "sla_decision_ids": [
                    Command.create({"name": "Urgent VPN requests answered within 30 minutes"})
                ],
            }
        )
        Item = self.env["internal.sla.action.item"]
        Item.create(
            {
                "name": "Publish the on-call rota",
                "event_id": sync.id,
                "user_id": self.it_head.id,
                "date_deadline": fields.Date.today() + timedelta(days=3),
            }
        )
        for name, owner in (
            ("Send the campaign calendar", self.it_head),
            ("Share the VPN status page", self.agent),
        ):
            Item.create(
                {
                    "name": name,
                    "event_id": review.id,
                    "user_id": owner.id,
                    "date_deadline": fields.Date.today() + timedelta(days=7),
                }
            )
        review.action_sla_generate_agenda()
        review._sla_launch_checklist("before")
        review.sla_checklist_activity_ids[:1].action_feedback(feedback="Confirmed")
        with screenshot_at_the_end("meeting_agenda_and_actions"):
            self.start_tour(
                "/odoo/action-internal_sla.calendar_event_action_sla_meetings",
                "internal_sla_meeting_tour",
                login="it_head",
            )
        item = Item.search([("name", "=", "Send the campaign calendar")])
        self.assertEqual(item.state, "done")
        self.assertIn("Publish the on-call rota", review.description)
