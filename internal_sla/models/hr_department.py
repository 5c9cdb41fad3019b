from odoo import fields, models

from ..engine import kpi


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

    # -- service KPIs as a provider (E2), team first (E4) ---------------------------------

    sla_kpi_met_display = fields.Char(
        string="SLA met",
        compute="_compute_sla_kpis",
        groups="internal_sla.internal_sla_group_user",
    )
    sla_kpi_first_response_display = fields.Char(
        string="Mean first response",
        compute="_compute_sla_kpis",
        groups="internal_sla.internal_sla_group_user",
    )
    sla_kpi_backlog = fields.Integer(
        string="Open requests",
        compute="_compute_sla_kpis",
        groups="internal_sla.internal_sla_group_user",
    )
    sla_health = fields.Selection(
        kpi.HEALTH_LEVELS,
        string="Service health",
        compute="_compute_sla_kpis",
        groups="internal_sla.internal_sla_group_user",
        help="From the SLA met % of the last twelve months: good from 90 %, watch from 75 %.",
    )

    def _compute_sla_kpis(self):
        real = self.filtered("id")
        by_department = (
            self.env["internal.sla.kpi"]._kpis(
                [("provider_department_id", "in", real.ids)], groupby="provider"
            )
            if real
            else {}
        )
        empty = self.env["internal.sla.kpi"]._kpi_set({}, {}, {})
        for department in self:
            kpis = by_department.get(department.id, empty)
            department.sla_kpi_met_display = self.env["internal.sla.kpi"]._display(
                kpis["sla_met_percent"], "percent"
            )
            department.sla_kpi_first_response_display = self.env["internal.sla.kpi"]._display(
                kpis["first_response_mean"], "seconds"
            )
            department.sla_kpi_backlog = kpis["backlog"]
            department.sla_health = kpi.health(kpis["sla_met_percent"])

    def action_view_sla_analysis(self):
        """The SLA analysis of the requests this department serves, by team first (E4)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "internal_sla.internal_sla_report_action"
        )
        action["domain"] = [("provider_department_id", "=", self.id)]
        action["context"] = {
            "search_default_filter_last_year": 1,
            "search_default_groupby_team": 1,
        }
        return action
