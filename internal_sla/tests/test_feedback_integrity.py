"""Answers change through the product's own flows only (G2, C5): managers do not rewrite
them, the customer side does not close the provider's follow-up, and a department's eNPS
is sent by its managers."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import InternalSlaCase, msk
from .feedback_common import FeedbackMixin


@tagged("post_install", "-at_install")
class TestAnswersAreNotRewritten(FeedbackMixin, InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="privacy_admin",
            groups="base.group_user,internal_sla.internal_sla_group_admin",
        )

    def detractor_answer(self):
        invitation = self.send_nps(msk(2026, 3, 2, 10)).filtered(
            lambda i: i.user_id == self.requester
        )
        self.answer(invitation, 3, comment="Slow", when=msk(2026, 3, 2, 11))
        self.assertEqual(
            (invitation.followup_state, invitation.followup_user_id),
            ("open", self.it_head),
        )
        return invitation

    def test_managers_do_not_rewrite_an_answer(self):
        invitation = self.detractor_answer()
        for vals in (
            {"score": 10, "category": "promoter"},
            {"comment": "All good"},
            {"user_id": self.it_head.id},
            {"state": "expired"},
            {"followup_state": "done"},
            {"agreement_id": False},
        ):
            for head in (self.it_head, self.mk_head):
                with (
                    self.subTest(vals=vals, head=head.login),
                    self.assertRaisesRegex(AccessError, "cannot be changed by hand"),
                ):
                    invitation.with_user(head).write(vals)
        self.assertEqual((invitation.score, invitation.category), (3, "detractor"))
        # what they do on it still works: a note in the chatter
        invitation.with_user(self.it_head).message_post(body="Called them back")
        # an administrator corrects an invitation
        invitation.with_user(self.admin).write({"comment": "Slow (corrected)"})
        self.assertEqual(invitation.comment, "Slow (corrected)")

    def test_the_customer_side_does_not_close_the_provider_s_followup(self):
        invitation = self.detractor_answer()
        with self.assertRaisesRegex(AccessError, "can mark its follow-up done"):
            invitation.with_user(self.mk_head).action_followup_done()
        self.assertEqual(invitation.followup_state, "open")
        # nor by marking its activity done
        activity = invitation.activity_ids
        with self.assertRaisesRegex(AccessError, "can mark its follow-up done"):
            activity.with_user(self.mk_head).action_done()
        self.assertTrue(activity.exists())
        self.assertEqual(invitation.followup_state, "open")
        invitation.with_user(self.it_head).action_followup_done()
        self.assertEqual(invitation.followup_state, "done")
        self.assertFalse(invitation.activity_ids)

    def test_the_provider_s_managers_close_a_followup_without_its_activity(self):
        invitation = self.detractor_answer()
        invitation.activity_ids.unlink()
        invitation.with_user(self.it_head).action_followup_done()
        self.assertEqual(invitation.followup_state, "done")
        self.assertTrue(invitation.resurvey_ids)


@tagged("post_install", "-at_install")
class TestEnpsSenders(FeedbackMixin, InternalSlaCase):
    def test_only_the_department_s_managers_send_its_enps(self):
        employee = new_test_user(self.env, login="privacy_employee", groups="base.group_user")
        self.env["hr.employee"].create(
            {"name": "Plain employee", "user_id": employee.id, "department_id": self.hr.id}
        )
        admin = new_test_user(
            self.env,
            login="privacy_enps_admin",
            groups="base.group_user,internal_sla.internal_sla_group_admin",
        )
        with self.assertRaisesRegex(AccessError, "Only Internal SLA managers"):
            self.it.with_user(employee).action_send_enps()
        with self.assertRaisesRegex(AccessError, "You do not manage IT"):
            self.it.with_user(self.mk_head).action_send_enps()
        with self.assertRaisesRegex(AccessError, "Only Internal SLA managers"):
            self.it.with_user(self.agent).action_send_enps()
        self.assertFalse(
            self.Invitation.search(
                [("kind", "=", "enps"), ("provider_department_id", "=", self.it.id)]
            )
        )
        sent = self.it.with_user(self.it_head).action_send_enps()
        self.assertIn(self.agent, sent.user_id)
        self.assertTrue(self.marketing.with_user(admin).action_send_enps())
