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
