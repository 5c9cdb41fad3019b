"""The defaults of rituals, unscheduled reviews, the feedback loop, the breach forecast and
the surge's average are settings (SPEC G1): each one, changed on the Settings page, changes
what the product does, and a value that makes no sense is refused naming the setting.

All instants are naive UTC built from Moscow wall time (``msk``); 2 March 2026 is a Monday.
"""

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..models.internal_sla_agreement_meeting import config_number
from ..models.res_config_settings import SETTING_RANGES, hour_setting, setting
from .common import msk
from .feedback_common import FeedbackMixin
from .test_sla_forecast import MONDAY, TUESDAY, WEDNESDAY, ForecastHistoryCase


@tagged("post_install", "-at_install")
class TestSettingsTunable(FeedbackMixin, ForecastHistoryCase):
    def save_settings(self, **values):
        self.env["res.config.settings"].create(values).execute()

    # -- review meetings (D1, D2) ------------------------------------------------------------

    def test_new_rituals_meet_on_the_weekday_and_hour_of_settings(self):
        self.save_settings(
            internal_sla_ritual_sync_weekday="3",
            internal_sla_ritual_sync_hour=9.5,
            internal_sla_ritual_review_weekday="0",
            internal_sla_ritual_review_hour=15.0,
            internal_sla_meeting_duration_hours=1.5,
        )
        with freeze_time("2026-03-02 06:00:00"):  # Monday 9:00 in Moscow
            self.agreement.action_schedule_rituals()
            # a ritual added by hand (the Meetings tab) gets the same default
            extra = self.env["internal.sla.ritual"].create(
                {"agreement_id": self.agreement.id, "kind": "review", "cadence": "quarterly"}
            )
        rituals = self.agreement.ritual_ids - extra
        sync = rituals.filtered(lambda r: r.kind == "sync")
        review = rituals.filtered(lambda r: r.kind == "review")
        # the next Thursday at 9:30 (the default: Tuesday 3 March at 10:00)
        self.assertEqual(sync.date_first, msk(2026, 3, 5, 9, 30))
        # 1 April 2026 is a Wednesday: the first Monday of April at 15:00 (the default:
        # Wednesday 1 April at 11:00)
        self.assertEqual(review.date_first, msk(2026, 4, 6, 15, 0))
        self.assertEqual(extra.date_first, msk(2026, 4, 6, 15, 0))
        self.assertEqual(sync.event_id.start, msk(2026, 3, 5, 9, 30))
        # meetings of 1 h 30 min (1 h by default)
        self.assertEqual((rituals | extra).mapped("duration"), [1.5, 1.5, 1.5])
        self.assertEqual(sync.event_id.stop, msk(2026, 3, 5, 11, 0))
        self.assertTrue(sync.event_id.thu)
        self.assertFalse(sync.event_id.tue)

    def test_unscheduled_review_is_placed_as_set(self):
        self.save_settings(
            internal_sla_meeting_proposed_days=3, internal_sla_meeting_proposed_hour=13.5
        )
        with freeze_time(msk(*MONDAY, 10)):
            self.agreement._propose_meeting("detractor:1", "detractor answer (3/10)")
        event = self.agreement.meeting_cause_ids.event_id
        # Thursday 13:30 is the lunch break of the calendar: the next working time, 14:00
        # (the default: Wednesday at 10:00), for the default hour
        self.assertEqual((event.start, event.stop), (msk(2026, 3, 5, 14), msk(2026, 3, 5, 15)))
        # five days ahead is a Saturday: Monday 9 March is a holiday, so Tuesday at 9:00
        self.save_settings(
            internal_sla_meeting_proposed_days=5,
            internal_sla_meeting_proposed_hour=16.0,
            internal_sla_meeting_duration_hours=0.75,
        )
        with freeze_time(msk(*MONDAY, 10)):
            self.agreement._propose_meeting("detractor:2", "detractor answer (2/10)")
        later = self.agreement.meeting_cause_ids.filtered(
            lambda c: c.cause == "detractor:2"
        ).event_id
        self.assertEqual(
            (later.start, later.stop), (msk(2026, 3, 10, 9), msk(2026, 3, 10, 9, 45))
        )

    # -- feedback loop (C4, C7) ------------------------------------------------------------

    def test_meeting_energy_answer_deadline(self):
        self.save_settings(internal_sla_energy_answer_days=5)
        review = self.review_meeting(WEDNESDAY)
        now = msk(*WEDNESDAY, 15)
        with freeze_time(now):
            self.Invitation.with_context(internal_sla_now=now)._cron_feedback()
        # (the demo data has energy invitations of its own reviews)
        invitations = self.Invitation.search(
            [("kind", "=", "energy"), ("event_id", "=", review.id)]
        )
        self.assertEqual(len(invitations), 2)
        # five days after it was sent (three by default), other surveys keep their five
        self.assertEqual(set(invitations.mapped("deadline")), {msk(2026, 3, 9, 15)})
        self.assertEqual(
            invitations.user_input_id.mapped("deadline"), [msk(2026, 3, 9, 15)] * 2
        )

    def test_went_silent_after_the_answers_of_settings(self):
        def nps_round(day, answer_it):
            mine = self.send_nps(msk(2026, 3, day, 10)).filtered(
                lambda i: i.user_id == self.requester
            )
            if answer_it:
                self.answer(mine, 9)
            return mine

        def expire(day):
            now = msk(2026, 3, day, 10)
            with freeze_time(now):
                self.Invitation.with_context(internal_sla_now=now)._cron_feedback()

        nps_round(2, True)
        ignored = nps_round(10, False)
        expire(16)
        # one answer before: not silent while two are needed (the default)
        self.assertEqual((ignored.state, ignored.silent), ("expired", False))
        self.save_settings(internal_sla_silent_after_answers=1)
        nps_round(17, True)
        ignored = nps_round(24, False)
        expire(30)
        # the one before was answered: one is enough now
        self.assertEqual((ignored.state, ignored.silent), ("expired", True))

    def test_a_setting_saved_as_zero_stays_zero(self):
        """Odoo deletes an integer or float parameter saved as 0, and its readers took
        their default instead (H9, D2): a survey cap of 0 ("no cap") was 4 again."""
        self.set_param("survey_cap", 4)
        self.set_param("meeting_backlog_min", 5)
        zeros = {
            f"internal_sla_{key}": 0
            for key, (lowest, highest) in SETTING_RANGES.items()
            if lowest <= 0 <= highest
        }
        # midnight and "nothing is poor" are values too
        zeros.update(internal_sla_ritual_sync_hour=0.0, internal_sla_health_watch_percent=0.0)
        self.assertIn("internal_sla_survey_cap", zeros)
        self.assertIn("internal_sla_meeting_backlog_min", zeros)
        self.save_settings(**zeros)
        shown = self.env["res.config.settings"].create({})
        for name in zeros:
            self.assertEqual(shown[name], 0, name)
            key = name.removeprefix("internal_sla_")
            self.assertEqual(setting(self.env, key, -1, float), 0, name)
        self.assertEqual(config_number(self.env, "meeting_backlog_min", 5), 0)
        self.assertEqual(hour_setting(self.env, "ritual_sync_hour"), 0.0)
        # saved again unchanged, still 0
        shown.execute()
        self.assertEqual(setting(self.env, "survey_cap", -1), 0)
        # no cap: a fifth survey in the month is sent, not sampled out
        invitations = self.Invitation
        for day in range(2, 7):
            when = msk(2026, 3, day, 10)
            invitations |= self.Invitation.with_context(internal_sla_now=when)._invite(
                "nps", self.requester, values={"agreement_id": self.agreement.id}
            )
        self.assertEqual(invitations.mapped("state"), ["sent"] * 5)
        # a cap of 4 again samples the fifth out
        self.save_settings(internal_sla_survey_cap=4)
        capped = self.Invitation.with_context(internal_sla_now=msk(2026, 4, 1, 10))
        states = [capped._invite("nps", self.requester).state for _round in range(5)]
        self.assertEqual(states, ["sent"] * 4 + ["skipped"])

    # -- breach forecast (B12) and surge (B11) -------------------------------------------------

    def test_forecast_history_window(self):
        fast = self.create_ticket(msk(*MONDAY, 10))
        self.at(msk(*MONDAY, 10, 30), fast, stage_id=self.stage_done.id)
        slow = self.create_ticket(msk(*MONDAY, 10), team_id=self.slow_team.id)
        self.at(msk(*TUESDAY, 12), slow, stage_id=self.stage_done.id)
        Ticket = self.env["helpdesk.ticket"]
        fast_key, slow_key = ("resolution", self.team.id), ("resolution", self.slow_team.id)
        history = Ticket._sla_forecast_history(msk(*WEDNESDAY, 9))
        self.assertEqual(history.buckets[fast_key].survivors(0), (1, 0))
        self.assertEqual(history.buckets[slow_key].survivors(0), (1, 1))
        # one day back from Wednesday 9:00: Monday's fast request is out, Tuesday's in
        self.save_settings(internal_sla_forecast_history_days=1)
        history = Ticket._sla_forecast_history(msk(*WEDNESDAY, 9))
        self.assertNotIn(fast_key, history.buckets)
        self.assertEqual(history.buckets[slow_key].survivors(0), (1, 1))

    def test_forecast_accuracy_window(self):
        ticket = self.create_ticket(msk(*WEDNESDAY, 10))
        self.refresh(msk(*WEDNESDAY, 10, 30))  # the first response (due 11:00) is scored
        self.at(msk(*WEDNESDAY, 10, 45), ticket, stage_id=self.stage_done.id)
        self.assertTrue(self.line(ticket, "first_response").forecast_scored)
        Ticket = self.env["helpdesk.ticket"]
        friday = msk(2026, 3, 6, 13)
        # (scored, flagged, flagged and breached, breached) over the last 90 days
        self.assertEqual(
            Ticket._sla_forecast_accuracy(friday, self.team.ids)[None], (1, 0, 0, 0)
        )
        self.save_settings(internal_sla_forecast_accuracy_days=2)
        # since Wednesday 13:00: the answer of 10:45 is out
        self.assertEqual(
            Ticket._sla_forecast_accuracy(friday, self.team.ids)[None], (0, 0, 0, 0)
        )
        self.assertEqual(
            Ticket._sla_forecast_accuracy(msk(*WEDNESDAY, 13), self.team.ids)[None],
            (1, 0, 0, 0),
        )
        self.assertEqual(
            Ticket._sla_forecast_accuracy_text((0, 0, 0, 0)),
            "No target scored by the forecast was reached in the last 2 days.",
        )

    def test_surge_average_window(self):
        Surge = self.env["internal.sla.surge"]
        Surge.search([]).unlink()  # the demo data's surge stays out of the way
        self.agreement.write(
            {
                "surge_enabled": True,
                "surge_backlog_threshold": 0,
                "surge_average_percent": 50,
                "surge_factor": 1.5,
            }
        )
        # two requests open for ten days, one filed now: 3 open
        old = [self.create_ticket(msk(*MONDAY, 9)) for _ in range(2)]
        new = self.create_ticket(msk(*MONDAY, 10))
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = ANY(%s)",
            [msk(2026, 2, 20, 10), [ticket.id for ticket in old]],
        )
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            [msk(*MONDAY, 10), new.id],
        )
        # over 7 days the average is 2 (both old requests every day): 3 is not 50 % above
        self.save_settings(internal_sla_surge_average_days=7)
        with freeze_time(msk(*MONDAY, 10, 5)):
            started, _ended = Surge._cron_evaluate()
        self.assertFalse(started)
        # over 28 days (the default) they were open 10 of them: 2 × 10 / 28
        self.save_settings(internal_sla_surge_average_days=28)
        with freeze_time(msk(*MONDAY, 10, 5)):
            started, _ended = Surge._cron_evaluate()
        self.assertEqual(started.backlog_start, 3)
        self.assertEqual(started.backlog_average, 0.7)  # kept to one decimal
        backlogs = self.env["helpdesk.ticket"]._sla_team_backlogs(
            self.team.ids, msk(*MONDAY, 10, 5)
        )
        self.assertEqual(backlogs[self.team.id][0], 3)
        self.assertAlmostEqual(backlogs[self.team.id][1], 20 / 28)

    # -- the page ----------------------------------------------------------------------------

    def test_new_settings_round_trip_with_their_defaults(self):
        defaults = {
            "internal_sla_ritual_sync_weekday": "1",
            "internal_sla_ritual_sync_hour": 10.0,
            "internal_sla_ritual_review_weekday": "2",
            "internal_sla_ritual_review_hour": 11.0,
            "internal_sla_meeting_duration_hours": 1.0,
            "internal_sla_meeting_proposed_days": 2,
            "internal_sla_meeting_proposed_hour": 10.0,
            "internal_sla_energy_answer_days": 3,
            "internal_sla_silent_after_answers": 2,
            "internal_sla_nps_milestone_days": 7,
            "internal_sla_forecast_history_days": 180,
            "internal_sla_forecast_accuracy_days": 90,
            "internal_sla_surge_average_days": 28,
        }
        settings = self.env["res.config.settings"].create({})
        for name, value in defaults.items():
            self.assertEqual(settings[name], value, name)
        changed = {
            name: ("4" if isinstance(value, str) else value + 1)
            for name, value in defaults.items()
        }
        self.save_settings(**changed)
        settings = self.env["res.config.settings"].create({})
        for name, value in changed.items():
            self.assertEqual(settings[name], value, name)

    def test_wrong_values_are_refused_naming_the_setting(self):
        Settings = self.env["res.config.settings"]
        for name, label in (
            ("internal_sla_meeting_duration_hours", "Review meetings last"),
            ("internal_sla_meeting_proposed_days", "Propose unscheduled reviews in"),
            ("internal_sla_energy_answer_days", "Meeting energy answer within"),
            ("internal_sla_silent_after_answers", "Went silent after"),
            ("internal_sla_nps_milestone_days", "Amendment NPS round within"),
            ("internal_sla_forecast_history_days", "Forecast history"),
            ("internal_sla_forecast_accuracy_days", "Forecast accuracy over"),
            ("internal_sla_surge_average_days", "Average backlog over"),
        ):
            for value in (0, -3):
                with self.assertRaisesRegex(ValidationError, f"^{label} .*above 0"):
                    Settings.create({name: value})
        for name, label in (
            ("internal_sla_ritual_sync_hour", "Weekly sync at"),
            ("internal_sla_ritual_review_hour", "Three-level review at"),
            ("internal_sla_meeting_proposed_hour", "Propose unscheduled reviews at"),
        ):
            for value in (-1.0, 24.0):
                with self.assertRaisesRegex(ValidationError, f"^{label}: .*00:00 to 23:59"):
                    Settings.create({name: value})
