from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    internal_sla_at_risk_percent = fields.Integer(
        string="At-risk threshold (%)",
        config_parameter="internal_sla.at_risk_percent",
        default=75,
        help="Share of a target's working time after which a running SLA line is "
        "flagged as at risk, unless the target sets its own threshold.",
    )
