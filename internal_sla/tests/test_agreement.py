from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import InternalSlaCase, msk
from .test_upgrade import load_migration


@tagged("post_install", "-at_install")
class TestAgreement(InternalSlaCase):
    def draft(self, **values):
        vals = {
            "name": "Draft",
            "provider_department_id": self.it.id,
            "customer_department_id": self.hr.id,
            "resource_calendar_id": self.calendar.id,
            "date_start": "2026-01-01",
        }
        vals.update(values)
        return self.env["internal.sla.agreement"].create(vals)

    def test_owners_default_to_department_managers(self):
        self.assertEqual(self.agreement.provider_owner_id, self.it_head)
        self.assertEqual(self.agreement.customer_owner_id, self.mk_head)
        self.assertEqual(self.agreement.tz, "Europe/Moscow")
        self.assertEqual(self.agreement.state, "active")
        self.assertEqual(self.agreement.version_ids.number, 1)
        self.assertEqual(len(self.agreement.version_ids.target_ids), 3)
        # both owners got a review reminder
        self.assertEqual(self.agreement.activity_ids.user_id, self.it_head | self.mk_head)

    def test_naming_one_owner_keeps_the_other_default(self):
        marketing = self.marketing.id
        named_customer = self.draft(
            customer_department_id=marketing, customer_owner_id=self.agent.id
        )
        self.assertEqual(named_customer.customer_owner_id, self.agent)
        self.assertEqual(named_customer.provider_owner_id, self.it_head)
        named_provider = self.draft(
            customer_department_id=marketing, provider_owner_id=self.agent.id
        )
        self.assertEqual(named_provider.provider_owner_id, self.agent)
        self.assertEqual(named_provider.customer_owner_id, self.mk_head)

    def test_invalid_configurations_are_refused_with_the_field_named(self):
        cases = [
            ({"date_end": "2025-12-01"}, "'Valid until'"),
            ({"resource_calendar_id": False}, "no Working calendar"),
            ({"customer_department_id": False}, "choose the Customer department"),
            ({"customer_department_id": self.it.id}, "another department than the Provider"),
            (
                {"target_ids": [Command.create({"name": "Zero", "duration": 0})]},
                "the duration must be a positive number",
            ),
            (
                {"target_ids": [Command.create({"name": "Negative", "duration": -2})]},
                "the duration must be a positive number",
            ),
            (
                {
                    "target_ids": [
                        Command.create(
                            {"name": "Blink", "duration": 0.001, "duration_type": "minutes"}
                        )
                    ]
                },
                "a target of less than a minute",
            ),
            (
                {
                    "target_ids": [
                        Command.create(
                            {"name": "Blink", "duration": 0.00001, "duration_type": "days"}
                        )
                    ]
                },
                "a target of less than a minute",
            ),
            (
                {"target_ids": [Command.create({"name": "Stage", "metric": "stage"})]},
                "choose the Stage",
            ),
        ]
        Agreement = self.env["internal.sla.agreement"]
        for values, message in cases:
            with self.subTest(message=message):
                count = Agreement.search_count([])
                with self.assertRaises(ValidationError) as refused:
                    self.draft(**values)
                self.assertIn(message, str(refused.exception))
                self.assertEqual(Agreement.search_count([]), count, "nothing half saved")

    def test_overlapping_agreements_in_force_are_refused(self):
        twin = self.agreement.copy()
        self.assertEqual(twin.state, "draft")
        with self.assertRaises(ValidationError) as refused:
            twin.action_activate()
        self.assertIn("both in force", str(refused.exception))
        self.assertIn(self.agreement.name, str(refused.exception))
        # another customer does not overlap
        twin.customer_department_id = self.hr
        twin.action_activate()
        self.assertEqual(twin.state, "active")

    def test_changing_the_parties_into_an_overlap_is_refused(self):
        """A6 on a write: an agreement in force rewritten onto the departments of another
        is refused, customer or provider side, and nothing of the write is kept."""
        for_hr = self.create_agreement(name="IT for HR", customer_department_id=self.hr.id)
        hr_for_marketing = self.create_agreement(
            name="HR for Marketing", provider_department_id=self.hr.id
        )
        cases = [
            (for_hr, "customer_department_id", self.marketing),
            (hr_for_marketing, "provider_department_id", self.it),
        ]
        for agreement, field, clashing in cases:
            with self.subTest(field=field):
                before = agreement[field]
                with self.assertRaises(ValidationError) as refused:
                    agreement.write({field: clashing.id})
                self.assertIn("both in force", str(refused.exception))
                self.assertIn(self.agreement.name, str(refused.exception))
                agreement.invalidate_recordset()
                self.assertEqual(agreement[field], before, "nothing saved")
                self.assertEqual(agreement.state, "active")

    def test_targets_in_force_change_only_through_an_amendment(self):
        with self.assertRaises(UserError):
            self.agreement.target_ids[0].duration = 5
        with self.assertRaises(UserError):
            self.agreement.version_ids.target_ids[0].duration = 5

    def amendment(self, date_effective, note):
        """The Amend wizard of the agreement, opened now (its lines are the targets)."""
        return (
            self.env["internal.sla.amendment.wizard"]
            .with_context(default_agreement_id=self.agreement.id)
            .create({"date_effective": date_effective, "note": note})
        )

    def test_amendment_pins_old_tickets_and_applies_to_new_ones(self):
        old_ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        with freeze_time(msk(2026, 3, 2, 11, 0)):
            wizard = self.amendment("2026-03-03", "Quarterly review")
            urgent = wizard.line_ids.filtered(lambda l: l.name == "Urgent solved")
            urgent.duration = 1
            wizard.action_confirm()
        self.assertEqual(len(self.agreement.version_ids), 2)
        v2 = self.agreement.version_ids.filtered(lambda v: v.number == 2)
        # until it is in force, the form says so and previews the targets in force
        with freeze_time(msk(2026, 3, 2, 11, 30)):
            self.agreement.invalidate_recordset()
            self.assertEqual(self.agreement.upcoming_version_id, v2)
            self.assertEqual(self.agreement.current_version_id.number, 1)
            self.assertEqual(self.agreement.upcoming_version_date.isoformat(), "2026-03-03")
            # 11:30 + 2 working hours, the lunch hour skipped
            self.assertIn(
                "Urgent solved: a request created now would be due at 3/2/26, 2:30 PM",
                self.agreement.preview,
            )
        with freeze_time(msk(2026, 3, 3, 11, 30)):
            self.agreement.invalidate_recordset()
            self.assertFalse(self.agreement.upcoming_version_id)
            self.assertEqual(self.agreement.current_version_id, v2)
            self.assertIn(
                "Urgent solved: a request created now would be due at 3/3/26, 12:30 PM",
                self.agreement.preview,
            )
        self.assertEqual(str(v2.date_effective), "2026-03-03")
        self.assertIn("Quarterly review", self.agreement.message_ids[0].body)
        # the old ticket keeps version 1 and its 2 h target
        self.assertEqual(old_ticket.sla_version_id.number, 1)
        self.assertEqual(self.line(old_ticket).deadline, msk(2026, 3, 2, 12, 0))
        new_ticket = self.create_ticket(msk(2026, 3, 3, 10, 0), priority="3")
        self.assertEqual(new_ticket.sla_version_id, v2)
        self.assertEqual(self.line(new_ticket).deadline, msk(2026, 3, 3, 11, 0))
        # a ticket of the day before the amendment still gets version 1
        self.assertEqual(
            self.create_ticket(msk(2026, 3, 2, 15, 0), priority="3").sla_version_id.number, 1
        )

    def test_amendment_adds_a_cut_off_to_the_end_of_day_target(self):
        """From 16:00 a request is due at the end of the next working day (the seed's
        "by the end of the working day" with the cut-off teams agree on); the amendment
        carries it into the new version and the form says so."""
        with freeze_time(msk(2026, 3, 2, 11, 0)):
            wizard = self.amendment("2026-03-03", "Cut-off at 16:00")
            eod = wizard.line_ids.filtered(lambda l: l.duration_type == "end_of_day")
            eod.cutoff_time = 16.0
            wizard.action_confirm()
        target = self.agreement.target_ids.filtered(lambda t: t.duration_type == "end_of_day")
        self.assertEqual(target.cutoff_time, 16.0)
        # decided, not yet in force: the card prints the targets requests get today
        with freeze_time(msk(2026, 3, 2, 12, 0)):
            self.agreement.invalidate_recordset()
            self.assertFalse(self.agreement._targets_in_force().filtered("cutoff_time"))
            card, _kind = self.env["ir.actions.report"]._render_qweb_html(
                "internal_sla.internal_sla_agreement_card_report", self.agreement.ids
            )
            self.assertIn(b"End of the working day", card)
            self.assertNotIn(b"from 16:00", card)
        with freeze_time(msk(2026, 3, 3, 12, 0)):
            self.agreement.invalidate_recordset()
            self.assertEqual(
                self.agreement._targets_in_force().filtered("cutoff_time").name, target.name
            )
        self.assertEqual(
            target.duration_display, "End of the working day (from 16:00: one day later)"
        )
        early = self.create_ticket(msk(2026, 3, 3, 15, 30))
        late = self.create_ticket(msk(2026, 3, 3, 16, 30))
        self.assertEqual(self.line(early).deadline, msk(2026, 3, 3, 18, 0))
        self.assertEqual(self.line(late).deadline, msk(2026, 3, 4, 18, 0))
        # the form's preview follows the same rule
        with freeze_time(msk(2026, 3, 3, 16, 30)):
            self.agreement.invalidate_recordset(["preview"])
            self.assertIn(
                "Solved by end of day: a request created now would be due at 3/4/26",
                self.agreement.preview,
            )
        # a cut-off means nothing for a duration in hours, nor past midnight
        with freeze_time(msk(2026, 3, 3, 17, 0)):
            wizard = self.amendment("2026-03-05", "Try")
        hours = wizard.line_ids.filtered(lambda l: l.duration_type == "hours")[:1]
        eod = wizard.line_ids.filtered(lambda l: l.duration_type == "end_of_day")
        for line, cutoff in ((hours, 16.0), (eod, 25.0), (eod, -1.0)):
            with (
                self.subTest(line=line.name, cutoff=cutoff),
                self.assertRaisesRegex(ValidationError, "a Cut-off is an hour between"),
                self.env.cr.savepoint(),
            ):
                line.cutoff_time = cutoff
                line.flush_recordset()

    def test_amendment_in_the_past_is_refused(self):
        with freeze_time(msk(2026, 3, 2, 11, 0)):
            wizard = self.amendment("2026-03-01", "Backdated")
            with self.assertRaises(UserError) as refused:
                wizard.action_confirm()
        self.assertIn("Effective from (2026-03-01) is in the past", str(refused.exception))
        self.assertEqual(len(self.agreement.version_ids), 1)

    def test_amendment_before_a_scheduled_version_is_refused(self):
        """An amendment starts from the latest version's targets: effective before an
        already scheduled version, it would take that version's changes early and be
        undone on its date."""
        with freeze_time(msk(2026, 3, 2, 11, 0)):
            wizard = self.amendment("2026-03-10", "Quarterly review")
            wizard.line_ids.filtered(lambda l: l.name == "Urgent solved").duration = 1
            wizard.action_confirm()
            early = self.amendment("2026-03-05", "Faster first response")
            early.line_ids.filtered(lambda l: l.name == "Urgent solved").duration = 0.5
            with self.assertRaises(UserError) as refused:
                early.action_confirm()
            self.assertIn(
                "Version 2 is already scheduled from 2026-03-10", str(refused.exception)
            )
            self.assertEqual(len(self.agreement.version_ids), 2)
            early.date_effective = "2026-03-10"
            early.action_confirm()
        ticket = self.create_ticket(msk(2026, 3, 11, 10, 0), priority="3")
        self.assertEqual(ticket.sla_version_id.number, 3)
        self.assertEqual(self.line(ticket).deadline, msk(2026, 3, 11, 10, 30))

    def test_activation_attaches_open_tickets(self):
        """B14: open tickets created before the agreement get their clocks."""
        self.agreement.action_cancel()
        ticket = self.opened_without_agreement(msk(2026, 3, 2, 10, 0))
        self.assertFalse(ticket.sla_agreement_id)
        hr_agreement = self.create_agreement(name="IT for Marketing (renewed)", activate=False)
        with freeze_time(msk(2026, 3, 2, 10, 30)):
            hr_agreement.action_activate()
        self.assertEqual(ticket.sla_agreement_id, hr_agreement)
        # measured from the ticket's creation, not from the activation
        self.assertEqual(self.line(ticket).date_start, msk(2026, 3, 2, 10, 0))

    def opened_without_agreement(self, when):
        """An urgent request created at ``when`` (its creation date too: the ORM stamps
        the transaction's real time, which freezegun does not move)."""
        return self.create_ticket_filed(when, priority="3")

    def test_activation_attaches_tickets_opened_before_its_first_day(self):
        """B14: a request opened before the agreement was valid is measured from the
        agreement's first day (local midnight), not left without SLA."""
        self.agreement.action_cancel()
        ticket = self.opened_without_agreement(msk(2026, 3, 2, 10, 0))
        later = self.create_agreement(name="IT for Marketing (from March 4)", activate=False)
        later.date_start = "2026-03-04"
        with freeze_time(msk(2026, 3, 4, 9, 0)):
            later.action_activate()
        self.assertEqual(ticket.sla_agreement_id, later)
        self.assertEqual(ticket.sla_version_id, later.version_ids)
        self.assertEqual(self.line(ticket).date_start, msk(2026, 3, 4, 0, 0))
        # urgent: 2 working hours from Wednesday's opening at 9:00 Moscow
        self.assertEqual(self.line(ticket).deadline, msk(2026, 3, 4, 11, 0))

    def test_changes_that_alter_what_is_measured_are_tracked(self):
        """A1: teams, first-response mode, requester commitments, review interval, NPS
        settings and the surge condition are editable in force: each change is logged."""
        team = self.env["helpdesk.ticket.team"].create(
            {"name": "IT Desk", "department_id": self.it.id}
        )
        impact = self.env["ir.model.fields"]._get("helpdesk.ticket", "description")
        agreement = self.agreement.with_context(tracking_disable=False)
        # the fixture's creation left "do not track" marks behind: start afresh
        self.env.flush_all()
        self.env.cr.precommit.run()
        agreement.write(
            {
                "team_ids": [Command.link(team.id)],
                "first_response_mode": "stage",
                "required_field_ids": [Command.link(impact.id)],
                "review_interval_months": 12,
                "nps_cadence": "monthly",
                "nps_panel_user_ids": [Command.link(self.mk_head.id)],
                "surge_condition": "all",
            }
        )
        self.env.flush_all()
        self.env.cr.flush()
        messages = self.env["mail.message"].search(
            [("model", "=", agreement._name), ("res_id", "=", agreement.id)]
        )
        values = (
            self.env["mail.tracking.value"]
            .sudo()
            .search([("mail_message_id", "in", messages.ids)])
        )
        tracked = values.field_id.mapped("name")
        for name in (
            "team_ids",
            "first_response_mode",
            "required_field_ids",
            "review_interval_months",
            "nps_cadence",
            "nps_panel_user_ids",
            "surge_condition",
        ):
            self.assertIn(name, tracked)

    def test_template_wizard_creates_a_draft_with_the_seed_targets(self):
        template = self.env.ref("internal_sla.template_it_marketing")
        wizard = self.env["internal.sla.template.wizard"].create(
            {
                "template_id": template.id,
                "provider_department_id": self.it.id,
                "customer_department_id": self.hr.id,
                "resource_calendar_id": self.calendar.id,
            }
        )
        self.assertEqual(wizard.name, "IT ↔ Marketing: IT ↔ HR")
        action = wizard.action_create()
        agreement = self.env["internal.sla.agreement"].browse(action["res_id"])
        self.assertEqual(agreement.state, "draft")
        self.assertEqual(
            sorted(agreement.target_ids.mapped("duration_type")),
            ["end_of_day", "hours", "hours"],
        )
        self.assertEqual(agreement.required_field_ids.name, "business_impact")
        self.assertEqual(
            agreement.nps_survey_id, self.env.ref("internal_sla.survey_internal_sla_nps_it")
        )
        self.assertEqual(len(self.env["internal.sla.agreement.template"].search([])), 5)
        # the method's rituals (D1): the weekly sync for IT ideas, a monthly review
        sync, review = agreement.ritual_ids.sorted(lambda r: r.kind != "sync")
        self.assertEqual(
            (sync.kind, sync.cadence, sync.purpose),
            ("sync", "weekly", "IT ideas for marketing"),
        )
        self.assertEqual(
            sync.display_name, "IT ↔ Marketing: IT ↔ HR: weekly sync — IT ideas for marketing"
        )
        self.assertEqual(
            (review.kind, review.cadence, review.max_level), ("review", "monthly", "3")
        )
        self.assertFalse(agreement.ritual_ids.event_id, "in the calendar once scheduled")
        with self.assertRaises(ValidationError) as refused:
            review.cadence = "weekly"
        self.assertIn("monthly or quarterly", str(refused.exception))

    def test_template_frames_become_the_agreements_frames(self):
        """Finance ↔ Sales brings the seed example's frames; a category of the frame's
        name is reused whatever its case, a missing one is created (by a manager who
        cannot manage helpdesk categories himself)."""
        Category = self.env["helpdesk.ticket.category"]
        existing = Category.create({"name": "SPECIAL CONDITIONS"})
        # the demo data has a "Payment terms" category: out of the way, to see one created
        Category.search([("name", "=ilike", "payment terms")]).name = "Payment terms (2025)"
        template = self.env.ref("internal_sla.template_finance_sales")
        self.assertEqual(len(template.frame_ids), 2)
        wizard = (
            self.env["internal.sla.template.wizard"]
            .with_user(self.mk_head)
            .create(
                {
                    "template_id": template.id,
                    "provider_department_id": self.marketing.id,
                    "customer_department_id": self.it.id,
                    "resource_calendar_id": self.calendar.id,
                }
            )
        )
        agreement = self.env["internal.sla.agreement"].browse(wizard.action_create()["res_id"])
        discount, deferral = agreement.frame_ids.sorted("sequence")
        self.assertEqual(discount.name, "Discount up to 10% for existing clients")
        self.assertEqual(discount.max_amount, 10)
        self.assertIn("paid order", discount.conditions)
        # the oldest category of that name, case-insensitively (the demo has one too)
        self.assertEqual(
            discount.category_id,
            Category.search([("name", "=ilike", "special conditions")], order="id", limit=1),
        )
        self.assertLessEqual(discount.category_id.id, existing.id)
        self.assertEqual(deferral.category_id.name, "Payment terms")
        self.assertEqual(deferral.max_amount, 30)
        # frames are refused with a negative amount on templates as on agreements
        with self.assertRaisesRegex(ValidationError, "Up to amount must be zero"):
            template.frame_ids[0].max_amount = -1

    def test_lifecycle_cron_expires_and_starts_reviews(self):
        ending = self.create_agreement(
            name="Ending",
            activate=True,
            customer_department_id=self.hr.id,
            date_end="2026-02-01",
        )
        with freeze_time("2026-07-02 08:00:00"):
            self.env["internal.sla.agreement"]._cron_lifecycle()
        self.assertEqual(ending.state, "expired")
        self.assertEqual(self.agreement.state, "review")

    def reminders(self, agreement):
        return agreement._review_activities().sorted(lambda a: (a.user_id.id, a.id))

    def test_review_reminders_are_not_doubled(self):
        """A1: one review reminder per owner, due on the next review; the review the
        cron starts keeps them, putting the agreement back in force closes them and plans
        the next ones; a new interval or a new owner moves them."""
        with freeze_time("2026-01-05 08:00:00"):
            agreement = self.create_agreement(
                name="Reviewed",
                customer_department_id=self.hr.id,
                customer_owner_id=self.mk_head.id,
                review_interval_months=6,
            )
        # put in force as of its first day
        self.assertEqual(agreement.next_review_date.isoformat(), "2026-07-01")
        owners = agreement.provider_owner_id | agreement.customer_owner_id
        self.assertEqual(len(owners), 2)
        first = self.reminders(agreement)
        self.assertEqual(first.user_id, owners)
        self.assertEqual(set(first.mapped("date_deadline")), {agreement.next_review_date})
        with freeze_time("2026-07-06 08:00:00"):
            self.env["internal.sla.agreement"]._cron_lifecycle()
            self.env["internal.sla.agreement"]._cron_lifecycle()
        self.assertEqual(agreement.state, "review")
        self.assertEqual(self.reminders(agreement), first)
        with freeze_time("2026-07-08 08:00:00"):
            agreement.action_activate()
        self.assertFalse(first.filtered("active"))  # done: the review took place
        done = self.env["mail.message"].search(
            [("model", "=", agreement._name), ("res_id", "=", agreement.id)]
        )
        self.assertIn(
            "Reviewed: the agreement is in force again.", " ".join(done.mapped("body"))
        )
        second = self.reminders(agreement)
        self.assertEqual(agreement.next_review_date.isoformat(), "2027-01-08")
        self.assertEqual(second.user_id, owners)
        self.assertEqual(set(second.mapped("date_deadline")), {agreement.next_review_date})
        # a shorter interval: the next review comes from the same last review
        agreement.review_interval_months = 3
        self.assertEqual(agreement.next_review_date.isoformat(), "2026-10-08")
        self.assertEqual(self.reminders(agreement), second)
        self.assertEqual(set(second.mapped("date_deadline")), {agreement.next_review_date})
        # another customer owner: the former one's reminder goes, the new one gets one
        agreement.customer_owner_id = self.requester
        self.assertEqual(
            self.reminders(agreement).user_id, agreement.provider_owner_id | self.requester
        )
        self.assertEqual(len(self.reminders(agreement)), 2)

    def test_an_update_turns_the_former_to_dos_into_one_reminder_per_owner(self):
        """The 19.0.1.3.0 step: review reminders were to-dos, doubled at each review."""
        agreement = self.agreement
        agreement._review_activities().unlink()
        todo = self.env.ref("mail.mail_activity_data_todo")
        owners = agreement.provider_owner_id | agreement.customer_owner_id
        for owner in (agreement.provider_owner_id, *owners):
            agreement.activity_schedule(
                activity_type_id=todo.id,
                summary="Review the agreement with the other side",
                user_id=owner.id,
            )
        load_migration("19.0.1.3.0", "post-migration").migrate(self.env.cr, "19.0.1.2.0")
        reminders = self.reminders(agreement)
        self.assertEqual(len(reminders), 2)
        self.assertEqual(reminders.user_id, owners)
        self.assertEqual(set(reminders.mapped("date_deadline")), {agreement.next_review_date})
        self.assertFalse(agreement.activity_ids.filtered(lambda a: a.activity_type_id == todo))

    def test_parts_and_texts_of_an_agreement_in_force_leave_a_note(self):
        """A1: frames, stage rules and the texts stay editable in force; each change is
        in the chatter."""
        agreement = self.agreement

        def notes():
            return " ".join(
                self.env["mail.message"]
                .search([("model", "=", agreement._name), ("res_id", "=", agreement.id)])
                .mapped("body")
            )

        category = self.env["helpdesk.ticket.category"].create({"name": "Licences"})
        frame = self.env["internal.sla.frame"].create(
            {
                "name": "Licences up to 5 seats",
                "agreement_id": agreement.id,
                "category_id": category.id,
                "max_amount": 5,
            }
        )
        self.assertIn("Empowerment Frame “Licences up to 5 seats” added", notes())
        frame.max_amount = 10
        self.assertIn("“Licences up to 5 seats” changed by OdooBot: Up to amount.", notes())
        frame.sequence = 3
        self.assertEqual(notes().count("Licences up to 5 seats"), 2)
        rule = self.env["internal.sla.stage.rule"].create(
            {"agreement_id": agreement.id, "stage_id": self.stage_progress.id, "duration": 4}
        )
        rule_name = rule.display_name
        self.assertIn(f"SLA Stage Rule “{rule_name}” added", notes())
        rule.unlink()
        self.assertIn(f"“{rule_name}” removed by", notes())
        agreement.commitments = "<p>Answer within a day when asked</p>"
        self.assertIn("Customer commitments changed by", notes())
        self.assertIn("Answer within a day when asked", notes())
        # a draft is no agreement in force: nothing logged
        draft = self.draft()
        self.env["internal.sla.frame"].create(
            {"name": "Draft frame", "agreement_id": draft.id, "category_id": category.id}
        )
        self.assertFalse(
            self.env["mail.message"].search(
                [
                    ("model", "=", draft._name),
                    ("res_id", "=", draft.id),
                    ("body", "ilike", "Draft frame"),
                ]
            )
        )

    def test_department_smart_buttons(self):
        self.assertEqual(self.it.sla_provided_count, 1)
        self.assertEqual(self.marketing.sla_consumed_count, 1)
        action = self.it.action_view_sla_provided()
        self.assertEqual(action["domain"], [("provider_department_id", "=", self.it.id)])
