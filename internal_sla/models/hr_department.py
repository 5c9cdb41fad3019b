from odoo import api, fields, models

from ..engine.feedback import CADENCES


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

    # -- eNPS of the department's own people on its own cadence (C3) ------------------

    enps_cadence = fields.Selection(
        [c for c in CADENCES if c[0] != "milestone"],
        string="eNPS cadence",
        default="none",
        required=True,
    )
    enps_next_date = fields.Date(string="Next eNPS survey", copy=False)

    def action_send_enps(self):
        Invitation = self.env["internal.sla.feedback.invitation"]
        invitations = Invitation
        for department in self:
            employees = (
                self.env["hr.employee"].sudo().search([("department_id", "=", department.id)])
            )
            invitations |= Invitation._invite(
                "enps",
                employees.user_id,
                values={
                    "provider_department_id": department.id,
                    "company_id": department.company_id.id or self.env.company.id,
                },
            )
        return invitations

    @api.model
    def _cron_send_enps(self, now):
        today = now.date()
        due = self.search(
            [
                ("enps_cadence", "in", ("monthly", "quarterly")),
                "|",
                ("enps_next_date", "=", False),
                ("enps_next_date", "<=", today),
            ]
        )
        Invitation = self.env["internal.sla.feedback.invitation"]
        for department in due:
            department.action_send_enps()
            department.enps_next_date = Invitation._next_date(today, department.enps_cadence)

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
