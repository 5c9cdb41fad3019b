"""Portal polish (G3): a ticket one may not see is Not Found, and a feedback survey is
answered once per invitation (no "Take Again" on the thank-you page)."""

import re

from odoo.tests import new_test_user, tagged

from .common import InternalSlaHttpCase, msk
from .feedback_common import FeedbackMixin


@tagged("post_install", "-at_install")
class TestPortalTicketNotFound(InternalSlaHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.portal = new_test_user(cls.env, login="portal_mine", groups="base.group_portal")
        cls.other = new_test_user(cls.env, login="portal_theirs", groups="base.group_portal")
        cls.mine = cls.portal_ticket(cls.portal, "Print the campaign posters")
        cls.theirs = cls.portal_ticket(cls.other, "Another requesters secret request")

    @classmethod
    def portal_ticket(cls, user, name):
        return cls.env["helpdesk.ticket"].create(
            {
                "name": name,
                "description": "<p>Needed for Friday</p>",
                "team_id": cls.team.id,
                "partner_id": user.partner_id.id,
            }
        )

    def open(self, url):
        return self.url_open(url, allow_redirects=False)

    def anonymous(self, response, ticket_id):
        """The page without what differs between two requests (form token, id asked)."""
        text = re.sub(r'csrf_token: "[^"]*"', "", response.text)
        # the id as a number of its own, not its digits inside a hash of the page
        return re.sub(rf"(?<![0-9a-zA-Z]){ticket_id}(?![0-9a-zA-Z])", "ID", text)

    def test_own_ticket_opens(self):
        self.authenticate("portal_mine", "portal_mine")
        response = self.open(f"/my/ticket/{self.mine.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Print the campaign posters", response.text)

    def test_another_requesters_ticket_is_not_found_like_a_missing_one(self):
        self.authenticate("portal_mine", "portal_mine")
        forbidden = self.open(f"/my/ticket/{self.theirs.id}")
        missing_id = self.env["helpdesk.ticket"].search([], order="id desc", limit=1).id + 1000
        missing = self.open(f"/my/ticket/{missing_id}")
        self.assertEqual((forbidden.status_code, missing.status_code), (404, 404))
        self.assertNotIn("Another requesters secret request", forbidden.text)
        # the same page: nothing tells an existing ticket from a missing one
        self.assertEqual(
            self.anonymous(forbidden, self.theirs.id), self.anonymous(missing, missing_id)
        )
        # a wrong token does not open it either
        wrong = self.open(f"/my/ticket/{self.theirs.id}/not-the-token")
        self.assertEqual(wrong.status_code, 404)

    def test_the_access_token_still_opens_a_shared_ticket(self):
        token = self.theirs.sudo()._portal_ensure_token()
        # another portal user with the shared link, in the path or as a parameter
        self.authenticate("portal_mine", "portal_mine")
        for url in (
            f"/my/ticket/{self.theirs.id}/{token}",
            f"/my/ticket/{self.theirs.id}?access_token={token}",
        ):
            with self.subTest(url=url):
                response = self.open(url)
                self.assertEqual(response.status_code, 200)
                self.assertIn("Another requesters secret request", response.text)
        # and a visitor who is not logged in
        self.authenticate(None, None)
        response = self.open(f"/my/ticket/{self.theirs.id}/{token}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Another requesters secret request", response.text)
        self.assertEqual(self.open(f"/my/ticket/{self.theirs.id}").status_code, 404)


@tagged("post_install", "-at_install")
class TestFeedbackAnsweredOnce(FeedbackMixin, InternalSlaHttpCase):
    def close_ticket(self, name):
        ticket = self.create_ticket(msk(2026, 3, 2, 10), name=name)
        ticket.stage_id = self.stage_done  # the CSAT invitation goes out now
        self.assertEqual(ticket.feedback_invitation_ids.state, "sent")
        return ticket.feedback_invitation_ids

    def answer_in_the_browser(self, invitation, score, comment):
        """What the survey page does: open the invitation link, begin, submit."""
        user_input = invitation.user_input_id
        survey = invitation.survey_id
        questions = {q.internal_sla_role: q for q in survey.question_ids}
        page = self.url_open(invitation._answer_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn(survey.title, page.text)
        tokens = f"{survey.access_token}/{user_input.access_token}"
        self.make_jsonrpc_request(f"/survey/begin/{tokens}", {})
        self.make_jsonrpc_request(
            f"/survey/submit/{tokens}",
            {str(questions["score"].id): str(score), str(questions["comment"].id): comment},
        )
        invitation.invalidate_recordset()
        return self.url_open(f"/survey/{tokens}")

    def test_finished_page_offers_no_retake(self):
        invitation = self.close_ticket("Printer jammed")
        self.authenticate("mk_requester", "mk_requester")
        finished = self.answer_in_the_browser(invitation, 4, "Quick, thanks")
        self.assertEqual((invitation.state, invitation.score), ("answered", 4))
        self.assertEqual(invitation.user_input_id.state, "done")
        self.assertIn("Thank you!", finished.text)
        self.assertNotIn("Take Again", finished.text)
        self.assertNotIn("/survey/retry/", finished.text)
        # nor by typing the retry address: no second answer to the invitation
        survey = invitation.survey_id
        answers = survey.sudo().user_input_ids
        self.url_open(
            f"/survey/retry/{survey.access_token}/{invitation.user_input_id.access_token}"
        )
        self.assertEqual(survey.sudo().user_input_ids, answers)

    def test_each_invitation_is_answered_once(self):
        """One attempt per invitation, not per person: the next closed request of the
        same requester is answered too."""
        first = self.close_ticket("Printer jammed")
        second = self.close_ticket("Mailbox full")
        self.assertNotEqual(first.user_input_id.invite_token, second.user_input_id.invite_token)
        self.authenticate("mk_requester", "mk_requester")
        self.answer_in_the_browser(first, 5, "Great")
        finished = self.answer_in_the_browser(second, 2, "Slow")
        self.assertEqual(
            [(i.state, i.score) for i in first | second], [("answered", 5), ("answered", 2)]
        )
        self.assertNotIn("Take Again", finished.text)

    def test_every_feedback_survey_allows_one_attempt(self):
        surveys = self.env["survey.survey"].search([("internal_sla_kind", "!=", False)])
        self.assertEqual(
            set(surveys.mapped("internal_sla_kind")), {"csat", "nps", "enps", "energy"}
        )
        for survey in surveys:
            with self.subTest(survey=survey.title):
                self.assertTrue(survey.is_attempts_limited)
                self.assertEqual(survey.attempts_limit, 1)
