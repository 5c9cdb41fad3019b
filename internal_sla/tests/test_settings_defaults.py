from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..models.res_config_settings import health
from .common import InternalSlaCase, msk
from .feedback_common import FeedbackMixin


@tagged("post_install", "-at_install")
class TestSettingsDefaults(FeedbackMixin, InternalSlaCase):
    """Every default of the product is a setting (SPEC G1): it round-trips through the
    Settings page and the code reads it."""

    def save_settings(self, **values):
        settings = self.env["res.config.settings"].create(values)
        settings.execute()
        return self.env["res.config.settings"].create({})

    def scorecard_rows(self):
        scorecard = self.env["internal.sla.scorecard"].create(
            {
                "agreement_id": self.agreement.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 4, 1),
            }
        )
        return {line.name: line for line in scorecard.line_ids}

    def test_every_new_setting_round_trips(self):
        values = {
            "internal_sla_min_respondents": 3,
            "internal_sla_health_good_percent": 95.0,
            "internal_sla_health_watch_percent": 80.0,
            "internal_sla_benchmark_nps": 30.0,
            "internal_sla_benchmark_first_response_hours": 2.0,
            "internal_sla_benchmark_csat_percent": 90.0,
            "internal_sla_benchmark_empowerment_percent": 70.0,
            "internal_sla_benchmark_repeat_percent": 3.0,
            "internal_sla_default_review_months": 12,
            "internal_sla_default_first_response_mode": "stage",
            "internal_sla_default_nps_cadence": "monthly",
            "internal_sla_sweep_minutes": 15,
            "internal_sla_meeting_fast_response_goal": 95,
        }
        reread = self.save_settings(**values)
        for name, value in values.items():
            self.assertEqual(reread[name], value, name)
        cron = self.env.ref("internal_sla.ir_cron_internal_sla_sweep")
        self.assertEqual((cron.interval_number, cron.interval_type), (15, "minutes"))

    def test_defaults_shown_when_nothing_is_set(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.internal_sla_min_respondents, 5)
        self.assertEqual(settings.internal_sla_benchmark_first_response_hours, 4.0)
        self.assertEqual(settings.internal_sla_default_review_months, 6)
        self.assertEqual(settings.internal_sla_sweep_minutes, 5)
        self.assertEqual(settings.internal_sla_meeting_fast_response_goal, 100)

    def test_new_agreements_take_the_default_settings(self):
        defaults = self.env["internal.sla.agreement"].default_get(
            ["review_interval_months", "first_response_mode", "nps_cadence"]
        )
        self.assertEqual(
            defaults,
            {
                "review_interval_months": 6,
                "first_response_mode": "message",
                "nps_cadence": "quarterly",
            },
        )
        self.save_settings(
            internal_sla_default_review_months=12,
            internal_sla_default_first_response_mode="stage",
            internal_sla_default_nps_cadence="monthly",
        )
        agreement = self.create_agreement(activate=False, customer_department_id=self.hr.id)
        self.assertEqual(agreement.review_interval_months, 12)
        self.assertEqual(agreement.first_response_mode, "stage")
        self.assertEqual(agreement.nps_cadence, "monthly")

    def test_anonymity_minimum_hides_and_shows_figures(self):
        people = self.make_people(3, self.marketing, prefix="anon")
        self.answered(people, [10, 9, 3], datetime(2026, 3, 10, 9, 0))
        self.agreement.invalidate_recordset()
        self.assertTrue(self.agreement.feedback_hidden)  # 3 people < 5
        self.assertEqual(self.agreement.feedback_nps, 0.0)
        self.save_settings(internal_sla_min_respondents=3)
        self.agreement.invalidate_recordset()
        self.assertFalse(self.agreement.feedback_hidden)
        self.assertAlmostEqual(self.agreement.feedback_nps, 33.3, places=1)
        trend = self.env["internal.sla.feedback.report"]._read_group(
            [("agreement_id", "=", self.agreement.id)], [], ["nps:avg"]
        )
        self.assertAlmostEqual(trend[0][0], 33.3, places=1)

    def test_benchmarks_follow_the_settings(self):
        rows = self.scorecard_rows()
        self.assertEqual(rows["Internal NPS"].target, ">= +50")
        self.assertEqual(rows["First response (mean)"].target, "< 4 h 00 min")
        self.save_settings(
            internal_sla_benchmark_nps=30.0,
            internal_sla_benchmark_first_response_hours=2.5,
            internal_sla_benchmark_csat_percent=90.0,
            internal_sla_benchmark_repeat_percent=3.0,
        )
        rows = self.scorecard_rows()
        self.assertEqual(rows["Internal NPS"].target, ">= +30")
        self.assertEqual(rows["First response (mean)"].target, "< 2 h 30 min")
        self.assertEqual(rows["Satisfaction index (CSAT)"].target, "> 90.0 %")

    def test_service_health_thresholds(self):
        self.assertEqual(health(self.env, 80.0), "watch")
        self.save_settings(
            internal_sla_health_good_percent=80.0, internal_sla_health_watch_percent=60.0
        )
        self.assertEqual(health(self.env, 80.0), "good")
        self.save_settings(
            internal_sla_health_good_percent=95.0, internal_sla_health_watch_percent=85.0
        )
        self.assertEqual(health(self.env, 80.0), "poor")
        self.assertEqual(health(self.env, None), "no_data")

    def test_wrong_values_are_refused_with_what_to_fix(self):
        Settings = self.env["res.config.settings"]
        with self.assertRaisesRegex(ValidationError, "Anonymity minimum"):
            Settings.create({"internal_sla_min_respondents": 0})
        with self.assertRaisesRegex(ValidationError, "Poor below"):
            Settings.create(
                {
                    "internal_sla_health_good_percent": 70.0,
                    "internal_sla_health_watch_percent": 80.0,
                }
            )
        with self.assertRaisesRegex(ValidationError, "First response benchmark"):
            Settings.create({"internal_sla_benchmark_first_response_hours": 0})
        with self.assertRaisesRegex(ValidationError, "Check SLA clocks"):
            Settings.create({"internal_sla_sweep_minutes": 0})
        with self.assertRaisesRegex(ValidationError, "Agenda goals"):
            Settings.create({"internal_sla_meeting_fast_response_goal": 120})

    def test_escalation_surge_and_enps_defaults_of_new_records(self):
        defaults = self.env["internal.sla.agreement"].default_get(
            ["escalation_enabled", "escalation_level3_to", "surge_condition"]
        )
        self.assertEqual(
            defaults,
            {
                "escalation_enabled": True,
                "escalation_level3_to": "top_manager",
                "surge_condition": "any",
            },
        )
        top = self.it_head
        reread = self.save_settings(
            default_escalation_enabled=False,
            default_escalation_level3_to="customer_owner",
            default_escalation_top_user_id=top.id,
            default_surge_condition="all",
            default_enps_cadence="quarterly",
        )
        self.assertFalse(reread.default_escalation_enabled)
        self.assertEqual(reread.default_escalation_level3_to, "customer_owner")
        self.assertEqual(reread.default_escalation_top_user_id, top)
        self.assertEqual(reread.default_surge_condition, "all")
        self.assertEqual(reread.default_enps_cadence, "quarterly")
        agreement = self.create_agreement(activate=False, customer_department_id=self.hr.id)
        self.assertFalse(agreement.escalation_enabled)
        self.assertEqual(agreement.escalation_level3_to, "customer_owner")
        self.assertEqual(agreement.escalation_top_user_id, top)
        self.assertEqual(agreement.surge_condition, "all")
        department = self.env["hr.department"].create({"name": "Procurement"})
        self.assertEqual(department.enps_cadence, "quarterly")
        # existing records keep what they had
        self.assertTrue(self.agreement.escalation_enabled)
        self.assertEqual(self.it.enps_cadence, "none")
        # and switching escalation back on is kept too (a default of True is not lost)
        self.assertTrue(
            self.save_settings(default_escalation_enabled=True).default_escalation_enabled
        )
        agreement = self.create_agreement(activate=False, customer_department_id=department.id)
        self.assertTrue(agreement.escalation_enabled)

    def test_each_feedback_kind_sends_the_survey_of_settings(self):
        Invitation = self.env["internal.sla.feedback.invitation"]
        first = Invitation._survey_of("csat")
        other = first.copy({"title": "Short CSAT"})
        other.internal_sla_kind = "csat"
        self.assertEqual(Invitation._survey_of("csat"), first)  # nothing chosen: the first
        reread = self.save_settings(internal_sla_csat_survey_id=other.id)
        self.assertEqual(reread.internal_sla_csat_survey_id, other)
        self.assertEqual(Invitation._survey_of("csat"), other)
        self.ticket_closed_invites(other)
        # archived, or no longer a CSAT survey: back to the first active one
        other.active = False
        self.assertEqual(Invitation._survey_of("csat"), first)
        other.write({"active": True, "internal_sla_kind": "nps"})
        self.assertEqual(Invitation._survey_of("csat"), first)
        with self.assertRaisesRegex(
            ValidationError, "CSAT survey: choose a survey marked 'CSAT'"
        ):
            self.env["res.config.settings"].create({"internal_sla_csat_survey_id": other.id})

    def ticket_closed_invites(self, survey):
        """A request closing sends the chosen CSAT survey."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10), user_id=self.agent.id)
        when = msk(2026, 3, 2, 15)
        with freeze_time(when):
            ticket.with_context(internal_sla_now=when).stage_id = self.stage_done
        self.assertEqual(ticket.feedback_invitation_ids.survey_id, survey)

    def test_scorecard_button_names_the_window_of_settings(self):
        self.assertEqual(self.agreement.kpi_window_display, "Scorecard (12 m)")
        self.env["ir.config_parameter"].sudo().set_param("internal_sla.kpi_window_months", 6)
        self.agreement.invalidate_recordset()
        self.assertEqual(self.agreement.kpi_window_display, "Scorecard (6 m)")
        form = self.agreement.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="kpi_window_display"', form)
        self.assertNotIn("12 m", form)

    def test_recent_months_of_the_figures_on_records(self):
        Kpi = self.env["internal.sla.kpi"]
        # created seven months and a half, and one month, before "now"
        for when in (msk(2026, 1, 12, 10), msk(2026, 8, 3, 10)):
            ticket = self.create_ticket(when)
            # rows carry the transaction's creation time: back-date it as it would be
            self.env.cr.execute(
                "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", [when, ticket.id]
            )
        with freeze_time("2026-09-01 09:00:00"):
            self.assertEqual(Kpi._period()[0], datetime(2025, 9, 1, 9, 0, 1))
            self.agreement.invalidate_recordset()
            self.assertEqual(self.agreement.kpi_volume, 2)
            self.save_settings(internal_sla_kpi_window_months=6)
            self.assertEqual(Kpi._period()[0], datetime(2026, 3, 1, 9, 0, 1))
            self.agreement.invalidate_recordset()
            self.assertEqual(self.agreement.kpi_volume, 1)
            scorecard = self.env["internal.sla.scorecard"].create(
                {"agreement_id": self.agreement.id}
            )
            self.assertEqual(scorecard.date_from, date(2026, 3, 1))
        # a leap day is a day like another (a year back from it has no 29 February)
        self.save_settings(internal_sla_kpi_window_months=12)
        with freeze_time("2028-02-29 12:00:00"):
            self.assertEqual(Kpi._period()[0], datetime(2027, 2, 28, 12, 0, 1))
        with self.assertRaisesRegex(ValidationError, "Figures cover"):
            self.env["res.config.settings"].create({"internal_sla_kpi_window_months": 0})
