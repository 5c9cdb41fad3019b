from freezegun import freeze_time

from odoo.tests import tagged

from .common import msk
from .meeting_common import MeetingCase


@tagged("post_install", "-at_install")
class TestUnscheduledMeetings(MeetingCase):
    def setUp(self):
        super().setUp()
        params = self.env["ir.config_parameter"].sudo()
        params.set_param("internal_sla.meeting_breach_count", 3)
        params.set_param("internal_sla.meeting_breach_period", "week")
        params.set_param("internal_sla.meeting_backlog_growth", 20)
        params.set_param("internal_sla.meeting_backlog_min", 5)

    def causes(self):
        return self.agreement.meeting_cause_ids

    def test_detractor_answer_proposes_one_meeting_per_cause(self):
        with freeze_time(msk(2026, 3, 2, 10, 0)):
            first = self.agreement._propose_meeting("detractor:42", "detractor answer (3/10)")
            again = self.agreement._propose_meeting("detractor:42", "detractor answer (3/10)")
            other = self.agreement._propose_meeting("detractor:43", "detractor answer (5/10)")
        self.assertTrue(first)
        self.assertFalse(again)
        self.assertTrue(other)
        self.assertEqual(self.causes().mapped("cause"), ["detractor:43", "detractor:42"])
        cause = self.causes().filtered(lambda c: c.cause == "detractor:42")
        self.assertEqual(cause.kind, "detractor")
        event = cause.event_id
        self.assertTrue(event.sla_proposed)
        self.assertEqual(event.sla_kind, "unscheduled")
        self.assertEqual(event.sla_agreement_id, self.agreement)
        self.assertEqual(event.partner_ids, (self.it_head | self.mk_head).partner_id)
        # two working days later at 10:00 Moscow
        self.assertEqual(event.start, msk(2026, 3, 4, 10, 0))
        self.assertEqual(first.user_id, self.it_head)
        self.assertEqual(first.res_model, "internal.sla.agreement")
        self.assertEqual(first.res_id, self.agreement.id)
        # the owner reads the proposed time in the agreement's time zone, not in UTC
        self.assertIn("10:00", str(first.note))
        self.assertNotIn("07:00", str(first.note))
        # no invitation was sent for a mere proposal; confirming sends them
        mails = self.env["mail.mail"].search([("model", "=", "calendar.attendee")])
        self.assertFalse(mails.filtered(lambda m: m.res_id in event.attendee_ids.ids))
        event.with_user(self.it_head).action_sla_confirm()
        self.assertFalse(event.sla_proposed)
        self.assertFalse(first.exists() and first.active)
        # the invitations carry the agenda, generated at the confirmation
        self.assertTrue(event.sla_agenda_date)
        invitations = self.env["mail.message"].search(
            [
                ("model", "=", "calendar.event"),
                ("res_id", "=", event.id),
                ("body", "ilike", "KPIs against targets"),
            ]
        )
        # the organizer confirms; the other attendee gets the invitation by e-mail
        self.assertEqual(invitations.notification_ids.res_partner_id, self.mk_head.partner_id)

    def test_initiative_flagged_twice_proposes_once(self):
        Wizard = self.env["internal.sla.initiative.wizard"].with_user(self.it_head)
        for name in ("Self-service password reset", "  self-service PASSWORD reset "):
            Wizard.create({"agreement_id": self.agreement.id, "name": name}).action_confirm()
        self.assertEqual(
            self.causes().mapped("cause"), ["initiative:self-service-password-reset"]
        )
        self.assertEqual(len(self.agreement.meeting_ids), 1)

    def breach_tickets(self, day):
        """Two urgent requests filed at 10:00 and left alone: their targets breach."""
        for hour in (10, 11):
            self.create_ticket(msk(2026, 3, day, hour, 0), priority="3")
        with freeze_time(msk(2026, 3, day, 17, 0)):
            self.env["internal.sla.line"]._cron_sweep()

    def run_triggers(self, when):
        with freeze_time(when):
            self.env["internal.sla.agreement"]._cron_meeting_triggers()

    def test_breaches_in_a_week_fire_once_per_week(self):
        self.breach_tickets(2)  # Monday
        breached = self.env["internal.sla.line"].search_count(
            [("agreement_id", "=", self.agreement.id), ("state", "=", "breached")]
        )
        self.assertGreaterEqual(breached, 3)
        self.run_triggers(msk(2026, 3, 3, 9, 0))
        self.run_triggers(msk(2026, 3, 4, 9, 0))
        self.assertEqual(self.causes().mapped("cause"), ["breaches:week:2026-03-02"])
        self.assertIn(f"{breached} breached targets", self.causes().reason)
        self.assertEqual(len(self.agreement.meeting_ids), 1)
        # next week: the old breaches do not count, new ones do
        self.run_triggers(msk(2026, 3, 10, 9, 0))
        self.assertEqual(len(self.causes()), 1)
        self.breach_tickets(10)
        self.run_triggers(msk(2026, 3, 11, 9, 0))
        self.assertEqual(
            sorted(self.causes().mapped("cause")),
            ["breaches:week:2026-03-02", "breaches:week:2026-03-09"],
        )

    def test_a_trigger_writes_its_reason_in_the_language_of_automated_notes(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._get("internal_sla")._update_translations(["ru_RU"])
        self.env["ir.config_parameter"].set_param("internal_sla.automation_lang", "ru_RU")
        self.breach_tickets(2)
        with freeze_time(msk(2026, 3, 3, 9, 0)):
            self.env(context={})["internal.sla.agreement"]._cron_meeting_triggers()
        self.assertIn("Нарушено нормативов с", self.causes().reason)

    def test_the_owners_activity_words_the_reason_in_their_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._get("internal_sla")._update_translations(["ru_RU"])
        self.agreement.provider_owner_id.lang = "ru_RU"
        self.breach_tickets(2)
        breached = self.env["internal.sla.line"].search_count(
            [("agreement_id", "=", self.agreement.id), ("state", "=", "breached")]
        )
        with freeze_time(msk(2026, 3, 3, 9, 0)):
            self.env(context={})["internal.sla.agreement"]._cron_meeting_triggers()
        cause = self.causes()
        # the record and the meeting in the language of automated notes (English) ...
        self.assertIn(f"{breached} breached targets since", cause.reason)
        self.assertIn(f"{breached} breached targets since", str(cause.event_id.description))
        # ... the owner's activity wholly in Russian
        self.assertEqual(cause.activity_id.user_id, self.agreement.provider_owner_id)
        self.assertEqual(
            cause.activity_id.summary.split(" с ")[0],
            "Внеплановая встреча по итогам: Нарушено нормативов",
        )
        self.assertTrue(cause.activity_id.summary.endswith(f": {breached}"))

    def test_breach_windows_start_at_local_midnight(self):
        # Monday 9 March, 00:30 in Moscow is still Sunday 21:30 in UTC
        first, start, period = self.agreement._sla_breach_window(msk(2026, 3, 9, 0, 30))
        self.assertEqual((first.isoformat(), period), ("2026-03-09", "week"))
        self.assertEqual(start, msk(2026, 3, 9, 0, 0))
        self.env["ir.config_parameter"].sudo().set_param(
            "internal_sla.meeting_breach_period", "month"
        )
        first, start, period = self.agreement._sla_breach_window(msk(2026, 4, 1, 1, 0))
        self.assertEqual((first.isoformat(), period), ("2026-04-01", "month"))
        self.assertEqual(start, msk(2026, 4, 1, 0, 0))

    def test_fewer_breaches_than_the_threshold_propose_nothing(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "internal_sla.meeting_breach_count", 50
        )
        self.breach_tickets(2)
        self.run_triggers(msk(2026, 3, 3, 9, 0))
        self.assertFalse(self.causes())

    def backlog_tickets(self, count, created):
        tickets = self.env["helpdesk.ticket"]
        for _index in range(count):
            tickets |= self.create_ticket(created)
        # create_date comes from the transaction: set it to when the ticket was filed
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id IN %s",
            [created, tuple(tickets.ids)],
        )
        tickets.invalidate_recordset(["create_date"])
        return tickets

    def test_backlog_growth_week_over_week_fires_once(self):
        self.backlog_tickets(5, msk(2026, 3, 2, 10, 0))
        self.backlog_tickets(3, msk(2026, 3, 10, 10, 0))  # 5 -> 8 open: +60%
        self.run_triggers(msk(2026, 3, 11, 9, 0))
        self.run_triggers(msk(2026, 3, 11, 15, 0))
        self.assertEqual(self.causes().mapped("cause"), ["backlog:2026-W11"])
        self.assertIn("from 5 to 8", self.causes().reason)

    def test_backlog_growth_below_the_threshold_or_small_backlog(self):
        self.backlog_tickets(5, msk(2026, 3, 2, 10, 0))
        self.backlog_tickets(1, msk(2026, 3, 10, 10, 0))  # 5 -> 6: +20%, not above 20%
        self.run_triggers(msk(2026, 3, 11, 9, 0))
        self.assertFalse(self.causes())
        self.env["ir.config_parameter"].sudo().set_param("internal_sla.meeting_backlog_min", 10)
        self.env["ir.config_parameter"].sudo().set_param(
            "internal_sla.meeting_backlog_growth", 5
        )
        self.run_triggers(msk(2026, 3, 11, 9, 0))
        self.assertFalse(self.causes())  # 6 open requests: below the minimum backlog

    def test_no_owner_no_crash(self):
        self.agreement.write({"provider_owner_id": False, "customer_owner_id": False})
        self.it.manager_id = False
        self.marketing.manager_id = False
        activity = self.agreement._propose_meeting("initiative:x", "new initiative: x")
        self.assertFalse(activity)
        self.assertEqual(len(self.causes()), 1)
        self.assertTrue(self.causes().event_id.sla_proposed)


@tagged("post_install", "-at_install")
class TestTriggerQueries(MeetingCase):
    def test_trigger_cron_queries_do_not_grow_with_agreements(self):
        """Backlog and breaches are read for all agreements at once (no query per
        agreement when nothing fires)."""
        Agreement = self.env["internal.sla.agreement"]
        for day in (2, 3):
            self.create_ticket(msk(2026, 3, day, 10, 0))
        with freeze_time(msk(2026, 3, 4, 9, 0)):
            Agreement._cron_meeting_triggers()  # warm caches
            self.env.invalidate_all()
            with self.assertQueryCount(4):
                Agreement._cron_meeting_triggers()
        agreements = self.agreement
        for name, department in (("HR for IT", self.hr), ("Marketing for IT", self.marketing)):
            agreements |= self.create_agreement(
                name=name,
                provider_department_id=department.id,
                customer_department_id=self.it.id,
            )
        with freeze_time(msk(2026, 3, 4, 9, 0)):
            self.env.invalidate_all()
            with self.assertQueryCount(4):
                Agreement._cron_meeting_triggers()
        self.assertEqual(len(Agreement.search([("state", "=", "active")])), 3)
        self.assertFalse(agreements.meeting_cause_ids)
