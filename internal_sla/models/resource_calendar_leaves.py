from odoo import api, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    def _internal_sla_affected_calendars(self):
        """Calendars whose SLA clocks these time off records move (None = all)."""
        global_leaves = self.filtered(lambda leave: not leave.resource_id)
        if not global_leaves:
            return self.env["resource.calendar"]
        if any(not leave.calendar_id for leave in global_leaves):
            return None
        return global_leaves.calendar_id

    def _internal_sla_notify(self, calendars):
        if calendars is None or calendars:
            self.env["resource.calendar"]._internal_sla_calendar_changed(calendars)

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._internal_sla_notify(records._internal_sla_affected_calendars())
        return records

    def write(self, vals):
        before = self._internal_sla_affected_calendars()
        res = super().write(vals)
        after = self._internal_sla_affected_calendars()
        self._internal_sla_notify(None if before is None or after is None else before | after)
        return res

    def unlink(self):
        calendars = self._internal_sla_affected_calendars()
        res = super().unlink()
        self.env["resource.calendar.leaves"]._internal_sla_notify(calendars)
        return res
