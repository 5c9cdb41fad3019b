from odoo import api, fields, models

from ..engine import forecast


class HelpdeskTicketTeam(models.Model):
    _inherit = "helpdesk.ticket.team"

    department_id = fields.Many2one(
        "hr.department",
        string="Provider department",
        index=True,
        check_company=True,
        help="The department this team works for: its tickets are measured against the "
        "agreements this department provides.",
    )

    # -- breach forecast (B12) --
    sla_forecast_profile = fields.Json(
        string="Breach forecast profile",
        readonly=True,
        copy=False,
        help="What the team's requests are scored from (history of its reached targets "
        "per priority and category, current and usual backlog), refreshed by the breach "
        "forecast: a new request is scored from it at once.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        if any(vals.get("department_id") for vals in vals_list):
            self._sla_forecast_soon()
        return teams

    def write(self, vals):
        result = super().write(vals)
        if vals.get("department_id"):
            self._sla_forecast_soon()
        return result

    @api.model
    def _sla_forecast_soon(self):
        """Run the breach forecast at the next cron tick: a team that just became a
        provider has no profile yet, and its requests would score 0 until the next
        scheduled run."""
        cron = self.env.ref(
            "internal_sla.ir_cron_internal_sla_forecast", raise_if_not_found=False
        )
        if cron:
            cron.sudo()._trigger()

    def _sla_forecast_basis(self):
        """(history, backlog, usual backlog) a new request of this team is scored from,
        read from the stored profile (no query: the team is read with it)."""
        self.ensure_one()
        profile = self.sudo().sla_forecast_profile or {}
        return (
            forecast.history_from_profiles([profile.get("buckets")]),
            profile.get("backlog", 0),
            profile.get("average", 0.0),
        )
