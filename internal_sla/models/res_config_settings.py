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

    # -- review meetings (SPEC D2, D3) -------------------------------------------------------
    internal_sla_meeting_backlog_growth = fields.Integer(
        string="Backlog growth trigger (%)",
        config_parameter="internal_sla.meeting_backlog_growth",
        default=20,
        help="Propose an unscheduled review when an agreement's open requests grew by more "
        "than this share week over week.",
    )
    internal_sla_meeting_backlog_min = fields.Integer(
        string="Minimum backlog",
        config_parameter="internal_sla.meeting_backlog_min",
        default=5,
        help="Backlog growth only counts from this many open requests.",
    )
    internal_sla_meeting_breach_count = fields.Integer(
        string="Breaches trigger",
        config_parameter="internal_sla.meeting_breach_count",
        default=5,
        help="Propose an unscheduled review after this many breached targets in the period.",
    )
    internal_sla_meeting_breach_period = fields.Selection(
        [("week", "Week"), ("month", "Month")],
        string="Breaches counted per",
        config_parameter="internal_sla.meeting_breach_period",
        default="week",
    )
    internal_sla_meeting_agenda_lead_hours = fields.Integer(
        string="Agenda lead time (hours)",
        config_parameter="internal_sla.meeting_agenda_lead_hours",
        default=24,
        help="The agenda is written into the meeting this many hours before it starts.",
    )
    internal_sla_meeting_sla_goal = fields.Integer(
        string="SLA met goal (%)",
        config_parameter="internal_sla.meeting_sla_goal",
        default=90,
        help="Goal against which agendas show the SLA met %.",
    )

    # -- load-adaptive targets (B11) and breach forecast (B12) -------------------------------
    internal_sla_surge_enabled = fields.Boolean(
        string="Relax targets in a surge",
        config_parameter="internal_sla.surge_enabled",
        help="Default of new agreements: relax the targets of requests filed while a "
        "provider team's backlog is abnormally high.",
    )
    internal_sla_surge_backlog_threshold = fields.Integer(
        string="Surge above (open requests)",
        config_parameter="internal_sla.surge_backlog_threshold",
        default=0,
    )
    internal_sla_surge_average_percent = fields.Integer(
        string="Surge above the 4-week average (%)",
        config_parameter="internal_sla.surge_average_percent",
        default=50,
    )
    internal_sla_surge_factor = fields.Float(
        string="Relax targets by (×)",
        config_parameter="internal_sla.surge_factor",
        default=1.5,
    )
    internal_sla_forecast_threshold = fields.Integer(
        string="Likely to breach from (risk)",
        config_parameter="internal_sla.forecast_threshold",
        default=60,
        help="Open requests whose breach risk (0–100) reaches this value are listed by the "
        "'Likely to breach' filter.",
    )

    @api.constrains(
        "internal_sla_surge_backlog_threshold",
        "internal_sla_surge_average_percent",
        "internal_sla_surge_factor",
        "internal_sla_forecast_threshold",
    )
    def _check_internal_sla_surge(self):
        for settings in self:
            if settings.internal_sla_surge_factor <= 1.0:
                raise ValidationError(
                    self.env._("Relax targets by (×): give a factor above 1 (e.g. 1.5).")
                )
            if (
                settings.internal_sla_surge_backlog_threshold < 0
                or settings.internal_sla_surge_average_percent < 0
            ):
                raise ValidationError(
                    self.env._("Surge thresholds: give 0 (not used) or a positive number.")
                )
            if not 1 <= settings.internal_sla_forecast_threshold <= 100:
                raise ValidationError(
                    self.env._("Likely to breach from (risk): give a value from 1 to 100.")
                )
