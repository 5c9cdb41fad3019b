from datetime import date

from freezegun import freeze_time

from .common import InternalSlaCase, msk, office_attendances

HOUR = 3600


class TestTwoClocks(InternalSlaCase):
    """Two clocks (H6): the provider's time on the agreement's calendar (Moscow, Russian
    holidays, Monday to Friday) and the requester's on their own (Monday to Saturday, no
    public holidays): across a weekend and a holiday they differ."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.six_days = cls.env["resource.calendar"].create(
            {
                "name": "Marketing events, six days",
                "tz": "Europe/Moscow",
                "attendance_ids": office_attendances(days=range(6)),
            }
        )
        cls.requester_employee.resource_calendar_id = cls.six_days
        # the requester lives in Moscow: their hours are counted in their time zone
        cls.requester_employee.tz = "Europe/Moscow"

    def test_weekend_and_holiday_count_for_the_requester_only(self):
        # Friday 6 March 2026 16:00 Moscow; Monday 9 March is a public holiday in Russia
        ticket = self.create_ticket(msk(2026, 3, 6, 16, 0))
        with freeze_time(msk(2026, 3, 6, 17, 0)):
            ticket.with_user(self.agent).message_post(
                body="On it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.at(msk(2026, 3, 10, 11, 0), ticket, stage_id=self.stage_done.id)
        first, resolution = self.line(ticket, "first_response"), self.line(ticket)
        self.assertEqual((first.provider_hours, first.requester_hours), (1.0, 1.0))
        # provider: Friday 16-18, Monday off, Tuesday 9-11 = 4 h
        self.assertEqual(resolution.consumed_seconds, 4 * HOUR)
        self.assertEqual(resolution.provider_hours, 4.0)
        # requester: Friday 2 h + Saturday 8 h + Monday 8 h + Tuesday 2 h = 20 h
        self.assertEqual(resolution.requester_seconds, 20 * HOUR)
        self.assertEqual(resolution.requester_hours, 20.0)
        self.assertEqual(resolution.requester_calendar_id, self.six_days)

        kpis = self.env["internal.sla.kpi"]._kpis(
            [("id", "=", ticket.id)], date(2020, 1, 1), date(2030, 1, 1)
        )
        self.assertEqual(kpis["requester_wait_mean"], 20 * HOUR)
        self.assertEqual(kpis["resolution_mean"], 4 * HOUR)

    def test_the_requester_lives_their_hours_in_their_own_time_zone(self):
        """A requester in London on a calendar written in Moscow works 9-18 London time,
        as Odoo counts an employee's working time."""
        self.requester_employee.tz = "Europe/London"  # UTC+0 in early March
        ticket = self.create_ticket(msk(2026, 3, 3, 10, 0))  # 07:00 in London
        self.at(msk(2026, 3, 3, 16, 0), ticket, stage_id=self.stage_done.id)  # 13:00
        resolution = self.line(ticket)
        # provider (Moscow): 10-13, 14-16 = 5 h; requester (London): 9-13 = 4 h
        self.assertEqual(resolution.consumed_seconds, 5 * HOUR)
        self.assertEqual(resolution.requester_seconds, 4 * HOUR)

    def test_waiting_on_the_requester_counts_on_neither_clock(self):
        ticket = self.create_ticket(msk(2026, 3, 6, 16, 0))
        # waiting on the requester from Friday 17:00 to Tuesday 10:00
        self.at(msk(2026, 3, 6, 17, 0), ticket, stage_id=self.stage_waiting.id)
        self.at(msk(2026, 3, 10, 10, 0), ticket, stage_id=self.stage_progress.id)
        self.at(msk(2026, 3, 10, 11, 0), ticket, stage_id=self.stage_done.id)
        resolution = self.line(ticket)
        self.assertEqual(resolution.consumed_seconds, 2 * HOUR)
        self.assertEqual(resolution.requester_seconds, 2 * HOUR)

    def test_reopened_request_adds_the_new_stretch(self):
        ticket = self.create_ticket(msk(2026, 3, 6, 16, 0))
        self.at(msk(2026, 3, 6, 17, 0), ticket, stage_id=self.stage_done.id)
        resolution = self.line(ticket)
        self.assertEqual(resolution.requester_seconds, HOUR)
        # reopened on Saturday 10:00 (a working day for the requester only), solved 12:00
        self.at(msk(2026, 3, 7, 10, 0), ticket, stage_id=self.stage_progress.id)
        self.at(msk(2026, 3, 7, 12, 0), ticket, stage_id=self.stage_done.id)
        self.assertEqual(resolution.requester_seconds, 3 * HOUR)
        # the provider's clock did not run on Saturday
        self.assertEqual(resolution.consumed_seconds, HOUR)

    def test_requester_without_calendar_lives_on_the_company_one(self):
        company_calendar = self.env["resource.calendar"].create(
            {
                "name": "Company office",
                "tz": "Europe/Moscow",
                "attendance_ids": office_attendances(hours=((10, 14),), lunch=None),
            }
        )
        self.company.resource_calendar_id = company_calendar
        partner = self.env["res.partner"].create({"name": "Somebody without employee"})
        ticket = self.create_ticket(
            msk(2026, 3, 2, 9, 0),
            partner_id=partner.id,
            requester_department_id=self.marketing.id,
        )
        self.at(msk(2026, 3, 2, 12, 0), ticket, stage_id=self.stage_done.id)
        resolution = self.line(ticket)
        self.assertEqual(resolution.requester_calendar_id, company_calendar)
        self.assertEqual(resolution.requester_seconds, 2 * HOUR)  # 10:00-12:00
        self.assertEqual(resolution.consumed_seconds, 3 * HOUR)

    def test_calendars_are_read_set_based(self):
        def count(tickets):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            side = tickets._sla_requester_side()
            return self.cr.sql_log_count - before, side

        one = self.create_ticket(msk(2026, 3, 6, 10, 0))
        many = one
        for hour in (11, 12, 13):
            many |= self.create_ticket(msk(2026, 3, 6, hour, 0))
        queries_one, _side = count(one)
        queries_many, (calendars, handoffs) = count(many)
        self.assertEqual(queries_many, queries_one)
        self.assertLessEqual(queries_many, 3)
        self.assertEqual(set(calendars.values()), {(self.six_days, "Europe/Moscow")})
        self.assertEqual(set(calendars), set(many.ids))
        self.assertFalse(handoffs)
