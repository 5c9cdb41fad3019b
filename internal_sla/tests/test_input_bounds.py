"""Out-of-range settings are refused with the field to fix, never a crash (A6).

Durations, escalation thresholds and surge factors so large that the engine could not plan
the resulting instants used to reach the engine and fail there; templates and amendment
lines used to accept what a target refuses."""

from datetime import datetime, time, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.res_config_settings import SETTING_RANGES
from .common import InternalSlaCase, msk


@tagged("post_install", "-at_install")
class TestInputBounds(InternalSlaCase):
    def refused(self, pattern, write, record, values):
        """``write(values)`` raises a ValidationError matching ``pattern`` and changes
        nothing of ``record``."""
        before = record.read(list(values))[0]
        with self.assertRaisesRegex(ValidationError, pattern), self.env.cr.savepoint():
            write(values)
        self.assertEqual(record.read(list(values))[0], before)

    def draft_with_target(self, **target):
        values = {"name": "Long", "metric": "resolution", "duration_type": "hours"}
        values.update(target)
        return self.create_agreement(
            activate=False,
            name="IT ↔ Marketing draft",
            target_ids=[Command.create(values)],
        )

    def test_target_durations_are_bounded_by_unit(self):
        agreement = self.draft_with_target(duration=2000)
        target = agreement.target_ids
        for values in (
            {"duration": 2001},
            {"duration_type": "minutes", "duration": 120001},
            {"duration_type": "days", "duration": 251},
            {"duration": -5},
        ):
            with self.subTest(values=values):
                self.refused(
                    "Target .* of agreement IT ↔ Marketing draft: the duration must be a "
                    "positive number of working .*, at most",
                    target.write,
                    target,
                    values,
                )
        target.write({"duration_type": "days", "duration": 250})
        self.assertEqual(target.duration, 250)

    def test_an_instant_beyond_the_planning_horizon_is_refused_on_the_agreement(self):
        # 2,000 working hours on a 40-hour week, ten times over at level 3: ten years
        agreement = self.draft_with_target(duration=2000)
        self.refused(
            "Target .* of agreement .*: 2000 working hours, relaxed in a surge and "
            "followed by the last escalation level, ends beyond the four years of working "
            "time planned on calendar Moscow office 40h",
            agreement.write,
            agreement,
            {"escalation_level3_percent": 1000},
        )
        agreement.escalation_enabled = False
        agreement.escalation_level3_percent = 1000
        # the target itself is refused once escalations come back on
        self.refused(
            "ends beyond the four years",
            agreement.write,
            agreement,
            {"escalation_enabled": True},
        )
        # a calendar with a working hour a week cannot hold the target at all
        sparse = self.env["resource.calendar"].create(
            {
                "name": "One hour a week",
                "tz": "Europe/Moscow",
                "attendance_ids": [
                    Command.create(
                        {"name": "Mon", "dayofweek": "0", "hour_from": 9, "hour_to": 10}
                    )
                ],
            }
        )
        self.refused(
            "on calendar One hour a week",
            agreement.write,
            agreement,
            {"resource_calendar_id": sparse.id},
        )

    def test_escalation_and_surge_factors_have_a_ceiling(self):
        self.refused(
            "Level 3 at most 1000",
            self.agreement.write,
            self.agreement,
            {"escalation_level3_percent": 1001},
        )
        self.refused(
            r"Relax targets by \(×\) must be above 1 and at most 5",
            self.agreement.write,
            self.agreement,
            {"surge_enabled": True, "surge_backlog_threshold": 10, "surge_factor": 6},
        )
        self.agreement.write(
            {"surge_enabled": True, "surge_backlog_threshold": 10, "surge_factor": 5}
        )
        self.assertEqual(self.agreement.surge_factor, 5)

    def test_template_targets_are_checked_like_targets(self):
        template = self.env["internal.sla.agreement.template"].create(
            {
                "name": "Facilities",
                "target_ids": [
                    Command.create(
                        {"name": "Fix", "metric": "resolution", "duration_type": "hours"}
                    )
                ],
            }
        )
        target = template.target_ids
        for values, pattern in (
            ({"duration": 0}, "Target 'Fix' of template Facilities: the duration must be"),
            ({"duration": 10**9}, "Target 'Fix' of template Facilities: the duration must be"),
            ({"at_risk_percent": -5}, r"'At risk at \(%\)' must be between 1 and 100"),
            ({"metric": "stage"}, "choose the Stage whose time is limited"),
        ):
            with self.subTest(values=values):
                self.refused(pattern, target.write, target, values)

    def test_amendment_lines_are_checked_like_targets(self):
        with freeze_time(msk(2026, 3, 2, 10, 0)):
            wizard = (
                self.env["internal.sla.amendment.wizard"]
                .with_context(default_agreement_id=self.agreement.id)
                .create({"date_effective": "2026-03-03", "note": "Typo"})
            )
        urgent = wizard.line_ids.filtered(lambda line: line.name == "Urgent solved")
        self.refused(
            "Target 'Urgent solved' of the amendment of IT ↔ Marketing: the duration must be",
            urgent.write,
            urgent,
            {"duration": 0},
        )

    def test_stage_rules_are_bounded_by_unit(self):
        rule = self.env["internal.sla.stage.rule"].create(
            {"agreement_id": self.agreement.id, "stage_id": self.stage_new.id, "duration": 4}
        )
        for values in ({"duration": 10**9}, {"duration_unit": "days", "duration": 251}):
            with self.subTest(values=values):
                self.refused("After must be a positive working time", rule.write, rule, values)

    def test_a_stage_rule_on_a_calendar_without_working_time_never_comes_due(self):
        """A team's rule runs on its company's calendar, which no agreement guards: closed
        for decades, the rule is not planned and the request is still saved."""
        closed = self.env["resource.calendar"].create({"name": "Closed site"})
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Closed",
                "calendar_id": closed.id,
                "date_from": "2026-01-01 00:00:00",
                "date_to": "2046-01-01 00:00:00",
            }
        )
        self.company.resource_calendar_id = closed
        self.env["internal.sla.stage.rule"].create(
            {"team_id": self.team.id, "stage_id": self.stage_new.id, "duration": 4}
        )
        since = msk(2026, 3, 2, 10)
        rows = [(0, None, since, self.stage_new.id, None, self.team.id, self.company.id)]
        plans = self.env["internal.sla.stage.rule"]._plan_next(rows, since)
        self.assertEqual(plans, [(0, None, None)])

    @mute_logger("odoo.sql_db")
    def test_review_intervals_and_ritual_durations_have_a_ceiling(self):
        template = self.env["internal.sla.agreement.template"].create({"name": "Legal"})
        for record, values in (
            (self.agreement, {"review_interval_months": 61}),
            (template, {"review_interval_months": -1}),
            (self.agreement, {"review_interval_months": 0}),
            (
                self.env["internal.sla.ritual"].create(
                    {"agreement_id": self.agreement.id, "kind": "sync", "cadence": "weekly"}
                ),
                {"duration": 25},
            ),
        ):
            with (
                self.subTest(model=record._name, values=values),
                self.assertRaises(IntegrityError),
                self.env.cr.savepoint(),
            ):
                record.write(values)
                record.env.flush_all()

    def test_settings_defaults_have_the_same_ceilings(self):
        Settings = self.env["res.config.settings"]
        for values, pattern in (
            (
                {"internal_sla_meeting_duration_hours": 25},
                r"Review meetings last \(hours\): enter a value from 0.25 to 24 \(got 25\)",
            ),
            ({"internal_sla_surge_factor": 6}, "above 1 and at most 5"),
            ({"internal_sla_escalation_level3_percent": 1001}, "level 3 at most 1000%"),
        ):
            with (
                self.subTest(values=values),
                self.assertRaisesRegex(ValidationError, pattern),
                self.env.cr.savepoint(),
            ):
                Settings.create(values).execute()
        self.assertEqual(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("internal_sla.surge_factor", "1.5"),
            "1.5",
        )


@tagged("post_install", "-at_install")
class TestDeletingWhatAgreementsUse(InternalSlaCase):
    """A calendar, a department or a feedback survey in use is not deleted from under the
    agreements: the error says what uses it and to archive instead."""

    def test_agreement_calendar_and_parties_cannot_be_deleted(self):
        draft = self.create_agreement(activate=False, name="HR ↔ Marketing draft")
        draft.provider_department_id = self.hr
        for record, names in (
            (self.calendar, "IT ↔ Marketing, HR ↔ Marketing draft"),
            (self.marketing, "IT ↔ Marketing, HR ↔ Marketing draft"),
            (self.hr, "HR ↔ Marketing draft"),
        ):
            with (
                self.subTest(record=record.display_name),
                self.assertRaisesRegex(
                    UserError, f"{record.display_name} cannot be deleted: agreements {names}"
                ),
                self.env.cr.savepoint(),
            ):
                record.unlink()
            self.assertTrue(record.exists())
        self.assertEqual(self.agreement.resource_calendar_id, self.calendar)
        # unused ones still go
        spare = self.env["resource.calendar"].create({"name": "Spare"})
        spare.unlink()
        self.assertFalse(spare.exists())

    def test_a_survey_with_invitations_is_archived_not_deleted(self):
        survey = self.env.ref("internal_sla.survey_internal_sla_csat")
        self.env["internal.sla.feedback.invitation"].create(
            {"kind": "csat", "survey_id": survey.id, "user_id": self.requester.id}
        )
        with self.assertRaisesRegex(UserError, "Archive it instead"):
            survey.unlink()
        self.assertTrue(survey.exists())

    def test_a_scorecard_period_must_end_after_it_starts(self):
        with self.assertRaisesRegex(ValidationError, "choose an 'until' day after the start"):
            self.env["internal.sla.scorecard"].create(
                {
                    "agreement_id": self.agreement.id,
                    "date_from": "2026-03-01",
                    "date_to": "2026-03-01",
                }
            )

    def test_every_numeric_setting_has_a_range(self):
        Settings = self.env["res.config.settings"]
        numeric = {
            name.removeprefix("internal_sla_")
            for name, field in Settings._fields.items()
            if name.startswith("internal_sla_") and field.type in ("integer", "float")
        }
        # the others have checks of their own (ordered levels, factor, thresholds, hours)
        own_checks = {
            "escalation_level1_percent",
            "escalation_level2_percent",
            "escalation_level3_percent",
            "surge_factor",
            "health_good_percent",
            "health_watch_percent",
            "ritual_sync_hour",
            "ritual_review_hour",
            "meeting_proposed_hour",
        }
        self.assertEqual(numeric - own_checks, set(SETTING_RANGES))
        for key, (lowest, highest) in SETTING_RANGES.items():
            step = (
                1
                if isinstance(Settings._fields[f"internal_sla_{key}"], fields.Integer)
                else 0.01
            )
            for bad in (lowest - step, highest + step):
                with (
                    self.subTest(setting=key, value=bad),
                    self.assertRaises(ValidationError),
                    self.env.cr.savepoint(),
                ):
                    Settings.create({f"internal_sla_{key}": bad})
        # both ends are accepted
        for end in (0, 1):
            Settings.create(
                {f"internal_sla_{key}": bounds[end] for key, bounds in SETTING_RANGES.items()}
            )


@tagged("post_install", "-at_install")
class TestCalendarLeftWithoutWorkingTime(InternalSlaCase):
    """Taking its working time away from a calendar that agreements use is refused, naming
    the agreement and calendar, before the open requests' clocks would fail on it."""

    def test_removing_every_working_hour_is_refused(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        deadline = ticket.sla_deadline
        attendances = self.calendar.attendance_ids
        with (
            self.assertRaisesRegex(
                ValidationError,
                "Agreement IT ↔ Marketing: Working calendar Moscow office 40h has no working "
                "hours",
            ),
            self.env.cr.savepoint(),
        ):
            self.calendar.write({"attendance_ids": [Command.clear()]})
        self.assertEqual(self.calendar.attendance_ids, attendances)
        self.assertEqual(ticket.sla_deadline, deadline)

    def test_a_closure_of_decades_is_refused(self):
        for calendar in (self.calendar, False):  # the agreement's calendar, then every one
            with (
                self.subTest(calendar=calendar),
                self.assertRaisesRegex(ValidationError, "on calendar Moscow office 40h"),
                self.env.cr.savepoint(),
            ):
                self.env["resource.calendar.leaves"].create(
                    {
                        "name": "Closed",
                        "calendar_id": calendar and calendar.id,
                        "date_from": "2026-01-01 00:00:00",
                        "date_to": "2046-01-01 00:00:00",
                    }
                )

    def test_a_new_agreement_needs_a_calendar_with_working_hours(self):
        empty = self.env["resource.calendar"].create({"name": "Empty", "attendance_ids": []})
        with self.assertRaisesRegex(ValidationError, "Working calendar Empty has no working"):
            self.create_agreement(activate=False, name="Draft", resource_calendar_id=empty.id)

    def test_a_request_inside_a_future_closure_of_years_gets_a_clear_error(self):
        """A closure that starts later passes the check made today; a request filed inside
        it is refused with what to fix, not a traceback, and nothing is saved. Dated from
        today: the closure must still lie ahead when the suite runs, with working time
        before it for the check made today."""
        today = fields.Date.today()
        closure_start = today + timedelta(days=60)
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Office moves abroad",
                "calendar_id": self.calendar.id,
                "date_from": datetime.combine(closure_start, time.min),
                "date_to": datetime.combine(today + timedelta(days=13 * 366), time.min),
            }
        )
        Ticket = self.env["helpdesk.ticket"]
        before = Ticket.search_count([])
        filed = closure_start + timedelta(days=425)
        with (
            self.assertRaisesRegex(
                UserError,
                "The deadline of First response cannot be planned: the working calendar "
                "Moscow office 40h of agreement IT ↔ Marketing has no working time in the "
                "four years from .*Ask an administrator to correct the calendar's time off",
            ),
            self.env.cr.savepoint(),
        ):
            self.create_ticket(msk(filed.year, filed.month, filed.day, 10, 0))
        self.assertEqual(Ticket.search_count([]), before)
