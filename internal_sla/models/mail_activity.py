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
    # the review meeting whose checklist (SPEC D4) launched this activity; not
    # ``calendar_event_id``, whose activities move the meeting when their deadline moves
    sla_event_id = fields.Many2one(
        "calendar.event", string="Review meeting", index="btree_not_null", ondelete="cascade"
    )
    sla_phase = fields.Selection(
        [("before", "Before"), ("during", "During"), ("after", "After")],
        string="Checklist phase",
    )

    def _action_done(self, feedback=False, attachment_ids=None):
        """Done follow-ups close the loop of their detractor answer (H10); done action-item
        activities close their action item (D5)."""
        followup_type = self.env.ref("internal_sla.mail_activity_type_feedback_followup")
        invitation_ids = [
            activity.res_id
            for activity in self
            if activity.res_model == "internal.sla.feedback.invitation"
            and activity.activity_type_id == followup_type
        ]
        item_ids = [
            activity.res_id
            for activity in self
            if activity.res_model == "internal.sla.action.item"
        ]
        if invitation_ids:
            # the activity's own access lets anyone who may write the answer mark it done
            self.env["internal.sla.feedback.invitation"].browse(
                invitation_ids
            )._check_followup_closer()
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if invitation_ids:
            self.env["internal.sla.feedback.invitation"].sudo().browse(
                invitation_ids
            )._followup_done()
        if item_ids:
            items = self.env["internal.sla.action.item"].sudo().browse(item_ids).exists()
            items.filtered(lambda i: i.state == "open" and not i.activity_ids)._mark_done()
        return result
