from collections import defaultdict
from datetime import timedelta
from itertools import pairwise

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_date

from ..engine.matching import utc_start_of_day
from ..engine.simulation import REPLAYED_METRICS, ReplayTicket, replay, stays, summarize
from ..models.internal_sla_line import STATES, sla_now
from ..models.internal_sla_target_values_mixin import METRICS

# an actual time-in-stage line belongs to the stay it started within this many seconds of
STAY_TOLERANCE = 60
CHANGES = [
    ("worse", "Breached instead of met"),
    ("better", "Met instead of breached"),
    ("same", "Same outcome"),
    ("new", "No actual target"),
]


class InternalSlaSimulation(models.TransientModel):
    """What-if simulator (H2): replay the tickets of a past period against the targets of
    a draft agreement or of an amendment being prepared, and compare with what happened.

    The arithmetic is the engine's (``engine/simulation.py``); this wizard only reads the
    past (tickets, their SLA lines and pauses: one query each) and shows the result.
    """

    _name = "internal.sla.simulation"
    _description = "What-if Simulation"

    agreement_id = fields.Many2one(
        "internal.sla.agreement",
        string="Targets of",
        required=True,
        help="The agreement (typically a draft) whose targets, calendar and escalation "
        "thresholds are tried.",
    )
    amendment_id = fields.Many2one(
        "internal.sla.amendment.wizard",
        help="When set, the targets of this amendment in preparation are tried instead of "
        "the agreement's current ones.",
    )
    source_agreement_id = fields.Many2one(
        "internal.sla.agreement",
        string="Replay tickets of",
        compute="_compute_source_agreement",
        store=True,
        readonly=False,
        help="The agreement whose real tickets are replayed (the agreement in force between "
        "the same departments, by default).",
    )
    upcoming_version_id = fields.Many2one(related="agreement_id.upcoming_version_id")
    use_targets_in_force = fields.Boolean(
        string="Targets in force instead",
        help="The agreement has an amendment decided for a later date, whose targets are "
        "tried by default: tick to replay the targets in force today instead.",
    )
    targets_tried = fields.Char(
        string="Targets tried",
        compute="_compute_targets_tried",
        help="Which targets of the agreement the replay measures against.",
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: fields.Date.context_today(self) - relativedelta(months=3),
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: fields.Date.context_today(self)
    )
    state = fields.Selection([("draft", "To run"), ("done", "Done")], default="draft")
    ticket_count = fields.Integer(string="Tickets replayed", readonly=True)
    summary_ids = fields.One2many(
        "internal.sla.simulation.summary", "simulation_id", string="Per metric", readonly=True
    )
    line_ids = fields.One2many(
        "internal.sla.simulation.line", "simulation_id", string="Per ticket", readonly=True
    )
    worse_count = fields.Integer(string="Turn into breaches", readonly=True)
    better_count = fields.Integer(string="Turn into met", readonly=True)

    @api.depends("agreement_id")
    def _compute_display_name(self):
        for simulation in self:
            simulation.display_name = self.env._(
                "What if: %(agreement)s", agreement=simulation.agreement_id.name or ""
            )

    @api.depends("agreement_id", "amendment_id", "use_targets_in_force")
    def _compute_targets_tried(self):
        """Says which targets are replayed: an agreement's target list is its latest
        version's, so an amendment decided for a later date is tried unless the targets
        in force today are asked for."""
        for simulation in self:
            agreement = simulation.agreement_id
            if simulation.amendment_id:
                text = self.env._(
                    "The targets of the amendment being prepared, effective %(date)s.",
                    date=format_date(self.env, simulation.amendment_id.date_effective),
                )
            elif agreement.upcoming_version_id and not simulation.use_targets_in_force:
                text = self.env._(
                    "The targets of version %(number)s, decided to take effect on "
                    "%(date)s (not those in force today).",
                    number=agreement.upcoming_version_id.number,
                    date=format_date(self.env, agreement.upcoming_version_date),
                )
            elif agreement.current_version_id:
                text = self.env._(
                    "The targets in force (version %(number)s).",
                    number=agreement.current_version_id.number,
                )
            elif agreement.state == "draft":
                text = self.env._("The targets of this draft.")
            else:
                text = self.env._("The agreement's targets.") if agreement else False
            simulation.targets_tried = text

    @api.depends("agreement_id")
    def _compute_source_agreement(self):
        Agreement = self.env["internal.sla.agreement"]
        for simulation in self:
            agreement = simulation.agreement_id
            if not agreement or agreement.ticket_count:
                simulation.source_agreement_id = agreement
                continue
            domain = [
                ("id", "!=", agreement.id),
                ("provider_department_id", "=", agreement.provider_department_id.id),
                ("customer_scope", "=", agreement.customer_scope),
                ("state", "in", ("active", "review", "expired")),
            ]
            if agreement.customer_department_id:
                domain.append(
                    ("customer_department_id", "=", agreement.customer_department_id.id)
                )
            simulation.source_agreement_id = Agreement.search(
                domain, order="date_start desc, id desc", limit=1
            )

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for simulation in self:
            if simulation.date_from > simulation.date_to:
                raise ValidationError(
                    self.env._(
                        "The period starts (%(start)s) after it ends (%(end)s): swap From "
                        "and To.",
                        start=simulation.date_from,
                        end=simulation.date_to,
                    )
                )

    # -- inputs -----------------------------------------------------------------------------

    def _target_infos(self):
        """The targets tried, as the engine's ``TargetInfo``."""
        self.ensure_one()
        if self.amendment_id:
            return [line._info() for line in self.amendment_id.line_ids]
        if self.use_targets_in_force:
            return [target._info() for target in self.agreement_id._targets_in_force()]
        return [target._info() for target in self.agreement_id.target_ids]

    def _period_bounds(self):
        """[start, end) of the period in naive UTC: whole local days of the agreement."""
        tz = self.agreement_id.tz or "UTC"
        return (
            utc_start_of_day(self.date_from, tz),
            utc_start_of_day(self.date_to + timedelta(days=1), tz),
        )

    def _past_tickets(self):
        """(ReplayTicket list, {(ticket id, metric): actual line}, {(ticket id, stage id):
        actual time-in-stage lines}) of the period: the tickets, their lines, their pauses
        and their stage changes are read in one query each."""
        start, end = self._period_bounds()
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search_fetch(
                [
                    ("sla_agreement_id", "=", self.source_agreement_id.id),
                    ("create_date", ">=", start),
                    ("create_date", "<", end),
                ],
                [
                    "priority",
                    "category_id",
                    "create_date",
                    "closed_date",
                    "closed",
                    "stage_id",
                    "last_stage_update",
                    "sla_reopen_count",
                ],
                order="create_date, id",
            )
        )
        lines = (
            self.env["internal.sla.line"]
            .sudo()
            .search_fetch(
                [("ticket_id", "in", tickets.ids), ("metric", "in", REPLAYED_METRICS)],
                [
                    "ticket_id",
                    "metric",
                    "name",
                    "state",
                    "escalation_level",
                    "consumed_seconds",
                    "target_seconds",
                    "date_start",
                    "reached_date",
                    "stage_id",
                ],
                order="date_start, id",
            )
        )
        pauses = (
            self.env["internal.sla.pause"]
            .sudo()
            .search_fetch(
                [("ticket_id", "in", tickets.ids)],
                ["ticket_id", "date_start", "date_end"],
                order="date_start, id",
            )
        )
        actual = {
            (line.ticket_id.id, line.metric): line for line in lines if line.metric != "stage"
        }
        stage_lines = defaultdict(list)
        for line in lines.filtered(lambda line: line.metric == "stage"):
            stage_lines[line.ticket_id.id, line.stage_id.id].append(line)
        moves = self._stage_moves(tickets)
        closed_stages = set(
            self.env["helpdesk.ticket.stage"].sudo().search([("closed", "=", True)]).ids
        )
        pauses_of = {}
        for pause in pauses:
            pauses_of.setdefault(pause.ticket_id.id, []).append(
                (pause.date_start, pause.date_end or None)
            )
        # a reopened request's clock stood still while it was closed, as the engine's
        for ticket_id, closed_stretches in self._closed_stretches(tickets).items():
            pauses_of[ticket_id] = sorted(pauses_of.get(ticket_id, []) + closed_stretches)
        replayed = []
        for ticket in tickets:
            response = actual.get((ticket.id, "first_response"))
            resolution = actual.get((ticket.id, "resolution"))
            starts = [line.date_start for line in (response, resolution) if line]
            start = min(starts, default=ticket.create_date)
            if ticket.id in moves:
                ticket_stays = stays(start, ticket.stage_id.id, moves[ticket.id])
            else:
                ticket_stays = _untracked_stays(ticket, start, stage_lines)
            replayed.append(
                ReplayTicket(
                    id=ticket.id,
                    priority=ticket.priority or "1",
                    category_id=ticket.category_id.id or None,
                    start=start,
                    pauses=tuple(pauses_of.get(ticket.id, ())),
                    first_response=response.reached_date or None if response else None,
                    resolved=(resolution.reached_date if resolution else None)
                    or (ticket.closed_date if ticket.closed else None),
                    # no stage clock runs in a closed stage
                    stays=tuple(
                        stay
                        for stay in sorted(ticket_stays, key=lambda stay: stay[1])
                        if stay[0] not in closed_stages
                    ),
                )
            )
        return replayed, actual, stage_lines

    def _closed_stretches(self, tickets):
        """``{ticket id: [(closed, reopened)]}``: when reopened ``tickets`` stood closed,
        read off their ownership stretches (H12: one ends at each close, the next starts
        at the reopening; one query)."""
        stretches = (
            self.env["internal.sla.ownership"]
            .sudo()
            .search_fetch(
                [("ticket_id", "in", tickets.filtered("sla_reopen_count").ids)],
                ["ticket_id", "date_from", "date_to", "ended_by"],
                order="ticket_id, date_from, id",
            )
        )
        closed = defaultdict(list)
        for stretch, following in pairwise(stretches):
            if (
                stretch.ended_by == "closed"
                and following.ticket_id == stretch.ticket_id
                and stretch.date_to < following.date_from
            ):
                closed[stretch.ticket_id.id].append((stretch.date_to, following.date_from))
        return closed

    def _stage_moves(self, tickets):
        """``{ticket id: [(instant, old stage id, new stage id)]}``: the stage changes of
        ``tickets`` as their chatter tracked them, chronological (one query)."""
        if not tickets:
            return {}
        field = self.env["ir.model.fields"]._get("helpdesk.ticket", "stage_id")
        rows = self.env.execute_query(
            SQL(
                """
                SELECT message.res_id, message.date, value.old_value_integer,
                       value.new_value_integer
                  FROM mail_tracking_value value
                  JOIN mail_message message ON message.id = value.mail_message_id
                 WHERE message.model = 'helpdesk.ticket' AND message.res_id = ANY(%s)
                   AND value.field_id = %s
              ORDER BY message.res_id, message.date, message.id, value.id
                """,
                tickets.ids,
                field.id,
            )
        )
        moves = defaultdict(list)
        for ticket_id, instant, old, new in rows:
            moves[ticket_id].append((instant, old or None, new or None))
        return moves

    # -- run --------------------------------------------------------------------------------

    def action_run(self):
        self.ensure_one()
        agreement = self.agreement_id
        source = self.source_agreement_id
        if not source:
            raise UserError(
                self.env._(
                    "Choose in Replay tickets of the agreement whose past tickets to replay "
                    "(no agreement between the same departments has any)."
                )
            )
        # the simulation reads the past as superuser: only for agreements the user sees
        (agreement | source).check_access("read")
        targets = self._target_infos()
        if not any(target.metric in REPLAYED_METRICS for target in targets):
            raise UserError(
                self.env._(
                    "%(agreement)s has no first response, resolution or time-in-stage "
                    "target to try: add targets first.",
                    agreement=agreement.display_name,
                )
            )
        tickets, actual, stage_lines = self._past_tickets()
        projections = replay(
            agreement._working_time(),
            targets,
            agreement.resource_calendar_id.hours_per_day,
            agreement._escalation_percents(),
            tickets,
            sla_now(self.env),
        )
        self.line_ids.unlink()
        self.summary_ids.unlink()
        line_vals = []
        for projection in projections:
            if projection.stage_id:
                line = _stay_line(
                    stage_lines.get((projection.ticket_id, projection.stage_id), ()),
                    projection.start,
                )
            else:
                line = actual.get((projection.ticket_id, projection.metric))
            line_vals.append(
                {
                    "simulation_id": self.id,
                    "ticket_id": projection.ticket_id,
                    "metric": projection.metric,
                    "stage_id": projection.stage_id or False,
                    "actual_target": line.name if line else False,
                    "actual_state": line.state if line else False,
                    "actual_hours": line.consumed_seconds / 3600.0 if line else 0.0,
                    "actual_level": line.escalation_level if line else 0,
                    "projected_target": projection.target_name,
                    "projected_target_hours": projection.target_seconds / 3600.0,
                    "projected_deadline": projection.deadline,
                    "projected_state": projection.state,
                    "projected_hours": projection.consumed_seconds / 3600.0,
                    "projected_level": projection.escalation_level,
                    "change": _change(line.state if line else None, projection.state),
                }
            )
        lines = self.env["internal.sla.simulation.line"].create(line_vals)
        projected = summarize((p.metric, p.state, p.escalation_level) for p in projections)
        real = summarize(
            (line.metric, line.state, line.escalation_level)
            for line in [
                *actual.values(),
                *(x for lines in stage_lines.values() for x in lines),
            ]
        )
        summary_vals = []
        for metric, _label in METRICS:
            if metric not in projected and metric not in real:
                continue
            mine, theirs = projected.get(metric, {}), real.get(metric, {})
            summary_vals.append(
                {
                    "simulation_id": self.id,
                    "metric": metric,
                    **_summary_vals("actual", theirs),
                    **_summary_vals("projected", mine),
                }
            )
        self.env["internal.sla.simulation.summary"].create(summary_vals)
        self.write(
            {
                "state": "done",
                "ticket_count": len(tickets),
                "worse_count": len(lines.filtered(lambda line: line.change == "worse")),
                "better_count": len(lines.filtered(lambda line: line.change == "better")),
            }
        )
        return self._reopen()

    def _reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("What-if simulation"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("id", "in", self.line_ids.ticket_id.ids)]
        action["context"] = {}
        return action


def _untracked_stays(ticket, start, stage_lines):
    """The stays of a ticket whose stage changes were not tracked (imports, replays): those
    its own stage clocks measured, and its current stay since its last stage change."""
    known = [
        (line.stage_id.id, line.date_start, line.reached_date or None)
        for (ticket_id, _stage), lines in stage_lines.items()
        if ticket_id == ticket.id
        for line in lines
    ]
    current = (ticket.stage_id.id, max(start, ticket.last_stage_update or start), None)
    if not any(
        stage_id == current[0] and abs((entered - current[1]).total_seconds()) <= STAY_TOLERANCE
        for stage_id, entered, _left in known
    ):
        known.append(current)
    return tuple(known)


def _stay_line(lines, start):
    """The actual time-in-stage line of the stay entered at ``start``: the one of its
    stage started nearest to it, within ``STAY_TOLERANCE`` (the chatter logs a stage
    change a moment after the clock starts)."""
    near = [
        line
        for line in lines
        if abs((line.date_start - start).total_seconds()) <= STAY_TOLERANCE
    ]
    return min(near, key=lambda line: abs(line.date_start - start), default=None)


def _change(actual_state, projected_state):
    if not actual_state:
        return "new"
    if actual_state == "met" and projected_state == "breached":
        return "worse"
    if actual_state == "breached" and projected_state == "met":
        return "better"
    return "same"


def _summary_vals(prefix, figures):
    escalated = figures.get("escalated", [0, 0, 0])
    met_percent = figures.get("met_percent")
    return {
        f"{prefix}_met_percent": met_percent if met_percent is not None else -1.0,
        f"{prefix}_met": figures.get("met", 0),
        f"{prefix}_breached": figures.get("breached", 0),
        f"{prefix}_open": figures.get("open", 0),
        f"{prefix}_level1": escalated[0],
        f"{prefix}_level2": escalated[1],
        f"{prefix}_level3": escalated[2],
    }


class InternalSlaSimulationSummary(models.TransientModel):
    _name = "internal.sla.simulation.summary"
    _description = "What-if Simulation per Metric"
    _order = "id"

    simulation_id = fields.Many2one(
        "internal.sla.simulation", required=True, ondelete="cascade", index=True
    )
    metric = fields.Selection(METRICS, readonly=True)
    actual_met_percent = fields.Float(
        string="Actual met %", readonly=True, help="-1: no target reached."
    )
    projected_met_percent = fields.Float(
        string="Projected met %", readonly=True, help="-1: no target reached."
    )
    actual_met = fields.Integer(readonly=True)
    projected_met = fields.Integer(readonly=True)
    actual_breached = fields.Integer(string="Actual breaches", readonly=True)
    projected_breached = fields.Integer(string="Projected breaches", readonly=True)
    actual_open = fields.Integer(readonly=True)
    projected_open = fields.Integer(readonly=True)
    actual_level1 = fields.Integer(string="Actual level 1", readonly=True)
    projected_level1 = fields.Integer(string="Projected level 1", readonly=True)
    actual_level2 = fields.Integer(string="Actual level 2", readonly=True)
    projected_level2 = fields.Integer(string="Projected level 2", readonly=True)
    actual_level3 = fields.Integer(string="Actual level 3", readonly=True)
    projected_level3 = fields.Integer(string="Projected level 3", readonly=True)


class InternalSlaSimulationLine(models.TransientModel):
    _name = "internal.sla.simulation.line"
    _description = "What-if Simulation per Ticket"
    _order = "id"

    simulation_id = fields.Many2one(
        "internal.sla.simulation", required=True, ondelete="cascade", index=True
    )
    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    metric = fields.Selection(METRICS, readonly=True)
    stage_id = fields.Many2one(
        "helpdesk.ticket.stage", readonly=True, help="The stage of a time-in-stage target."
    )
    actual_target = fields.Char(readonly=True)
    actual_state = fields.Selection(STATES, readonly=True)
    actual_hours = fields.Float(string="Actual working time", readonly=True)
    actual_level = fields.Integer(string="Actual escalation", readonly=True)
    projected_target = fields.Char(readonly=True)
    projected_target_hours = fields.Float(string="Projected target", readonly=True)
    projected_deadline = fields.Datetime(readonly=True)
    projected_state = fields.Selection(STATES, readonly=True)
    projected_hours = fields.Float(string="Projected working time", readonly=True)
    projected_level = fields.Integer(string="Projected escalation", readonly=True)
    change = fields.Selection(CHANGES, readonly=True)
