"""Breach reasons and exceptions (H5): the provider explains a breach and may ask to excuse
it; a manager accepts or rejects it; attainment is reported raw and adjusted."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import InternalSlaCase, msk


@tagged("post_install", "-at_install")
class TestSlaBreachReasons(InternalSlaCase):
    def setUp(self):
        super().setUp()
        self.on_time = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        self.at(msk(2026, 3, 2, 10, 30), self.on_time, stage_id=self.stage_done.id)
        self.late = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        self.at(msk(2026, 3, 2, 15, 0), self.late, stage_id=self.stage_done.id)
        self.breached = self.late.sla_line_ids

    def explain(self, user, lines, exception=True):
        action = lines.with_user(user).action_explain_breach()
        wizard = (
            self.env[action["res_model"]]
            .with_user(user)
            .with_context(**action["context"])
            .create(
                {
                    "breach_cause": "third_party",
                    "breach_reason": "The supplier shipped the server a day late.",
                    "request_exception": exception,
                }
            )
        )
        return wizard.action_confirm()

    def test_explain_and_excuse_a_breach(self):
        self.assertEqual(set(self.breached.mapped("state")), {"breached"})
        self.assertEqual(self.agreement.sla_met_percent, 50.0)
        Line = self.env["internal.sla.line"]
        mine = [("agreement_id", "=", self.agreement.id)]
        self.assertEqual(Line.search([*mine, ("reason_missing", "=", True)]), self.breached)
        self.explain(self.agent, self.breached)
        self.assertEqual(set(self.breached.mapped("breach_cause")), {"third_party"})
        self.assertEqual(set(self.breached.mapped("exception_state")), {"requested"})
        self.assertFalse(Line.search([*mine, ("reason_missing", "=", True)]))
        self.assertEqual(
            Line.search([*mine, ("reason_missing", "=", False)]), Line.search(mine)
        )
        self.assertIn("supplier shipped", self.late.message_ids[0].body)
        # the agent cannot excuse their own breach; the head of the provider can
        with self.assertRaisesRegex(UserError, "Only an Internal SLA Manager"):
            self.breached.with_user(self.agent).action_accept_exception()
        self.breached.with_user(self.it_head).action_accept_exception()
        self.assertEqual(set(self.breached.mapped("exception_state")), {"accepted"})
        self.agreement.invalidate_recordset()
        self.assertEqual(self.agreement.sla_met_percent, 50.0)
        self.assertEqual(self.agreement.sla_met_percent_adjusted, 100.0)
        with self.assertRaisesRegex(UserError, "has no exception requested"):
            self.breached.with_user(self.it_head).action_reject_exception()

    def test_rejected_exception_stays_a_breach(self):
        self.explain(self.agent, self.breached[:1])
        self.breached[:1].with_user(self.it_head).action_reject_exception()
        self.agreement.invalidate_recordset()
        self.assertEqual(self.agreement.sla_met_percent_adjusted, 50.0)

    def test_only_breached_targets_get_a_reason(self):
        met = self.on_time.sla_line_ids[:1]
        # the button only offers the breached ones
        action = (self.breached | met).action_explain_breach()
        self.assertEqual(action["context"]["default_line_ids"], self.breached.ids)
        wizard = self.env["internal.sla.breach.wizard"].create(
            {
                "line_ids": [(6, 0, (self.breached | met).ids)],
                "breach_cause": "other",
                "breach_reason": "n/a",
            }
        )
        with self.assertRaisesRegex(UserError, "is not breached"):
            wizard.action_confirm()

    def test_someone_who_cannot_edit_the_request_cannot_explain_it(self):
        with self.assertRaises(AccessError):
            self.explain(self.outsider, self.breached)
        self.assertFalse(any(self.breached.mapped("breach_reason")))

    def test_a_manager_of_another_department_cannot_excuse(self):
        self.explain(self.agent, self.breached)
        other_head = self.env["res.users"].create(
            {
                "name": "Harriet HR head",
                "login": "hr_head",
                "group_ids": [(4, self.env.ref("internal_sla.internal_sla_group_manager").id)],
            }
        )
        self.hr.manager_id = self.env["hr.employee"].create(
            {"name": "Harriet", "user_id": other_head.id, "department_id": self.hr.id}
        )
        with self.assertRaises(AccessError):
            self.breached.with_user(other_head).action_accept_exception()

    def breach_prompts(self, ticket):
        return ticket.activity_ids.filtered(
            lambda activity: (
                activity.activity_type_id
                == self.env.ref("internal_sla.mail_activity_type_breach_reason")
            )
        )

    def test_a_late_request_asks_why_once_until_explained(self):
        # nobody assigned: the team leader is asked, once for both missed targets
        prompt = self.breach_prompts(self.late)
        self.assertEqual(len(prompt), 1)
        self.assertEqual(prompt.user_id, self.it_head)
        self.assertEqual(prompt.summary, "Explain the breach: First response, Urgent solved")
        self.assertFalse(self.breach_prompts(self.on_time))
        # reopened and late again while the question is open: still one
        self.at(msk(2026, 3, 3, 10, 0), self.late, stage_id=self.stage_progress.id)
        self.at(msk(2026, 3, 3, 18, 0), self.late, stage_id=self.stage_done.id)
        self.assertEqual(self.breach_prompts(self.late), prompt)
        # one target explained: the question stays; all: it is done
        self.explain(self.agent, self.breached[:1], exception=False)
        self.assertTrue(prompt.active)
        self.explain(self.agent, self.late.sla_line_ids.filtered("reason_missing"), False)
        self.assertFalse(prompt.active)  # done (Odoo keeps done activities archived)
        self.assertFalse(self.breach_prompts(self.late))
        done = self.late.message_ids.filtered(
            lambda message: (
                message.mail_activity_type_id.id
                == self.env.ref("internal_sla.mail_activity_type_breach_reason").id
            )
        )
        self.assertIn("supplier shipped", done[:1].body)

    def test_the_assignee_is_asked_and_nobody_to_ask_is_logged(self):
        mine = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3", user_id=self.agent.id)
        self.at(msk(2026, 3, 2, 16, 0), mine, stage_id=self.stage_done.id)
        self.assertEqual(self.breach_prompts(mine).user_id, self.agent)
        # an archived assignee: their team leader
        self.agent.active = False
        gone = self.create_ticket(msk(2026, 3, 4, 10, 0), priority="3", user_id=self.agent.id)
        self.at(msk(2026, 3, 4, 16, 0), gone, stage_id=self.stage_done.id)
        self.assertEqual(self.breach_prompts(gone).user_id, self.it_head)
        # no leader either: a note says so, the request closes all the same
        self.team.user_id = False
        orphan = self.create_ticket(msk(2026, 3, 5, 10, 0), priority="3")
        self.at(msk(2026, 3, 5, 16, 0), orphan, stage_id=self.stage_done.id)
        self.assertIn("Urgent solved missed, and nobody to ask why", orphan.message_ids[0].body)
        self.assertFalse(self.breach_prompts(orphan))
        self.assertEqual(orphan.stage_id, self.stage_done)
