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
            # and so does an agreement owner from the meetings of the agreements they own
            # (level 1 with their department's manager, or alone for all departments)
            self.env["internal.sla.agreement"].sudo().search(
                [
                    "|",
                    ("provider_owner_id", "in", self.ids),
                    ("customer_owner_id", "in", self.ids),
                ]
            )._sla_resync_rituals()
        return result
