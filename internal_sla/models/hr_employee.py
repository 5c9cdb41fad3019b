from odoo import models


class HrEmployee(models.Model):
    _name = "hr.employee"
    _inherit = ["hr.employee", "internal.sla.service.profile.mixin"]

    def write(self, vals):
        result = super().write(vals)
        if {"user_id", "active"} & set(vals):
            # a manager who changed user or left: the future meetings follow
            self._sla_resync_managed_departments()
        return result

    def _sla_resync_managed_departments(self):
        managed = (
            self.env["hr.department"]
            .sudo()
            .with_context(active_test=False)
            .search([("manager_id", "in", self.ids)])
        )
        if managed:
            managed._sla_resync_meetings()
