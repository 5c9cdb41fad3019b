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
