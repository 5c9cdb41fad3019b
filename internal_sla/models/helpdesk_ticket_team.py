from odoo import api, fields, models

from ..engine import forecast
from .internal_sla_line import sla_now


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

    sla_forecast_precision = fields.Float(
        string="Forecast precision (%)",
        compute="_compute_sla_forecast_accuracy",
        digits=(5, 1),
        help="Of the targets the forecast flagged likely to breach before their deadline, "
        "the share that did breach (targets reached in the last 90 days).",
    )
    sla_forecast_recall = fields.Float(
        string="Forecast recall (%)",
        compute="_compute_sla_forecast_accuracy",
        digits=(5, 1),
        help="Of the targets that breached, the share the forecast had flagged before their "
        "deadline (targets reached in the last 90 days).",
    )
    sla_forecast_accuracy = fields.Char(
        string="Forecast accuracy", compute="_compute_sla_forecast_accuracy"
    )

    @api.depends_context("internal_sla_now")
    def _compute_sla_forecast_accuracy(self):
        Ticket = self.env["helpdesk.ticket"]
        accuracy = Ticket.sudo()._sla_forecast_accuracy(sla_now(self.env), self.ids)
        for team in self:
            counts = accuracy.get(team.id, (0, 0, 0, 0))
            _scored, flagged, hits, breached = counts
            precision, recall = forecast.precision_recall_counts(hits, flagged, breached)
            team.sla_forecast_precision = precision or 0.0
            team.sla_forecast_recall = recall or 0.0
            team.sla_forecast_accuracy = Ticket._sla_forecast_accuracy_text(counts)

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
