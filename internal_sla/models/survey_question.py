from odoo import fields, models


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    internal_sla_role = fields.Selection(
        [
            ("score", "Score"),
            ("reasons", "Reasons"),
            ("feeling", "Feeling"),
            ("comment", "Comment"),
        ],
        string="Internal SLA role",
        help="What the answer to this question means for the feedback loop: the score "
        "(1–5 CSAT, 0–10 NPS, or the score of the chosen option), the reasons, how the "
        "interaction felt, or a free comment.",
    )
