"""Automated SLA stages (B6): time-in-stage rules fire once at the right working-time
instant; a requester's reply brings a waiting request back; silence closes it."""

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import InternalSlaCase, msk


@tagged("post_install", "-at_install")
class TestSlaStageRules(InternalSlaCase):
    def rule(self, **values):
        vals = {
            "agreement_id": self.agreement.id,
            "stage_id": self.stage_new.id,
            "trigger": "time_in_stage",
            "duration": 2,
            "duration_unit": "hours",
            "action": "escalate",
        }
        vals.update(values)
        return self.env["internal.sla.stage.rule"].create(vals)

    def write_at(self, when, ticket, author, body):
        """``author`` writes ``body`` on ``ticket`` at ``when`` (a public comment)."""
        with freeze_time(when):
            ticket.with_user(author).message_post(
                body=body, message_type="comment", subtype_xmlid="mail.mt_comment"
            )

    def sweep(self, when):
        with freeze_time(when):
            self.env["internal.sla.line"]._cron_sweep()

    def rule_notes(self, ticket):
        return ticket.message_ids.filtered(lambda m: "Stage rule" in (m.body or ""))

    def stage_activities(self, ticket):
        return ticket.activity_ids.filtered(lambda a: "Stage rule" in (a.summary or ""))

    def test_time_in_stage_rules_fire_once_each_in_order(self):
        self.rule()
        self.rule(duration=4, action="priority")
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), user_id=self.agent.id)
        self.assertEqual(ticket.sla_stage_rule_date, msk(2026, 3, 2, 12, 0))
        self.sweep(msk(2026, 3, 2, 11, 59))
        self.assertFalse(self.rule_notes(ticket))
        self.sweep(msk(2026, 3, 2, 12, 1))
        self.assertEqual(self.stage_activities(ticket).user_id, self.it_head)
        self.assertEqual(len(self.rule_notes(ticket)), 1)
        # the next rule waits for 4 working hours in New: 15:00 (lunch excluded)
        self.assertEqual(ticket.sla_stage_rule_date, msk(2026, 3, 2, 15, 0))
        self.sweep(msk(2026, 3, 2, 12, 1))
        self.assertEqual(len(self.rule_notes(ticket)), 1)
        self.assertEqual(ticket.priority, "1")
        self.sweep(msk(2026, 3, 2, 15, 1))
        self.assertEqual(ticket.priority, "2")
        self.assertFalse(ticket.sla_stage_rule_date)
        self.sweep(msk(2026, 3, 3, 15, 1))
        self.assertEqual(len(self.rule_notes(ticket)), 2)
        self.assertEqual(len(self.stage_activities(ticket)), 1)

    def test_the_sweeps_rule_activity_speaks_its_assignees_language(self):
        """G4: the head of IT reads Russian: the rule's activity is in Russian, its note
        in the language of automated notes (the company's, English here)."""
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._get("internal_sla")._update_translations(["ru_RU"])
        self.it_head.lang = "ru_RU"
        self.rule()
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), user_id=self.agent.id)
        with freeze_time(msk(2026, 3, 2, 12, 1)):
            self.env(context={})["internal.sla.line"]._cron_sweep()
        activity = self.env["mail.activity"].search(
            [
                ("res_model", "=", "helpdesk.ticket"),
                ("res_id", "=", ticket.id),
                ("user_id", "=", self.it_head.id),
                ("internal_sla_line_id", "=", False),
            ]
        )
        self.assertTrue(activity.summary.startswith("Правило этапа: "), activity.summary)
        self.assertEqual(len(self.rule_notes(ticket)), 1)

    def test_leaving_the_stage_in_time_cancels_the_rule(self):
        self.rule()
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 11, 0), ticket, stage_id=self.stage_progress.id)
        self.assertFalse(ticket.sla_stage_rule_date)
        self.sweep(msk(2026, 3, 2, 17, 0))
        self.assertFalse(self.rule_notes(ticket))
        # coming back to New starts the stay (and its rules) again
        self.at(msk(2026, 3, 3, 10, 0), ticket, stage_id=self.stage_new.id)
        self.assertEqual(ticket.sla_stage_rule_date, msk(2026, 3, 3, 12, 0))

    def test_rule_of_an_agreement_the_ticket_left_does_not_fire(self):
        self.rule(action="priority")
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), user_id=self.agent.id)
        self.assertEqual(ticket.sla_stage_rule_date, msk(2026, 3, 2, 12, 0))
        with freeze_time(msk(2026, 3, 2, 11, 0)):
            self.agreement.action_cancel()
        self.assertFalse(ticket.sla_agreement_id)
        self.sweep(msk(2026, 3, 2, 12, 1))
        self.assertFalse(self.rule_notes(ticket))
        self.assertEqual(ticket.priority, "1", "the cancelled agreement's rule moved nothing")
        self.assertFalse(ticket.sla_stage_rule_date, "and nothing else is planned")

    def test_archived_rule_does_not_fire(self):
        rule = self.rule()
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        rule.active = False
        self.sweep(msk(2026, 3, 2, 13, 0))
        self.assertFalse(self.rule_notes(ticket))

    def test_time_rule_moves_the_request_and_tells_who_it_names(self):
        """A "move" rule fires at its working-time instant; an escalation also reaches
        the users it names besides the provider head."""
        self.rule(action="escalate", notify_user_ids=[(6, 0, self.mk_head.ids)])  # 12:00
        self.rule(duration=4, action="move", action_stage_id=self.stage_progress.id)
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), user_id=self.agent.id)
        self.sweep(msk(2026, 3, 2, 12, 1))
        self.assertEqual(self.stage_activities(ticket).user_id, self.it_head | self.mk_head)
        # 4 working hours: 10:00-13:00, lunch, 14:00-15:00
        self.assertEqual(ticket.sla_stage_rule_date, msk(2026, 3, 2, 15, 0))
        self.sweep(msk(2026, 3, 2, 14, 59))
        self.assertEqual(ticket.stage_id, self.stage_new)
        self.sweep(msk(2026, 3, 2, 15, 1))
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertEqual(len(self.rule_notes(ticket)), 2)
        # the resolution clock still runs in the new stage (not a pause stage)
        self.assertEqual(self.line(ticket).state, "running")

    def test_archived_people_are_not_notified_and_nobody_left_is_said(self):
        """A "notify" rule skips the archived users it names; with nobody left (the
        assignee archived too) the note says so instead of failing."""
        self.rule(action="notify", notify_user_ids=[(6, 0, (self.mk_head | self.agent).ids)])
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), user_id=self.agent.id)
        lone = self.create_ticket(msk(2026, 3, 2, 10, 0), user_id=self.agent.id)
        self.mk_head.active = False
        self.sweep(msk(2026, 3, 2, 12, 1))
        self.assertEqual(self.stage_activities(ticket).user_id, self.agent)
        self.assertNotIn("Fallback", self.rule_notes(ticket).body)
        # the other request: its assignee left before the rule came due
        self.agent.active = False
        self.rule(duration=3, action="notify", notify_user_ids=[(6, 0, self.mk_head.ids)])
        self.sweep(msk(2026, 3, 2, 13, 1))
        note = self.rule_notes(lone).sorted("id")[-1]
        self.assertIn("Fallback: nobody to notify", note.body)
        self.assertFalse(
            self.stage_activities(lone).filtered(lambda a: a.user_id == self.mk_head),
            "an archived user gets no activity",
        )

    def test_a_new_rule_holds_for_the_requests_already_in_its_stage(self):
        """Requests in the stage when a rule is added wait for it as if it had always
        been there; one whose time came already fires at the next sweep, once."""
        waiting = self.create_ticket(msk(2026, 3, 2, 10, 0), user_id=self.agent.id)
        self.rule(duration=4, action="priority")  # 15:00
        self.assertEqual(waiting.sla_stage_rule_date, msk(2026, 3, 2, 15, 0))
        older = self.create_ticket(msk(2026, 3, 2, 9, 0), user_id=self.agent.id)
        elsewhere = self.create_ticket(msk(2026, 3, 2, 9, 0), user_id=self.agent.id)
        self.at(msk(2026, 3, 2, 9, 30), elsewhere, stage_id=self.stage_progress.id)
        with freeze_time(msk(2026, 3, 2, 12, 30)):
            self.rule(duration=2, action="escalate")
        # before the 4-hour rule it waited for: the new 2-hour one, due at 12:00 (past)
        self.assertEqual(waiting.sla_stage_rule_date, msk(2026, 3, 2, 12, 0))
        self.assertEqual(older.sla_stage_rule_date, msk(2026, 3, 2, 11, 0))
        self.assertFalse(elsewhere.sla_stage_rule_date, "not in the rule's stage")
        self.sweep(msk(2026, 3, 2, 12, 31))
        self.sweep(msk(2026, 3, 2, 12, 36))
        # each fired once, then waits for the 4-hour rule from its own arrival
        for ticket, due in ((waiting, msk(2026, 3, 2, 15, 0)), (older, msk(2026, 3, 2, 13, 0))):
            self.assertEqual(self.stage_activities(ticket).user_id, self.it_head)
            self.assertEqual(len(self.rule_notes(ticket)), 1)
            self.assertEqual(ticket.sla_stage_rule_date, due)
        self.assertFalse(self.rule_notes(elsewhere))
        # a rule restored from the archive holds for them too
        restored = self.rule(
            stage_id=self.stage_progress.id, duration=6, action="priority", active=False
        )
        self.assertFalse(elsewhere.sla_stage_rule_date)
        with freeze_time(msk(2026, 3, 2, 12, 40)):
            restored.active = True
        # in progress since 9:30: 3 h 30 before lunch, 2 h 30 after
        self.assertEqual(elsewhere.sla_stage_rule_date, msk(2026, 3, 2, 16, 30))

    def test_deleted_archived_or_retimed_rule_passes_to_the_next_one(self):
        """The rule a ticket waits for changes under it: the ticket waits for the next
        rule, never for one it already passed (a deleted rule used to send it back to
        the first rule of its stage, which then fired again)."""
        self.rule()  # 12:00, escalate
        second = self.rule(duration=4, action="priority")  # 15:00
        self.rule(duration=6, action="notify")  # 17:00 (lunch 13-14 excluded)
        tickets = [
            self.create_ticket(msk(2026, 3, 2, 10, 0), user_id=self.agent.id) for _n in range(3)
        ]
        self.sweep(msk(2026, 3, 2, 12, 1))
        for ticket in tickets:
            self.assertEqual(ticket.sla_stage_rule_id, second)
        # retimed: 5 working hours, 16:00
        second.duration = 5
        self.assertEqual(tickets[0].sla_stage_rule_date, msk(2026, 3, 2, 16, 0))
        # archived, then deleted: the last rule, at 17:00, is next
        second.active = False
        self.assertEqual(tickets[0].sla_stage_rule_date, msk(2026, 3, 2, 17, 0))
        second.active = True
        self.assertEqual(tickets[0].sla_stage_rule_id, second)
        second.unlink()
        for ticket in tickets:
            self.assertEqual(ticket.sla_stage_rule_date, msk(2026, 3, 2, 17, 0))
        self.sweep(msk(2026, 3, 2, 16, 59))
        self.sweep(msk(2026, 3, 2, 17, 1))
        for ticket in tickets:
            self.assertEqual(len(self.rule_notes(ticket)), 2, "the first rule fired once")
            self.assertEqual(ticket.priority, "1")
            self.assertEqual(self.stage_activities(ticket).user_id, self.it_head | self.agent)
            self.assertFalse(ticket.sla_stage_rule_date)

    def test_requester_reply_while_waiting_moves_back_to_work(self):
        self.rule(
            stage_id=self.stage_waiting.id,
            trigger="requester_reply",
            action="move",
            action_stage_id=self.stage_progress.id,
        )
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 10, 30), ticket, stage_id=self.stage_waiting.id)
        self.write_at(msk(2026, 3, 2, 11, 0), ticket, self.agent, "Which browser?")
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.write_at(msk(2026, 3, 2, 12, 0), ticket, self.requester, "Firefox")
        self.assertEqual(ticket.stage_id, self.stage_progress)
        # the SLA clock paused while waiting and runs again
        self.assertEqual(self.line(ticket).state, "running")
        self.assertEqual(ticket.sla_provider_reply_count, 1)
        # the rule's message is the product's, not a second reply of the requester
        note = self.rule_notes(ticket)
        self.assertEqual(note.author_id, self.env.ref("base.partner_root"))
        self.assertEqual(note.date, msk(2026, 3, 2, 12, 0))
        self.assertEqual(ticket.sla_last_requester_reply, msk(2026, 3, 2, 12, 0))

    def test_replies_by_email_count_as_replies(self):
        """Replies that reach the request through the mail gateway (posted as "email"):
        the requester's moves a waiting request back to work, the agent's is a reply."""
        self.rule(
            stage_id=self.stage_waiting.id,
            trigger="requester_reply",
            action="move",
            action_stage_id=self.stage_progress.id,
        )
        self.requester.partner_id.email = "roman.requester@example.com"
        self.agent.partner_id.email = "anton.agent@example.com"
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 10, 30), ticket, stage_id=self.stage_waiting.id)

        def email(when, sender, number, body):
            raw = (
                f"From: {sender.name} <{sender.partner_id.email}>\n"
                "To: it-support@example.com\n"
                f"Subject: Re: {ticket.name}\n"
                f"Message-ID: <reply-{number}@example.com>\n"
                "Content-Type: text/plain; charset=utf-8\n\n"
                f"{body}\n"
            )
            with freeze_time(when):
                self.env["mail.thread"].message_process(
                    "helpdesk.ticket", raw, thread_id=ticket.id
                )

        email(msk(2026, 3, 2, 11, 0), self.agent, 1, "Which browser?")
        self.assertEqual(ticket.message_ids[0].message_type, "email")
        self.assertEqual(ticket.sla_provider_reply_count, 1)
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        email(msk(2026, 3, 2, 12, 0), self.requester, 2, "Firefox")
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertEqual(ticket.sla_last_requester_reply, msk(2026, 3, 2, 12, 0))

    def test_requester_reply_replayed_in_the_past(self):
        """A reply replayed at a past instant (demo history, imports): the rule moves the
        request at that instant, its message dated then, the reply the requester's last."""
        self.rule(
            stage_id=self.stage_waiting.id,
            trigger="requester_reply",
            action="move",
            action_stage_id=self.stage_progress.id,
        )
        now = msk(2026, 3, 3, 12, 0)  # Tuesday 12:00
        ticket = self.env["helpdesk.ticket"]._sla_replay(
            self.calendar,
            [
                {
                    "ago": 4,  # Monday 17:00
                    "vals": {
                        "name": "Replayed wait",
                        "description": "<p>x</p>",
                        "team_id": self.team.id,
                        "partner_id": self.requester.partner_id.id,
                    },
                    "steps": [
                        (3.5, "reply", {"author": self.agent.id, "body": "Which browser?"}),
                        (3.5, "stage", self.stage_waiting.id),
                        # Tuesday 10:00
                        (2, "reply", {"author": self.requester.id, "body": "Firefox"}),
                    ],
                }
            ],
            now=now,
        )
        self.assertEqual(ticket.stage_id, self.stage_progress)
        self.assertEqual(ticket.sla_last_requester_reply, msk(2026, 3, 3, 10, 0))
        self.assertEqual(ticket.last_stage_update, msk(2026, 3, 3, 10, 0))
        self.assertEqual(self.rule_notes(ticket).date, msk(2026, 3, 3, 10, 0))
        self.assertEqual(ticket.sla_pause_ids.date_end, msk(2026, 3, 3, 10, 0))

    def test_silence_closes_the_request_with_a_message(self):
        self.rule(
            stage_id=self.stage_waiting.id,
            duration=2,
            duration_unit="days",
            action="close",
            action_stage_id=self.stage_done.id,
            message="Closed: we did not hear back from you. Reply to reopen.",
        )
        closed_hook = []
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 11, 0), ticket, stage_id=self.stage_waiting.id)
        # 2 working days of 8 h after Monday 11:00: Wednesday 11:00
        self.assertEqual(ticket.sla_stage_rule_date, msk(2026, 3, 4, 11, 0))
        self.sweep(msk(2026, 3, 4, 10, 59))
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        original = type(ticket)._sla_on_closed

        def spy(tickets, now):
            closed_hook.append((tickets.ids, now))
            return original(tickets, now)

        type(ticket)._sla_on_closed = spy
        try:
            self.sweep(msk(2026, 3, 4, 11, 1))
        finally:
            type(ticket)._sla_on_closed = original
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertEqual(closed_hook, [([ticket.id], msk(2026, 3, 4, 11, 1))])
        message = ticket.message_ids.filtered(lambda m: "did not hear back" in (m.body or ""))
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertIn(self.requester.partner_id, message.notified_partner_ids)
        # the product's own message is no provider reply
        self.assertEqual(ticket.sla_provider_reply_count, 0)
        self.assertTrue(ticket.sla_first_contact_resolution)

    def test_silence_counts_from_the_requesters_last_reply(self):
        """B6 "no reply for N working days": a reply that leaves the request waiting (no
        rule moves it back) starts the silence again, also when the auto-close is planned
        after another rule of the stage fired."""
        self.rule(stage_id=self.stage_waiting.id, duration=4, duration_unit="hours")
        self.rule(
            stage_id=self.stage_waiting.id,
            duration=2,
            duration_unit="days",
            action="close",
            action_stage_id=self.stage_done.id,
            message="Closed: we did not hear back from you.",
        )
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 11, 0), ticket, stage_id=self.stage_waiting.id)
        # the requester answers before the escalation: the silence starts at 12:00
        self.write_at(msk(2026, 3, 2, 12, 0), ticket, self.requester, "Still broken")
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.sweep(msk(2026, 3, 2, 16, 0))  # the 4 h escalation fires (11:00 + 4 h)
        self.assertEqual(ticket.sla_stage_rule_date, msk(2026, 3, 4, 12, 0))
        # the requester answers again on Tuesday: Thursday 15:00
        self.write_at(msk(2026, 3, 3, 15, 0), ticket, self.requester, "Any news?")
        self.assertEqual(ticket.sla_stage_rule_date, msk(2026, 3, 5, 15, 0))
        self.sweep(msk(2026, 3, 4, 12, 1))
        self.assertEqual(ticket.stage_id, self.stage_waiting)
        self.sweep(msk(2026, 3, 5, 15, 1))
        self.assertEqual(ticket.stage_id, self.stage_done)

    def test_invalid_rules_are_refused_with_the_field_to_fix(self):
        cases = [
            ({"agreement_id": False}, "choose the Agreement or the Team"),
            ({"duration": 0}, "After must be a positive working time"),
            ({"trigger": "requester_reply"}, "can only move the request"),
            ({"action": "move"}, "choose the stage in To stage"),
            (
                {"action": "close", "action_stage_id": self.stage_progress.id},
                "is not a closed stage",
            ),
        ]
        Rule = self.env["internal.sla.stage.rule"].with_context(active_test=False)
        before = Rule.search([])
        for values, message in cases:
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(ValidationError, message),
                self.env.cr.savepoint(),
            ):
                self.rule(**values)
        self.assertEqual(Rule.search([]), before)  # nothing half saved

    def test_a_stage_used_by_rules_cannot_be_deleted(self):
        waiting = self.env["helpdesk.ticket.stage"].create({"name": "Waiting for budget"})
        parked = self.env["helpdesk.ticket.stage"].create({"name": "Parked"})
        watching = self.rule(stage_id=waiting.id)
        moving = self.rule(action="move", action_stage_id=parked.id)
        for stage, rule in ((waiting, watching), (parked, moving)):
            with (
                self.subTest(stage=stage.name),
                self.assertRaisesRegex(UserError, "used by SLA stage rules.*Change or delete"),
                self.env.cr.savepoint(),
            ):
                stage.unlink()
            self.assertTrue(stage.exists())
            self.assertTrue(rule.exists())
        moving.unlink()
        parked.unlink()
        self.assertFalse(parked.exists())

    def test_a_stage_measured_by_a_target_cannot_be_deleted(self):
        triage = self.env["helpdesk.ticket.stage"].create({"name": "Triage"})
        draft = self.create_agreement(
            name="IT for Marketing, triage", activate=False, customer_department_id=self.hr.id
        )
        draft.target_ids = [
            Command.create(
                {"name": "Triage", "metric": "stage", "stage_id": triage.id, "duration": 1}
            )
        ]
        with self.assertRaisesRegex(UserError, "measured by SLA targets of IT for Marketing"):
            triage.unlink()
        self.assertTrue(triage.exists())
        triage.active = False  # what the message says to do instead

    def test_rule_name_speaks_the_readers_language(self):
        rule = self.rule()
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._get("internal_sla")._update_translations(["ru_RU"])
        self.assertEqual(
            rule.name, "2 working hours in New → Escalate to the head of the provider"
        )
        self.assertEqual(
            rule.with_context(lang="ru_RU").name,
            # the stage's name too (helpdesk_mgmt's terms, from internal_sla/i18n_extra)
            "2 раб. ч на этапе «Новая» → Эскалировать руководителю исполнителя",
        )

    def test_team_rules_apply_without_agreement(self):
        facilities = self.env["helpdesk.ticket.team"].create({"name": "Facilities"})
        self.rule(agreement_id=False, team_id=facilities.id, action="notify")
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), team_id=facilities.id)
        self.assertFalse(ticket.sla_agreement_id)
        self.assertTrue(ticket.sla_stage_rule_date)
        self.sweep(msk(2026, 3, 10, 10, 0))
        self.assertEqual(len(self.rule_notes(ticket)), 1)

    def test_team_rules_escalate_each_request_to_its_own_provider(self):
        """Requests without agreement escalate to the head of their team's department, else
        to the team leader, else to nobody with a note saying what to set — each its own,
        in one sweep."""
        Team = self.env["helpdesk.ticket.team"]
        facilities = Team.create({"name": "Facilities", "department_id": self.marketing.id})
        legal = Team.create({"name": "Legal", "user_id": self.it_head.id})
        archive = Team.create({"name": "Archive"})
        tickets = {}
        for team in (facilities, legal, archive):
            self.rule(agreement_id=False, team_id=team.id, action="escalate")
            tickets[team] = self.create_ticket(msk(2026, 3, 2, 10, 0), team_id=team.id)
        self.sweep(msk(2026, 3, 10, 10, 0))
        escalated = {
            team: self.stage_activities(ticket).user_id for team, ticket in tickets.items()
        }
        self.assertEqual(
            escalated,
            {facilities: self.mk_head, legal: self.it_head, archive: self.env["res.users"]},
        )
        self.assertNotIn("Fallback", self.rule_notes(tickets[facilities]).body)
        self.assertIn("its team leader is escalated to", self.rule_notes(tickets[legal]).body)
        self.assertIn(
            "set a manager on the department of Archive, or a team leader",
            self.rule_notes(tickets[archive]).body,
        )

    def test_who_may_change_rules(self):
        rule = self.rule()
        rule.with_user(self.it_head).duration = 3  # head of the provider: yes
        self.assertEqual(rule.duration, 3)
        rule.with_user(self.agent).read(["name"])  # agents read them
        with self.assertRaises(AccessError):
            rule.with_user(self.agent).duration = 1
        with self.assertRaises(AccessError):
            self.rule(agreement_id=self.agreement.id).with_user(self.outsider).unlink()
