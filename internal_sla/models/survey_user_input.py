from odoo import models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    def _mark_done(self):
        res = super()._mark_done()
        invitations = (
            self.env["internal.sla.feedback.invitation"]
            .sudo()
            .search([("user_input_id", "in", self.ids), ("state", "in", ("sent", "answered"))])
        )
        invitations._record_answer()
        return res
