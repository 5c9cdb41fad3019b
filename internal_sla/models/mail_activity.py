from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    internal_sla_line_id = fields.Many2one(
        "internal.sla.line",
        string="Escalated SLA target",
        ondelete="set null",
        index="btree_not_null",
        readonly=True,
    )
    internal_sla_escalation_level = fields.Integer(string="Escalation level", readonly=True)

    def _action_done(self, feedback=False, attachment_ids=None):
        """A follow-up activity done closes the loop of its detractor answer (H10)."""
        followups = self.filtered(
            lambda a: (
                a.res_model == "internal.sla.feedback.invitation"
                and a.activity_type_id
                == self.env.ref("internal_sla.mail_activity_type_feedback_followup")
            )
        )
        invitation_ids = followups.mapped("res_id")
        res = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if invitation_ids:
            self.env["internal.sla.feedback.invitation"].sudo().browse(
                invitation_ids
            )._followup_done()
        return res
