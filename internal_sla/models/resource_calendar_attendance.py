from odoo import api, models


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env["resource.calendar"]._internal_sla_calendar_changed(records.calendar_id)
        return records

    def write(self, vals):
        calendars = self.calendar_id
        res = super().write(vals)
        self.env["resource.calendar"]._internal_sla_calendar_changed(
            calendars | self.calendar_id
        )
        return res

    def unlink(self):
        calendars = self.calendar_id
        res = super().unlink()
        self.env["resource.calendar"]._internal_sla_calendar_changed(calendars)
        return res
