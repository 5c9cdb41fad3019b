"""Escalation chain (B7): levels at 75 / 100 / 150 % of a target, once each, to the right
person, closed when the target is reached; fallbacks when nobody is there."""

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from ..models.res_config_settings import recipient_env
from .common import InternalSlaCase, department_headed_by, msk


@tagged("post_install", "-at_install")
class TestSlaEscalation(InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ceo = new_test_user(cls.env, login="ceo", name="Cecilia CEO")
        board = department_headed_by(cls.env, "Board", cls.ceo, "Cecilia")
        cls.it.parent_id = board

    def sweep(self, when):
        with freeze_time(when):
            self.env["internal.sla.line"]._cron_sweep()

    def escalations(self, ticket):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("internal_sla_line_id", "!=", False),
            ]
        )

    def levels(self, ticket):
        """{(target metric, level): user} of the ticket's open escalation activities."""
        return {
            (activity.internal_sla_line_id.metric, activity.internal_sla_escalation_level): (
                activity.user_id
            )
            for activity in self.escalations(ticket)
        }

    def escalation_notes(self, ticket):
        return ticket.message_ids.filtered(lambda m: "Escalated to level" in (m.body or ""))

    def test_each_level_once_at_its_instant_to_the_right_person(self):
        # urgent: first response 1 h (levels 10:45, 11:00, 11:30), resolution 2 h
        # (levels 11:30, 12:00, 13:00 Moscow)
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3", user_id=self.agent.id)
        first = self.line(ticket, "first_response")
        self.assertEqual(
            (first.escalation1_date, first.escalation2_date, first.escalation3_date),
            (msk(2026, 3, 2, 10, 45), msk(2026, 3, 2, 11, 0), msk(2026, 3, 2, 11, 30)),
        )
        self.sweep(msk(2026, 3, 2, 10, 44))
        self.assertFalse(self.escalations(ticket))
        self.sweep(msk(2026, 3, 2, 10, 46))
        self.assertEqual(self.levels(ticket), {("first_response", 1): self.agent})
        self.assertEqual(ticket.sla_escalation_level, 1)
        # a second sweep at the same moment creates nothing twice
        self.sweep(msk(2026, 3, 2, 10, 46))
        self.assertEqual(len(self.escalations(ticket)), 1)
        self.assertEqual(len(self.escalation_notes(ticket)), 1)
        # 11:31: first response passes levels 2 and 3 at once, resolution reaches level 1
        self.sweep(msk(2026, 3, 2, 11, 31))
        self.assertEqual(
            self.levels(ticket),
            {
                ("first_response", 1): self.agent,
                ("first_response", 2): self.it_head,
                ("first_response", 3): self.ceo,
                ("resolution", 1): self.agent,
            },
        )
        self.assertEqual(ticket.sla_escalation_level, 3)
        self.assertEqual(len(self.escalation_notes(ticket)), 4)
        activity = self.escalations(ticket).filtered(
            lambda a: a.internal_sla_escalation_level == 3
        )
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("internal_sla.mail_activity_type_sla_escalation"),
        )
        self.assertIn("level 3", activity.summary)
        self.sweep(msk(2026, 3, 2, 11, 31))
        self.assertEqual(len(self.escalations(ticket)), 4)
        # the timeline places each level at its exact instant
        ticket.invalidate_recordset(["sla_timeline_ids"])
        self.assertEqual(
            sorted(
                (event.target_name, event.date, event.escalation_level)
                for event in ticket.sla_timeline_ids
                if event.event_type == "escalation"
            ),
            sorted(
                [
                    (first.name, msk(2026, 3, 2, 10, 45), 1),
                    (first.name, msk(2026, 3, 2, 11, 0), 2),
                    (first.name, msk(2026, 3, 2, 11, 30), 3),
                    (self.line(ticket).name, msk(2026, 3, 2, 11, 30), 1),
                ]
            ),
        )
        # the request is solved: every escalation activity closes itself
        self.at(msk(2026, 3, 2, 11, 40), ticket, stage_id=self.stage_done.id)
        self.assertFalse(self.escalations(ticket))
        done = self.env["mail.message"].search(
            [
                ("model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("mail_activity_type_id", "=", activity.activity_type_id.id),
            ]
        )
        self.assertEqual(len(done), 4)
        self.sweep(msk(2026, 3, 2, 15, 0))
        self.assertFalse(self.escalations(ticket))

    def test_the_jobs_write_in_the_language_of_settings_else_the_company(self):
        """G4: the sweep runs as a scheduled job, without a language: its notes are
        written in the language of Settings, else the company's, and a run started in a
        person's language keeps it; each escalation activity (and digest) is in the
        language of the person it is for."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._get("internal_sla")._update_translations(["ru_RU"])
        urgent, company_lang, person_lang = (
            self.create_ticket(msk(2026, 3, 2, hour, 0), priority="3", user_id=self.agent.id)
            for hour in (10, 11, 12)
        )

        def note(ticket, text):
            return ticket.message_ids.filtered(lambda m: text in (m.body or ""))

        jobs = self.env(context={})["internal.sla.line"]
        self.env["ir.config_parameter"].set_param("internal_sla.automation_lang", "ru_RU")
        with freeze_time(msk(2026, 3, 2, 10, 46)):
            jobs._cron_sweep()
        self.assertTrue(note(urgent, "Эскалация на уровень 1 (First response)"))
        # Anton reads English: his activity is in English
        self.assertEqual(
            self.escalations(urgent).summary, "SLA escalation level 1: First response"
        )
        self.env["ir.config_parameter"].set_param("internal_sla.automation_lang", "")
        self.env.company.partner_id.lang = "ru_RU"
        with freeze_time(msk(2026, 3, 2, 11, 46)):
            jobs._cron_sweep()
        self.assertTrue(note(company_lang, "Эскалация на уровень 1 (First response)"))
        self.agent.lang = "ru_RU"
        with freeze_time(msk(2026, 3, 2, 12, 46)):
            jobs.with_context(lang="en_US")._cron_sweep()
        self.assertTrue(note(person_lang, "Escalated to level 1 (First response)"))
        self.assertEqual(
            self.escalations(person_lang).summary, "Эскалация SLA, уровень 1: First response"
        )
        # the setting offers the installed languages
        settings = self.env["res.config.settings"].create(
            {"internal_sla_automation_lang": "ru_RU"}
        )
        settings.execute()
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("internal_sla.automation_lang"), "ru_RU"
        )

    def test_a_person_with_a_language_no_longer_active_gets_the_writers(self):
        """An archived person may keep a language deactivated since: texts for them are
        written in the writer's language instead of stopping the job."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE res_partner SET lang = 'fr_FR' WHERE id = %s", [self.agent.partner_id.id]
        )
        self.agent.invalidate_recordset()
        self.agent.partner_id.invalidate_recordset()
        self.assertEqual(self.agent.lang, "fr_FR")
        self.assertFalse(self.env["res.lang"]._get_data(code="fr_FR"))
        jobs = self.env(context={"lang": "en_US"})["internal.sla.line"]
        self.assertEqual(recipient_env(jobs, self.agent).lang, "en_US")
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3", user_id=self.agent.id)
        with freeze_time(msk(2026, 3, 2, 10, 46)):
            jobs._cron_sweep()
        self.assertEqual(
            self.escalations(ticket).summary, "SLA escalation level 1: First response"
        )

    def test_each_person_is_told_once_per_sweep(self):
        def digests(user):
            return self.env["mail.message"].search(
                [
                    ("partner_ids", "in", user.partner_id.ids),
                    ("subject", "like", "SLA escalations for you"),
                ]
            )

        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3", user_id=self.agent.id)
        self.sweep(msk(2026, 3, 2, 10, 46))
        self.sweep(msk(2026, 3, 2, 10, 46))
        self.assertEqual(digests(self.agent).mapped("subject"), ["SLA escalations for you: 1"])
        # 11:31: levels 2 and 3 of the first response, level 1 of the resolution
        self.sweep(msk(2026, 3, 2, 11, 31))
        self.assertEqual(len(digests(self.agent)), 2)
        for user in (self.it_head, self.ceo):
            message = digests(user)
            self.assertEqual(message.subject, "SLA escalations for you: 1")
            self.assertIn(f"/odoo/helpdesk.ticket/{ticket.id}", message.body)
            self.assertEqual(message.notification_ids.res_partner_id, user.partner_id)

    def test_digest_gathers_the_sweeps_steps_and_stays_short(self):
        """Escalations and stage rules of one sweep reach a person in one message, which
        names the first requests and counts the rest."""
        self.env["internal.sla.stage.rule"].create(
            {
                "agreement_id": self.agreement.id,
                "stage_id": self.stage_new.id,
                "duration": 1,
                "duration_unit": "hours",
                "action": "escalate",  # to the provider's head, like escalation level 2
            }
        )
        tickets = self.env["helpdesk.ticket"]
        for _i in range(7):
            tickets |= self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        # 11:01: per unassigned request without a team leader, levels 1 and 2 of the first
        # response (breached) and the stage rule all go to the head of IT: 21 activities
        # from two steps of the sweep, one message
        self.sweep(msk(2026, 3, 2, 11, 1))
        activities = self.env["mail.activity"].search(
            [("res_id", "in", tickets.ids), ("user_id", "=", self.it_head.id)]
        )
        self.assertEqual(len(activities), 21)
        digest = self.env["mail.message"].search(
            [
                ("partner_ids", "in", self.it_head.partner_id.ids),
                ("subject", "like", "SLA escalations for you"),
            ]
        )
        self.assertEqual(digest.subject, "SLA escalations for you: 21")
        self.assertEqual(digest.body.count("<li>"), 10)
        self.assertIn("and 11 more in your activities", digest.body)

    def test_met_target_closes_only_its_own_activities(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3", user_id=self.agent.id)
        self.sweep(msk(2026, 3, 2, 11, 31))
        self.assertEqual(len(self.escalations(ticket)), 4)
        # the first reply to the requester meets the first-response target (late)
        with freeze_time(msk(2026, 3, 2, 11, 35)):
            ticket.with_user(self.agent).message_post(
                body="Looking into it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(self.levels(ticket), {("resolution", 1): self.agent})

    def test_paused_clock_does_not_escalate(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3", user_id=self.agent.id)
        self.at(msk(2026, 3, 2, 10, 30), ticket, stage_id=self.stage_waiting.id)
        self.sweep(msk(2026, 3, 2, 17, 0))
        self.assertFalse(self.escalations(ticket))
        # work resumes at 17:00 with 30 minutes of the first-response hour used: level 1
        # (45 min) is due at 17:15
        self.at(msk(2026, 3, 2, 17, 0), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(
            self.line(ticket, "first_response").escalation_next_date, msk(2026, 3, 2, 17, 15)
        )
        self.sweep(msk(2026, 3, 2, 17, 16))
        self.assertEqual(self.levels(ticket), {("first_response", 1): self.agent})

    def test_fallbacks_when_nobody_is_there(self):
        """No assignee: the team leader; no head of department: the provider owner, else a
        note saying whom to set; never a crash."""
        self.team.user_id = False
        self.agreement.provider_owner_id = False
        self.it.manager_id = False
        self.agreement.escalation_level3_to = "customer_owner"
        self.agreement.customer_owner_id.active = False  # Maria left the company
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        self.sweep(msk(2026, 3, 2, 11, 1))
        self.assertFalse(self.escalations(ticket))
        self.assertEqual(ticket.sla_escalation_level, 2)
        notes = self.escalation_notes(ticket)
        self.assertEqual(len(notes), 2)  # first response levels 1 and 2
        self.assertTrue(
            all("nobody to escalate to: set a manager on IT" in n.body for n in notes)
        )
        # a team leader is named: the next level-1 escalation goes to them
        self.team.user_id = self.it_head
        self.sweep(msk(2026, 3, 2, 11, 31))
        self.assertEqual(self.levels(ticket), {("resolution", 1): self.it_head})
        self.assertTrue(
            any(
                "the team leader is escalated to" in note.body
                for note in self.escalation_notes(ticket)
            )
        )

    def test_a_head_who_left_is_not_escalated_to(self):
        """The head of IT's employee record is archived (he left; his user still exists):
        level 2 goes to the provider owner, with a note saying why."""
        owner = self.agent
        self.agreement.provider_owner_id = owner
        self.it_head_employee.active = False
        self.assertFalse(self.it._sla_head())
        chain = self.agreement._escalation_chain()
        self.assertEqual(chain[2][0], owner)
        self.assertIn("IT has no active manager", chain[2][1])
        self.it_head_employee.active = True
        self.assertEqual(self.agreement._escalation_chain()[2], (self.it_head, ""))

    def test_rematch_keeps_levels_already_escalated(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="1", user_id=self.agent.id)
        # end-of-day resolution (10:00-18:00: 7 working hours): level 1 at 16:15 Moscow
        self.sweep(msk(2026, 3, 2, 16, 20))
        activity = self.escalations(ticket).filtered(
            lambda a: a.internal_sla_line_id.metric == "resolution"
        )
        self.assertEqual(activity.internal_sla_escalation_level, 1)
        # raised to urgent at 16:25: 2 h target, over 6 h used -> past level 3 at once
        self.at(msk(2026, 3, 2, 16, 25), ticket, priority="3")
        resolution = self.line(ticket)
        self.assertEqual(resolution.name, "Urgent solved")
        self.assertEqual(activity.internal_sla_line_id, resolution)
        self.assertEqual(resolution.escalation_level, 1)
        self.sweep(msk(2026, 3, 2, 16, 26))
        self.assertEqual(
            sorted(
                a.internal_sla_escalation_level
                for a in self.escalations(ticket)
                if a.internal_sla_line_id == resolution
            ),
            [1, 2, 3],
        )
        # the level 1 reached before the re-match stays in the timeline, once
        ticket.invalidate_recordset(["sla_timeline_ids"])
        resolution_levels = sorted(
            (event.target_name, event.cause)
            for event in ticket.sla_timeline_ids
            if event.event_type == "escalation"
            and event.target_name in ("Solved by end of day", "Urgent solved")
        )
        self.assertEqual(
            resolution_levels,
            [
                ("Solved by end of day", "Escalation level 1 reached"),
                ("Urgent solved", "Escalation level 2 reached"),
                ("Urgent solved", "Escalation level 3 reached"),
            ],
        )

    def test_escalation_sweep_query_count_does_not_grow_with_tickets(self):
        def escalate(count, day):
            for _i in range(count):
                self.create_ticket(
                    msk(2026, 3, day, 10, 0), priority="3", user_id=self.agent.id
                )
            self.env.flush_all()
            self.env.invalidate_all()
            with freeze_time(msk(2026, 3, day, 10, 50)):
                Line = self.env["internal.sla.line"]
                before = self.env.cr.sql_log_count
                Line._cron_sweep()
                return self.env.cr.sql_log_count - before

        escalate(1, 2)  # warm the caches (model ids, xml ids)
        self.assertEqual(escalate(2, 3), escalate(8, 4))

    def test_invalid_levels_are_refused(self):
        with self.assertRaisesRegex(ValidationError, "Level 1 at"):
            self.agreement.escalation_level2_percent = 60
        with self.assertRaisesRegex(ValidationError, "Level 1 at"):
            self.agreement.escalation_level1_percent = 0

    def test_disabled_escalation_creates_nothing(self):
        self.agreement.escalation_enabled = False
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3", user_id=self.agent.id)
        self.assertFalse(self.line(ticket).escalation_next_date)
        self.sweep(msk(2026, 3, 2, 18, 0))
        self.assertFalse(self.escalations(ticket))
        self.assertEqual(ticket.sla_escalation_level, 0)

    def test_cancelled_agreement_chases_nobody(self):
        """Its clocks stop (B13): the open escalations are done, nobody is escalated to
        any more, nothing turns breached; the levels reached stay on the stopped lines."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3", user_id=self.agent.id)
        self.sweep(msk(2026, 3, 2, 10, 50))
        self.assertEqual(self.levels(ticket), {("first_response", 1): self.agent})
        with freeze_time(msk(2026, 3, 2, 10, 55)):
            self.agreement.action_cancel()
        self.sweep(msk(2026, 3, 2, 18, 0))
        self.assertEqual(self.levels(ticket), {})
        self.assertEqual(self.line(ticket).state, "cancelled")
        self.assertEqual(self.line(ticket, "first_response").escalation_level, 1)
