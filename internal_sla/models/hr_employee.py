from odoo import models


class HrEmployee(models.Model):
    _name = "hr.employee"
    _inherit = ["hr.employee", "internal.sla.service.profile.mixin"]

    def write(self, vals):
        result = super().write(vals)
        if "user_id" in vals:
            managed = self.env["hr.department"].sudo().search([("manager_id", "in", self.ids)])
            if managed:
                managed._sla_resync_meetings()
        return result
