from odoo import fields, models

FEEDBACK_KINDS = [
    ("csat", "CSAT"),
    ("nps", "Internal NPS"),
    ("enps", "eNPS"),
    ("energy", "Meeting energy"),
]


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    internal_sla_kind = fields.Selection(
        FEEDBACK_KINDS,
        string="Internal SLA feedback",
        help="The feedback loop this survey feeds: its answers become scores on "
        "agreements, tickets and departments.",
    )
