from odoo import fields, models


class MailActivity(models.Model):
    _inherit = "mail.activity"

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
        """An action item is done when its owner marks its activity done."""
        item_ids = [
            activity.res_id
            for activity in self
            if activity.res_model == "internal.sla.action.item"
        ]
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if item_ids:
            items = self.env["internal.sla.action.item"].sudo().browse(item_ids).exists()
            items.filtered(lambda i: i.state == "open" and not i.activity_ids)._mark_done()
        return result
