from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import InternalSlaCase, msk, office_attendances


@tagged("post_install", "-at_install")
class TestSlaRecompute(InternalSlaCase):
    def close_office(self, name, date_from, date_to, entered_at):
        """Time off of the fixture calendar, entered at ``entered_at``."""
        with freeze_time(entered_at):
            self.env["resource.calendar.leaves"].create(
                {
                    "name": name,
                    "calendar_id": self.calendar.id,
                    "date_from": date_from,
                    "date_to": date_to,
                }
            )

    def mornings_calendar(self):
        """A Moscow office open 9:00-12:00 on weekdays: three hours a day."""
        return self.env["resource.calendar"].create(
            {
                "name": "Mornings only",
                "tz": "Europe/Moscow",
                "attendance_ids": office_attendances(hours=((9, 12),), lunch=None),
            }
        )

    def test_new_holiday_moves_open_deadlines(self):
        # Thursday 30 April 17:00 urgent: 1 h Thursday + 1 h Monday 4 May... unless 4 May
        # becomes a company closure
        ticket = self.create_ticket(msk(2026, 4, 30, 17, 0), priority="3")
        line = self.line(ticket)
        # 1 May is a holiday: 17-18 Thursday then Monday 4 May 09-10
        self.assertEqual(line.deadline, msk(2026, 5, 4, 10, 0))
        self.close_office(
            "Company closure",
            msk(2026, 5, 4, 0, 0),
            msk(2026, 5, 5, 0, 0),
            entered_at=msk(2026, 4, 30, 17, 30),
        )
        self.assertEqual(line.deadline, msk(2026, 5, 5, 10, 0))
        recompute = ticket.sla_event_ids.filtered(lambda e: e.event_type == "recompute")
        self.assertEqual(recompute.rule, "Working calendar changed")

    def test_calendar_hours_change_recomputes(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 16, 30), priority="3")
        self.assertEqual(self.line(ticket).deadline, msk(2026, 3, 3, 9, 30))
        with freeze_time(msk(2026, 3, 2, 16, 30)):
            # the office now works until 19:00 on Mondays
            monday_afternoon = self.calendar.attendance_ids.filtered(
                lambda a: a.dayofweek == "0" and a.hour_from == 14
            )
            monday_afternoon.hour_to = 19
        self.assertEqual(self.line(ticket).deadline, msk(2026, 3, 2, 18, 30))

    def test_agreement_calendar_or_time_zone_change_recomputes(self):
        """B13: the agreement's own calendar or time zone changes the open clocks."""
        ticket = self.create_ticket(msk(2026, 3, 2, 11, 0), priority="3")
        self.assertEqual(self.line(ticket).deadline, msk(2026, 3, 2, 13, 0))
        mornings = self.mornings_calendar()
        with freeze_time(msk(2026, 3, 2, 11, 30)):
            self.agreement.resource_calendar_id = mornings
        # 11:00-12:00 Monday, then 09:00-10:00 Tuesday
        self.assertEqual(self.line(ticket).deadline, msk(2026, 3, 3, 10, 0))
        recompute = ticket.sla_event_ids.filtered(lambda e: e.event_type == "recompute")
        self.assertEqual(recompute.rule, "Agreement calendar changed")
        with freeze_time(msk(2026, 3, 2, 11, 40)):
            self.agreement.tz = "Europe/Berlin"
        # Berlin is two hours behind Moscow in March: filed at 09:00 there, the two
        # working hours of its mornings (09:00-12:00) end at 11:00 Berlin, 13:00 Moscow
        self.assertEqual(self.line(ticket).deadline, msk(2026, 3, 2, 13, 0))

    def test_a_target_in_working_days_follows_the_calendars_day(self):
        """B13: one working day is the calendar's hours per day; another calendar makes
        the open clocks' day another length."""
        agreement = self.create_agreement(
            name="IT ↔ HR",
            customer_department_id=self.hr.id,
            target_ids=[
                Command.create(
                    {
                        "name": "Solved in a working day",
                        "metric": "resolution",
                        "duration_type": "days",
                        "duration": 1,
                    }
                )
            ],
        )
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), requester_department_id=self.hr.id)
        line = self.line(ticket)
        self.assertEqual(line.agreement_id, agreement)
        self.assertEqual(line.target_seconds, 8 * 3600)
        self.assertEqual(line.deadline, msk(2026, 3, 3, 10, 0))
        mornings = self.mornings_calendar()
        self.assertEqual(mornings.hours_per_day, 3)
        with freeze_time(msk(2026, 3, 2, 11, 0)):
            agreement.resource_calendar_id = mornings
        # a working day is now three hours: 10-12 Monday, 09-10 Tuesday (the same
        # instant as eight hours of the full calendar, by chance of the hours)
        self.assertEqual(line.target_seconds, 3 * 3600)
        self.assertEqual(line.deadline, msk(2026, 3, 3, 10, 0))
        # the calendar's average hours per day, edited, makes the day another length
        with freeze_time(msk(2026, 3, 2, 11, 10)):
            mornings.hours_per_day = 2
        self.assertEqual(line.target_seconds, 2 * 3600)
        self.assertEqual(line.deadline, msk(2026, 3, 2, 12, 0))  # 10-12 Monday
        later = self.create_ticket(msk(2026, 3, 2, 11, 0), requester_department_id=self.hr.id)
        self.assertEqual(self.line(later).target_seconds, 2 * 3600)

    def test_time_off_entered_on_a_calendar_shared_by_companies(self):
        """A calendar of no company takes the holidays entered on it, although Odoo
        stamps each with the company of whoever entered it."""
        self.calendar.company_id = False
        ticket = self.create_ticket(msk(2026, 4, 30, 17, 0), priority="3")
        self.assertEqual(self.line(ticket).deadline, msk(2026, 5, 4, 10, 0))
        self.close_office(
            "Company closure",
            msk(2026, 5, 4, 0, 0),
            msk(2026, 5, 5, 0, 0),
            entered_at=msk(2026, 4, 30, 17, 30),
        )
        closure = self.env["resource.calendar.leaves"].search(
            [("name", "=", "Company closure")]
        )
        self.assertEqual(closure.company_id, self.env.company)
        self.assertEqual(self.line(ticket).deadline, msk(2026, 5, 5, 10, 0))

    def test_closed_lines_are_left_alone_unless_asked(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        self.at(msk(2026, 3, 2, 14, 30), ticket, stage_id=self.stage_done.id)
        self.assertEqual(self.line(ticket).state, "breached")
        # the day turns out to have been a closure from 11:00
        leave = self.env["resource.calendar.leaves"].create(
            {
                "name": "Power cut",
                "calendar_id": self.calendar.id,
                "date_from": msk(2026, 3, 2, 11, 0),
                "date_to": msk(2026, 3, 2, 14, 0),
            }
        )
        self.assertEqual(self.line(ticket).state, "breached")
        wizard = self.env["internal.sla.recompute.wizard"].create(
            {"date_from": "2026-03-01", "date_to": "2026-03-31", "include_closed": True}
        )
        with freeze_time(msk(2026, 3, 3, 9, 0)):
            wizard.action_recompute()
        # 10-11 and 14-14:30: 1.5 working hours, within the 2 h target
        self.assertEqual(self.line(ticket).state, "met")
        self.assertIn("changed state", wizard.result)
        # its resolution time (to its first and only close) follows: the KPIs read it
        self.assertEqual(self.line(ticket).first_reached_seconds, 5400)
        self.assertTrue(leave)

    def test_the_wizard_takes_clocks_started_on_the_users_days(self):
        """Both bounds are on the clock's start, in the time zone of the person asking:
        a request filed at 01:30 in Moscow on 3 March (22:30 UTC on the 2nd) is of the
        3rd, and a clock started on the last day counts, whenever its request was filed."""
        early = self.create_ticket(msk(2026, 3, 3, 1, 30), priority="3")
        late = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        self.env.user.tz = "Europe/Moscow"

        def recomputed(date_from, date_to):
            wizard = self.env["internal.sla.recompute.wizard"].create(
                {"date_from": date_from, "date_to": date_to}
            )
            with freeze_time(msk(2026, 3, 3, 9, 0)):
                wizard.action_recompute()
            return wizard.result

        # each request has two clocks (first response, resolution)
        self.assertEqual(len(early.sla_line_ids), 2)
        self.assertEqual(len(late.sla_line_ids), 2)
        self.assertTrue(recomputed("2026-03-03", "2026-03-03").startswith("2 lines"))
        self.assertTrue(recomputed("2026-03-02", "2026-03-02").startswith("2 lines"))
        self.assertTrue(recomputed("2026-03-02", "2026-03-03").startswith("4 lines"))
        self.assertTrue(recomputed("2026-03-04", "2026-03-04").startswith("0 lines"))

    def test_late_holiday_lifts_a_breach_not_yet_reached(self):
        """A closure entered after the sweep flagged a request overdue gives its time back."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        line = self.line(ticket)
        with freeze_time(msk(2026, 3, 2, 12, 30)):
            self.env["internal.sla.line"]._cron_sweep()
        self.assertEqual(line.state, "breached")
        # the office was closed from 10:00 to 12:00 (power cut), entered late
        self.close_office(
            "Power cut",
            msk(2026, 3, 2, 10, 0),
            msk(2026, 3, 2, 12, 0),
            entered_at=msk(2026, 3, 2, 12, 30),
        )
        self.assertEqual(line.deadline, msk(2026, 3, 2, 15, 0))
        self.assertEqual(line.state, "running")
        # the first response (1 h) is due at 13:00 now, half used
        self.assertEqual(self.line(ticket, "first_response").state, "running")
        self.assertEqual(ticket.sla_state, "running")
