"""Surge periods (B11): while a provider team's backlog is abnormally high, requests filed
to it get targets relaxed by the agreement's factor; each period is logged here."""

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import ormcache

from ..engine.forecast import surge_due
from .internal_sla_agreement import ACTIVE_STATES
from .internal_sla_line import sla_now
from .res_config_settings import in_automation_lang


class InternalSlaSurge(models.Model):
    _name = "internal.sla.surge"
    _description = "SLA Surge Period"
    _order = "date_start desc, id desc"

    agreement_id = fields.Many2one(
        "internal.sla.agreement", required=True, readonly=True, index=True, ondelete="cascade"
    )
    team_id = fields.Many2one("helpdesk.ticket.team", required=True, readonly=True)
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    provider_department_id = fields.Many2one(
        related="agreement_id.provider_department_id", store=True, string="Provider"
    )
    date_start = fields.Datetime(string="Started", required=True, readonly=True)
    date_end = fields.Datetime(string="Ended", readonly=True)
    state = fields.Selection(
        [("open", "In progress"), ("closed", "Ended")],
        compute="_compute_state",
        store=True,
    )
    backlog_start = fields.Integer(string="Backlog at start", readonly=True, aggregator="max")
    backlog_peak = fields.Integer(string="Peak backlog", readonly=True, aggregator="max")
    backlog_end = fields.Integer(string="Backlog at end", readonly=True, aggregator="max")
    backlog_average = fields.Float(
        string="Average backlog", readonly=True, digits=(16, 1), aggregator="avg"
    )
    factor = fields.Float(
        readonly=True,
        digits=(16, 2),
        aggregator="max",
        help="Targets of requests filed during the surge are this many times longer.",
    )
    duration_hours = fields.Float(
        string="Duration (h)", compute="_compute_state", store=True, aggregator="sum"
    )
    ticket_ids = fields.One2many("helpdesk.ticket", "sla_surge_id", string="Requests")
    ticket_count = fields.Integer(string="Requests filed", compute="_compute_ticket_count")

    @api.depends("date_start", "date_end")
    def _compute_state(self):
        for surge in self:
            surge.state = "closed" if surge.date_end else "open"
            surge.duration_hours = (
                (surge.date_end - surge.date_start).total_seconds() / 3600.0
                if surge.date_end and surge.date_start
                else 0.0
            )

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group([("sla_surge_id", "in", self.ids)], ["sla_surge_id"], ["__count"])
        )
        for surge in self:
            surge.ticket_count = counts.get(surge, 0)

    @api.depends("agreement_id", "team_id", "date_start")
    def _compute_display_name(self):
        for surge in self:
            surge.display_name = self.env._(
                "Surge of %(team)s (%(agreement)s)",
                team=surge.team_id.name or "",
                agreement=surge.agreement_id.name or "",
            )

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("sla_surge_id", "=", self.id)]
        action["context"] = {}
        return action

    # -- the open surges, for ticket creation without a query ------------------------------

    @api.model
    @ormcache()
    def _surge_index(self):
        """``{(agreement id, team id): (surge id, factor)}`` of the surges in progress;
        cached until a surge starts or ends."""
        surges = self.sudo().search([("date_end", "=", False)])
        return {
            (surge.agreement_id.id, surge.team_id.id): (surge.id, surge.factor)
            for surge in surges
        }

    @api.model
    def _surge_of(self, agreement_id, team_id):
        """(surge id, factor) in progress for this agreement and team, else (False, 1.0)."""
        return self._surge_index().get((agreement_id, team_id), (False, 1.0))

    # -- detection (cron) --------------------------------------------------------------------

    @api.model
    @in_automation_lang
    def _cron_evaluate(self):
        """Start a surge period for each team of an agreement with a surge rule whose
        backlog crosses the rule's threshold, end those whose backlog fell back.

        A fixed number of queries whatever the number of agreements and teams (open
        surges, agreements, teams, current and average backlogs), plus one write per surge
        that starts or ends; running it twice changes nothing the second time.
        """
        now = sla_now(self.env)
        Agreement = self.env["internal.sla.agreement"].sudo()
        open_surges = self.sudo().search([("date_end", "=", False)])
        agreements = (
            Agreement.search([("surge_enabled", "=", True), ("state", "in", ACTIVE_STATES)])
            | open_surges.agreement_id
        )
        teams_of = agreements._surge_teams()
        all_teams = self.env["helpdesk.ticket.team"].union(*teams_of.values())
        backlogs = self.env["helpdesk.ticket"]._sla_team_backlogs(all_teams.ids, now)
        by_key = {(surge.agreement_id.id, surge.team_id.id): surge for surge in open_surges}
        to_create = []
        ended = self.browse()
        for agreement in agreements:
            for team in teams_of[agreement.id]:
                backlog, average = backlogs.get(team.id, (0, 0.0))
                surge = by_key.pop((agreement.id, team.id), None)
                due = (
                    agreement.surge_enabled
                    and agreement.state in ACTIVE_STATES
                    and surge_due(
                        backlog,
                        average,
                        agreement.surge_backlog_threshold,
                        agreement.surge_average_percent,
                        agreement.surge_condition,
                    )
                )
                if due and not surge:
                    to_create.append(
                        {
                            "agreement_id": agreement.id,
                            "team_id": team.id,
                            "date_start": now,
                            "backlog_start": backlog,
                            "backlog_peak": backlog,
                            "backlog_average": average,
                            "factor": agreement.surge_factor,
                        }
                    )
                elif surge and not due:
                    surge.write({"date_end": now, "backlog_end": backlog})
                    ended |= surge
                elif surge and backlog > surge.backlog_peak:
                    surge.backlog_peak = backlog
        # a team no longer served by its agreement ends its surge too
        for surge in by_key.values():
            surge.write(
                {"date_end": now, "backlog_end": backlogs.get(surge.team_id.id, (0,))[0]}
            )
            ended |= surge
        started = self.sudo().create(to_create)
        for surge in started:
            surge.agreement_id.message_post(body=surge._surge_message(start=True))
        for surge in ended:
            surge.agreement_id.message_post(body=surge._surge_message(start=False))
        if started or ended:
            self.env.registry.clear_cache()
        return started, ended

    def _surge_message(self, start):
        self.ensure_one()
        if start:
            text = self.env._(
                "Surge started for %(team)s: %(backlog)s open requests (average backlog "
                "%(average).1f). Requests filed from now on get targets %(factor)s× longer.",
                team=self.team_id.name,
                backlog=self.backlog_start,
                average=self.backlog_average,
                factor=f"{self.factor:g}",
            )
        else:
            text = self.env._(
                "Surge ended for %(team)s: the backlog is back to %(backlog)s open "
                "requests (peak %(peak)s). Requests filed from now on get the normal targets.",
                team=self.team_id.name,
                backlog=self.backlog_end,
                peak=self.backlog_peak,
            )
        return Markup("<p>%s</p>") % text
