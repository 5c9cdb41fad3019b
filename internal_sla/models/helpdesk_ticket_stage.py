from odoo import api, fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    sla_pause = fields.Boolean(
        string="Pauses the SLA clock",
        help="Tickets in this stage wait on the requester (or on something the provider "
        "does not control): their SLA clocks stop and deadlines move by the paused "
        "working time.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        stages = super().create(vals_list)
        if any(vals.get("sla_pause") for vals in vals_list):
            self.env["internal.sla.agreement"]._sla_index_changed()
        return stages

    def write(self, vals):
        res = super().write(vals)
        if "sla_pause" in vals:
            self.env["internal.sla.agreement"]._sla_index_changed()
        return res
