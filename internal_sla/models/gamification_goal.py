from odoo import api, fields, models
from odoo.tools import SQL, formatLang


class GamificationGoal(models.Model):
    _inherit = "gamification.goal"

    sla_team_id = fields.Many2one(
        related="challenge_id.sla_team_id", string="Team", store=True, index="btree_not_null"
    )
    sla_rank = fields.Integer(
        string="Rank",
        compute="_compute_sla_rank",
        help="Position among the participants of the same challenge line and period: 1 is "
        "the best. Who may read a goal is set by the record rules: the person and the "
        "managers of the team's department (E4).",
    )

    sla_no_data = fields.Boolean(
        string="No data yet",
        readonly=True,
        copy=False,
        help="Nothing of this goal's figure was measured in its period yet (no request, "
        "no answer): it has no value and no rank, rather than 0 — which would come first "
        "in a fastest response.",
    )

    # the leaderboard's figures: the numbers of a challenge's participants added up (the
    # list's group totals of the float fields) mean nothing, so it shows these instead
    sla_current_display = fields.Char(string="Value", compute="_compute_sla_displays")
    sla_target_display = fields.Char(string="Target", compute="_compute_sla_displays")
    sla_unit_display = fields.Char(string="Unit", compute="_compute_sla_displays")

    def update_goal(self):
        """The goals of the SLA definitions read their KPIs in one call per period for all
        their users (``internal.sla.kpi._goal_kpis``), not one call per goal."""
        batch = self.env["internal.sla.kpi"]._goal_kpis(self)
        if not batch:
            return super().update_goal()
        return super(
            GamificationGoal, self.with_context(internal_sla_goal_kpis=batch)
        ).update_goal()

    @api.model
    def _sla_kpi_definitions(self, definitions):
        """The goal definitions among ``definitions`` whose figure is a KPI of the
        service (``internal.sla.kpi._goal_value``): the addon's own (E3)."""
        return definitions.filtered(
            lambda definition: (
                definition.computation_mode == "python"
                and "._goal_value(" in (definition.compute_code or "")
            )
        )

    def _get_write_values(self, new_value):
        """Odoo moves a goal into "reached" and never back before its end: a month
        without breaches would stay reached after a breach on the 20th and earn its
        badge.  While the period runs, the state of a KPI goal follows its current value
        both ways, and a goal without data is not reached; after the period Odoo's rule
        applies (failed and closed unless reached)."""
        if not self._sla_kpi_definitions(self.definition_id) or (
            self.end_date and fields.Date.today() > self.end_date
        ):
            return super()._get_write_values(new_value)
        if self.definition_id.condition == "higher":
            reached = new_value >= self.target_goal
        else:
            reached = new_value <= self.target_goal
        state = "reached" if reached and not self.sla_no_data else "inprogress"
        values = {}
        if new_value != self.current:
            values["current"] = new_value
        # a goal failed, cancelled or in draft by hand stays so
        if self.state in ("inprogress", "reached") and self.state != state:
            values["state"] = state
        return {self: values} if values else {}

    def _sla_working_time(self):
        """Whether the goal's value is a working time in hours: a KPI mean read by
        ``internal.sla.kpi._goal_value`` (fastest response)."""
        code = self.definition_id.compute_code or ""
        return "._goal_value(" in code and "_mean'" in code

    @api.depends(
        "current",
        "target_goal",
        "sla_no_data",
        "definition_id.compute_code",
        "definition_suffix",
    )
    def _compute_sla_displays(self):
        """Working times as the rest of the product shows them ("22 min", "1 h 30 min"),
        whole numbers without decimals ("1" breach), others with two ("85.50" %)."""
        Kpi = self.env["internal.sla.kpi"]

        def shown(goal, value):
            if goal._sla_working_time():
                return Kpi._display(value * 3600, "seconds")
            return formatLang(self.env, value, digits=0 if value.is_integer() else 2)

        for goal in self:
            goal.sla_current_display = (
                self.env._("no data") if goal.sla_no_data else shown(goal, goal.current)
            )
            goal.sla_target_display = shown(goal, goal.target_goal)
            goal.sla_unit_display = (
                self.env._("working time")
                if goal._sla_working_time()
                else goal.definition_suffix
            )

    @api.depends("current", "line_id", "start_date", "sla_no_data")
    def _compute_sla_rank(self):
        """Ranks of all the goals of the same lines and periods in one query (the
        participants a reader may not see still count for the position); a goal without
        data has none (0)."""
        real = self.filtered("id")
        ranks = {}
        if real:
            self.flush_model(
                ["current", "line_id", "start_date", "definition_id", "sla_no_data"]
            )
            rows = self.env.execute_query(
                SQL(
                    """SELECT id, rank FROM (
                           SELECT goal.id,
                                  rank() OVER (
                                      PARTITION BY goal.line_id, goal.start_date
                                      ORDER BY CASE WHEN definition.condition = 'higher'
                                                    THEN -goal.current ELSE goal.current END
                                  ) AS rank
                             FROM gamification_goal goal
                             JOIN gamification_goal_definition definition
                               ON definition.id = goal.definition_id
                            WHERE goal.line_id IN (
                                SELECT line_id FROM gamification_goal WHERE id = ANY(%s))
                              AND goal.sla_no_data IS NOT TRUE
                       ) ranked
                     WHERE id = ANY(%s)""",
                    real.ids,
                    real.ids,
                )
            )
            ranks = dict(rows)
        for goal in self:
            goal.sla_rank = ranks.get(goal.id, 0)
