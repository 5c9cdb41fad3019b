from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import InternalSlaCase, msk


@tagged("post_install", "-at_install")
class TestEngineFields(InternalSlaCase):
    """What the engine measures on a request is the engine's: nobody sets it by hand."""

    def test_an_agent_cannot_set_what_the_engine_measures(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        ticket.with_user(self.agent).write({"stage_id": self.stage_done.id})
        self.assertEqual(ticket.sla_reopen_count, 0)
        as_agent = ticket.with_user(self.agent)
        for vals in (
            {"sla_first_contact_resolution": not ticket.sla_first_contact_resolution},
            {"sla_is_repeat": True},
            {"sla_transfer_count": 0, "name": "Renamed"},
            {"sla_state": "met"},
            {"sla_agreement_id": False},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError) as refused:
                as_agent.write(vals)
            self.assertIn("measured by the SLA engine", str(refused.exception))
        ticket.invalidate_recordset()
        self.assertEqual(ticket.name, "Campaign landing page is down", "nothing saved")
        self.assertEqual(ticket.sla_agreement_id, self.agreement)
        with self.assertRaisesRegex(UserError, "measured by the SLA engine"):
            self.create_ticket(msk(2026, 3, 2, 11, 0), user=self.agent, sla_state="met")
        # what the agent may change, the engine measures
        as_agent.write({"stage_id": self.stage_progress.id})
        self.assertEqual(ticket.sla_reopen_count, 1)

    def test_a_new_contact_from_another_department_re_matches(self):
        hr_agreement = self.create_agreement(
            name="IT for HR", customer_department_id=self.hr.id
        )
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.assertEqual(ticket.sla_agreement_id, self.agreement)
        self.at(msk(2026, 3, 2, 11, 0), ticket, partner_id=self.outsider.partner_id.id)
        self.assertEqual(ticket.requester_department_id, self.hr)
        self.assertEqual(ticket.sla_agreement_id, hr_agreement)
        self.assertIn("Re-matched after a change of requester", ticket.message_ids[0].body)

    def test_a_team_moved_to_another_department_re_matches_its_open_requests(self):
        hr_agreement = self.create_agreement(
            name="HR for Marketing", provider_department_id=self.hr.id
        )
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        closed = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 10, 30), closed, stage_id=self.stage_done.id)
        self.assertEqual(ticket.sla_agreement_id, self.agreement)
        with freeze_time(msk(2026, 3, 2, 11, 0)):
            self.team.department_id = self.hr
        self.assertEqual(ticket.provider_department_id, self.hr)
        self.assertEqual(ticket.sla_agreement_id, hr_agreement)
        self.assertIn("now works for HR", ticket.message_ids[0].body)
        self.assertEqual(closed.sla_agreement_id, self.agreement, "history stays")
