"""NPS "At milestones" (C2): one round when an amendment comes into force and one when a
review of heads of department or top management is held, never twice for a milestone."""

from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import msk
from .feedback_common import FeedbackMixin
from .meeting_common import MeetingCase


@tagged("post_install", "-at_install")
class TestNpsMilestones(FeedbackMixin, MeetingCase):
    def nps(self, agreement=None):
        return self.Invitation.search(
            [("kind", "=", "nps"), ("agreement_id", "=", (agreement or self.agreement).id)]
        )

    def daily_run(self, when):
        with freeze_time(when):
            self.Invitation.with_context(internal_sla_now=when)._cron_feedback()

    def amend(self, when, date_effective):
        """The amendment wizard as a head uses it: same targets, one reason."""
        with freeze_time(when):
            wizard = (
                self.env["internal.sla.amendment.wizard"]
                .with_user(self.it_head)
                .with_context(default_agreement_id=self.agreement.id)
                .create({"date_effective": date_effective, "note": "Faster urgent requests"})
            )
            wizard.action_confirm()
        return self.agreement.version_ids.sorted("number")[-1]

    def send_report(self, event, when):
        with freeze_time(when):
            event.with_user(self.it_head).action_sla_send_report()

    def test_an_amendment_coming_into_force_sends_one_round(self):
        version = self.amend(datetime(2026, 3, 3, 10), "2026-03-10")
        self.assertEqual(version.number, 2)
        self.assertFalse(self.nps(), "scheduled, not in force yet")
        self.daily_run(datetime(2026, 3, 9, 7))
        self.assertFalse(self.nps())
        self.daily_run(datetime(2026, 3, 10, 7))
        invitations = self.nps()
        self.assertEqual(invitations.user_id, self.requester | self.mk_head)
        self.assertEqual(set(invitations.mapped("state")), {"sent"})
        self.assertTrue(version.nps_milestone_sent)
        self.assertIn("Milestone: amendment v2 in force", self.agreement.message_ids[0].body)
        # the cron again the same day and the next days: nothing new
        for when in (datetime(2026, 3, 10, 9), datetime(2026, 3, 11, 7)):
            self.daily_run(when)
        self.assertEqual(self.nps(), invitations)
        # an amendment effective the day it is made sends at once, and once
        version3 = self.amend(datetime(2026, 3, 12, 10), "2026-03-12")
        self.assertTrue(version3.nps_milestone_sent)
        third = self.nps() - invitations
        self.assertEqual(third.user_id, self.requester | self.mk_head)
        self.daily_run(datetime(2026, 3, 13, 7))
        self.assertEqual(self.nps(), invitations | third)
        # the initial version is no milestone
        self.assertFalse(
            self.agreement.version_ids.filtered(lambda v: v.number == 1).nps_milestone_sent
        )

    def test_a_late_run_sends_within_the_days_of_settings(self):
        """The daily job missed an amendment's day: it still sends the round within the
        days of Settings (7 by default), not after."""
        version = self.amend(datetime(2026, 3, 3, 10), "2026-03-10")
        self.daily_run(datetime(2026, 3, 19, 7))  # nine days later
        self.assertFalse(self.nps())
        self.assertFalse(version.nps_milestone_sent)
        self.set_param("nps_milestone_days", 10)
        self.daily_run(datetime(2026, 3, 19, 9))
        self.assertEqual(self.nps().user_id, self.requester | self.mk_head)
        self.assertTrue(version.nps_milestone_sent)

    def test_a_review_of_heads_held_sends_one_round(self):
        self.build_hierarchy()
        ritual = self.ritual(kind="review", first=msk(2026, 3, 3, 15, 0), max_level="2")
        ritual.action_schedule()
        review = ritual.event_id
        self.send_report(review, msk(2026, 3, 3, 16, 30))
        invitations = self.nps()
        self.assertEqual(invitations.user_id, self.requester | self.mk_head)
        self.assertTrue(review.sla_nps_milestone_sent)
        self.assertIn(
            f"Milestone: review {review.name} held", self.agreement.message_ids[0].body
        )
        # the report sent again: no second round
        self.send_report(review, msk(2026, 3, 3, 17, 0))
        self.assertEqual(self.nps(), invitations)
        # a review scheduled by hand is a three-level review: a milestone too
        by_hand = self.meeting(msk(2026, 3, 5, 15, 0), kind="review")
        self.send_report(by_hand, msk(2026, 3, 5, 16, 30))
        self.assertEqual(len(self.nps()), 4)

    def test_syncs_level_one_and_unscheduled_reviews_are_no_milestones(self):
        level_one = self.ritual(kind="review", first=msk(2026, 3, 3, 15, 0), max_level="1")
        level_one.action_schedule()
        sync = self.meeting(msk(2026, 3, 4, 10, 0))
        unscheduled = self.meeting(msk(2026, 3, 4, 15, 0), kind="unscheduled")
        for event in (level_one.event_id, sync, unscheduled):
            self.send_report(event, event.stop)
        self.assertFalse(self.nps())

    def test_the_milestone_round_respects_the_survey_budget(self):
        self.set_param("survey_cap", 1)
        self.set_param("survey_cap_period", "month")
        self.send_nps(msk(2026, 3, 2, 10))  # the button: the month's budget is spent
        review = self.meeting(msk(2026, 3, 5, 15, 0), kind="review")
        self.send_report(review, msk(2026, 3, 5, 16, 30))
        milestone = self.nps().filtered(lambda i: i.date_sent == msk(2026, 3, 5, 16, 30))
        self.assertEqual(milestone.user_id, self.requester | self.mk_head)
        self.assertEqual(set(milestone.mapped("state")), {"skipped"})
        self.assertTrue(review.sla_nps_milestone_sent)

    def test_other_cadences_get_no_milestone_round(self):
        for cadence in ("monthly", "quarterly", "none"):
            self.agreement.write({"nps_cadence": cadence, "nps_next_date": "2026-12-01"})
            review = self.meeting(msk(2026, 3, 5, 15, 0), kind="review")
            self.send_report(review, msk(2026, 3, 5, 16, 30))
            self.assertFalse(review.sla_nps_milestone_sent)
        version = self.amend(datetime(2026, 3, 3, 10), "2026-03-03")
        self.daily_run(datetime(2026, 3, 4, 7))
        self.assertFalse(self.nps())
        self.assertFalse(version.nps_milestone_sent)
