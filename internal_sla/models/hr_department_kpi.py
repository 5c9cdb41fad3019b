"""Service KPIs of a department as a provider (E2), team first (E4): kept apart from the
agreement counters of ``hr_department.py``."""

from odoo import fields, models

from ..engine import kpi
from .internal_sla_scorecard import format_value


class HrDepartment(models.Model):
    _inherit = "hr.department"

    sla_kpi_met_display = fields.Char(
        string="SLA met", compute="_compute_sla_kpis", groups="internal_sla.internal_sla_group_user"
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
            department.sla_kpi_met_display = format_value(kpis["sla_met_percent"], "percent")
            department.sla_kpi_first_response_display = format_value(
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
