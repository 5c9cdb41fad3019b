from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from .common import msk
from .meeting_common import MeetingCase


@tagged("post_install", "-at_install")
class TestContactReport(MeetingCase):
    def test_report_reaches_every_attendee(self):
        attendees = self.it_head | self.mk_head | self.agent | self.requester
        # people who read their notifications in Odoo get the report by e-mail as well
        (self.mk_head | self.agent).notification_type = "inbox"
        event = self.meeting(msk(2026, 3, 3, 15, 0), partners=attendees)
        event.write(
            {
                "sla_minutes": "<p>Reviewed the VPN outage.</p>",
                "sla_decision_ids": [Command.create({"name": "Urgent VPN requests: 1 hour"})],
            }
        )
        self.action(event, "Publish the on-call rota", self.agent)
        with freeze_time(msk(2026, 3, 3, 16, 30)):
            event.with_user(self.it_head).action_sla_send_report()
        self.assertEqual(event.sla_report_date, msk(2026, 3, 3, 16, 30))
        report = event.message_ids.filtered(lambda m: "Contact report" in (m.subject or ""))
        self.assertEqual(len(report), 1)
        self.assertEqual(report.partner_ids, attendees.partner_id)
        # every attendee is notified, the sender included
        self.assertEqual(report.notification_ids.res_partner_id, attendees.partner_id)
        self.assertEqual(set(report.notification_ids.mapped("notification_type")), {"email"})
        mails = self.env["mail.mail"].search([("mail_message_id", "=", report.id)])
        self.assertEqual(mails.recipient_ids, attendees.partner_id)
        # other messages of the meeting follow each person's preference
        note = event.message_post(
            body="See you next week",
            partner_ids=self.agent.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        agent_notification = note.notification_ids.filtered(
            lambda n: n.res_partner_id == self.agent.partner_id
        )
        self.assertEqual(agent_notification.notification_type, "inbox")
        text = html2plaintext(report.body)
        for expected in (
            "Reviewed the VPN outage.",
            "Urgent VPN requests: 1 hour",
            "Publish the on-call rota",
            "Anton Agent",
        ):
            self.assertIn(expected, text)

    def test_report_needs_attendees_and_an_agreement(self):
        event = self.meeting(msk(2026, 3, 3, 15, 0))
        event.partner_ids = False
        with self.assertRaisesRegex(UserError, "has no attendees"):
            event.action_sla_send_report()
        event.sla_agreement_id = False
        with self.assertRaisesRegex(UserError, "Only review meetings"):
            event.action_sla_send_report()


@tagged("post_install", "-at_install")
class TestActionItems(MeetingCase):
    def test_action_item_is_an_activity_done_with_it(self):
        event = self.meeting(msk(2026, 3, 3, 15, 0))
        item = self.action(event, "Publish the on-call rota", self.agent)
        self.assertEqual(item.agreement_id, self.agreement)
        self.assertEqual((item.side, item.level), ("provider", "1"))
        activity = item.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.agent)
        self.assertEqual(str(activity.date_deadline), "2026-03-20")
        # the owner marks the activity done from their activity menu: the item is done
        activity.with_user(self.agent).action_feedback(feedback="Published")
        self.assertEqual(item.state, "done")
        # and the other way round
        other = self.action(event, "Fix the alert e-mails", self.mk_head)
        self.assertEqual((other.side, other.level), ("customer", "1"))
        other.with_user(self.mk_head).action_done()
        self.assertEqual(other.state, "done")
        self.assertFalse(other.activity_ids)

    def test_overdue_filter(self):
        event = self.meeting(msk(2026, 3, 3, 15, 0))
        late = self.action(event, "Late", self.agent, due="2026-03-05")
        on_time = self.action(event, "On time", self.agent, due="2026-03-20")
        done = self.action(event, "Done late", self.agent, due="2026-03-05")
        done.action_done()
        Item = self.env["internal.sla.action.item"]
        mine = [("id", "in", (late | on_time | done).ids)]
        with freeze_time("2026-03-10 09:00:00"):
            self.assertEqual(Item.search([*mine, ("is_overdue", "=", True)]), late)
            self.assertEqual(Item.search([*mine, ("is_overdue", "=", False)]), on_time | done)
            self.assertTrue(late.is_overdue)

    def test_new_owner_gets_the_activity(self):
        item = self.action(self.meeting(msk(2026, 3, 3, 15, 0)), "Rota", self.agent)
        item.user_id = self.it_head
        self.assertEqual(item.activity_ids.user_id, self.it_head)

    def test_open_items_move_up_one_level_at_each_review(self):
        self.build_hierarchy()
        sync = self.meeting(msk(2026, 3, 3, 15, 0))
        customer_item = self.action(sync, "Send the campaign calendar", self.mk_head)
        provider_item = self.action(sync, "Publish the on-call rota", self.agent)
        done_item = self.action(sync, "Already done", self.mk_head)
        done_item.action_done()
        # a weekly sync does not escalate
        next_sync = self.meeting(msk(2026, 3, 10, 15, 0))
        self.prepare_at(msk(2026, 3, 10, 9, 0))
        self.assertTrue(next_sync.sla_agenda_date)
        self.assertEqual(customer_item.user_id, self.mk_head)
        review = self.meeting(msk(2026, 3, 18, 11, 0), kind="review")
        self.prepare_at(msk(2026, 3, 17, 12, 0))
        self.assertEqual((customer_item.user_id, customer_item.level), (self.cco, "2"))
        self.assertEqual((provider_item.user_id, provider_item.level), (self.coo, "2"))
        self.assertEqual(customer_item.activity_ids.user_id, self.cco)
        self.assertEqual(customer_item.last_escalation_event_id, review)
        self.assertEqual((done_item.user_id, done_item.level), (self.mk_head, "1"))
        self.assertIn("escalated to level 2", html2plaintext(review.description))
        # regenerating the agenda or running the cron again escalates nothing twice
        self.prepare_at(msk(2026, 3, 17, 13, 0))
        review._sla_escalate_open_actions()
        self.assertEqual(customer_item.escalation_count, 1)
        # still open at the next review: top management
        second = self.meeting(msk(2026, 4, 15, 11, 0), kind="review")
        self.prepare_at(msk(2026, 4, 14, 12, 0))
        self.assertEqual((customer_item.user_id, customer_item.level), (self.ceo, "3"))
        self.assertEqual((provider_item.user_id, provider_item.level), (self.ceo, "3"))
        self.assertEqual(second.sla_agenda_date, msk(2026, 4, 14, 12, 0))
        # nobody above top management: a note, the owner stays
        self.meeting(msk(2026, 5, 13, 11, 0), kind="review")
        self.prepare_at(msk(2026, 5, 12, 12, 0))
        self.assertEqual((customer_item.user_id, customer_item.level), (self.ceo, "3"))
        self.assertIn("nobody holds a role above level 3", customer_item.message_ids[0].body)

    def test_an_agenda_generated_by_hand_does_not_skip_the_preparation(self):
        """H11, D4: a manager who generates the agenda days ahead does not spare the
        review its escalation of open actions nor its 'before' checklist."""
        self.build_hierarchy()
        sync = self.meeting(msk(2026, 3, 3, 15, 0))
        item = self.action(sync, "Send the campaign calendar", self.mk_head)
        review = self.meeting(msk(2026, 3, 18, 11, 0), kind="review")
        with freeze_time(msk(2026, 3, 12, 10, 0)):
            review.action_sla_generate_agenda()
        self.assertTrue(review.sla_agenda_date)
        self.assertFalse(review.sla_prepared)
        self.assertEqual(item.level, "1")
        self.prepare_at(msk(2026, 3, 17, 12, 0))
        self.assertTrue(review.sla_prepared)
        self.assertEqual((item.user_id, item.level), (self.cco, "2"))
        self.assertEqual(review.sla_agenda_date, msk(2026, 3, 17, 12, 0))
        self.assertIn("escalated to level 2", html2plaintext(review.description))
        phases = review.sla_checklist_activity_ids.mapped("sla_phase")
        self.assertIn("before", phases)
        # the next run leaves the prepared meeting alone
        self.prepare_at(msk(2026, 3, 17, 13, 0))
        self.assertEqual(review.sla_agenda_date, msk(2026, 3, 17, 12, 0))

    def test_escalation_without_hierarchy_keeps_the_owner(self):
        sync = self.meeting(msk(2026, 3, 3, 15, 0))
        item = self.action(sync, "Send the campaign calendar", self.mk_head)
        self.meeting(msk(2026, 3, 18, 11, 0), kind="review")
        self.prepare_at(msk(2026, 3, 17, 12, 0))
        self.assertEqual((item.user_id, item.level), (self.mk_head, "1"))
        self.assertIn("nobody holds a role above level 1", item.message_ids[0].body)

    def notes(self, item):
        return " ".join(html2plaintext(message.body) for message in item.message_ids)

    def test_escalation_skips_a_level_the_owner_holds(self):
        """H11, two-level hierarchy: Marketing right under Commercial is its own level 2;
        an item of its head goes to the top, not "from Maria to Maria"."""
        self.commercial.parent_id = False
        self.marketing.parent_id = self.commercial
        self.assertEqual(self.agreement._sla_role_user("customer", 2), self.mk_head)
        item = self.action(self.meeting(msk(2026, 3, 3, 15, 0)), "Campaigns", self.mk_head)
        review = self.meeting(msk(2026, 3, 18, 11, 0), kind="review")
        self.prepare_at(msk(2026, 3, 17, 12, 0))
        self.assertEqual((item.user_id, item.level, item.escalation_count), (self.cco, "3", 1))
        self.assertEqual(item.last_escalation_event_id, review)
        notes = self.notes(item)
        self.assertIn("escalated from Maria Marketing Head to Carla CCO (level 3)", notes)
        self.assertNotIn("to Maria Marketing Head", notes)

    def test_escalation_keeps_the_owner_when_nobody_else_is_above(self):
        """H11: the head of Marketing also heads Commercial, the top above it: nobody
        else to escalate to, the owner stays and the chatter says why."""
        self.commercial.write({"parent_id": False, "manager_id": self.mk_head_employee.id})
        self.marketing.parent_id = self.commercial
        item = self.action(self.meeting(msk(2026, 3, 3, 15, 0)), "Campaigns", self.mk_head)
        review = self.meeting(msk(2026, 3, 18, 11, 0), kind="review")
        self.prepare_at(msk(2026, 3, 17, 12, 0))
        self.assertEqual(
            (item.user_id, item.level, item.escalation_count), (self.mk_head, "1", 0)
        )
        self.assertEqual(item.last_escalation_event_id, review)
        notes = self.notes(item)
        self.assertIn(
            "nobody holds a role above level 1 on the customer side other than Maria "
            "Marketing Head: the owner stays Maria Marketing Head",
            notes,
        )
        self.assertNotIn("escalated from", notes)

    def test_decision_becomes_an_amendment(self):
        event = self.meeting(msk(2026, 3, 3, 15, 0))
        event.sla_decision_ids = [Command.create({"name": "Urgent requests within 1 hour"})]
        decision = event.sla_decision_ids
        action = decision.with_user(self.it_head).action_amend()
        self.assertEqual(action["res_model"], "internal.sla.amendment.wizard")
        with freeze_time("2026-03-03 13:00:00"):
            wizard = (
                self.env["internal.sla.amendment.wizard"]
                .with_user(self.it_head)
                .with_context(**action["context"])
                .create({})
            )
            self.assertEqual(wizard.note, "Urgent requests within 1 hour")
            urgent = wizard.line_ids.filtered(lambda line: line.priority == "3")
            urgent.duration = 1
            wizard.action_confirm()
        version = self.agreement.version_ids.sorted("number")[-1]
        self.assertEqual(version.number, 2)
        self.assertEqual(decision.version_id, version)
        self.assertEqual(version.note, "Urgent requests within 1 hour")
        with self.assertRaisesRegex(UserError, "already became amendment"):
            decision.action_amend()


@tagged("post_install", "-at_install")
class TestChecklists(MeetingCase):
    def test_shipped_steps_reach_each_person_in_their_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._get("internal_sla")._update_translations(["ru_RU"])
        self.it_head.lang = "ru_RU"
        # a step the company reworded stays as they wrote it
        self.env.ref(
            "internal_sla.mail_activity_plan_meeting_before_internal_prep"
        ).summary = "Brief the team on Monday"
        event = self.meeting(msk(2026, 3, 10, 15, 0))
        self.prepare_at(msk(2026, 3, 10, 9, 0))
        before = event.sla_checklist_activity_ids.sorted("id")
        self.assertEqual(before.user_id, self.it_head)
        self.assertEqual(
            before.mapped("summary"),
            [
                "Подтвердить время и состав участников",
                "Подготовить данные: проверить инциденты и KPI повестки",
                "Brief the team on Monday",
            ],
        )
        # an English reader gets them as shipped
        self.it_head.lang = "en_US"
        event.sla_checklist_activity_ids.unlink()
        event.action_sla_checklist_before()
        self.assertEqual(
            event.sla_checklist_activity_ids.sorted("id")[0].summary,
            "Confirm the time and the attendees",
        )

    def test_checklist_plans_are_launched_once_per_phase(self):
        event = self.meeting(msk(2026, 3, 10, 15, 0))
        self.prepare_at(msk(2026, 3, 10, 9, 0))  # agenda + 'before'
        before = event.sla_checklist_activity_ids
        self.assertEqual(len(before), 3)
        self.assertEqual(set(before.mapped("sla_phase")), {"before"})
        self.assertEqual(before.user_id, self.it_head)  # the organizer
        self.assertEqual(set(before.mapped("res_model")), {"internal.sla.agreement"})
        # the plan's steps are due two days and one day before the meeting; prepared on
        # its day, they are all due that day rather than overdue from the start
        self.assertEqual(set(before.mapped("date_deadline")), {event.start.date()})
        self.assertEqual((event.sla_checklist_done, event.sla_checklist_total), (0, 3))
        before[0].with_user(self.it_head).action_feedback(feedback="Confirmed")
        event.invalidate_recordset()
        self.assertEqual((event.sla_checklist_done, event.sla_checklist_total), (1, 3))
        self.assertAlmostEqual(event.sla_checklist_progress, 100 / 3)
        event.action_sla_checklist_before()  # again: nothing new
        event.action_sla_checklist_during()
        self.assertEqual(event.sla_checklist_total, 5)
        self.prepare_at(msk(2026, 3, 10, 17, 0))  # the meeting ended: 'after'
        self.assertEqual(event.sla_checklist_total, 8)
        self.assertIn(
            "Send the contact report to all attendees",
            event.sla_checklist_activity_ids.mapped("summary"),
        )

    def test_cancelled_checklist_steps_are_not_launched_again_by_the_jobs(self):
        """D4: people may cancel (delete) a checklist's steps; the next runs of the jobs
        leave them cancelled, the button launches the checklist again on demand."""
        event = self.meeting(msk(2026, 3, 13, 15, 0))
        self.prepare_at(msk(2026, 3, 11, 9, 0))  # the 'before' steps are due
        self.assertEqual(len(event.sla_checklist_activity_ids), 3)
        event.sla_checklist_activity_ids.with_user(self.it_head).unlink()
        self.prepare_at(msk(2026, 3, 12, 9, 0))
        self.prepare_at(msk(2026, 3, 12, 16, 0))  # the agenda's preparation
        self.assertTrue(event.sla_prepared)
        self.assertFalse(event.sla_checklist_activity_ids)
        self.prepare_at(msk(2026, 3, 13, 17, 0))  # the meeting ended: 'after'
        after = event.sla_checklist_activity_ids
        self.assertEqual(set(after.mapped("sla_phase")), {"after"})
        after.with_user(self.it_head).unlink()
        self.prepare_at(msk(2026, 3, 13, 18, 0))
        self.prepare_at(msk(2026, 3, 14, 9, 0))
        self.assertFalse(event.sla_checklist_activity_ids)
        with freeze_time(msk(2026, 3, 14, 10, 0)):
            event.with_user(self.it_head).action_sla_checklist_after()
        self.assertEqual(len(event.sla_checklist_activity_ids), len(after))
        self.assertTrue(event.sla_after_checklist_launched)

    def test_checklist_launched_days_ahead_keeps_the_plan_dates(self):
        event = self.meeting(msk(2026, 3, 13, 15, 0))
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            event.action_sla_checklist_before()
        self.assertEqual(
            sorted(event.sla_checklist_activity_ids.mapped("date_deadline")),
            [date(2026, 3, 11), date(2026, 3, 12), date(2026, 3, 12)],
        )

    def test_before_checklist_is_launched_when_its_first_step_is_due(self):
        """D4: "Confirm the time and the attendees" is due two days before the meeting:
        the job launches the plan that day, not with the agenda the day before."""
        event = self.meeting(msk(2026, 3, 13, 15, 0))
        self.prepare_at(msk(2026, 3, 10, 9, 0))  # three days ahead: no step due yet
        self.assertFalse(event.sla_checklist_activity_ids)
        self.prepare_at(msk(2026, 3, 11, 9, 0))
        before = event.sla_checklist_activity_ids
        self.assertEqual(set(before.mapped("sla_phase")), {"before"})
        self.assertFalse(event.sla_prepared)  # the agenda waits for its own lead
        confirm = before.filtered(lambda a: a.summary == "Confirm the time and the attendees")
        self.assertEqual(confirm.date_deadline, date(2026, 3, 11))
        self.assertEqual(
            sorted(before.mapped("date_deadline")),
            [date(2026, 3, 11), date(2026, 3, 12), date(2026, 3, 12)],
        )
        # the preparation the day before launches nothing twice
        self.prepare_at(msk(2026, 3, 12, 16, 0))
        self.assertTrue(event.sla_prepared)
        self.assertEqual(event.sla_checklist_activity_ids, before)
        # the lead follows the plan's steps: a step three days ahead, three days ahead
        step = self.env.ref("internal_sla.mail_activity_plan_meeting_before_confirm_time")
        step.delay_count = 3
        later = self.meeting(msk(2026, 3, 20, 15, 0))
        self.prepare_at(msk(2026, 3, 16, 9, 0))
        self.assertFalse(later.sla_checklist_activity_ids)
        self.prepare_at(msk(2026, 3, 17, 9, 0))
        self.assertEqual(
            min(later.sla_checklist_activity_ids.mapped("date_deadline")), date(2026, 3, 17)
        )

    def during(self, event):
        return event.sla_checklist_activity_ids.filtered(lambda a: a.sla_phase == "during")

    def start_at(self, when):
        with freeze_time(when):
            return self.env["calendar.event"]._cron_sla_start_meetings()

    def test_during_checklist_is_launched_when_the_meeting_starts(self):
        event = self.meeting(msk(2026, 3, 10, 15, 0))
        early = self.meeting(msk(2026, 3, 11, 15, 0))
        self.assertFalse(self.start_at(msk(2026, 3, 10, 14, 59)))
        self.assertFalse(self.during(event))
        self.assertEqual(self.start_at(msk(2026, 3, 10, 15, 10)), event)
        during = self.during(event)
        self.assertEqual(len(during), 2)
        self.assertEqual(during.user_id, self.it_head)
        self.assertIn(
            "Ask for the NPS if the other side has not answered", during.mapped("summary")
        )
        # the next runs during the meeting and after it: nothing new
        self.assertFalse(self.start_at(msk(2026, 3, 10, 15, 25)))
        self.assertFalse(self.start_at(msk(2026, 3, 10, 17, 0)))
        self.assertEqual(self.during(event), during)
        # launched early by the button: the start adds nothing
        early.action_sla_checklist_during()
        launched = self.during(early)
        self.assertEqual(len(launched), 2)
        self.assertEqual(self.start_at(msk(2026, 3, 11, 15, 5)), early)
        self.assertEqual(self.during(early), launched)
        self.assertTrue(early.sla_started)

    def test_a_meeting_shorter_than_the_job_interval_gets_its_during_checklist(self):
        # 12:01–12:11, between the runs of 12:00 and 12:15
        short = self.meeting(msk(2026, 3, 10, 12, 1), stop=msk(2026, 3, 10, 12, 11))
        self.assertFalse(self.start_at(msk(2026, 3, 10, 12, 0)))
        self.assertEqual(self.start_at(msk(2026, 3, 10, 12, 15)), short)
        self.assertEqual(len(self.during(short)), 2)
        self.assertFalse(self.start_at(msk(2026, 3, 10, 12, 30)))
        self.assertEqual(len(self.during(short)), 2)

    def test_no_during_checklist_for_proposed_or_long_ended_meetings(self):
        ended = self.meeting(msk(2026, 3, 10, 15, 0))
        proposed = self.meeting(msk(2026, 3, 11, 15, 0), sla_proposed=True)
        # the first run more than an hour after the meeting ended (the job was stopped):
        # the 'after' checklist takes over
        self.assertFalse(self.start_at(msk(2026, 3, 10, 17, 5)))
        self.assertFalse(self.during(ended))
        # a proposed meeting nobody confirmed does not take place
        self.assertFalse(self.start_at(msk(2026, 3, 11, 15, 30)))
        self.assertFalse(self.during(proposed))


@tagged("post_install", "-at_install")
class TestMeetingAccess(MeetingCase):
    def setUp(self):
        super().setUp()
        self.event = self.meeting(msk(2026, 3, 3, 15, 0))
        self.item = self.action(self.event, "Send the campaign calendar", self.requester)
        self.other = self.action(self.event, "Publish the on-call rota", self.agent)
        self.event.sla_decision_ids = [Command.create({"name": "Weekly sync on Tuesdays"})]
        self.ritual().action_schedule()

    def test_users_of_the_departments_read_outsiders_do_not(self):
        Item = self.env["internal.sla.action.item"]
        for user in (self.requester, self.agent, self.mk_head, self.it_head):
            self.assertEqual(Item.with_user(user).search([]), self.item | self.other)
            self.assertEqual(
                self.env["internal.sla.decision"].with_user(user).search([]),
                self.event.sla_decision_ids,
            )
        self.assertFalse(Item.with_user(self.outsider).search([]))
        self.assertFalse(self.env["internal.sla.decision"].with_user(self.outsider).search([]))
        self.assertFalse(self.env["internal.sla.ritual"].with_user(self.outsider).search([]))
        with self.assertRaises(AccessError):
            self.item.with_user(self.outsider).read(["name"])

    def test_owner_closes_own_item_only(self):
        self.item.with_user(self.requester).action_done()
        self.assertEqual(self.item.state, "done")
        with self.assertRaises(AccessError):
            self.other.with_user(self.requester).action_done()
        with self.assertRaises(AccessError):
            self.other.with_user(self.requester).write({"date_deadline": "2026-12-31"})

    def test_managers_record_actions_users_do_not(self):
        vals = {
            "name": "Plan the migration",
            "event_id": self.event.id,
            "user_id": self.agent.id,
            "date_deadline": "2026-04-01",
        }
        created = self.env["internal.sla.action.item"].with_user(self.mk_head).create(vals)
        self.assertEqual(created.agreement_id, self.agreement)
        with self.assertRaises(AccessError):
            self.env["internal.sla.action.item"].with_user(self.requester).create(vals)
        with self.assertRaises(AccessError):
            self.env["internal.sla.action.item"].with_user(self.ceo).create(vals)
        with self.assertRaises(AccessError):
            self.env["internal.sla.ritual"].with_user(self.agent).create(
                {
                    "agreement_id": self.agreement.id,
                    "kind": "sync",
                    "date_first": msk(2026, 4, 1, 10, 0),
                }
            )

    def test_manager_runs_the_meeting(self):
        event = self.event.with_user(self.it_head)
        with freeze_time(msk(2026, 3, 3, 12, 0)):
            event.action_sla_generate_agenda()
            event.action_sla_checklist_before()
            event.action_sla_send_report()
        self.assertTrue(self.event.sla_report_date)
        self.assertEqual(self.event.sla_checklist_total, 3)

    def test_outsider_cannot_read_an_agreement_through_an_agenda(self):
        # a meeting of the agreement is not theirs to make (test_meeting_security.py)
        Event = self.env["calendar.event"].with_user(self.outsider)
        with self.assertRaises(AccessError):
            Event.with_context(no_mail_to_attendees=True).create(
                {
                    "name": "Curious",
                    "start": msk(2026, 3, 20, 10, 0),
                    "stop": msk(2026, 3, 20, 11, 0),
                    "sla_agreement_id": self.agreement.id,
                }
            )
        with self.assertRaises(AccessError):
            self.event.with_user(self.outsider).action_sla_generate_agenda()
        self.assertNotIn("Agenda", self.event.description or "")
