from odoo import api, fields, models
from odoo.exceptions import UserError

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

    @api.ondelete(at_uninstall=False)
    def _unlink_except_feedback_sent(self):
        """Invitations keep the scores that reports, agreements and profiles read."""
        sent = (
            self.env["internal.sla.feedback.invitation"]
            .sudo()
            .search([("survey_id", "in", self.ids)], limit=1)
        )
        if sent:
            raise UserError(
                self.env._(
                    "Survey %(survey)s cannot be deleted: Internal SLA feedback invitations "
                    "were sent with it and its answers feed the reports. Archive it instead.",
                    survey=sent.survey_id.display_name,
                )
            )
