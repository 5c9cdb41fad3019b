from datetime import timedelta

from dateutil.relativedelta import MO, relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.gamification.models.gamification_challenge import (
    MAX_VISIBILITY_RANKING,
    start_end_date_for_period,
)

from .res_config_settings import in_automation_lang


def previous_period(period, today):
    """(start, end) of the period before the one ``today`` falls in, as Odoo's
    ``start_end_date_for_period`` bounds periods (its weekly end is the next Monday);
    None for a one-off challenge."""
    if period == "daily":
        day = today - timedelta(days=1)
        return day, day
    if period == "weekly":
        start = today + relativedelta(weekday=MO(-1)) - timedelta(days=7)
        return start, start + timedelta(days=7)
    if period == "monthly":
        end = today.replace(day=1) - timedelta(days=1)
        return end.replace(day=1), end
    if period == "yearly":
        return today.replace(year=today.year - 1, month=1, day=1), today.replace(
            year=today.year - 1, month=12, day=31
        )
    return None


class GamificationChallenge(models.Model):
    """Recognition per team (E3), team first (E4).

    A challenge marked *one leaderboard per team* is a template: it has no participants of
    its own, and every helpdesk team that works for a department gets its copy, whose
    participants are the team's members (kept in sync when the members change) and which
    starts and ends with the template.  The copies show each member their own goal only;
    the managers of the team's department see the whole team's ranking (record rule).
    """

    _inherit = "gamification.challenge"

    sla_per_team = fields.Boolean(
        string="One leaderboard per team",
        help="A copy of this challenge runs in every helpdesk team that works for a "
        "department, among the team's members.",
    )
    sla_team_id = fields.Many2one(
        "helpdesk.ticket.team",
        string="Team",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
    )
    sla_rewarded_until = fields.Date(
        string="Badges given up to",
        readonly=True,
        copy=False,
        help="The end of the last period whose badges were given.",
    )
    sla_template_id = fields.Many2one(
        "gamification.challenge",
        string="Team copy of",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
    )

    @api.constrains("visibility_mode", "sla_team_id", "sla_per_team")
    def _check_sla_team_visibility(self):
        """Individual figures are for coaching (E4): in a leaderboard every participant
        would read the others' goals, so a team challenge stays personal; its managers
        read the ranking through their record rule."""
        ranked = self.filtered(
            lambda challenge: (
                (challenge.sla_team_id or challenge.sla_per_team)
                and challenge.visibility_mode == "ranking"
            )
        )
        if ranked:
            raise ValidationError(
                self.env._(
                    "%(challenges)s: a team's challenge shows each member their own goal "
                    "only; the department's managers see the team's leaderboard. Choose "
                    "Individual Goals as the display mode.",
                    challenges=", ".join(ranked.mapped("name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        challenges = super().create(vals_list)
        # a template created without its lines (data files add them after) is copied to
        # the teams once they are there: see the end of data/gamification_data.xml
        if any(vals.get("sla_per_team") and vals.get("line_ids") for vals in vals_list):
            self._sla_sync_team_challenges()
        return challenges

    def write(self, vals):
        result = super().write(vals)
        if "sla_per_team" in vals or (
            "state" in vals and any(challenge.sla_per_team for challenge in self)
        ):
            self._sla_sync_team_challenges()
        return result

    @api.model
    def _sla_sync_team_challenges(self, teams=None):
        """Every per-team challenge has one copy per team working for a department, with
        the team's members as participants and the template's state; goals follow the
        members of the copies in progress.  A handful of queries whatever the number of
        teams: the templates, the teams and the existing copies are read once each."""
        templates = self.sudo().search([("sla_per_team", "=", True)])
        if teams is None:
            teams = (
                self.env["helpdesk.ticket.team"].sudo().search([("department_id", "!=", False)])
            )
        teams = teams.sudo().filtered(lambda team: team.active and team.department_id)
        if not templates or not teams:
            return self.browse()
        copies = self.sudo().search(
            [("sla_template_id", "in", templates.ids), ("sla_team_id", "in", teams.ids)]
        )
        existing = {(copy.sla_template_id, copy.sla_team_id): copy for copy in copies}
        to_create = []
        for template in templates:
            for team in teams:
                copy = existing.get((template, team))
                if copy is None:
                    to_create.append((template, team))
                    continue
                vals = {}
                if copy.user_ids != team.user_ids:
                    vals["user_ids"] = [fields.Command.set(team.user_ids.ids)]
                if copy.state != template.state and not (
                    template.state == "draft" and copy.state != "draft"
                ):
                    vals["state"] = template.state
                if vals:
                    copy.write(vals)
        for template, team in to_create:
            copy = template.copy(
                {
                    "name": f"{template.name} — {team.name}",
                    "sla_per_team": False,
                    "sla_template_id": template.id,
                    "sla_team_id": team.id,
                    "user_domain": False,
                    "user_ids": [fields.Command.set(team.user_ids.ids)],
                    # each member sees their own goal; the ranking is for the managers
                    "visibility_mode": "personal",
                    "invited_user_ids": [fields.Command.clear()],
                }
            )
            copies |= copy
            if template.state != "draft":
                copy.write({"state": template.state})
        running = copies.filtered(lambda copy: copy.state == "inprogress")
        if running:
            running._generate_goals_from_challenge()
        return copies

    def _sla_ranked_by_value(self):
        """Whether the challenge ranks on the KPIs of the service: a team copy, or a
        challenge with a line on one of the addon's goal definitions."""
        self.ensure_one()
        return bool(
            self.sla_template_id
            or self.env["gamification.goal"]._sla_kpi_definitions(self.line_ids.definition_id)
        )

    def _get_topN_users(self, n):
        """The best of the period by the goals' values, as ``gamification.goal.sla_rank``
        ranks them: lowest first for a "lower" goal (fastest response), highest first for
        a "higher" one (satisfaction).  Odoo ranks on completeness, 100 for every user
        who reached a "lower" goal, so its first would be whoever comes first among the
        participants.  A user with a goal without data is not ranked; unless the
        challenge rewards failures, only users who reached every goal are.  Several lines
        compare line by line in their order.

        :returns: a tuple of exactly ``n`` users, ``False`` for the ranks nobody takes
        """
        if not self._sla_ranked_by_value():
            return super()._get_topN_users(n)
        start_date, end_date = self.env.context.get(
            "internal_sla_reward_period"
        ) or start_end_date_for_period(self.period, self.start_date, self.end_date)
        goals = self.env["gamification.goal"].search(
            [
                ("challenge_id", "=", self.id),
                ("user_id", "in", self.user_ids.ids),
                ("start_date", "=", start_date),
                ("end_date", "=", end_date),
            ]
        )
        lines = self.line_ids.sorted(lambda line: (line.sequence, line.id))
        by_user_line = {(goal.user_id, goal.line_id): goal for goal in goals}
        challengers = []
        for user in self.user_ids:
            user_goals = [by_user_line.get((user, line)) for line in lines]
            if not all(user_goals) or any(goal.sla_no_data for goal in user_goals):
                continue
            all_reached = all(goal.state == "reached" for goal in user_goals)
            if not all_reached and not self.reward_failure:
                continue
            values = tuple(
                -goal.current if goal.definition_condition == "higher" else goal.current
                for goal in user_goals
            )
            challengers.append((not all_reached, values, user))
        # sorted is stable: a tie keeps the participants' order, as in Odoo
        ranked = [user for __, __, user in sorted(challengers, key=lambda c: c[:2])]
        return tuple((ranked + [False] * n)[:n])

    @in_automation_lang
    def _update_all(self):
        """The daily update, then the badges of a period that has ended. Odoo gives those
        only when the current period ends yesterday, which never happens for a recurring
        period (on the 1st, the current month ends on the 31st): its monthly challenges
        would give no badge but when closed by hand."""
        res = super()._update_all()
        ranked = self.filtered(
            lambda challenge: (
                challenge.state == "inprogress" and challenge._sla_ranked_by_value()
            )
        )
        ranked._sla_reward_ended_period(fields.Date.context_today(self))
        return res

    def _sla_reward_ended_period(self, today):
        """Give the badges of the period before ``today``'s, once."""
        Goal = self.env["gamification.goal"]
        for challenge in self:
            bounds = previous_period(challenge.period, today)
            if not bounds or (
                challenge.sla_rewarded_until and challenge.sla_rewarded_until >= bounds[1]
            ):
                continue
            start, end = bounds
            if Goal.search_count(
                [("challenge_id", "=", challenge.id), ("end_date", "=", end)], limit=1
            ):
                challenge._sla_reward_period(start, end)
            challenge.sla_rewarded_until = end

    def _sla_reward_period(self, start, end):
        """Odoo's rewards, for the period from ``start`` to ``end``: the challenge's badge
        to everyone who reached every goal, the first three to the best values; one note
        on the challenge to its participants."""
        self.ensure_one()
        rewarded = []
        if self.reward_id:
            reached = self.env["gamification.goal"]._read_group(
                [
                    ("challenge_id", "=", self.id),
                    ("end_date", "=", end),
                    ("state", "=", "reached"),
                ],
                groupby=["user_id"],
                aggregates=["__count"],
            )
            for user, count in reached:
                if count == len(self.line_ids):
                    self._reward_user(user, self.reward_id)
                    rewarded.append((user, self.reward_id))
        if self.reward_first_id:
            period = (fields.Date.to_string(start), fields.Date.to_string(end))
            ranked = self.with_context(internal_sla_reward_period=period)._get_topN_users(
                MAX_VISIBILITY_RANKING
            )
            badges = (self.reward_first_id, self.reward_second_id, self.reward_third_id)
            for user, badge in zip(ranked, badges, strict=True):
                if user and badge:
                    self._reward_user(user, badge)
                    rewarded.append((user, badge))
        period_text = self.env._(
            "%(start)s – %(end)s",
            start=fields.Date.to_string(start),
            end=fields.Date.to_string(end),
        )
        if rewarded:
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("The period %s has ended. Badges:", period_text),
                Markup().join(
                    Markup("<li>%s: %s</li>") % (user.name, badge.name)
                    for user, badge in rewarded
                ),
            )
        else:
            body = Markup("<p>%s</p>") % self.env._(
                "The period %s has ended: nobody reached the goals, no badge is given.",
                period_text,
            )
        self.message_post(body=body, partner_ids=self.user_ids.partner_id.ids)
