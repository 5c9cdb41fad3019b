from odoo import fields, models


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    department_id = fields.Many2one(
        "hr.department",
        string="Provider department",
        index=True,
        check_company=True,
        help="The department this team works for: its tickets are measured against the "
        "agreements this department provides.",
    )
