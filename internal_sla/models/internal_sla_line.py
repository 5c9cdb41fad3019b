import logging

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..engine.sla_clock import SEVERITY, Clock, evaluate, next_escalation
from ..engine.two_clocks import elapsed_excluding
from ..tools.sql_arrays import named_column_literals
from .internal_sla_target_values_mixin import METRICS
from .res_config_settings import in_automation_lang, recipient_env

STATES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("at_risk", "At risk"),
    ("met", "Met"),
    ("breached", "Breached"),
    ("cancelled", "Cancelled"),
]
# a line whose ticket left its agreement (cancelled, expired, scope changed): stopped for
# good, neither open nor reached, counted in no KPI (B13)
CANCELLED = "cancelled"
# state changes logged as events; at risk and breached are read off the lines (timeline)
STATE_EVENTS = {
    "paused": "pause",
    "met": "met",
}
SWEEP_BATCH = 100000


def sweep_due_sql(alias=""):
    """SQL of the instant an open line's state must next change (NULL once closed): at risk
    once ``at_risk_date <= now``, breached once ``deadline < now``, i.e. once
    ``deadline + 1 µs <= now`` (timestamps count microseconds), so that one ``<= now`` on
    one indexed expression selects exactly the due lines."""
    column = f"{alias}." if alias else ""
    breach = f"{column}deadline + interval '1 microsecond'"
    return (
        f"CASE {column}state WHEN 'running' THEN LEAST({column}at_risk_date, {breach})"
        f" WHEN 'at_risk' THEN {breach} END"
    )


# a line whose next escalation level is due at %(now)s (paused clocks do not escalate)
ESCALATION_DUE_SQL = (
    "line.escalation_next_date <= %(now)s AND line.reached_date IS NULL "
    "AND line.paused_since IS NULL"
)

# escalations listed by name in a person's digest and in a fallback's log line
DIGEST_ITEMS = 10
_logger = logging.getLogger(__name__)


def escalation_vals(state, levels_reached, reached=False):
    """Escalation columns of a line from its clock state (B7): the instant of each level
    and of the next one due; a reached target escalates no further."""
    dates = state.escalation_dates + (None,) * (3 - len(state.escalation_dates))
    return {
        "escalation1_date": dates[0],
        "escalation2_date": dates[1],
        "escalation3_date": dates[2],
        "escalation_next_date": None
        if reached
        else next_escalation(levels_reached, state.escalation_dates),
    }


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
    # read by exactly those who read the request (G2, ir.rule)
    _internal_sla_ticket_field = "ticket_id"
    _internal_sla_agreement_field = "agreement_id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True, readonly=True
    )
    agreement_id = fields.Many2one("internal.sla.agreement", readonly=True)
    version_id = fields.Many2one("internal.sla.agreement.version", readonly=True)
    target_id = fields.Many2one("internal.sla.target", readonly=True, ondelete="set null")
    company_id = fields.Many2one("res.company", readonly=True)
    name = fields.Char(readonly=True)
    metric = fields.Selection(METRICS, readonly=True)
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
    # a clock started with its request (or attached set-based) is not logged as an event
    # row: its timeline "start" is read off these, which saves the ticket create a row
    start_event_date = fields.Datetime(
        string="Clock started at",
        readonly=True,
        help="When the clock was started (the timeline's start event).",
    )
    start_event_rule = fields.Char(
        string="Clock started by", readonly=True, help="What started the clock."
    )
    start_event_deadline = fields.Datetime(
        string="Deadline at start",
        readonly=True,
        help="The deadline the clock was started with.",
    )
    reached_date = fields.Datetime(string="Reached at", readonly=True)
    # the KPI catalogue times first response and resolution to their first reach: a
    # reopened request's clock runs on for its SLA state (cleared ``reached_date``), these
    # keep the first close for the resolution time
    first_reached_date = fields.Datetime(string="First reached at", readonly=True)
    first_reached_seconds = fields.Integer(
        string="Working seconds to first reach",
        readonly=True,
        help="Working seconds the clock had consumed when its target was first reached "
        "(the resolution time of a reopened request is measured to its first close).",
    )
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
    consumed_display = fields.Char(
        string="Used",
        compute="_compute_used_displays",
        help="Working time used so far (live while the clock runs), and in brackets the "
        "part past the deadline.",
    )
    overrun_display = fields.Char(
        string="Overrun",
        compute="_compute_used_displays",
        help="Working time past the deadline.",
    )
    target_display = fields.Char(related="target_id.duration_display", string="Target duration")
    # -- breach reasons and exceptions (H5) --
    breach_cause = fields.Selection(
        [
            ("capacity", "Provider capacity"),
            ("requester", "Waiting on the requester"),
            ("third_party", "Another department or a supplier"),
            ("scope", "Scope changed"),
            ("other", "Other"),
        ],
        readonly=True,
    )
    breach_reason = fields.Text(readonly=True)
    exception_state = fields.Selection(
        [
            ("requested", "Exception requested"),
            ("accepted", "Exception accepted"),
            ("rejected", "Exception rejected"),
        ],
        readonly=True,
        help="A breach the provider asks to excuse; the review meeting accepts or rejects "
        "it. Accepted exceptions count as met in the adjusted attainment.",
    )
    reason_missing = fields.Boolean(
        compute="_compute_reason_missing", search="_search_reason_missing"
    )
    # -- escalation chain (B7) --
    escalation_level = fields.Integer(
        readonly=True,
        default=0,
        aggregator="max",
        help="Highest escalation level reached (0: none).",
    )
    escalation_inherited_level = fields.Integer(
        readonly=True,
        default=0,
        help="Levels carried over from the line this one replaced at a re-match (their "
        "escalations are in the timeline as logged events).",
    )
    escalation1_date = fields.Datetime(string="Level 1 escalation due", readonly=True)
    escalation2_date = fields.Datetime(string="Level 2 escalation due", readonly=True)
    escalation3_date = fields.Datetime(string="Level 3 escalation due", readonly=True)
    escalation_next_date = fields.Datetime(
        readonly=True,
        help="When the next escalation level is due (empty once reached or fully escalated).",
    )
    # -- load-adaptive targets (B11) --
    surge_factor = fields.Float(
        string="Surge factor",
        readonly=True,
        default=1.0,
        digits=(16, 2),
        help="The target was relaxed by this factor: the request was filed during a surge.",
    )
    raw_target_seconds = fields.Integer(
        readonly=True,
        help="Working seconds the target allowed before a surge relaxed it (raw attainment).",
    )
    raw_met = fields.Boolean(
        string="Met (targets not relaxed)",
        compute="_compute_raw_met",
        help="Reached within the target before any surge relaxed it.",
    )
    # -- two clocks (H6): the same wait on the requester's calendar, set when reached --
    requester_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Requester's calendar",
        readonly=True,
        help="The working hours the requester lives through: the requester's own calendar, "
        "else their company's.",
    )
    requester_seconds = fields.Integer(
        string="Requester-side working seconds",
        readonly=True,
        help="Working time of the requester's calendar from the start to the reach of the "
        "target; time waiting on the requester excluded, time waiting on another "
        "department included.",
    )
    requester_hours = fields.Float(
        string="Requester-side wait (h)",
        readonly=True,
        aggregator="avg",
        help="The requester's side of the clock, in their working hours (set when reached).",
    )
    provider_hours = fields.Float(
        string="Provider-side time (h)",
        readonly=True,
        aggregator="avg",
        help="Working hours consumed on the agreement's calendar (set when reached).",
    )

    # what the breach forecast said before the outcome was known (B12 accuracy)
    forecast_scored = fields.Boolean(
        string="Scored by the forecast",
        readonly=True,
        copy=False,
        help="The breach forecast scored this target while its deadline was still ahead.",
    )
    forecast_flagged_date = fields.Datetime(
        string="Flagged likely to breach",
        readonly=True,
        copy=False,
        help="First forecast run that found this target likely to breach, before its deadline.",
    )

    # only open lines are searched by time (due filters): a partial index stays small
    _open_deadline_idx = models.Index("(deadline) WHERE state IN ('running', 'at_risk')")
    # the sweep's: the instant of each open line's next state change (NULL once closed). Not
    # partial, so that ANALYZE keeps statistics of the expression over the whole table and
    # the planner estimates how many lines are due: a five-minute step touches a few
    # hundred lines among 100,000 open ones (nested loop), a catch-up all of them (hash join)
    _sweep_due_idx = models.Index(f"(({sweep_due_sql()}))")
    _escalation_due_idx = models.Index(
        "(escalation_next_date) WHERE escalation_next_date IS NOT NULL"
    )

    @api.depends_context("internal_sla_now")
    def _compute_remaining(self):
        now = self._now()
        for line in self:
            if line.reached_date or not line.deadline or line.state == CANCELLED:
                line.remaining_seconds = line.target_seconds - line.consumed_seconds
                line.clock_ticking = False
                continue
            working_time = line.agreement_id._working_time()
            reference = line.paused_since or now
            line.remaining_seconds = working_time.working_seconds(reference, line.deadline)
            # ticking = now lies inside working time
            line.clock_ticking = line.state != "paused" and working_time.add(now, 0) == now

    @api.depends("remaining_seconds", "consumed_seconds", "overrun_seconds")
    def _compute_used_displays(self):
        """Working time used and past the deadline, as the rest of the product shows
        working times; an open clock's figures are live: the target less what remains."""
        Kpi = self.env["internal.sla.kpi"]
        for line in self:
            if line.reached_date or not line.deadline or line.state == CANCELLED:
                consumed, overrun = line.consumed_seconds, line.overrun_seconds
            else:
                consumed = max(0, line.target_seconds - line.remaining_seconds)
                overrun = max(0, -line.remaining_seconds)
            line.overrun_display = Kpi._display(overrun, "seconds") if overrun else False
            line.consumed_display = Kpi._display(consumed, "seconds") + (
                f" (+{line.overrun_display})" if overrun else ""
            )

    def _now(self):
        return sla_now(self.env)

    @api.depends("state", "consumed_seconds", "raw_target_seconds", "target_seconds")
    def _compute_raw_met(self):
        for line in self:
            line.raw_met = line.state == "met" and line.consumed_seconds <= (
                line.raw_target_seconds or line.target_seconds
            )

    @api.depends("state", "breach_reason")
    def _compute_reason_missing(self):
        for line in self:
            line.reason_missing = line.state == "breached" and not line.breach_reason

    def _search_reason_missing(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Reason missing: search with = True or = False."))
        missing = [("state", "=", "breached"), ("breach_reason", "=", False)]
        return missing if (operator == "=") == value else ["!", "&", *missing]

    # -- breach reasons and exceptions (H5) ----------------------------------------------------

    def action_explain_breach(self):
        """Open the form that records why these breached targets were missed."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Explain the breach"),
            "res_model": "internal.sla.breach.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_ids": self.filtered(lambda l: l.state == "breached").ids},
        }

    def _ask_breach_reasons(self, now):
        """Targets reached late ask why (H5): one "Explain the breach" activity per
        request for its assignee (the team leader when nobody is assigned), unless one
        is still open; a request with neither gets a note saying so, not an error. A few
        queries for any number of requests (an agreement's scope change stops many)."""
        unexplained = self.filtered(
            lambda line: line.state == "breached" and not line.breach_reason
        )
        if not unexplained:
            return
        activity_type = self.env.ref(
            "internal_sla.mail_activity_type_breach_reason", raise_if_not_found=False
        )
        if not activity_type:
            return
        tickets = unexplained.ticket_id.sudo()
        asked = {
            activity.res_id: activity
            for activity in self._breach_prompts(tickets, activity_type)
        }
        model_id = self.env["ir.model"]._get_id("helpdesk.ticket")
        new_prompts = []
        for ticket in tickets:
            # every target of the request still to explain, those missed before included,
            # in the language of the person asked
            targets = ", ".join(ticket.sla_line_ids.filtered("reason_missing").mapped("name"))
            if ticket.id in asked:
                summary = recipient_env(self, asked[ticket.id].user_id)._(
                    "Explain the breach: %s", targets
                )
                if asked[ticket.id].summary != summary:
                    asked[ticket.id].summary = summary
                continue
            user = next(
                (u for u in (ticket.user_id, ticket.team_id.user_id) if u and u.active), None
            )
            if user:
                summary = recipient_env(self, user)._("Explain the breach: %s", targets)
                new_prompts.append(
                    {
                        "res_model_id": model_id,
                        "res_id": ticket.id,
                        "activity_type_id": activity_type.id,
                        "user_id": user.id,
                        "date_deadline": now.date(),
                        "summary": summary,
                        "automated": True,
                    }
                )
                continue
            missed = unexplained.filtered(lambda line, t=ticket: line.ticket_id == t)
            ticket.message_post(
                body=self.env._(
                    "%(targets)s missed, and nobody to ask why: assign the request or give "
                    "its team a leader, then explain the breach.",
                    targets=", ".join(missed.mapped("name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        # the person sees the activity in their systray; no e-mail per late request
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            new_prompts
        )

    @api.model
    def _breach_prompts(self, tickets, activity_type):
        """The open "Explain the breach" activities of ``tickets``."""
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "in", tickets.ids),
                    ("activity_type_id", "=", activity_type.id),
                ]
            )
        )

    def _close_breach_prompts(self, feedback):
        """Mark done the "Explain the breach" activities of the requests of these lines
        whose breached targets are all explained now."""
        activity_type = self.env.ref(
            "internal_sla.mail_activity_type_breach_reason", raise_if_not_found=False
        )
        tickets = self.ticket_id.filtered(
            lambda ticket: not ticket.sla_line_ids.filtered("reason_missing")
        )
        if not activity_type or not tickets:
            return
        activities = self._breach_prompts(tickets, activity_type)
        if activities:
            activities.action_feedback(feedback=feedback)

    def _check_exception_reviewer(self):
        if not self.env.user.has_group("internal_sla.internal_sla_group_manager"):
            raise UserError(
                self.env._("Only an Internal SLA Manager accepts or rejects exceptions.")
            )
        for line in self.filtered(lambda line: line.exception_state != "requested"):
            raise UserError(
                self.env._(
                    "%(target)s of %(ticket)s has no exception requested.",
                    target=line.name,
                    ticket=line.ticket_id.display_name,
                )
            )
        self.agreement_id.check_access("write")

    def action_accept_exception(self):
        self._check_exception_reviewer()
        self.sudo().exception_state = "accepted"
        self._post_exception_decision(self.env._("accepted"))

    def action_reject_exception(self):
        self._check_exception_reviewer()
        self.sudo().exception_state = "rejected"
        self._post_exception_decision(self.env._("rejected"))

    def _post_exception_decision(self, decision):
        for line in self:
            line.ticket_id.sudo().message_post(
                body=self.env._(
                    "Exception for %(target)s %(decision)s by %(user)s.",
                    target=line.name,
                    decision=decision,
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )

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
            escalation_percents=self.agreement_id._escalation_percents(),
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
            **escalation_vals(
                state, self.escalation_level, reached=bool(reached or self.reached_date)
            ),
        }

    def _refresh(self, now, rule, reached=None, event_type=None):
        """Re-evaluate these lines at ``now``; log state changes with ``rule``.

        :param reached: mark the lines as reached at ``now`` (met or breached)
        :param event_type: log this event for every line even without state change
        """
        pauses_by_ticket = self.ticket_id._sla_pauses_by_ticket()
        requester = self.ticket_id._sla_requester_side() if reached else None
        events = []
        for line in self:
            old_state, old_deadline = line.state, line.deadline
            vals = line._evaluate(now, pauses_by_ticket, reached=now if reached else None)
            if reached:
                vals["reached_date"] = now
                vals["paused_since"] = False
                vals.update(line._requester_clock_vals(now, vals, requester, pauses_by_ticket))
                if not line.first_reached_date:
                    vals["first_reached_date"] = now
                    vals["first_reached_seconds"] = vals["consumed_seconds"]
            elif line.reached_date and line.first_reached_date == line.reached_date:
                # a reached target recomputed (a leave added late): never reopened, its
                # time to the first reach is the time it used
                vals["first_reached_seconds"] = vals["consumed_seconds"]
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
        if reached:
            self._close_escalations(rule)
            self._ask_breach_reasons(now)

    def _requester_clock_vals(self, reached, vals, requester, pauses_by_ticket):
        """Both clocks of a line being reached (H6): the provider's working hours, and the
        same wait on the requester's calendar. A reopened line adds its new stretch to
        the requester time it had."""
        self.ensure_one()
        calendars, handoff_starts = requester
        ticket_id = self.ticket_id.id
        calendar, tz = calendars.get(ticket_id) or (
            self.agreement_id.resource_calendar_id,
            None,
        )
        if not calendar:
            return {"provider_hours": vals["consumed_seconds"] / 3600.0}
        reopened = self.requester_calendar_id and self.base_date > self.date_start
        start = self.base_date if reopened else self.date_start
        # the requester does not wait while the ticket waits on them; they do while a
        # linked request of another department is worked on
        waits_on_requester = [
            pause
            for pause in pauses_by_ticket.get(ticket_id, ())
            if (ticket_id, pause[0]) not in handoff_starts
        ]
        seconds = elapsed_excluding(
            calendar._internal_sla_working_time(tz), start, reached, waits_on_requester
        )
        if reopened:
            seconds += self.requester_seconds
        return {
            "requester_calendar_id": calendar.id,
            "requester_seconds": seconds,
            "requester_hours": seconds / 3600.0,
            "provider_hours": vals["consumed_seconds"] / 3600.0,
        }

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
        lines = self.filtered(lambda line: line.state != CANCELLED)
        open_lines = (
            lines if include_reached else lines.filtered(lambda line: not line.reached_date)
        )
        for line in open_lines:
            # targets whose length depends on the calendar: to the end of a working day,
            # or in working days (of the calendar's hours per day)
            if line.target_id and line.target_id.duration_type in (
                "end_of_day",
                "end_of_next_day",
                "days",
            ):
                raw = line.target_id._target_seconds(
                    line.date_start, line.agreement_id._working_time()
                )
                if raw != line.raw_target_seconds:
                    line.write(
                        {
                            "raw_target_seconds": raw,
                            "target_seconds": round(raw * (line.surge_factor or 1.0)),
                        }
                    )
        open_lines._refresh(now, rule, event_type="recompute")

    def _cancel(self, now, rule):
        """Stop these open lines for good: their ticket no longer falls under their
        agreement (B13). The time used so far is kept on the line, the timeline logs the
        stop with ``rule``, escalations close; a cancelled line is neither open nor
        reached, so no sweep, escalation or KPI counts it any more.

        A line already past its deadline stops breached instead (reached at ``now``): a
        breach is not erased by a change of what the agreement covers (H8)."""
        if not self:
            return
        pauses_by_ticket = self.ticket_id._sla_pauses_by_ticket()
        evaluated = {line: line._evaluate(now, pauses_by_ticket) for line in self}
        overdue = self.filtered(lambda line: evaluated[line]["state"] == "breached")
        if overdue:
            overdue._refresh(now, rule, reached=True, event_type="cancel")
        events = []
        for line in self - overdue:
            vals = evaluated[line]
            events.append(line._event_vals("cancel", now, rule))
            line.write(
                {
                    "state": CANCELLED,
                    "consumed_seconds": vals["consumed_seconds"],
                    "paused_seconds": vals["paused_seconds"],
                    "overrun_seconds": vals["overrun_seconds"],
                    "paused_since": False,
                    "escalation_next_date": False,
                }
            )
        self.env["internal.sla.event"].sudo().create(events)
        (self - overdue)._close_escalations(rule)

    # -- sweep (B3): set-based state changes at the right time ---------------------------------

    @api.model
    def _cron_sweep(self, batch_size=SWEEP_BATCH):
        """Flag running lines at risk and overdue lines breached, then escalate lines whose
        next escalation level is due, in committed batches.

        Rows locked by a concurrent edit are skipped (they are re-evaluated by that edit or
        by the next sweep); running twice in a row changes nothing the second time.
        """
        now = self._now()
        due = self._sweep_steps_due(now)
        if not any(due):
            # most runs of a five-minute cron find nothing to do: one indexed probe
            if self.env.context.get("cron_id"):
                self.env["ir.cron"]._commit_progress(remaining=0)
            return 0
        return self._sweep_run(now, *due, batch_size=batch_size)

    @api.model
    @in_automation_lang
    def _sweep_run(self, now, sweep_due, escalations_due, stage_rules_due, batch_size):
        """The steps of a sweep that has something due (see ``_cron_sweep``), written in
        the language of automated notes."""
        rule = self.env._("SLA sweep")
        in_cron = bool(self.env.context.get("cron_id"))
        steps = [self._sweep_batch] if sweep_due else []
        if escalations_due:
            steps.append(self._escalate_batch)
        if stage_rules_due:
            steps.append(self.env["helpdesk.ticket"]._stage_rules_due)
        actions_due = escalations_due or stage_rules_due
        if actions_due:
            self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_activity")
            last_activity_before = self.env.cr.fetchone()[0]
        done_by_step = {}
        out_of_time = False
        for step in steps:
            done_by_step[step.__name__] = 0
            while not out_of_time:
                done = step(now, rule, batch_size)
                done_by_step[step.__name__] += done
                if done < batch_size:
                    if in_cron:
                        self.env["ir.cron"]._commit_progress(done)
                    break
                # a full batch: more may be due; past the cron's time budget, the rest
                # waits for the run the cron schedules at once (remaining > 0 below)
                out_of_time = in_cron and self.env["ir.cron"]._commit_progress(done) <= 0
        if actions_due:
            # one message per person and sweep, whatever the steps and batches that acted
            self._notify_assignees(last_activity_before, now)
        if in_cron:
            self.env["ir.cron"]._commit_progress(remaining=int(out_of_time))
        # the number of lines whose state changed (escalations are counted apart)
        return done_by_step.get("_sweep_batch", 0)

    def _sweep_steps_due(self, now):
        """Whether each sweep step (state changes, escalations, stage rules) may have
        something due at ``now``: one round trip on the three indexes the steps select on.
        A superset of what the steps select (they also skip locked rows, paused clocks and
        cancelled agreements), so a step left out never had anything to do."""
        self.env.flush_all()
        self.env.cr.execute(
            f"""
            SELECT EXISTS (SELECT 1 FROM internal_sla_line line
                            WHERE {sweep_due_sql("line")} <= %(now)s),
                   EXISTS (SELECT 1 FROM internal_sla_line line
                            WHERE {ESCALATION_DUE_SQL}),
                   EXISTS (SELECT 1 FROM helpdesk_ticket
                            WHERE sla_stage_rule_date <= %(now)s)
            """,
            {"now": now},
        )
        return self.env.cr.fetchone()

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
                 WHERE {sweep_due_sql("line")} <= %(now)s
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

    # -- escalation chain (B7) --------------------------------------------------------------

    def _escalate_batch(self, now, rule, batch_size, ticket_ids=None):
        """Raise the escalation level of running lines whose next level is due; one
        activity and one chatter note per level crossed, inserted set-based.

        A line whose level is raised is never selected again for that level, so a second
        sweep creates nothing twice; lines or tickets locked by an edit wait for the next
        sweep. Paused clocks do not escalate. ``ticket_ids``: only these tickets' lines
        (the replay of past requests escalates one request at a time).
        """
        self.env.flush_all()
        cr = self.env.cr
        only_tickets = "AND line.ticket_id = ANY(%(ticket_ids)s)" if ticket_ids else ""
        cr.execute(
            f"""
            WITH due AS (
                SELECT line.id, line.escalation_level AS old_level,
                       CASE WHEN line.escalation3_date <= %(now)s THEN 3
                            WHEN line.escalation2_date <= %(now)s THEN 2
                            ELSE 1 END AS new_level
                  FROM internal_sla_line line
                  JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
                 WHERE {ESCALATION_DUE_SQL}
                   -- a cancelled agreement commits nobody any more: no one is chased
                   AND NOT EXISTS (SELECT 1 FROM internal_sla_agreement agreement
                                    WHERE agreement.id = line.agreement_id
                                      AND agreement.state = 'cancelled')
                   {only_tickets}
                 LIMIT %(limit)s
                   FOR NO KEY UPDATE OF line, ticket SKIP LOCKED
            ), raised AS (
                UPDATE internal_sla_line line
                   SET escalation_level = due.new_level,
                       escalation_next_date = CASE due.new_level
                                                WHEN 1 THEN line.escalation2_date
                                                WHEN 2 THEN line.escalation3_date
                                              END
                  FROM due
                 WHERE line.id = due.id
             RETURNING line.id, line.ticket_id, line.agreement_id, line.name,
                       due.old_level, due.new_level
            )
            SELECT raised.id, raised.ticket_id, raised.agreement_id, raised.name,
                   raised.old_level, raised.new_level, ticket.company_id,
                   ticket.number, ticket.name,
                   CASE WHEN assignee.active THEN assignee.id END,
                   CASE WHEN leader.active THEN leader.id END
              FROM raised
              JOIN helpdesk_ticket ticket ON ticket.id = raised.ticket_id
         LEFT JOIN res_users assignee ON assignee.id = ticket.user_id
         LEFT JOIN helpdesk_ticket_team team ON team.id = ticket.team_id
         LEFT JOIN res_users leader ON leader.id = team.user_id
            """,
            {"now": now, "limit": batch_size, "ticket_ids": list(ticket_ids or ())},
        )
        rows = cr.fetchall()
        if rows:
            self._insert_escalations(rows, now)
        self.invalidate_model(["escalation_level", "escalation_next_date"])
        self.env["helpdesk.ticket"].invalidate_model(["sla_escalation_level"])
        return len(rows)

    def _insert_escalations(self, rows, now):
        """One activity for the level's person and one chatter note per level crossed."""
        env = self.env
        agreements = env["internal.sla.agreement"].sudo().browse({row[2] for row in rows})
        chains = {agreement.id: agreement._escalation_chain() for agreement in agreements}
        # one read of every recipient's name, whatever the number of rows
        users = (
            env["res.users"]
            .sudo()
            .browse({row[9] for row in rows if row[9]} | {row[10] for row in rows if row[10]})
        )
        users.mapped("name")
        activities, notes = [], []
        texts = {}  # the same few texts serve many rows: translate and render each once
        fallbacks = {}  # (level, fallback): ticket ids, logged once per sweep, not per row
        for (
            line_id,
            ticket_id,
            agreement_id,
            target,
            old_level,
            new_level,
            company_id,
            number,
            ticket_name,
            assignee_id,
            leader_id,
        ) in rows:
            chain = chains[agreement_id]
            for level in range(old_level + 1, new_level + 1):
                recipient, fallback = self._escalation_recipient(
                    level, chain, users.browse(assignee_id), users.browse(leader_id)
                )
                key = (level, target, recipient.id, fallback)
                if key not in texts:
                    texts[key] = self._escalation_texts(level, target, recipient, fallback)
                summary, body = texts[key]
                if fallback:
                    fallbacks.setdefault((level, fallback), []).append(ticket_id)
                notes.append((ticket_id, company_id, body))
                if recipient:
                    activities.append(
                        (
                            ticket_id,
                            f"{number} - {ticket_name}",
                            recipient.id,
                            summary,
                            line_id,
                            level,
                        )
                    )
        for (level, fallback), ticket_ids in fallbacks.items():
            _logger.info(
                "SLA escalation level %s of %s request(s) (ids %s%s): %s",
                level,
                len(ticket_ids),
                ", ".join(map(str, ticket_ids[:DIGEST_ITEMS])),
                ", ..." if len(ticket_ids) > DIGEST_ITEMS else "",
                fallback,
            )
        self._insert_activities_and_notes(activities, notes, now)

    def _escalation_texts(self, level, target, recipient, fallback):
        """(activity summary, chatter note HTML) of one escalation: the activity in its
        recipient's language, the note (read by all) in the sweep's."""
        summary = recipient_env(self, recipient)._(
            "SLA escalation level %(level)s: %(target)s", level=level, target=target
        )
        body = Markup("<p>%s</p>") % self.env._(
            "Escalated to level %(level)s (%(target)s): %(person)s.",
            level=level,
            target=target,
            person=recipient.name or self.env._("nobody"),
        )
        if fallback:
            body += Markup("<p><i>%s</i></p>") % self.env._("Fallback: %s", fallback)
        return summary, str(body)

    def _escalation_recipient(self, level, chain, assignee, leader):
        """(user or empty, fallback note) for ``level``: level 1 is the ticket's assignee,
        else the team leader, else the level-2 person; levels 2 and 3 come from the
        agreement's chain (:meth:`_escalation_chain`)."""
        if level > 1:
            return chain[level]
        if assignee:
            return assignee, ""
        if leader:
            return leader, self.env._("no active assignee: the team leader is escalated to")
        head, head_note = chain[2]
        fallback = self.env._("no active assignee or team leader")
        return head, f"{fallback}; {head_note}" if head_note else fallback

    def _insert_activities_and_notes(self, activities, notes, now):
        cr = self.env.cr
        params = {
            "now": now,
            "today": now.date(),
            "uid": self.env.uid,
            "model": "helpdesk.ticket",
            "model_id": self.env["ir.model"]._get_id("helpdesk.ticket"),
            "type_id": self.env.ref("internal_sla.mail_activity_type_sla_escalation").id,
            "subtype_id": self.env.ref("mail.mt_note").id,
            "author_id": self.env.ref("base.partner_root").id,
        }
        if activities:
            cr.execute(
                """
                INSERT INTO mail_activity (
                       res_model_id, res_model, res_id, res_name, activity_type_id, user_id,
                       summary, date_deadline, automated, active, internal_sla_line_id,
                       internal_sla_escalation_level, create_uid, write_uid, create_date,
                       write_date)
                SELECT %(model_id)s, %(model)s, res_id, res_name, %(type_id)s, user_id,
                       summary, %(today)s, TRUE, TRUE, line_id, level, %(uid)s, %(uid)s,
                       %(now)s, %(now)s
                  FROM unnest(%(c0)s::int[], %(c1)s::varchar[], %(c2)s::int[],
                              %(c3)s::varchar[], %(c4)s::int[], %(c5)s::int[])
                       AS row(res_id, res_name, user_id, summary, line_id, level)
                """,
                dict(params, **named_column_literals(activities)),
            )
        if notes:
            cr.execute(
                """
                INSERT INTO mail_message (
                       model, res_id, record_company_id, body, message_type, subtype_id,
                       is_internal, author_id, date, message_id, create_uid, write_uid,
                       create_date, write_date)
                SELECT %(model)s, res_id, company_id, body, 'notification', %(subtype_id)s,
                       TRUE, %(author_id)s, %(now)s,
                       '<' || gen_random_uuid() || '-internal-sla-escalation@odoo>',
                       %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM unnest(%(c0)s::int[], %(c1)s::int[], %(c2)s::text[])
                       AS row(res_id, company_id, body)
                """,
                dict(params, **named_column_literals(notes)),
            )
        self.env["mail.activity"].invalidate_model()
        self.env["mail.message"].invalidate_model()
        self.env["helpdesk.ticket"].invalidate_model(["activity_ids", "message_ids"])

    def _notify_assignees(self, last_activity_before, now):
        """Tell each person the escalation activities this sweep gave them (those above
        ``last_activity_before``): one notification per person and sweep (inbox or e-mail,
        as they chose), not one per activity, since rows inserted with SQL skip Odoo's
        per-activity assignment mail."""
        self.env.cr.execute(
            """
            SELECT user_id, res_id, res_name, summary
              FROM mail_activity
             WHERE id > %s AND create_date = %s AND automated AND activity_type_id = %s
          ORDER BY id
            """,
            [
                last_activity_before,
                now,
                self.env.ref("internal_sla.mail_activity_type_sla_escalation").id,
            ],
        )
        per_user = {}
        for user_id, res_id, res_name, summary in self.env.cr.fetchall():
            per_user.setdefault(user_id, []).append((res_id, res_name, summary))
        users = self.env["res.users"].sudo().browse(per_user)
        for user in users.filtered("active"):
            rows = per_user[user.id]
            env = recipient_env(self, user)
            # a short message whatever the backlog: the full list is in the person's
            # activities (the systray clock), and a long body costs the sweep its sanitizing
            items = Markup().join(
                Markup('<li><a href="/odoo/helpdesk.ticket/%s">%s</a>: %s</li>')
                % (res_id, res_name, summary)
                for res_id, res_name, summary in rows[:DIGEST_ITEMS]
            )
            body = Markup("<p>%s</p><ul>%s</ul>") % (
                env._("These requests need your attention:"),
                items,
            )
            if len(rows) > DIGEST_ITEMS:
                body += Markup("<p>%s</p>") % env._(
                    "... and %(count)s more in your activities (the clock in the top bar).",
                    count=len(rows) - DIGEST_ITEMS,
                )
            env["mail.thread"].sudo().message_notify(
                partner_ids=user.partner_id.ids,
                author_id=self.env.ref("base.partner_root").id,
                subject=env._("SLA escalations for you: %s", len(rows)),
                body=body,
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _escalation_activities(self):
        escalated = self.filtered("escalation_level")
        if not escalated:
            return self.env["mail.activity"]
        return (
            self.env["mail.activity"]
            .sudo()
            .search([("internal_sla_line_id", "in", escalated.ids)])
        )

    def _close_escalations(self, feedback):
        """Mark the escalation activities of these (reached) lines done."""
        activities = self._escalation_activities()
        if activities:
            activities.action_feedback(feedback=feedback)

    def _derived_events(self):
        """Logged timeline events for what the timeline reads off these lines (their
        start, at-risk and breach moments, the escalation levels they reached), before
        the lines are replaced: the history of a re-matched request keeps them (H4).
        The same conditions as the view's (``internal.sla.timeline``)."""
        events = []
        for line in self:
            if line.start_event_date:
                events.append(
                    dict(
                        line._event_vals("start", line.start_event_date, line.start_event_rule),
                        deadline=line.start_event_deadline,
                    )
                )
            breached_at = line.deadline if line.state == "breached" else False
            settled = line.reached_date or line.paused_since or breached_at
            if line.at_risk_date and (
                line.state == "at_risk" or (settled and line.at_risk_date <= settled)
            ):
                events.append(
                    line._event_vals(
                        "at_risk",
                        line.at_risk_date,
                        self.env._(
                            "%(percent)s%% of the target used",
                            percent=round(line.at_risk_percent),
                        ),
                    )
                )
            if breached_at:
                events.append(
                    line._event_vals("breach", breached_at, self.env._("Deadline passed"))
                )
            levels = range(line.escalation_inherited_level + 1, line.escalation_level + 1)
            events.extend(
                line._event_vals(
                    "escalation",
                    line[f"escalation{level}_date"],
                    self.env._("Escalation level %s reached", level),
                )
                for level in levels
            )
        return [dict(event, line_id=False) for event in events]

    @api.model
    def _severity_sql(self, column="line.state"):
        """SQL CASE giving each state of ``column`` its severity (worst state wins)."""
        cases = " ".join(f"WHEN '{state}' THEN {rank}" for state, rank in SEVERITY.items())
        return f"CASE {column} {cases} END"
