from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..engine.feedback import (
    DEFAULT_NEGATIVE_WORDS_EN,
    DEFAULT_NEGATIVE_WORDS_RU,
)


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    internal_sla_at_risk_percent = fields.Integer(
        string="At-risk threshold (%)",
        config_parameter="internal_sla.at_risk_percent",
        default=75,
        help="Share of a target's working time after which a running SLA line is "
        "flagged as at risk, unless the target sets its own threshold.",
    )

    # -- feedback loop (C1–C5, H9, H10) ----------------------------------------------------
    internal_sla_survey_cap = fields.Integer(
        string="Surveys per person",
        config_parameter="internal_sla.survey_cap",
        default=4,
        help="At most this many feedback invitations (CSAT, NPS, eNPS, meeting energy) per "
        "person and period; beyond it people are sampled out. 0 = no cap.",
    )
    internal_sla_survey_cap_period = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter")],
        string="Survey budget period",
        config_parameter="internal_sla.survey_cap_period",
        default="month",
    )
    internal_sla_answer_days = fields.Integer(
        string="Answer within (days)",
        config_parameter="internal_sla.answer_days",
        default=5,
        help="An invitation not answered within this many days expires.",
    )
    internal_sla_followup_days = fields.Float(
        string="Follow up within (working days)",
        config_parameter="internal_sla.followup_days",
        default=2,
        help="Target of the follow-up of a detractor answer, in working days of the "
        "agreement's calendar.",
    )
    internal_sla_thank_promoters = fields.Boolean(
        string="Thank promoters",
        config_parameter="internal_sla.thank_promoters",
    )
    internal_sla_negative_words_en = fields.Char(
        string="Negative words (English)",
        config_parameter="internal_sla.negative_words_en",
        default=lambda self: DEFAULT_NEGATIVE_WORDS_EN,
        help="Comma-separated words or stems: a passive answer whose comment contains one "
        "gets a follow-up.",
    )
    internal_sla_negative_words_ru = fields.Char(
        string="Negative words (Russian)",
        config_parameter="internal_sla.negative_words_ru",
        default=lambda self: DEFAULT_NEGATIVE_WORDS_RU,
    )

    @api.constrains("internal_sla_survey_cap", "internal_sla_followup_days")
    def _check_feedback_settings(self):
        for settings in self:
            if settings.internal_sla_survey_cap < 0:
                raise ValidationError(
                    self.env._("Surveys per person: enter 0 (no cap) or a positive number.")
                )
            if settings.internal_sla_followup_days <= 0:
                raise ValidationError(
                    self.env._("Follow up within: enter a positive number of working days.")
                )
