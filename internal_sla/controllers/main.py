from odoo import http
from odoo.http import request

from odoo.addons.survey.controllers.main import Survey


class InternalSlaFeedback(Survey):
    @http.route(
        "/internal_sla/feedback/<string:answer_token>/<int:score>",
        type="http",
        auth="user",
        methods=["GET"],
    )
    def internal_sla_one_click(self, answer_token, score, **kwargs):
        """One click from the CSAT e-mail (C1): records the score, then opens the survey
        for the optional comment. The survey's own checks apply: the token must be the
        logged-in invitee's, before its deadline; a token already answered changes
        nothing."""
        answer_sudo = (
            request.env["survey.user_input"]
            .sudo()
            .search([("access_token", "=", answer_token)], limit=1)
        )
        survey_sudo = answer_sudo.survey_id
        access = self._get_access_data(survey_sudo.access_token, answer_token)
        if access["validity_code"] is not True:
            return self._redirect_with_error(access, access["validity_code"])
        invitation = (
            request.env["internal.sla.feedback.invitation"]
            .sudo()
            .search([("user_input_id", "=", answer_sudo.id)], limit=1)
        )
        question = survey_sudo.question_ids.filtered(
            lambda q: q.internal_sla_role == "score" and q.question_type == "scale"
        )[:1]
        if (
            invitation.state == "sent"
            and answer_sudo.state != "done"
            and question
            and question.scale_min <= score <= question.scale_max
        ):
            answer_sudo._save_lines(question, str(score))
            if answer_sudo.state == "new":
                answer_sudo.state = "in_progress"
            invitation._record_answer()
        return request.redirect(answer_sudo.get_start_url())
