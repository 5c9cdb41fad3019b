from odoo import fields, models


class InternalSlaPause(models.Model):
    """A period in which a ticket's SLA clocks stood still (B4), kept for audit."""

    _name = "internal.sla.pause"
    _description = "SLA Pause"
    _order = "date_start desc, id desc"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True, readonly=True
    )
    stage_id = fields.Many2one("helpdesk.ticket.stage", readonly=True, ondelete="set null")
    date_start = fields.Datetime(required=True, readonly=True)
    date_end = fields.Datetime(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    company_id = fields.Many2one("res.company", readonly=True)
