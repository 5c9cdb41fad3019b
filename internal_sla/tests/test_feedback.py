"""Feedback loop: triggers (C1–C3, C7), silence (C4), closed loop (C5, H10), budget (H9)."""

from ast import literal_eval
from datetime import date, datetime

from freezegun import freeze_time
from lxml import etree

from odoo import Command
from odoo.tests import new_test_user, tagged

from ..engine import feedback
from .common import InternalSlaCase, msk
from .feedback_common import FeedbackMixin


@tagged("post_install", "-at_install")
class TestFeedbackTriggers(FeedbackMixin, InternalSlaCase):
    def setUp(self):
        super().setUp()
        self.last_id = self.Invitation.search([], order="id desc", limit=1).id or 0

    def sent_here(self, kind):
        """The invitations of ``kind`` this test sent (the demo data holds others)."""
        return self.Invitation.search([("kind", "=", kind), ("id", ">", self.last_id)])

    def test_csat_invitation_when_a_ticket_closes(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10), user_id=self.agent.id)
        self.assertFalse(ticket.feedback_invitation_ids)
        self.close(ticket, msk(2026, 3, 2, 15))
        invitation = ticket.feedback_invitation_ids
        self.assertEqual(len(invitation), 1)
        self.assertEqual(
            (invitation.kind, invitation.state, invitation.user_id, invitation.agent_id),
            ("csat", "sent", self.requester, self.agent),
        )
        self.assertEqual(invitation.agreement_id, self.agreement)
        self.assertEqual(invitation.team_id, self.team)
        self.assertEqual(invitation.provider_department_id, self.it)
        self.assertEqual(invitation.customer_department_id, self.marketing)
        self.assertEqual(invitation.date_sent, msk(2026, 3, 2, 15))
        self.assertEqual(invitation.deadline, msk(2026, 3, 7, 15))  # 5 days by default
        user_input = invitation.user_input_id
        self.assertEqual(user_input.partner_id, self.requester.partner_id)
        self.assertEqual(user_input.deadline, invitation.deadline)
        self.assertEqual(ticket.csat_state, "sent")
        # the e-mail carries one link per score: one click answers
        mail = self.env["mail.mail"].search(
            [("model", "=", invitation._name), ("res_id", "=", invitation.id)]
        )
        self.assertEqual(len(mail), 1)
        for score in range(1, 6):
            self.assertIn(
                f"/internal_sla/feedback/{user_input.access_token}/{score}", mail.body_html
            )
        # reopened and closed again: no second invitation
        self.at(msk(2026, 3, 3, 10), ticket, stage_id=self.stage_progress.id)
        self.close(ticket, msk(2026, 3, 3, 11))
        self.assertEqual(ticket.feedback_invitation_ids, invitation)

    def test_csat_answer_shows_on_the_ticket(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10))
        self.close(ticket, msk(2026, 3, 2, 15))
        self.answer(ticket.feedback_invitation_ids, 4, comment="Quick and clear")
        ticket.invalidate_recordset(
            ["csat_state", "csat_score", "csat_comment", "csat_display"]
        )
        self.assertEqual(
            (ticket.csat_state, ticket.csat_score, ticket.csat_comment),
            ("answered", 4, "Quick and clear"),
        )
        self.assertEqual(ticket.csat_display, "★★★★☆ 4 / 5")
        invitation = ticket.feedback_invitation_ids
        self.assertEqual(invitation.category, "promoter")
        self.assertEqual(invitation.followup_state, "none")

    def test_feeling_and_reasons_are_read_from_the_survey_answers(self):
        """C1, C2: the CSAT's feeling and the NPS's reasons, "Other" text included, as
        the survey page saves them (suggestion ids as posted, then submitted)."""

        def questions(invitation):
            return {q.internal_sla_role: q for q in invitation.survey_id.question_ids}

        def choice(question, value):
            return question.suggested_answer_ids.filtered(lambda a: a.value == value).id

        ticket = self.create_ticket(msk(2026, 3, 2, 10), user_id=self.agent.id)
        self.close(ticket, msk(2026, 3, 2, 15))
        csat = ticket.feedback_invitation_ids
        user_input, asked = csat.user_input_id, questions(csat)
        user_input._save_lines(asked["score"], "2")
        feeling = choice(asked["feeling"], "Hard work: I had to chase them")
        user_input._save_lines(asked["feeling"], str(feeling))
        user_input._save_lines(asked["comment"], "Three reminders before an answer")
        user_input._mark_done()
        self.assertEqual(
            (csat.state, csat.score, csat.feeling, csat.comment),
            (
                "answered",
                2,
                "Hard work: I had to chase them",
                "Three reminders before an answer",
            ),
        )
        self.assertFalse(csat.reasons)

        nps = self.send_nps(msk(2026, 3, 3, 10)).filtered(lambda i: i.user_id == self.requester)
        user_input, asked = nps.user_input_id, questions(nps)
        user_input._save_lines(asked["score"], "6")
        reasons = [
            str(choice(asked["reasons"], "Speed of response")),
            str(choice(asked["reasons"], "Communication and transparency")),
        ]
        user_input._save_lines(asked["reasons"], reasons, comment="The on-call rota")
        user_input._mark_done()
        self.assertEqual((nps.state, nps.score, nps.category), ("answered", 6, "detractor"))
        self.assertEqual(
            nps.reasons, "Speed of response, Communication and transparency, The on-call rota"
        )
        self.assertFalse(nps.feeling)
        # "Other" alone is a reason too
        other = self.send_nps(msk(2026, 3, 4, 10)).filtered(
            lambda i: i.user_id == self.requester
        )
        asked = questions(other)
        other.user_input_id._save_lines(asked["score"], "9")
        other.user_input_id._save_lines(asked["reasons"], [], comment="Kind people")
        other.user_input_id._mark_done()
        self.assertEqual((other.score, other.reasons), (9, "Kind people"))

    def test_csat_invitation_mail_in_the_invitees_language(self):
        """A Russian-speaking requester gets the invitation in Russian, whoever closed the
        request (here an agent working in English)."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._get("internal_sla")._update_translations(["ru_RU"])
        self.requester.lang = "ru_RU"
        self.agent.lang = "en_US"
        ticket = self.create_ticket(msk(2026, 3, 2, 10))
        with freeze_time(msk(2026, 3, 2, 15)):
            ticket.with_user(self.agent).with_context(
                internal_sla_now=msk(2026, 3, 2, 15)
            ).write({"stage_id": self.stage_done.id})
        invitation = ticket.feedback_invitation_ids
        mail = self.env["mail.mail"].search(
            [("model", "=", invitation._name), ("res_id", "=", invitation.id)]
        )
        self.assertIn("Насколько вы довольны? Достаточно одного клика", mail.body_html)

    def test_csat_answer_on_the_ticket_is_for_those_who_served_or_manage(self):
        """The requester's answer shows on the ticket to the requester, to the agents of
        its team and to the departments' managers — not to another department's helpdesk
        user who can open every ticket."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10), user_id=self.agent.id)
        self.close(ticket, msk(2026, 3, 2, 15))
        self.answer(ticket.feedback_invitation_ids, 2, comment="Took the whole day")
        hr_agent = new_test_user(
            self.env, login="hr_agent", groups="helpdesk_mgmt.group_helpdesk_user"
        )
        for user, shown in (
            (self.requester, True),
            (self.agent, True),
            (self.it_head, True),
            (self.mk_head, True),
            (hr_agent, False),
        ):
            with self.subTest(user=user.login):
                seen = ticket.with_user(user)
                seen.invalidate_recordset()
                self.assertEqual(seen.csat_state, "answered" if shown else "hidden")
                self.assertEqual(
                    (seen.csat_score, seen.csat_comment),
                    (2, "Took the whole day") if shown else (0, False),
                )

    def test_external_contact_gets_no_csat(self):
        partner = self.env["res.partner"].create({"name": "Supplier", "email": "s@x.example"})
        ticket = self.create_ticket(msk(2026, 3, 2, 10), partner_id=partner.id)
        self.close(ticket, msk(2026, 3, 2, 15))
        self.assertFalse(ticket.feedback_invitation_ids)

    def test_nps_goes_to_the_customer_department_on_its_cadence(self):
        self.agreement.write({"nps_cadence": "monthly", "nps_next_date": False})
        with freeze_time("2026-03-02 07:00"):
            self.Invitation.with_context(
                internal_sla_now=datetime(2026, 3, 2, 7)
            )._cron_feedback()
        invitations = self.agreement.feedback_invitation_ids
        self.assertEqual(invitations.mapped("kind"), ["nps", "nps"])
        self.assertEqual(invitations.user_id, self.requester | self.mk_head)
        self.assertEqual(set(invitations.mapped("state")), {"sent"})
        self.assertEqual(invitations.customer_department_id, self.marketing)
        self.assertEqual(self.agreement.nps_next_date, date(2026, 4, 2))
        # the same day again: nothing new; quarterly moves three months
        with freeze_time("2026-03-02 09:00"):
            self.Invitation.with_context(
                internal_sla_now=datetime(2026, 3, 2, 9)
            )._cron_feedback()
        self.assertEqual(len(self.agreement.feedback_invitation_ids), 2)
        self.agreement.write({"nps_cadence": "quarterly", "nps_next_date": "2026-04-01"})
        with freeze_time("2026-04-01 07:00"):
            self.Invitation.with_context(
                internal_sla_now=datetime(2026, 4, 1, 7)
            )._cron_feedback()
        self.assertEqual(len(self.agreement.feedback_invitation_ids), 4)
        self.assertEqual(self.agreement.nps_next_date, date(2026, 7, 1))

    def test_nps_panel_and_milestones(self):
        self.agreement.write(
            {"nps_cadence": "milestone", "nps_panel_user_ids": [Command.set(self.mk_head.ids)]}
        )
        with freeze_time("2026-03-02 07:00"):
            self.Invitation.with_context(
                internal_sla_now=datetime(2026, 3, 2, 7)
            )._cron_feedback()
        self.assertFalse(
            self.agreement.feedback_invitation_ids, "milestones: no round without a milestone"
        )
        # the button sends a round at any time (test_feedback_milestones: the milestones)
        invitations = self.send_nps(msk(2026, 3, 2, 10))
        self.assertEqual(invitations.user_id, self.mk_head)

    def test_nps_of_an_agreement_with_every_department_counts_per_respondent(self):
        """Serving all departments, the panel's answers speak for each respondent's own
        department (the department pairs show them); one sending's note counts its own
        invitations."""
        self.agreement.write(
            {
                "customer_scope": "all",
                "customer_department_id": False,
                "nps_panel_user_ids": [
                    Command.set((self.mk_head | self.it_head | self.outsider).ids)
                ],
            }
        )
        invitations = self.send_nps(msk(2026, 3, 2, 10))
        self.assertEqual(
            {i.user_id: i.customer_department_id for i in invitations},
            {
                self.mk_head: self.marketing,
                self.it_head: self.it,
                self.outsider: self.hr,
            },
        )
        self.assertEqual(set(invitations.provider_department_id.ids), {self.it.id})
        self.assertIn("NPS survey sent to 3 people", self.agreement.message_ids[0].body)

    def test_nps_asks_the_reasons_of_the_agreements_kind_of_service(self):
        general = self.Invitation._survey_of("nps")
        it_survey = self.env.ref("internal_sla.survey_internal_sla_nps_it")
        self.assertEqual(general, self.env.ref("internal_sla.survey_internal_sla_nps"))
        self.assertEqual(self.send_nps(msk(2026, 3, 2, 10)).survey_id, general)
        self.agreement.nps_survey_id = it_survey
        invitations = self.send_nps(msk(2026, 3, 3, 10))
        self.assertEqual(invitations.survey_id, it_survey)
        self.assertEqual(invitations.user_input_id.survey_id, it_survey)
        reasons = it_survey.question_ids.filtered(lambda q: q.internal_sla_role == "reasons")
        self.assertIn("Systems that just work", reasons.suggested_answer_ids.mapped("value"))
        self.assertTrue(reasons.comments_allowed, "'Other' free text")
        # a detractor's re-survey asks the same questions again
        invitation = invitations[0]
        self.answer(invitation, 2, when=msk(2026, 3, 3, 11))
        invitation.with_context(internal_sla_now=msk(2026, 3, 3, 12)).action_followup_done()
        self.assertEqual(invitation.resurvey_ids.survey_id, it_survey)

    def test_enps_goes_to_the_provider_department(self):
        self.it.enps_cadence = "quarterly"
        with freeze_time("2026-03-02 07:00"):
            self.Invitation.with_context(
                internal_sla_now=datetime(2026, 3, 2, 7)
            )._cron_feedback()
        invitations = self.sent_here("enps")
        self.assertEqual(invitations.user_id, self.it_head | self.agent)
        self.assertEqual(invitations.provider_department_id, self.it)
        self.assertEqual(self.it.enps_next_date, date(2026, 6, 2))
        # eNPS answers stay anonymous to the head: no follow-up even for a detractor
        self.answer(invitations[0], 2)
        self.assertEqual(invitations[0].category, "detractor")
        self.assertEqual(invitations[0].followup_state, "none")

    def test_energy_after_a_review_meeting(self):
        event = self.review_meeting((2026, 3, 4))
        other = self.env["calendar.event"].create(
            {"name": "Lunch", "start": msk(2026, 3, 4, 13), "stop": msk(2026, 3, 4, 14)}
        )
        now = msk(2026, 3, 4, 15)
        with freeze_time(now):
            self.Invitation.with_context(internal_sla_now=now)._cron_feedback()
        invitations = self.sent_here("energy")
        self.assertEqual(invitations.event_id, event)
        self.assertNotIn(other, invitations.event_id)
        self.assertEqual(invitations.user_id, self.it_head | self.mk_head)
        self.assertEqual(set(invitations.mapped("meeting_series")), {event.name})
        self.answer(invitations[0], -2)
        self.assertEqual((invitations[0].score, invitations[0].state), (-2, "answered"))
        # sent once
        with freeze_time(now):
            self.Invitation.with_context(internal_sla_now=now)._cron_feedback()
        self.assertEqual(len(self.sent_here("energy")), 2)

    def test_no_energy_after_a_proposed_meeting_nobody_confirmed(self):
        # two unscheduled reviews proposed on Monday for Wednesday 10:00-11:00 Moscow
        with freeze_time(msk(2026, 3, 2, 10)):
            self.agreement._propose_meeting("detractor:1", "detractor answer (3/10)")
            self.agreement._propose_meeting("detractor:2", "detractor answer (2/10)")
        causes = self.agreement.meeting_cause_ids
        confirmed = causes.filtered(lambda c: c.cause == "detractor:1").event_id
        unconfirmed = causes.filtered(lambda c: c.cause == "detractor:2").event_id
        self.assertEqual(confirmed.stop, msk(2026, 3, 4, 11))
        self.assertEqual(unconfirmed.stop, msk(2026, 3, 4, 11))
        with freeze_time(msk(2026, 3, 3, 10)):
            confirmed.with_user(self.it_head).action_sla_confirm()
        self.assertTrue(unconfirmed.sla_proposed)
        now = msk(2026, 3, 4, 15)
        with freeze_time(now):
            self.Invitation.with_context(internal_sla_now=now)._cron_feedback()
        invitations = self.sent_here("energy")
        self.assertEqual(invitations.event_id, confirmed)
        self.assertEqual(invitations.user_id, self.it_head | self.mk_head)
        self.assertFalse(unconfirmed.internal_sla_energy_sent)


@tagged("post_install", "-at_install")
class TestFeedbackLoop(FeedbackMixin, InternalSlaCase):
    def followup_activity(self, invitation):
        return invitation.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("internal_sla.mail_activity_type_feedback_followup")
            )
        )

    def test_detractor_gets_a_followup_with_a_working_time_target(self):
        # Friday 6 March 16:00 Moscow; Monday 9 March is a public holiday
        invitation = self.send_nps(msk(2026, 3, 6, 15)).filtered(
            lambda i: i.user_id == self.requester
        )
        self.answer(invitation, 3, comment="Nobody answers", when=msk(2026, 3, 6, 16))
        self.assertEqual(
            (invitation.category, invitation.followup_state), ("detractor", "open")
        )
        self.assertEqual(invitation.followup_user_id, self.it_head)
        # 2 working days = 16 working hours: Fri 2 h, Tue 10 March 8 h, Wed 6 h -> Wed 16:00
        self.assertEqual(invitation.followup_deadline, msk(2026, 3, 11, 16))
        activity = self.followup_activity(invitation)
        self.assertEqual(activity.user_id, self.it_head)
        self.assertEqual(activity.date_deadline, date(2026, 3, 11))
        # a meeting with both sides is proposed, once
        proposed = self.env["mail.activity"].search(
            [("res_model", "=", self.agreement._name), ("res_id", "=", self.agreement.id)]
        )
        meeting = proposed.filtered(lambda a: "Unscheduled review" in a.summary)
        self.assertEqual(len(meeting), 1)
        self.assertEqual(meeting.user_id, self.agreement.provider_owner_id)
        cause = self.env["internal.sla.meeting.cause"].search(
            [("agreement_id", "=", self.agreement.id)]
        )
        self.assertEqual(cause.cause, f"detractor:{invitation.id}")
        self.assertTrue(cause.event_id)
        # the head follows up on Tuesday at noon: in time, 5 working hours, re-survey sent
        done_at = msk(2026, 3, 10, 12)
        with freeze_time(done_at):
            activity.with_user(self.it_head).with_context(
                internal_sla_now=done_at
            ).action_done()
        self.assertEqual(invitation.followup_state, "done")
        self.assertEqual(invitation.followup_done_date, done_at)
        self.assertTrue(invitation.followup_in_time)
        self.assertEqual(invitation.followup_seconds, 5 * 3600)
        resurvey = invitation.resurvey_ids
        self.assertEqual(len(resurvey), 1)
        self.assertEqual(
            (resurvey.kind, resurvey.user_id, resurvey.agreement_id, resurvey.state),
            ("nps", self.requester, self.agreement, "sent"),
        )
        self.assertEqual(resurvey.date_sent, done_at)
        self.assertEqual(
            self.Invitation._followed_up_in_time([("id", "=", invitation.id)]), 100
        )

    def test_activities_speak_the_language_of_the_person_they_are_for(self):
        """G4: the provider head reads Russian, the requester answers in English: the
        follow-up and the proposed meeting reach the head in Russian."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._get("internal_sla")._update_translations(["ru_RU"])
        self.it_head.lang = "ru_RU"
        invitation = self.send_nps(msk(2026, 3, 6, 15)).filtered(
            lambda i: i.user_id == self.requester
        )
        self.answer(invitation, 3, comment="Nobody answers", when=msk(2026, 3, 6, 16))
        self.assertTrue(
            self.followup_activity(invitation).summary.startswith("Отреагировать на ответ")
        )
        proposed = self.env["mail.activity"].search(
            [("res_model", "=", self.agreement._name), ("res_id", "=", self.agreement.id)]
        )
        self.assertEqual(self.agreement.provider_owner_id, self.it_head)
        self.assertTrue(
            proposed.filtered(lambda a: a.summary.startswith("Внеплановая встреча"))
        )

    def test_detractor_filter_lists_only_the_answers_that_get_a_followup(self):
        """eNPS detractors never get a follow-up (anonymous to the head): the "Detractor
        without follow-up" filter leaves them out instead of listing them forever."""
        arch = self.Invitation.get_views([(False, "search")])["views"]["search"]["arch"]
        domain = literal_eval(
            etree.fromstring(arch)
            .xpath("//filter[@name='detractor_no_followup']")[0]
            .get("domain")
        )
        nps = self.send_nps(msk(2026, 3, 2, 10)).filtered(lambda i: i.user_id == self.requester)
        self.answer(nps, 3, when=msk(2026, 3, 2, 11))
        enps = self.it.action_send_enps().filtered(lambda i: i.user_id == self.agent)
        self.answer(enps, 2, when=msk(2026, 3, 2, 11))
        self.assertEqual((nps.category, nps.followup_state), ("detractor", "open"))
        self.assertEqual((enps.category, enps.followup_state), ("detractor", "none"))
        listed = self.Invitation.search(domain + [("id", "in", (nps | enps).ids)])
        self.assertEqual(listed, nps)

    def test_late_followup_is_not_in_time(self):
        self.set_param("followup_days", 1)
        invitation = self.send_nps(msk(2026, 3, 10, 9))[0]
        self.answer(invitation, 0, when=msk(2026, 3, 10, 10))
        self.assertEqual(invitation.followup_deadline, msk(2026, 3, 11, 10))
        with freeze_time(msk(2026, 3, 12, 10)):
            invitation.with_context(
                internal_sla_now=msk(2026, 3, 12, 10)
            ).action_followup_done()
        self.assertEqual(invitation.followup_state, "done")
        self.assertFalse(invitation.followup_in_time)
        self.assertFalse(self.followup_activity(invitation), "the activity is done too")
        self.assertEqual(self.Invitation._followed_up_in_time([("id", "=", invitation.id)]), 0)

    def test_passive_followup_only_for_a_negative_comment(self):
        first, second = self.send_nps(msk(2026, 3, 10, 9))
        self.answer(first, 7, comment="All fine, thanks")
        self.assertEqual((first.category, first.followup_state), ("passive", "none"))
        self.answer(second, 8, comment="Ответ был слишком медленный")
        self.assertTrue(second.negative_comment)
        self.assertEqual(second.followup_state, "open")
        self.assertTrue(self.followup_activity(second))
        self.assertFalse(
            self.env["mail.activity"].search_count(
                [("res_model", "=", self.agreement._name), ("note", "ilike", "detractor")]
            ),
            "passives propose no meeting",
        )

    def test_negative_words_are_configurable(self):
        self.set_param("negative_words_en", "meh, so-so")
        self.set_param("negative_words_ru", "")
        first, second = self.send_nps(msk(2026, 3, 10, 9))
        self.answer(first, 8, comment="Slow")  # no longer in the list
        self.answer(second, 7, comment="Meh.")
        self.assertEqual(first.followup_state, "none")
        self.assertEqual(second.followup_state, "open")

    def test_promoters_are_thanked_only_when_enabled(self):
        first, second = self.send_nps(msk(2026, 3, 10, 9))
        self.answer(first, 10)
        self.assertFalse(first.thanked)
        self.set_param("thank_promoters", "True")
        self.answer(second, 9)
        self.assertTrue(second.thanked)
        self.assertIn(
            second.user_id.partner_id,
            second.message_ids.filtered(lambda m: "Thank you" in (m.body or "")).partner_ids,
        )
        self.assertEqual(second.followup_state, "none")

    def test_a_detractor_answer_proposes_one_meeting_however_often_it_is_saved(self):
        """D2 through the survey itself: the one-click score, then the page submitted with
        another detractor score, then the daily job — one proposed meeting, one cause."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10))
        self.close(ticket, msk(2026, 3, 2, 15))
        invitation = ticket.feedback_invitation_ids
        self.answer(invitation, 2, when=msk(2026, 3, 2, 16))
        self.answer(invitation, 1, comment="Still broken", when=msk(2026, 3, 2, 16, 5))
        now = msk(2026, 3, 3, 10)
        with freeze_time(now):
            self.Invitation.with_context(internal_sla_now=now)._cron_feedback()
        proposed = self.env["calendar.event"].search(
            [("sla_agreement_id", "=", self.agreement.id), ("sla_proposed", "=", True)]
        )
        self.assertEqual(len(proposed), 1)
        self.assertEqual(proposed.sla_cause_ids.mapped("cause"), [f"detractor:{invitation.id}"])
        self.assertEqual(len(invitation.activity_ids.filtered("user_id")), 1)

    def test_a_detractor_score_changed_before_submitting_withdraws_the_loop(self):
        """C5: a one-click 2, changed to 5 on the survey page and submitted: the head's
        follow-up and the proposed meeting are withdrawn, nobody is re-surveyed."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10))
        self.close(ticket, msk(2026, 3, 2, 15))
        invitation = ticket.feedback_invitation_ids
        self.answer(invitation, 2, when=msk(2026, 3, 2, 16))
        self.assertEqual(invitation.followup_state, "open")
        self.assertTrue(self.followup_activity(invitation))
        proposed = self.env["calendar.event"].search(
            [("sla_agreement_id", "=", self.agreement.id), ("sla_proposed", "=", True)]
        )
        self.assertEqual(len(proposed), 1)
        self.answer(invitation, 5, comment="Sorted out, thanks", when=msk(2026, 3, 2, 16, 5))
        self.assertEqual((invitation.category, invitation.followup_state), ("promoter", "none"))
        self.assertFalse(invitation.followup_user_id)
        self.assertFalse(self.followup_activity(invitation))
        self.assertFalse(proposed.exists())
        self.assertFalse(
            self.env["internal.sla.meeting.cause"].search(
                [("cause", "=", f"detractor:{invitation.id}")]
            )
        )
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", self.agreement._name),
                    ("res_id", "=", self.agreement.id),
                    ("summary", "ilike", "Unscheduled review"),
                ]
            )
        )
        self.assertIn("no follow-up is needed", invitation.message_ids[0].body)
        self.assertFalse(invitation.resurvey_ids)

    def test_csat_detractor_follows_the_ticket_agreement(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10))
        self.close(ticket, msk(2026, 3, 2, 15))
        invitation = ticket.feedback_invitation_ids
        self.answer(invitation, 1, when=msk(2026, 3, 2, 16))
        self.assertEqual(invitation.followup_state, "open")
        self.assertEqual(invitation.followup_deadline, msk(2026, 3, 4, 16))

    def test_went_silent(self):
        def round_of_nps(day, answer_it):
            invitations = self.send_nps(msk(2026, 3, day, 10))
            mine = invitations.filtered(lambda i: i.user_id == self.requester)
            theirs = invitations - mine
            if answer_it:
                self.answer(mine, 9)
            return mine, theirs

        round_of_nps(2, True)
        round_of_nps(10, True)
        mine, theirs = round_of_nps(17, False)
        # after the deadline: both expire; only the requester answered the previous two
        now = msk(2026, 3, 23, 10)
        with freeze_time(now):
            self.Invitation.with_context(internal_sla_now=now)._cron_feedback()
        self.assertEqual((mine.state, theirs.state), ("expired", "expired"))
        self.assertTrue(mine.silent)
        self.assertFalse(theirs.silent)
        silent_activity = mine.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("internal_sla.mail_activity_type_feedback_silent")
            )
        )
        self.assertEqual(silent_activity.user_id, self.agreement.provider_owner_id)
        self.assertIn(self.requester.name, silent_activity.summary)
        # response rate: 2 answered of 6 sent
        self.assertAlmostEqual(self.agreement.feedback_response_rate, 100 * 2 / 6)
        # an expired token no longer opens the survey (Odoo survey checks the deadline)
        self.assertLess(mine.user_input_id.deadline, now)

    def test_two_invitations_expiring_together_are_judged_in_turn(self):
        """C4: the requester answered two rounds, then let two expire in the same run:
        the first of them went silent; the second follows an unanswered one, so not."""
        for day in (2, 4):
            mine = self.send_nps(msk(2026, 3, day, 10)).filtered(
                lambda i: i.user_id == self.requester
            )
            self.answer(mine, 9)
        first, second = (
            self.send_nps(msk(2026, 3, day, 10)).filtered(lambda i: i.user_id == self.requester)
            for day in (10, 12)
        )
        now = msk(2026, 3, 23, 10)
        with freeze_time(now):
            expired = self.Invitation.with_context(internal_sla_now=now)._expire(now)
        self.assertLessEqual(first | second, expired)
        self.assertEqual((first.state, second.state), ("expired", "expired"))
        self.assertEqual((first.silent, second.silent), (True, False))
        silent_type = self.env.ref("internal_sla.mail_activity_type_feedback_silent")
        self.assertEqual(
            len(
                (first | second).activity_ids.filtered(
                    lambda a: a.activity_type_id == silent_type
                )
            ),
            1,
        )

    def test_overdue_filter(self):
        invitations = self.send_nps(msk(2026, 3, 2, 10))
        self.answer(invitations[0], 9)
        later = self.Invitation.with_context(internal_sla_now=msk(2026, 3, 9, 10))
        self.assertEqual(later.search([("overdue", "=", True)]), invitations[1])
        self.assertFalse(
            self.Invitation.with_context(internal_sla_now=msk(2026, 3, 3, 10)).search(
                [("overdue", "=", True)]
            )
        )


@tagged("post_install", "-at_install")
class TestSurveyBudget(FeedbackMixin, InternalSlaCase):
    def test_cap_per_person_and_period_across_surveys(self):
        self.set_param("survey_cap", 2)
        self.set_param("survey_cap_period", "month")
        ticket = self.create_ticket(msk(2026, 3, 2, 10))
        self.close(ticket, msk(2026, 3, 2, 15))
        self.assertEqual(ticket.feedback_invitation_ids.state, "sent")  # 1st of the requester
        self.send_nps(msk(2026, 3, 5, 10))  # 2nd of the requester, 1st of the head
        third = self.send_nps(msk(2026, 3, 12, 10))
        by_user = {i.user_id: i for i in third}
        self.assertEqual(by_user[self.requester].state, "skipped")
        self.assertFalse(by_user[self.requester].user_input_id, "sampled out: nothing sent")
        self.assertEqual(by_user[self.mk_head].state, "sent")
        # a new month, a new budget; sampled-out invitations do not count in the rate
        april = self.send_nps(msk(2026, 4, 1, 10))
        self.assertEqual(set(april.mapped("state")), {"sent"})
        self.assertEqual(
            self.Invitation._response_rate([("id", "in", (third | april).ids)]), 0.0
        )

    def test_quarter_period_and_no_cap(self):
        self.set_param("survey_cap", 1)
        self.set_param("survey_cap_period", "quarter")
        self.send_nps(msk(2026, 1, 12, 10))
        march = self.send_nps(msk(2026, 3, 2, 10))
        self.assertEqual(set(march.mapped("state")), {"skipped"})
        self.set_param("survey_cap", 0)
        self.assertEqual(set(self.send_nps(msk(2026, 3, 3, 10)).mapped("state")), {"sent"})

    def test_resurvey_of_the_loop_ignores_the_cap(self):
        self.set_param("survey_cap", 1)
        invitation = self.send_nps(msk(2026, 3, 10, 9))[0]
        self.answer(invitation, 2, when=msk(2026, 3, 10, 10))
        invitation.with_context(internal_sla_now=msk(2026, 3, 10, 12)).action_followup_done()
        self.assertEqual(invitation.resurvey_ids.state, "sent")

    def test_panel_beyond_the_budget_is_sampled(self):
        self.set_param("survey_cap", 1)
        people = self.make_people(6, self.marketing)
        self.agreement.nps_panel_user_ids = [Command.set(people.ids)]
        # three of them already had their survey this month
        self.answered(people[:3], [9, 9, 9], msk(2026, 3, 2, 10))
        invitations = self.send_nps(msk(2026, 3, 10, 10))
        self.assertEqual(
            invitations.filtered(lambda i: i.state == "skipped").user_id, people[:3]
        )
        self.assertEqual(invitations.filtered(lambda i: i.state == "sent").user_id, people[3:])

    def test_meeting_energy_is_outside_the_budget(self):
        self.set_param("survey_cap", 1)
        for hour in (9, 10):  # two reviews the same day: both asked about their energy
            with freeze_time(msk(2026, 3, 2, hour)):
                energy = self.Invitation.with_context(
                    internal_sla_now=msk(2026, 3, 2, hour)
                )._invite("energy", self.requester)
            self.assertEqual(energy.state, "sent")
        # ...and they do not use up the requester's budget for the month
        self.assertEqual(set(self.send_nps(msk(2026, 3, 5, 10)).mapped("state")), {"sent"})
        # the settings page says so
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"]["form"][
            "arch"
        ]
        setting = etree.fromstring(arch).xpath(
            "//setting[@id='internal_sla_survey_cap_setting']"
        )
        help_text = setting[0].get("help")
        self.assertIn("across CSAT, NPS and eNPS;", help_text)
        self.assertIn("meeting energy is not counted", help_text)

    def test_frequent_requesters_csat_is_sampled_over_the_period(self):
        self.set_param("survey_cap", 4)
        ticket = self.create_ticket(msk(2026, 2, 2, 10))

        def trigger(when):
            with freeze_time(when):
                return self.Invitation.with_context(internal_sla_now=when)._invite(
                    "csat", self.requester, {"ticket_id": ticket.id}
                )

        # February: the first trigger of the requester, invited (no history, rate 1)
        self.assertEqual(trigger(msk(2026, 2, 2, 11)).state, "sent")
        # 16 CSAT triggers in February in all: in March a quarter of them is invited
        for day in range(3, 18):
            trigger(msk(2026, 2, day, 11))
        rates = self.Invitation._csat_sampling_rates(self.requester, msk(2026, 3, 1, 9))
        self.assertEqual(rates, {self.requester.id: 0.25})
        march = self.Invitation
        for day in range(2, 30):
            march |= trigger(msk(2026, 3, day, 11))
        sent = march.filtered(lambda invitation: invitation.state == "sent")
        # the triggers whose own draw falls under the rate are invited, the first four
        # of them (the budget): not simply the first four triggers of the month (the
        # draw depends on the request's id, so it is computed here, not assumed)
        drawn = [
            msk(2026, 3, day, 11)
            for day in range(2, 30)
            if feedback.sample_draw(
                self.requester.id, "csat", ticket.id, str(msk(2026, 3, day, 11))
            )
            < 0.25
        ]
        self.assertEqual(sent.mapped("date_sent"), drawn[:4])
        self.assertLessEqual(len(sent), 4)
        # reproducible: the same trigger draws the same
        self.assertEqual(
            feedback.sample_draw(1, "csat", 2, "2026-03-02 08:00:00"),
            feedback.sample_draw(1, "csat", 2, "2026-03-02 08:00:00"),
        )

    def test_settings_refuse_a_negative_cap(self):
        from odoo.exceptions import ValidationError

        with self.assertRaisesRegex(ValidationError, "Surveys per person"):
            self.env["res.config.settings"].create({"internal_sla_survey_cap": -1})
        with self.assertRaisesRegex(ValidationError, "Follow up within"):
            self.env["res.config.settings"].create({"internal_sla_followup_days": 0})


@tagged("post_install", "-at_install")
class TestFeedbackQueries(FeedbackMixin, InternalSlaCase):
    def test_agent_closes_tickets_and_csat_goes_out_in_few_queries(self):
        tickets = [
            self.create_ticket(msk(2026, 3, 2, 10), name=f"Request {n}") for n in range(8)
        ]
        Ticket = self.env["helpdesk.ticket"].with_user(self.agent)

        def queries(records):
            self.env.invalidate_all()
            start = self.env.cr.sql_log_count
            records._feedback_send_csat()
            self.env.flush_all()
            return self.env.cr.sql_log_count - start

        queries(Ticket.browse(tickets[0].id))  # warm-up: caches, mail layout
        one = queries(Ticket.browse(tickets[1].id))
        six = queries(Ticket.browse([t.id for t in tickets[2:]]))
        invitations = self.Invitation.search([("ticket_id", "in", [t.id for t in tickets])])
        self.assertEqual(len(invitations), 8)
        self.assertEqual(len(invitations.user_input_id), 8)
        # six invitations cost hardly more than one: no query batch per ticket
        self.assertLessEqual(six, one + 2, f"1 ticket: {one} queries, 6 tickets: {six}")
