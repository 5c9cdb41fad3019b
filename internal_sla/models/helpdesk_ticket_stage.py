from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    sla_pause = fields.Boolean(
        string="Pauses the SLA clock",
        help="Tickets in this stage wait on the requester (or on something the provider "
        "does not control): their SLA clocks stop and deadlines move by the paused "
        "working time.",
    )
