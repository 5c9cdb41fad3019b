"""Employee service profile (E1): on the public employee record every colleague opens and
on the private one HR officers and administrators open.

Individual figures are for coaching (E4): they are computed only for the employee
themselves, their managers (the manager chain and the managers of their department and its
parents) and Internal SLA administrators; anyone else gets empty fields and an access error
on the profile's analysis.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError


class InternalSlaServiceProfileMixin(models.AbstractModel):
    _name = "internal.sla.service.profile.mixin"
    _description = "Employee Service Profile"

    sla_profile_visible = fields.Boolean(compute="_compute_sla_profile")
    sla_ticket_count = fields.Integer(string="Requests handled", compute="_compute_sla_profile")
    sla_met_display = fields.Char(string="SLA met", compute="_compute_sla_profile")
    sla_first_response_display = fields.Char(
        string="Mean first response", compute="_compute_sla_profile"
    )
    sla_csat_display = fields.Char(
        string="CSAT",
        compute="_compute_sla_profile",
        help="Satisfaction index: answers 4–5 of all CSAT answers.",
    )
    sla_csat_mean_display = fields.Char(
        string="Mean CSAT",
        compute="_compute_sla_profile",
        help="Mean of the CSAT answers on the 1–5 scale.",
    )
    sla_fcr_display = fields.Char(
        string="First contact resolution", compute="_compute_sla_profile"
    )
    sla_reopen_display = fields.Char(string="Reopened", compute="_compute_sla_profile")

    def _sla_profile_allowed(self):
        """The employees of ``self`` whose service profile the current user may read."""
        user = self.env.user
        if user.has_group("internal_sla.internal_sla_group_admin"):
            return self
        allowed = self.browse()
        for employee in self.sudo():
            managers = employee.parent_id
            while more := managers.parent_id - managers:
                managers |= more
            department = employee.department_id
            while department:
                managers |= self.browse(department.manager_id.ids)
                department = department.parent_id
            if user in (employee.user_id | managers.user_id):
                allowed |= self.browse(employee.id)
        return allowed

    @api.depends_context("uid")
    def _compute_sla_profile(self):
        allowed = self._sla_profile_allowed()
        users = allowed.sudo().user_id
        by_agent = (
            self.env["internal.sla.kpi"]._kpis([("user_id", "in", users.ids)], groupby="agent")
            if users
            else {}
        )
        empty = self.env["internal.sla.kpi"]._kpi_set({}, {}, {})
        for employee in self:
            visible = employee in allowed
            kpis = by_agent.get(employee.sudo().user_id.id, empty) if visible else empty
            employee.sla_profile_visible = visible
            employee.sla_ticket_count = kpis["volume"]
            shown = {
                "sla_met_display": (kpis["sla_met_percent"], "percent"),
                "sla_first_response_display": (kpis["first_response_mean"], "seconds"),
                "sla_fcr_display": (kpis["fcr_percent"], "percent"),
                "sla_reopen_display": (kpis["reopen_percent"], "percent"),
            }
            for name, (value, unit) in shown.items():
                employee[name] = (
                    self.env["internal.sla.kpi"]._display(value, unit) if visible else False
                )
            for name, key, unit in (
                ("sla_csat_display", "csat_percent", "percent"),
                ("sla_csat_mean_display", "csat_mean", "score_of_5"),
            ):
                employee[name] = (
                    self.env["internal.sla.kpi"]._display_answers(
                        kpis[key], kpis["csat_hidden"], unit
                    )
                    if visible
                    else False
                )

    def action_open_sla_profile(self):
        """The employee's own SLA lines in the analysis (record rules apply too)."""
        self.ensure_one()
        if not self._sla_profile_allowed():
            raise AccessError(
                self.env._(
                    "The service figures of %s are visible to them and their managers only.",
                    self.name,
                )
            )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "internal_sla.internal_sla_report_action"
        )
        action["domain"] = [("user_id", "=", self.sudo().user_id.id)]
        action["context"] = {"search_default_filter_last_year": 1}
        action["display_name"] = self.env._("Service profile: %s", self.name)
        return action
