from odoo import fields, models


class HrDepartment(models.Model):
    _inherit = "hr.department"

    sla_provided_ids = fields.One2many(
        "internal.sla.agreement", "provider_department_id", string="Agreements provided"
    )
    sla_provided_count = fields.Integer(compute="_compute_sla_counts")
    sla_consumed_count = fields.Integer(compute="_compute_sla_counts")

    def _compute_sla_counts(self):
        Agreement = self.env["internal.sla.agreement"]
        provided = dict(
            Agreement._read_group(
                [("provider_department_id", "in", self.ids)],
                ["provider_department_id"],
                ["__count"],
            )
        )
        consumed = dict(
            Agreement._read_group(
                [("customer_department_id", "in", self.ids)],
                ["customer_department_id"],
                ["__count"],
            )
        )
        everyone = Agreement.search_count([("customer_scope", "=", "all")])
        for department in self:
            department.sla_provided_count = provided.get(department, 0)
            department.sla_consumed_count = consumed.get(department, 0) + everyone

    def _sla_action(self, domain):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Agreements"),
            "res_model": "internal.sla.agreement",
            "view_mode": "kanban,list,form",
            "domain": domain,
        }

    def action_view_sla_provided(self):
        self.ensure_one()
        action = self._sla_action([("provider_department_id", "=", self.id)])
        action["context"] = {"default_provider_department_id": self.id}
        return action

    def action_view_sla_consumed(self):
        self.ensure_one()
        action = self._sla_action(
            [
                "|",
                ("customer_department_id", "=", self.id),
                ("customer_scope", "=", "all"),
            ]
        )
        action["context"] = {"default_customer_department_id": self.id}
        return action

    # -- review meetings: attendees follow the people in the roles (D1) ----------------------

    def write(self, vals):
        result = super().write(vals)
        if {"manager_id", "parent_id"} & set(vals):
            self._sla_resync_meetings()
        return result

    def _sla_resync_meetings(self):
        """Future ritual meetings of the agreements of these departments, or of
        departments below them (whose level 2 and 3 they hold), get the new people."""
        below = self.search([("id", "child_of", self.ids)])
        self.env["internal.sla.agreement"].sudo().search(
            [
                "|",
                ("provider_department_id", "in", below.ids),
                ("customer_department_id", "in", below.ids),
            ]
        )._sla_resync_rituals()
