from odoo import api, fields, models

from ..engine.sla_clock import SEVERITY, Clock, evaluate

STATES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("at_risk", "At risk"),
    ("met", "Met"),
    ("breached", "Breached"),
]
# state changes logged as events; at risk and breached are read off the lines (timeline)
STATE_EVENTS = {
    "paused": "pause",
    "met": "met",
}
SWEEP_BATCH = 100000


def sla_now(env):
    """The SLA clocks' "now": the ``internal_sla_now`` context key when given (replays of
    past activity, demo histories), else the current time."""
    forced = env.context.get("internal_sla_now")
    return fields.Datetime.to_datetime(forced) if forced else fields.Datetime.now()


class InternalSlaLine(models.Model):
    """One target measured on one ticket (B3): the SLA clock."""

    _name = "internal.sla.line"
    _description = "Ticket SLA Status Line"
    _order = "deadline, id"
    # Lines are written in bulk by SQL; their history is the event timeline, so the four
    # log-access columns (and two foreign keys per row) would only slow ticket creation.
    _log_access = False

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True, readonly=True
    )
    agreement_id = fields.Many2one("internal.sla.agreement", readonly=True)
    version_id = fields.Many2one("internal.sla.agreement.version", readonly=True)
    target_id = fields.Many2one("internal.sla.target", readonly=True, ondelete="set null")
    company_id = fields.Many2one("res.company", readonly=True)
    name = fields.Char(readonly=True)
    metric = fields.Selection(
        [
            ("first_response", "First response"),
            ("resolution", "Resolution"),
            ("stage", "Time in a stage"),
        ],
        readonly=True,
    )
    stage_id = fields.Many2one("helpdesk.ticket.stage", readonly=True, ondelete="set null")
    target_seconds = fields.Integer(readonly=True, help="Working seconds allowed.")
    at_risk_percent = fields.Float(readonly=True)
    date_start = fields.Datetime(string="Started", readonly=True)
    base_date = fields.Datetime(
        readonly=True,
        help="Instant from which the clock counts (start, re-match, reopen).",
    )
    consumed_at_base = fields.Integer(readonly=True)
    deadline = fields.Datetime(readonly=True)
    at_risk_date = fields.Datetime(readonly=True)
    reached_date = fields.Datetime(string="Reached at", readonly=True)
    paused_since = fields.Datetime(readonly=True)
    state = fields.Selection(STATES, default="running", readonly=True)
    consumed_seconds = fields.Integer(
        readonly=True,
        help="Working seconds consumed, pauses excluded (at the last event).",
    )
    paused_seconds = fields.Integer(readonly=True)
    overrun_seconds = fields.Integer(readonly=True)
    remaining_seconds = fields.Integer(
        compute="_compute_remaining",
        help="Working seconds left before the deadline (negative once overdue).",
    )
    clock_ticking = fields.Boolean(compute="_compute_remaining")
    target_display = fields.Char(related="target_id.duration_display", string="Target duration")

    # only open lines are searched by time (sweep, due filters): partial indexes stay small
    _open_deadline_idx = models.Index("(deadline) WHERE state IN ('running', 'at_risk')")
    _running_at_risk_idx = models.Index("(at_risk_date) WHERE state = 'running'")

    @api.depends_context("internal_sla_now")
    def _compute_remaining(self):
        now = self._now()
        for line in self:
            if line.reached_date or not line.deadline:
                line.remaining_seconds = line.target_seconds - line.consumed_seconds
                line.clock_ticking = False
                continue
            working_time = line.agreement_id._working_time()
            reference = line.paused_since or now
            line.remaining_seconds = working_time.working_seconds(reference, line.deadline)
            # ticking = now lies inside working time
            line.clock_ticking = line.state != "paused" and working_time.add(now, 0) == now

    def _now(self):
        return sla_now(self.env)

    # -- clock evaluation ------------------------------------------------------------------

    def _clock(self, pauses, reached=None):
        self.ensure_one()
        return Clock(
            target_seconds=self.target_seconds,
            at_risk_percent=self.at_risk_percent,
            base=self.base_date,
            consumed_at_base=self.consumed_at_base,
            pauses=pauses,
            reached=reached or self.reached_date or None,
        )

    def _evaluate(self, now, pauses_by_ticket, reached=None):
        self.ensure_one()
        state = evaluate(
            self.agreement_id._working_time(),
            self._clock(pauses_by_ticket.get(self.ticket_id.id, ()), reached),
            now,
        )
        return {
            "state": state.state,
            "deadline": state.deadline,
            "at_risk_date": state.at_risk_date,
            "consumed_seconds": state.consumed_seconds,
            "paused_seconds": state.paused_seconds,
            "overrun_seconds": state.overrun_seconds,
            "paused_since": state.paused_since,
        }

    def _refresh(self, now, rule, reached=None, event_type=None):
        """Re-evaluate these lines at ``now``; log state changes with ``rule``.

        :param reached: mark the lines as reached at ``now`` (met or breached)
        :param event_type: log this event for every line even without state change
        """
        pauses_by_ticket = self.ticket_id._sla_pauses_by_ticket()
        events = []
        for line in self:
            old_state, old_deadline = line.state, line.deadline
            vals = line._evaluate(now, pauses_by_ticket, reached=now if reached else None)
            if reached:
                vals["reached_date"] = now
                vals["paused_since"] = False
            line.write(vals)
            kind = event_type
            if vals["state"] != old_state:
                kind = STATE_EVENTS.get(vals["state"]) or (
                    "resume" if old_state == "paused" else kind
                )
            elif event_type == "recompute" and vals["deadline"] == old_deadline:
                kind = None
            if kind:
                events.append(line._event_vals(kind, now, rule))
        self.env["internal.sla.event"].sudo().create(events)
        self.ticket_id._sla_update_summary()

    def _event_vals(self, kind, date, rule):
        return {
            "ticket_id": self.ticket_id.id,
            "line_id": self.id,
            "target_name": self.name,
            "date": date,
            "event_type": kind,
            "rule": rule,
            "deadline": self.deadline,
            "company_id": self.company_id.id,
        }

    def _recompute(self, rule, include_reached=False):
        """Recompute open lines after a change of agreement, target or calendar (B13)."""
        now = self._now()
        open_lines = (
            self if include_reached else self.filtered(lambda line: not line.reached_date)
        )
        for line in open_lines:
            if line.target_id and line.target_id.duration_type in (
                "end_of_day",
                "end_of_next_day",
            ):
                line.target_seconds = line.target_id._target_seconds(
                    line.date_start, line.agreement_id._working_time()
                )
        open_lines._refresh(now, rule, event_type="recompute")

    # -- sweep (B3): set-based state changes at the right time ---------------------------------

    @api.model
    def _cron_sweep(self, batch_size=SWEEP_BATCH):
        """Flag running lines at risk and overdue lines breached, in committed batches.

        Rows locked by a concurrent edit are skipped (they are re-evaluated by that edit or
        by the next sweep); running twice in a row changes nothing the second time.
        """
        now = self._now()
        rule = self.env._("SLA sweep")
        cron = self.env["ir.cron"]
        total = 0
        while True:
            changed = self._sweep_batch(now, rule, batch_size)
            total += changed
            if changed < batch_size:
                break
            if self.env.context.get("cron_id"):
                cron._commit_progress(changed)
        if self.env.context.get("cron_id"):
            cron._commit_progress(changed if total < batch_size else 0, remaining=0)
        return total

    def _sweep_batch(self, now, rule, batch_size):
        """One statement: lock a batch of due lines (and their tickets), move them on and
        raise their tickets' overall state.

        The sweep only makes lines worse (running -> at risk -> breached) and a ticket's
        state is the worst of its lines', so the new ticket state is the worse of its current
        one and its swept lines'; the ticket's deadline (nearest unreached) does not move.
        Lines or tickets locked by an edit are skipped: that edit re-evaluates them, or the
        next sweep does.
        """
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            f"""
            WITH batch AS (
                SELECT line.id
                  FROM internal_sla_line line
                  JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
                 WHERE (line.state IN ('running', 'at_risk') AND line.deadline < %(now)s)
                    OR (line.state = 'running' AND line.at_risk_date <= %(now)s)
                 LIMIT %(limit)s
                   FOR NO KEY UPDATE OF line, ticket SKIP LOCKED
            ), swept AS (
                UPDATE internal_sla_line line
                   SET state = CASE WHEN line.deadline < %(now)s
                                    THEN 'breached' ELSE 'at_risk' END
                  FROM batch
                 WHERE line.id = batch.id
             RETURNING line.ticket_id, line.state
            ), worst AS (
                SELECT line.ticket_id, MAX({self._severity_sql()}) AS severity
                  FROM swept line
              GROUP BY line.ticket_id
            ), tickets AS (
                UPDATE helpdesk_ticket ticket
                   SET sla_state = (%(states)s)[1 + worst.severity]
                  FROM worst
                 WHERE ticket.id = worst.ticket_id
                   AND COALESCE({self._severity_sql("ticket.sla_state")}, -1) < worst.severity
             RETURNING ticket.id
            )
            SELECT (SELECT count(*) FROM swept), (SELECT count(*) FROM tickets)
            """,
            {
                "now": now,
                "limit": batch_size,
                "states": sorted(SEVERITY, key=SEVERITY.__getitem__),
            },
        )
        changed, _tickets = cr.fetchone()
        # no log rows: the timeline reads at-risk and breach moments off the lines
        self.invalidate_model(["state"])
        self.env["helpdesk.ticket"].invalidate_model(["sla_state"])
        return changed

    @api.model
    def _severity_sql(self, column="line.state"):
        """SQL CASE giving each state of ``column`` its severity (worst state wins)."""
        cases = " ".join(f"WHEN '{state}' THEN {rank}" for state, rank in SEVERITY.items())
        return f"CASE {column} {cases} END"
