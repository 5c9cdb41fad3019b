"""D1: when the rituals meet and who they bring together — monthly reviews on the weekday
of the month, owners who leave leave the meetings to come, and the customer owner of an
agreement with all departments invited."""

import pytz
from freezegun import freeze_time

from odoo.tests import tagged

from .common import msk
from .meeting_common import MeetingCase


def local_days(events):
    """(date, weekday) of ``events`` in Moscow, by start."""
    moscow = pytz.timezone("Europe/Moscow")
    return [
        (local.date().isoformat(), local.strftime("%a"))
        for local in (
            pytz.utc.localize(start).astimezone(moscow) for start in events.mapped("start")
        )
    ]


@tagged("post_install", "-at_install")
class TestMeetingSchedule(MeetingCase):
    def everyone(self):
        return self.create_agreement(
            name="IT for everyone",
            customer_scope="all",
            customer_department_id=False,
            state="draft",
            activate=False,
        )

    def test_reviews_meet_on_the_weekday_of_the_month(self):
        """A review first held on the first Wednesday meets on the first Wednesday of the
        following months (not on the 4th, a weekend in April); one first held in the fifth
        week of its month, on the last such weekday."""
        # the default review of an agreement: the first review weekday of Settings
        with freeze_time("2026-03-02 06:00:00"):
            self.agreement.action_schedule_rituals()
        review = self.agreement.ritual_ids.filtered(lambda r: r.kind == "review")
        days = local_days(review.event_ids.sorted("start"))
        self.assertEqual(len({weekday for _day, weekday in days}), 1, days)
        self.assertTrue(all(day[-2:] <= "07" for day, _weekday in days), days)
        self.assertGreater(len(days), 10)
        first = self.ritual(kind="review", first=msk(2026, 3, 4, 11, 0), until="2026-06-30")
        last = self.ritual(kind="review", first=msk(2026, 4, 29, 11, 0), until="2026-07-31")
        quarterly = self.ritual(
            kind="review", cadence="quarterly", first=msk(2026, 3, 5, 11, 0), until="2026-12-31"
        )
        (first | last | quarterly).action_schedule()
        self.assertEqual(
            local_days(first.event_ids.sorted("start")),
            [
                ("2026-03-04", "Wed"),
                ("2026-04-01", "Wed"),
                ("2026-05-06", "Wed"),
                ("2026-06-03", "Wed"),
            ],
        )
        self.assertEqual(
            local_days(last.event_ids.sorted("start")),
            [
                ("2026-04-29", "Wed"),
                ("2026-05-27", "Wed"),
                ("2026-06-24", "Wed"),
                ("2026-07-29", "Wed"),
            ],
        )
        self.assertEqual(
            local_days(quarterly.event_ids.sorted("start")),
            [
                ("2026-03-05", "Thu"),
                ("2026-06-04", "Thu"),
                ("2026-09-03", "Thu"),
                ("2026-12-03", "Thu"),
            ],
        )
        for event in (first | last | quarterly).event_ids:
            self.assertEqual(event.start.hour, 8)  # 11:00 in Moscow

    def test_an_owner_who_leaves_is_taken_off_future_meetings(self):
        """The customer owner (not Marketing's manager) archived: they leave the meetings
        to come of the agreements they own; restored, they are back."""
        self.agreement.customer_owner_id = self.requester
        ritual = self.ritual()  # weekly sync, Tuesdays 3 to 31 March
        ritual.action_schedule()
        events = ritual.event_ids.sorted("start")
        past, future = events[:2], events[2:]  # 3 and 10 March; 17, 24 and 31 March
        for event in events:
            self.assertIn(self.requester.partner_id, event.partner_ids)
        with freeze_time(msk(2026, 3, 12, 9, 0)):
            self.requester.active = False
        for event in future:
            self.assertEqual(event.partner_ids, (self.it_head | self.mk_head).partner_id)
        for event in past:
            self.assertIn(self.requester.partner_id, event.partner_ids, "the past is kept")
        with freeze_time(msk(2026, 3, 12, 9, 0)):
            self.requester.active = True
        for event in future:
            self.assertIn(self.requester.partner_id, event.partner_ids)

    def test_customer_owner_of_all_departments_is_invited(self):
        """An agreement serving every department has no customer department: its customer
        owner is the customer's level 1, in every ritual; without one, the vacant role is
        noted like the others."""
        everyone = self.everyone()
        users, vacant = everyone._sla_attendees(3)
        self.assertEqual(users, self.it_head)
        self.assertIn("Customer level 1 (Managers)", vacant)
        self.assertFalse([role for role in vacant if role.startswith("Customer level 2")])
        review = self.env["internal.sla.ritual"].create(
            {
                "agreement_id": everyone.id,
                "kind": "review",
                "date_first": msk(2026, 3, 4, 11, 0),
                "date_until": "2026-04-30",
            }
        )
        review.action_schedule()
        note = everyone.message_ids.filtered(lambda m: "nobody holds" in (m.body or ""))
        self.assertIn("Customer level 1", note[0].body)
        with freeze_time(msk(2026, 3, 2, 9, 0)):
            everyone.customer_owner_id = self.requester
        self.assertEqual(everyone._sla_role_user("customer", 1), self.requester)
        self.assertEqual(everyone._sla_role_user("customer", 2), self.env["res.users"])
        users, vacant = everyone._sla_attendees(3)
        self.assertIn(self.requester, users)
        self.assertFalse([role for role in vacant if role.startswith("Customer")])
        for event in review.event_ids:
            self.assertIn(self.requester.partner_id, event.partner_ids)
