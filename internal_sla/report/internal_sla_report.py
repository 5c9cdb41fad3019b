from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.internal_sla_line import STATES
from ..models.internal_sla_target_values_mixin import METRICS


class InternalSlaReport(models.Model):
    """SLA analysis (F2): one row per SLA line with the dimensions of its ticket.

    Measures follow the KPI catalogue: ``met_percent`` is 100 for a met line, 0 for a
    breached one and empty while the line is open, so its average over any group is
    ``kpi.sla_met_percent(met, breached)`` of that group.
    """

    _name = "internal.sla.report"
    _description = "SLA Analysis"
    _auto = False
    _order = "create_date desc, id desc"
    _rec_name = "ticket_id"
    _inherit = ["internal.sla.report.dimensions"]

    # "Provider → Customer" in the user's language: built by ``_field_to_sql`` from the
    # departments' translated names the view carries (``provider_name``, ``customer_name``)
    pair = fields.Char(string="Department pair", readonly=True)
    name = fields.Char(string="Target", readonly=True)
    metric = fields.Selection(METRICS, readonly=True)
    state = fields.Selection(STATES, string="SLA state", readonly=True)
    create_date = fields.Datetime(string="Created on", readonly=True)
    deadline = fields.Datetime(readonly=True)
    reached_date = fields.Datetime(string="Reached at", readonly=True)
    is_open = fields.Boolean(string="Open", readonly=True)
    reopened = fields.Boolean(readonly=True)
    met_count = fields.Integer(string="Met", readonly=True, aggregator="sum")
    breached_count = fields.Integer(string="Breached", readonly=True, aggregator="sum")
    met_percent = fields.Float(
        string="SLA met %",
        readonly=True,
        aggregator="avg",
        help="Met lines / (met + breached) lines; open lines do not count yet. Empty for a "
        "group whose requests one agent handled alone, unless you are that agent, one of "
        "their managers or an administrator (team first).",
    )
    consumed_hours = fields.Float(
        string="Working hours",
        readonly=True,
        aggregator="avg",
        help="Working hours consumed by the clock, pauses excluded.",
    )
    first_reach_hours = fields.Float(
        string="Hours to the first reach",
        readonly=True,
        aggregator="avg",
        help="Working hours from the start of the clock to the first time its target was "
        "reached, pauses excluded; empty until then. Averaged over first response or "
        "resolution lines it is the mean time of the KPI catalogue (a reopened request's "
        "resolution runs to its first close).",
    )
    target_hours = fields.Float(string="Target hours", readonly=True, aggregator="avg")
    overrun_hours = fields.Float(string="Overrun hours", readonly=True, aggregator="sum")
    # ownership time (H12): the team grouping is the team holding the request now; what
    # it and the teams before it held, from the stretches written when a team hands the
    # request over or closes it and the running one, measured by the hourly refresh
    team_id = fields.Many2one("helpdesk.ticket.team", string="Current team", readonly=True)
    team_held_hours = fields.Float(
        string="Hours with the current team",
        readonly=True,
        aggregator="avg",
        help="Working hours the team now holding the request held it: the stretches ended "
        "by a hand-over or a close, and for an open request the stretch still running, "
        "measured up to the last refresh (hourly).",
    )
    other_teams_hours = fields.Float(
        string="Hours with other teams",
        readonly=True,
        aggregator="avg",
        help="Working hours other teams held the request before it reached its current team.",
    )

    def _select(self):
        return SQL(
            """
            SELECT line.id,
                   line.ticket_id,
                   line.agreement_id,
                   COALESCE(line.company_id, ticket.company_id) AS company_id,
                   ticket.provider_department_id,
                   ticket.requester_department_id AS customer_department_id,
                   provider.name AS provider_name,
                   customer.name AS customer_name,
                   ticket.team_id,
                   ticket.user_id,
                   ticket.category_id,
                   ticket.priority,
                   line.name,
                   line.metric,
                   line.state,
                   ticket.create_date,
                   line.deadline,
                   line.reached_date,
                   NOT COALESCE(stage.closed, FALSE) AS is_open,
                   EXISTS (
                       SELECT 1 FROM internal_sla_event event
                        WHERE event.ticket_id = line.ticket_id
                          AND event.event_type = 'reopen'
                   ) AS reopened,
                   (line.state = 'met')::int AS met_count,
                   (line.state = 'breached')::int AS breached_count,
                   CASE line.state WHEN 'met' THEN 100.0 WHEN 'breached' THEN 0.0 END
                       AS met_percent,
                   line.consumed_seconds / 3600.0 AS consumed_hours,
                   line.first_reached_seconds / 3600.0 AS first_reach_hours,
                   line.target_seconds / 3600.0 AS target_hours,
                   line.overrun_seconds / 3600.0 AS overrun_hours,
                   COALESCE(held.current_team, 0) / 3600.0 AS team_held_hours,
                   COALESCE(held.other_teams, 0) / 3600.0 AS other_teams_hours
              FROM internal_sla_line line
              JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
         LEFT JOIN LATERAL (
                   SELECT sum(stretch.working_seconds)
                              FILTER (WHERE stretch.team_id = ticket.team_id) AS current_team,
                          sum(stretch.working_seconds)
                              FILTER (WHERE stretch.team_id IS DISTINCT FROM ticket.team_id)
                              AS other_teams
                     FROM internal_sla_ownership stretch
                    WHERE stretch.ticket_id = ticket.id
                   ) held ON TRUE
         LEFT JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
         LEFT JOIN hr_department provider ON provider.id = ticket.provider_department_id
         LEFT JOIN hr_department customer ON customer.id = ticket.requester_department_id
             WHERE ticket.active
            """
        )

    def _field_to_sql(self, alias, field_expr, query=None):
        """The department pair in the user's language (falling back on English, as a
        translated field reads), so that reading, grouping, sorting and searching by it
        all follow the language; a plain expression per row, no subquery."""
        if field_expr != "pair":
            return super()._field_to_sql(alias, field_expr, query)
        langs = (
            self.env["hr.department"]._fields["name"].get_translation_fallback_langs(self.env)
        )

        def name(column):
            return SQL(
                "COALESCE(%s)",
                SQL(", ").join(
                    SQL("%s->>%s", SQL.identifier(alias, column), lang) for lang in langs
                ),
            )

        return SQL("concat_ws(' → ', %s, %s)", name("provider_name"), name("customer_name"))

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._select()
            )
        )
