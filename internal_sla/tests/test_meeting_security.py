"""G2 on review meetings: a meeting of an agreement (its agenda, minutes, decisions) is read
by those who read the agreement and by the meeting's own people, changed, created and
deleted by those who may change the agreement; attendees still answer and move it."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, tagged

from .common import msk, new_test_users, office_attendances
from .meeting_common import MeetingCase


@tagged("post_install", "-at_install")
class TestMeetingSecurity(MeetingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # an employee without any Internal SLA group, in no department of the agreement
        cls.plain = new_test_users(
            cls.env, ("plain_employee", "Paula Plain", "base.group_user")
        )
        cls.it_hr = cls.create_agreement(
            name="IT ↔ HR", customer_department_id=cls.hr.id, activate=False
        )

    def setUp(self):
        super().setUp()
        self.event = self.meeting(
            msk(2026, 3, 3, 15, 0), sla_minutes="<p>VPN breaches discussed</p>"
        )
        self.event.sla_decision_ids = [Command.create({"name": "Weekly sync on Tuesdays"})]
        self.Event = self.env["calendar.event"]

    def test_outsiders_neither_read_nor_change_a_review(self):
        for user in (self.outsider, self.plain):
            with self.subTest(user=user.login):
                self.assertFalse(
                    self.Event.with_user(user).search([("id", "=", self.event.id)])
                )
                self.assertFalse(
                    self.Event.with_user(user)._read_group(
                        [("sla_agreement_id", "=", self.agreement.id)],
                        ["sla_kind"],
                        ["__count"],
                    )
                )
                event = self.event.with_user(user)
                with self.assertRaises(AccessError):
                    event.read(["sla_minutes"])
                with self.assertRaises(AccessError):
                    event.write({"sla_minutes": "<p>Nothing happened</p>"})
                with self.assertRaises(AccessError):
                    event.write({"sla_agreement_id": self.it_hr.id})
                with self.assertRaises(AccessError):
                    event.unlink()
        self.assertTrue(self.event.exists())
        self.assertEqual(str(self.event.sla_minutes), "<p>VPN breaches discussed</p>")
        # nor do they make a meeting of an agreement they cannot change: the jobs would
        # write its agenda (breached requests, KPIs) and e-mail it to them
        for user in (self.outsider, self.plain, self.agent):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Event.with_user(user).with_context(no_mail_to_attendees=True).create(
                    {
                        "name": "Curious",
                        "start": msk(2026, 3, 20, 10, 0),
                        "stop": msk(2026, 3, 20, 11, 0),
                        "partner_ids": [Command.set(user.partner_id.ids)],
                        "sla_agreement_id": self.agreement.id,
                    }
                )

    def test_readers_of_the_agreement_read_only(self):
        """The agreement's users (the agent, the requester) read its meetings; they
        change neither the review nor the meeting, nor delete it (with its decisions)."""
        for user in (self.agent, self.requester):
            with self.subTest(user=user.login):
                event = self.event.with_user(user)
                self.assertEqual(self.Event.with_user(user).search([]) & self.event, self.event)
                self.assertIn("VPN", event.sla_minutes)
                self.assertEqual(event.sla_access, "read")
                for vals in (
                    {"sla_minutes": "<p>Rewritten</p>"},
                    {"sla_agreement_id": self.it_hr.id},
                    {"name": "Renamed"},
                    {"active": False},
                ):
                    with self.assertRaises(AccessError):
                        event.write(vals)
                with self.assertRaises(AccessError):
                    event.unlink()
        self.assertEqual(len(self.event.sla_decision_ids), 1)

    def test_attendees_answer_and_move_the_meeting_not_its_review(self):
        """An attendee who reads no agreement (invited from HR) reads the meeting, accepts
        it and moves it, as in any calendar; the review stays the managers'."""
        self.event.partner_ids = [Command.link(self.outsider.partner_id.id)]
        event = self.event.with_user(self.outsider)
        self.assertIn("VPN", event.sla_minutes)
        self.assertFalse(event.sla_access)
        event.attendee_ids.filtered(
            lambda a: a.partner_id == self.outsider.partner_id
        ).do_accept()
        event.with_context(no_mail_to_attendees=True).write(
            {"start": msk(2026, 3, 3, 16, 0), "stop": msk(2026, 3, 3, 17, 0)}
        )
        self.assertEqual(self.event.start, msk(2026, 3, 3, 16, 0))
        for vals in (
            {"sla_minutes": "<p>Rewritten</p>"},
            {"sla_agreement_id": self.it_hr.id},
            {"sla_agreement_id": False},
            {"sla_decision_ids": [Command.create({"name": "Mine"})]},
            {"active": False},
        ):
            with self.subTest(vals=vals), self.assertRaises(AccessError) as caught:
                event.write(vals)
        self.assertIn("IT ↔ Marketing", str(caught.exception))
        with self.assertRaises(AccessError):
            event.unlink()
        with self.assertRaises(AccessError):
            event.action_sla_generate_agenda()
        with self.assertRaises(AccessError):
            event.action_sla_send_report()
        with self.assertRaises(AccessError):
            event.action_sla_checklist_before()
        self.assertIn("VPN", self.event.sla_minutes)
        self.assertFalse(self.event.sla_checklist_activity_ids)

    def test_the_form_shows_the_review_read_only_to_its_readers(self):
        """An agent of the provider, invited, reads the review and cannot change it."""
        self.event.partner_ids = [Command.link(self.agent.partner_id.id)]
        self.assertEqual(self.event.with_user(self.agent).sla_access, "read")
        with Form(self.event.with_user(self.agent)) as form:
            for name in ("sla_minutes", "sla_agenda", "sla_kind", "sla_decision_ids"):
                with self.subTest(field=name), self.assertRaises(AssertionError):
                    form[name] = False
            form.location = "Room 4"  # an ordinary field of the meeting stays theirs
        with Form(self.event.with_user(self.it_head)) as form:
            form.sla_minutes = "<p>Decided: weekly sync</p>"
        self.assertIn("weekly sync", self.event.sla_minutes)

    def test_attendees_open_the_review_they_attend(self):
        """Invited from a third department (an SLA user of HR, an employee with no SLA
        group), an attendee opens the meeting's form: its decisions and action items read,
        nothing of another meeting's, nothing changed."""
        item = self.env["internal.sla.action.item"].create(
            {
                "name": "Publish the VPN guide",
                "event_id": self.event.id,
                "user_id": self.it_head.id,
                "date_deadline": "2026-03-10",
            }
        )
        other = self.meeting(msk(2026, 3, 10, 15, 0))
        other.sla_decision_ids = [Command.create({"name": "Not for outsiders"})]
        self.event.partner_ids = [
            Command.link(self.outsider.partner_id.id),
            Command.link(self.plain.partner_id.id),
        ]
        Decision = self.env["internal.sla.decision"]
        Item = self.env["internal.sla.action.item"]
        for user in (self.outsider, self.plain):
            with self.subTest(user=user.login):
                with Form(self.event.with_user(user)) as form:
                    self.assertEqual(
                        [r["name"] for r in form.sla_decision_ids._records],
                        ["Weekly sync on Tuesdays"],
                    )
                    self.assertEqual(
                        [r["name"] for r in form.sla_action_ids._records],
                        ["Publish the VPN guide"],
                    )
                    self.assertEqual(form.sla_agreement_id, self.agreement)
                    form.location = "Room 4"
                self.assertEqual(
                    Decision.with_user(user).search([]), self.event.sla_decision_ids
                )
                self.assertEqual(Item.with_user(user).search([]), item)
                with self.assertRaises(AccessError):
                    other.sla_decision_ids.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self.event.sla_decision_ids.with_user(user).write({"name": "Rewritten"})
                with self.assertRaises(AccessError):
                    item.with_user(user).write({"name": "Rewritten"})
                # the meeting's Agreement button is for those who read the agreement
                self.assertFalse(self.event.with_user(user).sla_access)
        self.assertEqual(self.event.location, "Room 4")
        self.assertEqual(item.name, "Publish the VPN guide")

    def test_managers_of_the_agreement_run_and_delete_their_meetings(self):
        """Both heads manage the agreement: they write the minutes and delete a meeting,
        its decisions with it; a meeting moves only to an agreement they manage too."""
        for user in (self.mk_head, self.it_head):
            event = self.event.with_user(user)
            self.assertEqual(event.sla_access, "write")
            event.sla_minutes = f"<p>Minutes by {user.name}</p>"
        self.assertIn("Ivan", self.event.sla_minutes)
        with self.assertRaises(AccessError):
            self.event.with_user(self.mk_head).write({"sla_agreement_id": self.it_hr.id})
        self.event.with_user(self.it_head).write({"sla_agreement_id": self.it_hr.id})
        self.assertEqual(self.event.sla_agreement_id, self.it_hr)
        # now a meeting of IT ↔ HR, whose Marketing head only attends it
        self.assertEqual(self.event.with_user(self.mk_head).sla_access, False)
        with self.assertRaises(AccessError):
            self.event.with_user(self.mk_head).unlink()
        decisions = self.event.sla_decision_ids
        self.event.with_user(self.it_head).unlink()
        self.assertFalse(decisions.exists())
        # ordinary events are left to Odoo's calendar
        ordinary = self.Event.with_user(self.outsider).create(
            {"name": "Dentist", "start": msk(2026, 3, 4, 9, 0), "stop": msk(2026, 3, 4, 10, 0)}
        )
        ordinary.with_user(self.agent).name = "Dentist (moved)"
        ordinary.with_user(self.agent).unlink()

    def test_meetings_of_another_company_stay_there(self):
        company_b = self.env["res.company"].create({"name": "Company B"})
        self.it_head.company_ids = [Command.link(company_b.id)]
        it_b, marketing_b = self.env["hr.department"].create(
            [
                {"name": "IT B", "company_id": company_b.id},
                {"name": "Marketing B", "company_id": company_b.id},
            ]
        )
        it_b.manager_id = self.env["hr.employee"].create(
            {
                "name": "Ivan B",
                "user_id": self.it_head.id,
                "department_id": it_b.id,
                "company_id": company_b.id,
            }
        )
        agreement_b = self.create_agreement(
            name="IT B ↔ Marketing B",
            company_id=company_b.id,
            provider_department_id=it_b.id,
            customer_department_id=marketing_b.id,
            resource_calendar_id=self.env["resource.calendar"]
            .create(
                {
                    "name": "Company B office",
                    "tz": "Europe/Moscow",
                    "company_id": company_b.id,
                    "attendance_ids": office_attendances(),
                }
            )
            .id,
        )
        meeting_b = self.meeting(
            msk(2026, 3, 5, 15, 0),
            partners=self.mk_head,
            user_id=self.mk_head.id,
            sla_agreement_id=agreement_b.id,
        )
        in_a = self.Event.with_user(self.it_head).with_context(
            allowed_company_ids=self.env.company.ids
        )
        self.assertFalse(in_a.search([("id", "=", meeting_b.id)]))
        with self.assertRaises(AccessError):
            in_a.browse(meeting_b.id).read(["sla_minutes"])
        with self.assertRaises(AccessError):
            in_a.browse(meeting_b.id).unlink()
        # nor does a meeting of company A move to company B's agreement from there
        with self.assertRaises(AccessError):
            in_a.browse(self.event.id).write({"sla_agreement_id": agreement_b.id})
        in_both = in_a.with_context(allowed_company_ids=(self.env.company | company_b).ids)
        self.assertEqual(in_both.search([("id", "=", meeting_b.id)]), meeting_b)
        in_both.browse(meeting_b.id).sla_minutes = "<p>Company B review</p>"
