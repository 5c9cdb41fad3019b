from odoo import fields, models

from ..models.internal_sla_target_values_mixin import PRIORITIES


class InternalSlaReportDimensions(models.AbstractModel):
    """The dimensions of a request that the SLA analysis (F2) and the volume report (F7)
    group by; each report's SQL view provides these columns."""

    _name = "internal.sla.report.dimensions"
    _description = "Request dimensions of the SLA reports"

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    agreement_id = fields.Many2one("internal.sla.agreement", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    provider_department_id = fields.Many2one("hr.department", string="Provider", readonly=True)
    customer_department_id = fields.Many2one("hr.department", string="Customer", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    category_id = fields.Many2one("helpdesk.ticket.category", readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
