from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def write(self, vals):
        result = super().write(vals)
        if "active" in vals:
            # an archived (or restored) department manager leaves (or rejoins) the future
            # review meetings their role brings them to (D1)
            self.env["hr.employee"].sudo().with_context(active_test=False).search(
                [("user_id", "in", self.ids)]
            )._sla_resync_managed_departments()
        return result
