"""Who reads which individual answers, and what an answer token allows."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import InternalSlaCase, InternalSlaHttpCase, msk
from .feedback_common import FeedbackMixin
from .test_upgrade import load_migration


@tagged("post_install", "-at_install")
class TestFeedbackAccess(FeedbackMixin, InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.nps = cls.agreement.with_context(
            internal_sla_now=msk(2026, 3, 2, 10)
        ).action_send_nps()
        cls.enps = cls.it.with_context(internal_sla_now=msk(2026, 3, 2, 10)).action_send_enps()
        cls.portal = new_test_user(cls.env, login="portal_user", groups="base.group_portal")

    def visible(self, user):
        return self.Invitation.with_user(user).search([])

    def test_users_read_only_their_own_invitations(self):
        mine = self.nps.filtered(lambda i: i.user_id == self.requester)
        self.assertEqual(self.visible(self.requester), mine)
        self.assertEqual(mine.with_user(self.requester).score, 0)  # readable
        other = self.nps - mine
        with self.assertRaises(AccessError):
            other.with_user(self.requester).read(["score", "comment"])

    def test_the_surveys_app_shows_the_answers_to_their_respondent_and_admins_only(self):
        """Odoo lets every survey officer read all answers: those of the product's surveys
        stay with the person who answered and the SLA administrators."""
        mine = self.nps.filtered(lambda i: i.user_id == self.requester)
        self.answer(mine, 3, comment="Slow and vague")
        answer = mine.sudo().user_input_id
        officer = new_test_user(
            self.env, login="survey_officer", groups="base.group_user,survey.group_survey_user"
        )
        admin = new_test_user(
            self.env,
            login="sla_admin",
            groups="base.group_user,survey.group_survey_user,internal_sla.internal_sla_group_admin",
        )
        UserInput = self.env["survey.user_input"]
        Line = self.env["survey.user_input.line"]
        self.assertFalse(UserInput.with_user(officer).search([("id", "=", answer.id)]))
        self.assertFalse(Line.with_user(officer).search([("user_input_id", "=", answer.id)]))
        with self.assertRaises(AccessError):
            answer.with_user(officer).read(["scoring_percentage"])
        self.assertEqual(UserInput.with_user(admin).search([("id", "=", answer.id)]), answer)
        self.assertTrue(Line.with_user(admin).search([("user_input_id", "=", answer.id)]))
        # the officer's own surveys are untouched
        own = self.env["survey.survey"].create({"title": "Canteen"})
        own_answer = own._create_answer(user=officer)
        self.assertEqual(
            UserInput.with_user(officer).search([("survey_id", "=", own.id)]), own_answer
        )

    def test_another_department_reads_no_individual_answer(self):
        self.assertFalse(self.visible(self.outsider))
        with self.assertRaises(AccessError):
            self.nps.with_user(self.outsider).read(["score"])

    def test_heads_read_the_answers_about_their_service_but_not_enps(self):
        self.assertEqual(
            self.visible(self.it_head),
            self.nps | self.enps.filtered(lambda i: i.user_id == self.it_head),
        )
        with self.assertRaises(AccessError):
            (self.enps - self.enps.filtered(lambda i: i.user_id == self.it_head)).with_user(
                self.it_head
            ).read(["score"])
        # the customer head reads his department's answers (not IT's eNPS)
        self.assertEqual(self.visible(self.mk_head), self.nps)
        # but nobody else's answer token
        with self.assertRaises(AccessError):
            self.nps.with_user(self.mk_head).read(["user_input_id"])

    def test_heads_read_the_energy_of_a_meeting_series_but_nobody_s_answer(self):
        """Meeting energy is an anonymous pulse, as eNPS (C7, H9): the heads of both sides
        read the series' mean, not who answered what."""
        attendees = self.make_people(5, self.marketing, prefix="energy")
        event = self.review_meeting((2026, 3, 4), attendees)
        invitations = event.with_context(
            internal_sla_now=msk(2026, 3, 4, 15)
        ).action_send_energy_survey()
        self.assertEqual(invitations.user_id, attendees | self.it_head | self.mk_head)
        answers = invitations.filtered(lambda i: i.user_id in attendees)
        for invitation, score in zip(answers, [2, 1, 1, 0, -1], strict=True):
            self.answer(invitation, score)
        self.assertEqual(set(answers.mapped("state")), {"answered"})
        for head in (self.it_head, self.mk_head):
            own = invitations.filtered(lambda i, head=head: i.user_id == head)
            self.assertEqual(
                self.visible(head).filtered(lambda i: i.kind == "energy"), own, head.name
            )
            with self.assertRaises(AccessError):
                answers.with_user(head).read(["user_id", "score"])
            # the series figure still reaches them: the mean of five people
            series = event.with_user(head)._internal_sla_energy()[(event.name,)]
            self.assertAlmostEqual(series["energy"], 0.6)
            [(energy,)] = (
                self.env["internal.sla.feedback.report"]
                .with_user(head)
                ._read_group([("meeting_series", "=", event.name)], [], ["energy:avg"])
            )
            self.assertAlmostEqual(energy, 0.6)

    def test_an_updated_database_keeps_the_energy_answers_from_the_heads(self):
        """The rule is loaded once: the 19.0.1.3.0 step rewrites the one a database has."""
        rule = self.env.ref("internal_sla.internal_sla_feedback_invitation_rule_manager")
        energy = self.Invitation.with_context(internal_sla_now=msk(2026, 3, 4, 15))._invite(
            "energy",
            self.requester,
            values={
                "agreement_id": self.agreement.id,
                "provider_department_id": self.it.id,
                "customer_department_id": self.marketing.id,
            },
        )
        rule.domain_force = rule.domain_force.replace(
            "('kind', 'not in', ('enps', 'energy'))", "('kind', '!=', 'enps')"
        )
        self.assertIn(energy, self.visible(self.it_head))  # as a 19.0.1.2.0 database had it
        load_migration("19.0.1.3.0", "post-migration").migrate(self.env.cr, "19.0.1.2.0")
        self.env.invalidate_all()
        self.assertIn("'energy'", rule.domain_force)
        self.assertNotIn(energy, self.visible(self.it_head))

    def test_nobody_but_admins_changes_an_answer(self):
        with self.assertRaises(AccessError):
            self.nps[0].with_user(self.requester).write({"score": 10})
        with self.assertRaises(AccessError):
            self.Invitation.with_user(self.it_head).create(
                {
                    "kind": "nps",
                    "survey_id": self.nps[0].survey_id.id,
                    "user_id": self.it_head.id,
                }
            )

    def test_portal_users_see_nothing_internal(self):
        for model in (
            "internal.sla.feedback.invitation",
            "internal.sla.feedback.report",
            "internal.sla.agreement",
        ):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.portal).search([])


@tagged("post_install", "-at_install")
class TestAnswerToken(FeedbackMixin, InternalSlaHttpCase):
    def setUp(self):
        super().setUp()
        ticket = self.create_ticket(msk(2026, 3, 2, 10))
        ticket.stage_id = self.stage_done  # now: the invitation runs in real time
        self.invitation = ticket.feedback_invitation_ids
        self.token = self.invitation.user_input_id.access_token

    def click(self, score, token=None):
        return self.url_open(f"/internal_sla/feedback/{token or self.token}/{score}")

    def test_one_click_answers_once(self):
        self.authenticate("mk_requester", "mk_requester")
        response = self.click(4)
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            f"/survey/{self.invitation.survey_id.access_token}/{self.token}", response.url
        )
        self.assertEqual((self.invitation.state, self.invitation.score), ("answered", 4))
        self.assertEqual(self.invitation.category, "promoter")
        # a second click changes nothing
        self.click(1)
        self.invitation.invalidate_recordset()
        self.assertEqual(self.invitation.score, 4)
        self.assertEqual(self.invitation.followup_state, "none")

    def test_a_submitted_survey_cannot_be_answered_again(self):
        self.answer(self.invitation, 5)
        self.authenticate("mk_requester", "mk_requester")
        self.click(1)
        self.invitation.invalidate_recordset()
        self.assertEqual(
            (self.invitation.score, self.invitation.user_input_id.state), (5, "done")
        )

    def test_only_the_invitee(self):
        self.authenticate("mk_head", "mk_head")
        response = self.click(1)
        self.assertEqual(self.invitation.state, "sent")
        self.assertFalse(self.invitation.user_input_id.user_input_line_ids)
        self.assertNotIn("/survey/", response.url)
        self.assertIn("access", response.text.lower())
        # nor a made-up token
        self.click(1, token="not-a-token")
        self.assertEqual(self.invitation.state, "sent")

    def test_not_logged_in_goes_to_the_login(self):
        response = self.click(5)
        self.assertIn("/web/login", response.url)
        self.assertEqual(self.invitation.state, "sent")

    def test_not_after_the_deadline(self):
        self.invitation.user_input_id.deadline = fields.Datetime.now() - timedelta(minutes=1)
        self.authenticate("mk_requester", "mk_requester")
        self.click(5)
        self.assertEqual(self.invitation.state, "sent")
        self.assertFalse(self.invitation.user_input_id.user_input_line_ids)

    def test_portal_user_cannot_use_an_employee_token(self):
        new_test_user(self.env, login="portal_token", groups="base.group_portal")
        self.authenticate("portal_token", "portal_token")
        self.click(1)
        self.assertEqual(self.invitation.state, "sent")


@tagged("post_install", "-at_install")
class TestSurveyResultsPage(FeedbackMixin, InternalSlaHttpCase):
    """The Surveys app's results page of a product survey, opened by a survey manager who is
    no SLA administrator, aggregates only that person's own answers (H9)."""

    def test_results_page_shows_others_answers_to_sla_administrators_only(self):
        people = self.make_people(5, self.marketing, prefix="results")
        invitations = self.send_nps(msk(2026, 3, 2, 10))
        answered = invitations.filtered(lambda i: i.user_id in people)
        self.assertEqual(len(answered), 5)
        for index, invitation in enumerate(answered):
            self.answer(invitation, 2 + index, comment=f"Secret remark {index}")
        survey = answered.survey_id
        officer = new_test_user(
            self.env, login="survey_boss", groups="base.group_user,survey.group_survey_manager"
        )
        sla_admin = new_test_user(
            self.env,
            login="sla_boss",
            groups="base.group_user,survey.group_survey_manager,"
            "internal_sla.internal_sla_group_admin",
        )
        self.authenticate("sla_boss", "sla_boss")
        page = self.url_open(f"/survey/results/{survey.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Secret remark 3", page.text, "an SLA administrator reads them")
        self.assertTrue(sla_admin)
        self.authenticate("survey_boss", "survey_boss")
        page = self.url_open(f"/survey/results/{survey.id}")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Secret remark", page.text)
        self.assertTrue(officer)
