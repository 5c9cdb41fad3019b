from odoo import api, fields, models

from ..engine import forecast
from .internal_sla_line import sla_now

# team changes that change who competes in the team's challenges (E3)
CHALLENGE_FIELDS = {"user_ids", "department_id", "active"}


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
        "the share that did breach (targets reached in the forecast's accuracy window of "
        "Settings, 90 days by default).",
    )
    sla_forecast_recall = fields.Float(
        string="Forecast recall (%)",
        compute="_compute_sla_forecast_accuracy",
        digits=(5, 1),
        help="Of the targets that breached, the share the forecast had flagged before their "
        "deadline (targets reached in the forecast's accuracy window of Settings, 90 days "
        "by default).",
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
            self.env["gamification.challenge"]._sla_sync_team_challenges(teams)
        return teams

    def write(self, vals):
        before = {team: team.department_id for team in self} if "department_id" in vals else {}
        result = super().write(vals)
        moved = self.filtered(
            lambda team: team in before and team.department_id != before[team]
        )
        moved._sla_rematch_open_tickets()
        if vals.get("department_id"):
            self._sla_forecast_soon()
        if CHALLENGE_FIELDS & set(vals):
            self.env["gamification.challenge"]._sla_sync_team_challenges(self)
        return result

    def _sla_rematch_open_tickets(self):
        """The team now works for another department (or none): its open requests fall
        under that department's agreements, keeping the working time they have used."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        tickets = Ticket.search([("team_id", "in", self.ids), ("closed", "=", False)])
        now = sla_now(self.env)
        for ticket in tickets:
            rule = self.env._(
                "Re-matched: team %(team)s now works for %(department)s",
                team=ticket.team_id.name,
                department=ticket.team_id.department_id.name or "-",
            )
            start = ticket._sla_start(now)
            ticket._sla_rematch_to(now, rule, start, ticket._sla_match(start))

    # -- team first (E4): the team's figures, seen by the team; who leads the rankings -----

    sla_team_met_display = fields.Char(
        string="SLA met", compute="_compute_sla_team_kpis", groups="base.group_user"
    )
    sla_team_first_response_display = fields.Char(
        string="Mean first response", compute="_compute_sla_team_kpis", groups="base.group_user"
    )
    sla_team_csat_display = fields.Char(
        string="Satisfaction index", compute="_compute_sla_team_kpis", groups="base.group_user"
    )
    sla_team_volume = fields.Integer(
        string="Requests", compute="_compute_sla_team_kpis", groups="base.group_user"
    )
    sla_team_backlog = fields.Integer(
        string="Open requests", compute="_compute_sla_team_kpis", groups="base.group_user"
    )
    sla_team_kpis_hidden = fields.Boolean(
        string="Figures of one person",
        compute="_compute_sla_team_kpis",
        groups="base.group_user",
        help="The team's requests of the recent months were handled by one agent only: "
        "its figures are that person's, shown only to them, their managers, the managers "
        "of the team's department and administrators (E4). Others read \"not enough "
        'people". The anonymity minimum of Settings set to 1 shows them to everyone.',
    )

    @api.depends_context("uid")
    def _compute_sla_team_kpis(self):
        """The team's KPI set of the recent months, for all the teams at once; a team
        of one hides its figures from those who may not read that person's (E4)."""
        real = self.filtered("id")
        managers = {team.id: team.sudo().department_id.sla_manager_user_ids for team in real}
        figures_by_team = self.env["internal.sla.kpi"]._service_figures(
            "team_id", real.ids, "team", managers
        )
        for team in self:
            _kpis, figures = figures_by_team.get(team.id, ({}, {}))
            team.update(
                {
                    "sla_team_kpis_hidden": figures.get("hidden", False),
                    "sla_team_met_display": figures.get("met", False),
                    "sla_team_first_response_display": figures.get("first_response", False),
                    "sla_team_csat_display": figures.get("csat", False),
                    "sla_team_volume": figures.get("volume", 0),
                    "sla_team_backlog": figures.get("backlog", 0),
                }
            )

    def action_view_sla_leaderboard(self):
        """The team's challenges: each member sees their own goal, the managers of the
        team's department the whole ranking (record rules on the goals)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Leaderboard: %s", self.name),
            "res_model": "gamification.goal",
            "view_mode": "list",
            "views": [
                (
                    self.env.ref("internal_sla.gamification_goal_view_list_leaderboard").id,
                    "list",
                )
            ],
            "domain": [("sla_team_id", "=", self.id)],
            "context": {"group_by": ["challenge_id"], "create": False},
        }

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
