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
