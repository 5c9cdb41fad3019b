from odoo import api, models
from odoo.exceptions import ValidationError
from odoo.tools import ormcache

from ..engine.working_time import Attendance, WorkingTime
from .internal_sla_agreement import ACTIVE_STATES, refuse_unlink_used_by_agreements


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    @ormcache("self.id", "tz")
    def _internal_sla_working_time(self, tz=None):
        """The calendar's working time (attendances minus time off) as an engine object.

        Cached per calendar and time zone; any change of attendances, time off or of the
        calendar clears the cache (see ``_internal_sla_calendar_changed``).
        """
        self.ensure_one()
        if self.flexible_hours:
            raise ValidationError(
                self.env._(
                    "Calendar %(calendar)s has flexible hours: an SLA needs fixed working "
                    "hours. Choose a calendar with attendances.",
                    calendar=self.display_name,
                )
            )
        attendances = [
            Attendance(
                int(att.dayofweek),
                att.hour_from,
                att.hour_to,
                int(att.week_type) if self.two_weeks_calendar and att.week_type else None,
            )
            for att in self.sudo().attendance_ids
            if not att.display_type and att.day_period != "lunch"
        ]
        rows = (
            self.env["resource.calendar.leaves"]
            .sudo()
            .search_fetch(self._internal_sla_leave_domain(), ["date_from", "date_to"])
        )
        return WorkingTime(
            tz or self.tz,
            attendances,
            [(leave.date_from, leave.date_to) for leave in rows],
            two_weeks=self.two_weeks_calendar,
        )

    def _internal_sla_leave_domain(self):
        """Time off that stops SLA clocks: public holidays and closures of the calendar
        (or of no calendar) of its company; not an individual's time off. A calendar
        shared by all companies takes the time off entered on it whatever company Odoo
        stamped on it (the one of whoever entered it), as Odoo's own planning does."""
        domain = [("time_type", "=", "leave"), ("resource_id", "=", False)]
        if self.company_id:
            return domain + [
                ("calendar_id", "in", [False, self.id]),
                ("company_id", "in", [False, self.company_id.id]),
            ]
        return domain + [
            "|",
            ("calendar_id", "=", self.id),
            "&",
            ("calendar_id", "=", False),
            ("company_id", "=", False),
        ]

    @api.model
    def _internal_sla_calendar_changed(self, calendars=None):
        """Forget cached working time and recompute the open SLA lines it affects."""
        self.env.registry.clear_cache()
        agreements = self.env["internal.sla.agreement"].sudo()
        if calendars is not None:
            agreements = agreements.search([("resource_calendar_id", "in", calendars.ids)])
        else:
            agreements = agreements.search([("state", "in", ACTIVE_STATES)])
        # a calendar left without working time (its hours removed, a closure of years) is
        # refused here, naming it, before the open requests' clocks would fail on it
        agreements.filtered(lambda a: a.state in ACTIVE_STATES)._check_calendar()
        agreements.target_ids._check_reachable()
        agreements._recompute_open_lines(rule=self.env._("Working calendar changed"))

    def write(self, vals):
        res = super().write(vals)
        # hours per day: the length of a target in working days
        watched = {
            "attendance_ids",
            "tz",
            "two_weeks_calendar",
            "flexible_hours",
            "hours_per_day",
        }
        if watched & set(vals):
            self._internal_sla_calendar_changed(self)
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_agreement_calendar(self):
        refuse_unlink_used_by_agreements(self, "resource_calendar_id")
