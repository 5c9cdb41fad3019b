from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import msk, new_test_users
from .meeting_common import MeetingCase


@tagged("post_install", "-at_install")
class TestMeetingRoles(MeetingCase):
    def test_roles_resolved_to_the_people_of_each_level(self):
        self.build_hierarchy()
        agreement = self.agreement
        self.assertEqual(agreement._sla_role_user("provider", 1), self.it_head)
        self.assertEqual(agreement._sla_role_user("provider", 2), self.coo)
        self.assertEqual(agreement._sla_role_user("provider", 3), self.ceo)
        self.assertEqual(agreement._sla_role_user("customer", 1), self.mk_head)
        self.assertEqual(agreement._sla_role_user("customer", 2), self.cco)
        self.assertEqual(agreement._sla_role_user("customer", 3), self.ceo)
        users, vacant = agreement._sla_attendees(3)
        self.assertEqual(users, self.it_head | self.mk_head | self.coo | self.cco | self.ceo)
        self.assertEqual(vacant, [])
        users, vacant = agreement._sla_attendees(1)
        self.assertEqual(users, self.it_head | self.mk_head)

    def test_departments_under_the_top_have_a_top_management_level(self):
        """IT and Marketing right under the board: their own heads are level 2, the CEO
        level 3 — or, on the provider side, the agreement's top manager; people who left
        hold no role."""
        self.build_hierarchy()
        (self.it | self.marketing).parent_id = self.board
        agreement = self.agreement
        self.assertEqual(agreement._sla_role_user("provider", 2), self.it_head)
        self.assertEqual(agreement._sla_role_user("customer", 2), self.mk_head)
        self.assertEqual(agreement._sla_role_user("customer", 3), self.ceo)
        self.assertEqual(agreement._sla_role_user("provider", 3), self.ceo)
        agreement.escalation_top_user_id = self.coo
        self.assertEqual(agreement._sla_role_user("provider", 3), self.coo)
        self.assertEqual(agreement._sla_attendees(3)[1], [])
        self.ceo.active = False
        self.assertFalse(agreement._sla_role_user("customer", 3))
        self.assertIn("Customer level 3", " ".join(agreement._sla_attendees(3)[1]))

    def test_owner_and_manager_both_hold_level_one(self):
        self.agreement.customer_owner_id = self.requester
        self.assertEqual(
            self.agreement._sla_role_user("customer", 1), self.requester | self.mk_head
        )

    def test_empty_roles_are_noted_not_fatal(self):
        # IT and Marketing have no parent department: levels 2 and 3 are vacant
        ritual = self.ritual(kind="review", first=msk(2026, 3, 4, 11, 0), until="2026-05-31")
        ritual.action_schedule()
        self.assertEqual(ritual.event_ids.partner_ids, (self.it_head | self.mk_head).partner_id)
        note = self.agreement.message_ids.filtered(lambda m: "nobody holds" in (m.body or ""))
        self.assertTrue(note)
        for label in ("Provider level 2", "Provider level 3", "Customer level 2"):
            self.assertIn(label, note[0].body)
        # a customer scope of "all departments": its customer owner is the customer's
        # only role, vacant until set (test_meeting_schedule.py)
        everyone = self.create_agreement(
            name="IT for everyone",
            customer_scope="all",
            customer_department_id=False,
            state="draft",
            activate=False,
        )
        users, vacant = everyone._sla_attendees(1)
        self.assertEqual(users, self.it_head)
        self.assertEqual(vacant, ["Customer level 1 (Managers)"])


@tagged("post_install", "-at_install")
class TestMeetingLink(MeetingCase):
    def test_a_meeting_planned_in_calendar_becomes_a_review_when_linked(self):
        event = self.meeting(msk(2026, 3, 12, 11, 0), kind="sync")
        event.write({"sla_agreement_id": False, "sla_kind": False})
        form = Form(event.with_user(self.it_head))
        form.sla_agreement_id = self.agreement
        form.sla_kind = "review"
        form.save()
        self.assertEqual((event.sla_agreement_id, event.sla_kind), (self.agreement, "review"))
        # an occurrence of a ritual keeps the agreement and kind of its ritual
        ritual = self.ritual()
        ritual.action_schedule()
        occurrence = ritual.event_ids[:1]
        form = Form(occurrence.with_user(self.it_head))
        with self.assertRaises(AssertionError):
            form.sla_kind = "review"


@tagged("post_install", "-at_install")
class TestMeetingRituals(MeetingCase):
    def test_weekly_sync_is_an_odoo_recurrence(self):
        ritual = self.ritual()
        ritual.action_schedule()
        events = ritual.event_ids.sorted("start")
        self.assertEqual(
            events.mapped("start"),
            [msk(2026, 3, day, 10, 0) for day in (3, 10, 17, 24, 31)],
        )
        self.assertEqual(len(events.recurrence_id), 1)
        self.assertEqual(events.recurrence_id.rrule_type, "weekly")
        self.assertTrue(all(e.sla_agreement_id == self.agreement for e in events))
        self.assertEqual(set(events.mapped("sla_kind")), {"sync"})
        for event in events:
            self.assertEqual(event.partner_ids, (self.it_head | self.mk_head).partner_id)

    def test_review_is_monthly_or_quarterly_with_three_levels(self):
        self.build_hierarchy()
        monthly = self.ritual(kind="review", first=msk(2026, 3, 4, 11, 0), until="2026-06-30")
        quarterly = self.ritual(
            kind="review", cadence="quarterly", first=msk(2026, 3, 5, 11, 0), until="2026-12-31"
        )
        (monthly | quarterly).action_schedule()
        # the first Wednesday (Thursday) of the month, not the 4th (5th): see
        # test_meeting_schedule.py
        self.assertEqual(
            monthly.event_ids.sorted("start").mapped("start"),
            [msk(2026, month, day, 11, 0) for month, day in ((3, 4), (4, 1), (5, 6), (6, 3))],
        )
        self.assertEqual(
            quarterly.event_ids.sorted("start").mapped("start"),
            [msk(2026, month, day, 11, 0) for month, day in ((3, 5), (6, 4), (9, 3), (12, 3))],
        )
        everyone = (self.it_head | self.mk_head | self.coo | self.cco | self.ceo).partner_id
        for event in monthly.event_ids | quarterly.event_ids:
            self.assertEqual(event.partner_ids, everyone)

    def test_default_rituals_from_the_agreement(self):
        with freeze_time("2026-03-02 06:00:00"):
            self.agreement.action_schedule_rituals()
        kinds = self.agreement.ritual_ids.mapped(lambda r: (r.kind, r.cadence))
        self.assertEqual(sorted(kinds), [("review", "monthly"), ("sync", "weekly")])
        sync = self.agreement.ritual_ids.filtered(lambda r: r.kind == "sync")
        self.assertEqual(sync.date_first, msk(2026, 3, 3, 10, 0))  # next Tuesday 10:00
        self.assertTrue(all(self.agreement.ritual_ids.mapped("event_id")))
        self.assertEqual(self.agreement.meeting_count, len(self.agreement.meeting_ids))

    def test_levels_change_and_calendar_edits_keep_the_ritual(self):
        self.build_hierarchy()
        ritual = self.ritual(until="2026-04-30")
        ritual.action_schedule()
        ritual.action_schedule()  # scheduled once
        self.assertEqual(len(ritual.event_ids.recurrence_id), 1)
        with freeze_time(msk(2026, 3, 12, 9, 0)):
            ritual.max_level = "2"
        events = ritual.event_ids.sorted("start")
        self.assertNotIn(self.coo.partner_id, events[0].partner_ids)
        self.assertIn(self.coo.partner_id, events[-1].partner_ids)
        # the series is edited in the calendar: every other week from the 17th on
        third = events.filtered(lambda e: e.start == msk(2026, 3, 17, 10, 0))
        third.write({"recurrence_update": "future_events", "interval": 2})
        later = ritual.event_ids.filtered(lambda e: e.start >= msk(2026, 3, 17, 10, 0))
        self.assertEqual(
            later.sorted("start").mapped("start"),
            [msk(2026, 3, 17, 10, 0)]
            + [msk(2026, month, day, 10, 0) for month, day in ((3, 31), (4, 14), (4, 28))],
        )
        self.assertTrue(all(e.sla_agreement_id == self.agreement for e in later))
        newcomer = self.env["res.users"].create({"name": "Nina New COO", "login": "new_coo"})
        employee = self.env["hr.employee"].create(
            {"name": "Nina", "user_id": newcomer.id, "department_id": self.operations.id}
        )
        with freeze_time(msk(2026, 3, 12, 9, 0)):
            self.operations.manager_id = employee
        for event in later:
            self.assertIn(newcomer.partner_id, event.partner_ids)

    def test_department_manager_change_updates_future_meetings_only(self):
        self.build_hierarchy()
        ritual = self.ritual(kind="review", first=msk(2026, 3, 4, 11, 0), until="2026-06-30")
        ritual.action_schedule()
        newcomer = self.env["res.users"].create({"name": "Nina New COO", "login": "new_coo"})
        employee = self.env["hr.employee"].create(
            {"name": "Nina", "user_id": newcomer.id, "department_id": self.operations.id}
        )
        with freeze_time(msk(2026, 4, 10, 9, 0)):
            self.operations.manager_id = employee
        events = ritual.event_ids.sorted("start")
        past, future = events[:2], events[2:]
        for event in past:
            self.assertIn(self.coo.partner_id, event.partner_ids)
            self.assertNotIn(newcomer.partner_id, event.partner_ids)
        for event in future:
            self.assertIn(newcomer.partner_id, event.partner_ids)
            self.assertNotIn(self.coo.partner_id, event.partner_ids)
        # the level-1 manager of IT changes: the new one joins the owner in the meetings
        anton = self.env["hr.employee"].search([("user_id", "=", self.agent.id)])
        with freeze_time(msk(2026, 4, 10, 9, 0)):
            self.it.manager_id = anton
        for event in future:
            self.assertIn(self.agent.partner_id, event.partner_ids)
            self.assertIn(self.it_head.partner_id, event.partner_ids)  # still the owner

    def test_employee_user_change_of_a_manager_updates_meetings(self):
        self.build_hierarchy()
        ritual = self.ritual(kind="review", first=msk(2026, 3, 4, 11, 0), until="2026-04-30")
        ritual.action_schedule()
        successor = self.env["res.users"].create({"name": "Cyril CCO", "login": "cyril"})
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            self.cco_employee.user_id = successor
        april = ritual.event_ids.sorted("start")[-1]
        self.assertIn(successor.partner_id, april.partner_ids)
        self.assertNotIn(self.cco.partner_id, april.partner_ids)

    def test_a_manager_who_leaves_is_taken_off_future_meetings(self):
        """An archived user (or employee) no longer holds their role in the meetings to
        come; restored, they are back (D1)."""
        self.build_hierarchy()
        ritual = self.ritual(kind="review", first=msk(2026, 3, 4, 11, 0), until="2026-04-30")
        ritual.action_schedule()
        march, april = ritual.event_ids.sorted("start")
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            self.cco.active = False
        self.assertNotIn(self.cco.partner_id, april.partner_ids)
        self.assertIn(self.cco.partner_id, march.partner_ids, "the past meeting is kept")
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            self.cco.active = True
        self.assertIn(self.cco.partner_id, april.partner_ids)
        with freeze_time(msk(2026, 3, 10, 9, 0)):
            self.cco_employee.active = False
        self.assertNotIn(self.cco.partner_id, april.partner_ids)

    def test_agreement_owner_change_updates_future_meetings_only(self):
        ritual = self.ritual()  # weekly sync, Tuesdays 3 to 31 March
        ritual.action_schedule()
        events = ritual.event_ids.sorted("start")
        past, future = events[:2], events[2:]  # 3 and 10 March; 17, 24 and 31 March
        # the owner changes twice: the newcomer joins, the previous owner leaves and the IT
        # manager (level 1 with the owner) stays
        for owner in (self.agent, self.outsider):
            with freeze_time(msk(2026, 3, 12, 9, 0)):
                self.agreement.with_user(self.it_head).provider_owner_id = owner
            for event in past:
                self.assertEqual(event.partner_ids, (self.it_head | self.mk_head).partner_id)
            for event in future:
                self.assertEqual(
                    event.partner_ids, (owner | self.it_head | self.mk_head).partner_id
                )

    def test_customer_department_change_brings_its_manager_to_future_meetings(self):
        ritual = self.ritual()
        ritual.action_schedule()
        events = ritual.event_ids.sorted("start")
        past, future = events[:2], events[2:]
        hr_head = new_test_users(
            self.env, ("hr_head", "Hanna HR Head", "internal_sla.internal_sla_group_manager")
        )
        self.hr.manager_id = self.env["hr.employee"].create(
            {"name": "Hanna", "user_id": hr_head.id, "department_id": self.hr.id}
        )
        with freeze_time(msk(2026, 3, 12, 9, 0)):
            self.agreement.customer_department_id = self.hr
        for event in future:
            self.assertIn(hr_head.partner_id, event.partner_ids)
        for event in past:
            self.assertNotIn(hr_head.partner_id, event.partner_ids)

    def test_agreement_opens_its_meetings_and_actions(self):
        self.ritual().action_schedule()
        action = self.agreement.action_view_meetings()
        self.assertEqual(action["res_model"], "calendar.event")
        self.assertEqual([mode for _id, mode in action["views"]][:2], ["list", "calendar"])
        meetings = self.env["calendar.event"].search(action["domain"])
        self.assertEqual(meetings, self.agreement.meeting_ids)
        self.assertEqual(self.agreement.meeting_count, 5)
        action = self.agreement.action_view_action_items()
        self.assertEqual(action["res_model"], "internal.sla.action.item")
        self.assertEqual(action["domain"], [("agreement_id", "=", self.agreement.id)])
