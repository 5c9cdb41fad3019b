from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    internal_sla_at_risk_percent = fields.Integer(
        string="At-risk threshold (%)",
        config_parameter="internal_sla.at_risk_percent",
        default=75,
        help="Share of a target's working time after which a running SLA line is "
        "flagged as at risk, unless the target sets its own threshold.",
    )
    internal_sla_repeat_days = fields.Integer(
        string="Repeat window (days)",
        config_parameter="internal_sla.repeat_days",
        default=7,
        help="A request of the same requester and category within this many days of a "
        "closed one counts as a repeat.",
    )
    internal_sla_pause_gaming_minutes = fields.Integer(
        string="Suspicious pause window (minutes)",
        config_parameter="internal_sla.pause_gaming_minutes",
        default=10,
        help="A request put on hold as waiting on the requester within this many minutes "
        "of the requester's reply is flagged.",
    )
    internal_sla_escalation_level1_percent = fields.Integer(
        string="Escalation level 1 (%)",
        config_parameter="internal_sla.escalation_level1_percent",
        default=75,
    )
    internal_sla_escalation_level2_percent = fields.Integer(
        string="Escalation level 2 (%)",
        config_parameter="internal_sla.escalation_level2_percent",
        default=100,
    )
    internal_sla_escalation_level3_percent = fields.Integer(
        string="Escalation level 3 (%)",
        config_parameter="internal_sla.escalation_level3_percent",
        default=150,
    )

    @api.constrains("internal_sla_repeat_days")
    def _check_internal_sla_repeat_days(self):
        if any(settings.internal_sla_repeat_days < 1 for settings in self):
            raise ValidationError(self.env._("Repeat window (days): give at least 1 day."))

    @api.constrains(
        "internal_sla_escalation_level1_percent",
        "internal_sla_escalation_level2_percent",
        "internal_sla_escalation_level3_percent",
    )
    def _check_internal_sla_escalation_levels(self):
        for settings in self:
            levels = (
                settings.internal_sla_escalation_level1_percent,
                settings.internal_sla_escalation_level2_percent,
                settings.internal_sla_escalation_level3_percent,
            )
            if not 0 < levels[0] < levels[1] < levels[2]:
                raise ValidationError(
                    self.env._(
                        "Escalation levels: level 1 must be above 0% and each next level "
                        "higher than the one before (e.g. 75, 100, 150)."
                    )
                )
