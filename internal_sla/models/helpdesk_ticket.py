import json
from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, format_datetime

from ..engine import forecast
from ..engine.handoff import Hop, chain_figures
from ..engine.matching import select_targets, utc_start_of_day
from ..engine.sla_clock import OWED_STATES, Clock, evaluate, worst_state
from ..engine.two_clocks import elapsed_excluding
from ..engine.working_time import NoWorkingTime
from ..tools.sql_arrays import array_literal, column_literals, named_column_literals
from .internal_sla_agreement import ACTIVE_STATES
from .internal_sla_line import CANCELLED, STATES, SWEEP_BATCH, escalation_vals, sla_now
from .res_config_settings import in_automation_lang, positive_setting

REMATCH_FIELDS = ("priority", "category_id", "team_id")
# a requester and a category make a request a repeat of a recent one (B9)
REPEAT_KEY_FIELDS = {"partner_id", "category_id"}
FORECAST_BATCH = 10000


class DepartmentsOfPartners(dict):
    """partner id -> department id of the oldest active employee behind the contact;
    ``in_company`` prefers the employee of a given company (a person employed by two)."""

    def __init__(self):
        super().__init__()
        self.by_company = {}

    def in_company(self, partner_id, company_id):
        return self.by_company.get((partner_id, company_id)) or self.get(partner_id)


# what the SLA engine measures on a request: a person (form, API) never sets it, so that
# the figures reports and KPIs read are the engine's (its own writes are superuser's)
ENGINE_FIELDS = frozenset(
    {
        "sla_agreement_id",
        "sla_version_id",
        "sla_deadline",
        "sla_state",
        "sla_escalation_level",
        "sla_transfer_count",
        "sla_reopen_count",
        "sla_provider_reply_count",
        "sla_is_repeat",
        "sla_first_contact_resolution",
        "sla_last_requester_reply",
        "sla_team_since",
        "sla_team_hours",
        "sla_decided_within_frame",
        "sla_stage_since",
        "sla_stage_rule_id",
        "sla_stage_rule_date",
        "sla_first_response_date",
        "sla_surge_id",
        "sla_breach_risk",
        "sla_likely_breach",
    }
)
# stored related fields given in the INSERT of new requests (see _helpdesk_prefill)
PREFILLED_RELATED = ("provider_department_id", "commercial_partner_id", "unattended")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    requester_department_id = fields.Many2one(
        "hr.department",
        string="Requester department",
        compute="_compute_requester_department",
        store=True,
        readonly=False,
        help="The department asking for the service (the requester's department).",
    )
    provider_department_id = fields.Many2one(
        related="team_id.department_id",
        string="Provider department",
        store=True,
    )
    business_impact = fields.Text(
        help="What the request changes for the requester's business; some agreements "
        "require it.",
    )
    sla_agreement_id = fields.Many2one(
        "internal.sla.agreement",
        string="Agreement",
        readonly=True,
        groups="base.group_user",
        index=True,
        copy=False,
    )
    sla_version_id = fields.Many2one(
        "internal.sla.agreement.version",
        string="Agreement version",
        readonly=True,
        groups="base.group_user",
        copy=False,
        help="The version in force when the ticket was created; later amendments do not "
        "change it.",
    )
    sla_line_ids = fields.One2many(
        "internal.sla.line", "ticket_id", string="SLA", copy=False, groups="base.group_user"
    )
    sla_event_ids = fields.One2many(
        "internal.sla.event",
        "ticket_id",
        string="SLA events",
        copy=False,
        groups="base.group_user",
    )
    sla_timeline_ids = fields.One2many(
        "internal.sla.timeline",
        "ticket_id",
        string="SLA timeline",
        readonly=True,
        groups="base.group_user",
    )
    sla_pause_ids = fields.One2many(
        "internal.sla.pause", "ticket_id", copy=False, groups="base.group_user"
    )
    sla_deadline = fields.Datetime(
        string="SLA deadline",
        readonly=True,
        copy=False,
        index=True,
        help="The nearest deadline of the open SLA lines.",
    )
    sla_state = fields.Selection(
        STATES,
        string="SLA state",
        readonly=True,
        copy=False,
        help="The worst state of the ticket's SLA lines.",
    )
    sla_escalation_level = fields.Integer(
        string="Escalation level",
        compute="_compute_sla_escalation_level",
        search="_search_sla_escalation_level",
        groups="base.group_user",
        help="Highest escalation level reached by the ticket's SLA targets (0: none).",
    )
    # -- flow between teams (B8-B10, H12) --
    sla_transfer_count = fields.Integer(
        string="Transfers",
        readonly=True,
        copy=False,
        help="Times the request moved to another team after it was created.",
        groups="base.group_user",
    )
    sla_reopen_count = fields.Integer(
        string="Reopens", readonly=True, copy=False, groups="base.group_user"
    )
    sla_provider_reply_count = fields.Integer(
        string="Provider replies",
        readonly=True,
        copy=False,
        help="Replies of the provider's people visible to the requester.",
        groups="base.group_user",
    )
    sla_repeat_of_id = fields.Many2one(
        "helpdesk.ticket",
        string="Repeat of",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="A request of the same requester and category closed shortly before this one.",
        groups="base.group_user",
    )
    # kept with "Repeat of" by create and write, so that it goes into the ticket's INSERT
    # (a computed field would be computed on a throw-away new record per request)
    sla_is_repeat = fields.Boolean(
        string="Repeat request", readonly=True, copy=False, groups="base.group_user"
    )
    sla_first_contact_resolution = fields.Boolean(
        string="First contact resolution",
        readonly=True,
        copy=False,
        help="Closed with no transfer, no reopen and at most one provider reply.",
        groups="base.group_user",
    )
    sla_last_requester_reply = fields.Datetime(
        readonly=True, copy=False, groups="base.group_user"
    )
    sla_team_since = fields.Datetime(
        string="With the team since", readonly=True, copy=False, groups="base.group_user"
    )
    sla_ownership_ids = fields.One2many(
        "internal.sla.ownership",
        "ticket_id",
        string="Ownership by team",
        groups="base.group_user",
    )
    sla_team_hours = fields.Float(
        string="Working hours with the team",
        compute="_compute_sla_team_hours",
        help="Working hours the team holding the open request has held it since it came "
        "to the team, up to this moment, on the request's working calendar.",
        groups="base.group_user",
    )
    # -- empowerment frames (A4) --
    sla_request_amount = fields.Float(
        string="Amount", help="Amount the request is about (e.g. the discount asked)."
    )
    sla_frame_id = fields.Many2one(
        "internal.sla.frame",
        string="Decided within frame",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    # not indexed: no search selects on it alone, and a new request writes one index entry less
    sla_decided_within_frame = fields.Boolean(
        readonly=True, copy=False, groups="base.group_user"
    )
    sla_frames_apply = fields.Boolean(
        compute="_compute_sla_frames_apply",
        help="The ticket's agreement has empowerment frames.",
        groups="base.group_user",
    )
    # -- automated stages (B6) --
    sla_stage_since = fields.Datetime(
        string="In this stage since", readonly=True, copy=False, groups="base.group_user"
    )
    sla_stage_rule_id = fields.Many2one(
        "internal.sla.stage.rule",
        string="Next stage rule",
        readonly=True,
        copy=False,
        groups="base.group_user",
    )
    sla_stage_rule_date = fields.Datetime(
        string="Stage rule due",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the next stage rule acts if the request stays in its stage.",
        groups="base.group_user",
    )
    sla_first_response_date = fields.Datetime(
        string="First response", readonly=True, copy=False
    )
    sla_preview = fields.Text(compute="_compute_sla_preview", string="Would be due")

    # -- computes ---------------------------------------------------------------------------

    @api.depends("partner_id")
    def _compute_requester_department(self):
        """The department of the employee behind the ticket's contact (one query), or of
        the user filing a ticket without contact."""
        by_partner = self._sla_departments_of_partners(self.partner_id.ids)
        Department = self.env["hr.department"]
        for ticket in self:
            if ticket.partner_id:
                department = Department.browse(
                    by_partner.in_company(ticket.partner_id.id, ticket.company_id.id)
                )
            else:
                department = self.env.user.sudo().employee_id.department_id
            ticket.requester_department_id = department or ticket.requester_department_id

    def init(self):
        res = super().init()
        # The sweep rewrites the SLA state of due tickets every few minutes: room on each
        # page lets PostgreSQL update them in place (HOT), without touching the indexes.
        self.env.cr.execute("ALTER TABLE helpdesk_ticket SET (fillfactor = 80)")
        return res

    @api.depends("team_id", "priority", "category_id", "requester_department_id")
    def _compute_sla_preview(self):
        """'A request created now would be due at …' on the request form (H3)."""
        now = sla_now(self.env)
        for ticket in self:
            if ticket.id and ticket.sla_line_ids:
                ticket.sla_preview = False
                continue
            match = ticket._sla_match(now)
            if not match:
                ticket.sla_preview = False
                continue
            info, _version, targets = match
            working_time = self.env["internal.sla.agreement"]._working_time_of(info)
            _surge, factor = self.env["internal.sla.surge"]._surge_of(
                info.id, ticket.team_id.id
            )
            lines = []
            for target in targets:
                if target.metric == "stage":
                    continue
                seconds = round(target.seconds(now, working_time, info.hours_per_day) * factor)
                due = working_time.add(now, seconds)
                lines.append(
                    self.env._(
                        "%(target)s: due %(due)s",
                        target=target.name,
                        due=format_datetime(self.env, due, tz=info.tz, dt_format="short"),
                    )
                )
            ticket.sla_preview = "\n".join(lines)

    # -- matching ---------------------------------------------------------------------------

    def _sla_match(self, start):
        """(AgreementInfo, VersionInfo, [TargetInfo]) that apply to this ticket, or None.

        The version is the one pinned on the ticket when the agreement stays the same,
        else the one in force on the day the ticket's clocks started.
        """
        self.ensure_one()
        index = self.env["internal.sla.agreement"]._sla_index()
        info, version = index.match(
            (self.company_id or self.env.company).id,
            self.team_id.department_id.id,
            self.requester_department_id.id or None,
            self.team_id.id,
            start,
        )
        if not info or not version:
            return None
        if self.sla_version_id and self.sla_agreement_id.id == info.id:
            version = next(
                (v for v in info.versions if v.id == self.sla_version_id.id), version
            )
        targets = select_targets(
            version.targets, self.priority, self.category_id.id, self.stage_id.id
        )
        return info, version, targets

    def _sla_match_in_force(self, start, now):
        """(match, start): what ``_sla_match`` gives for clocks started at ``start``; for a
        ticket opened before the agreement that covers it now came into force, that
        agreement, measured from its first day."""
        self.ensure_one()
        match = self._sla_match(start)
        if not match and start < now:
            in_force = self._sla_match(now)
            if in_force:
                start = max(start, utc_start_of_day(in_force[0].date_start, in_force[0].tz))
                match = self._sla_match(start)
        return match, start

    @api.model
    def _sla_refuse_missing(self, agreement, field_names, value_of):
        """Refuse a request missing what ``agreement`` requires from the requester (A3).

        :param field_names: names of the required ticket fields
        :param value_of: gives a field's value by name (from create values or a ticket)
        """
        missing = [
            self._fields[name].get_description(self.env)["string"]
            for name in field_names
            if name in self._fields and not value_of(name)
        ]
        if missing:
            raise ValidationError(
                self.env._(
                    "Agreement %(agreement)s requires from the requester: %(fields)s. "
                    "Fill in %(fields)s and save again.",
                    agreement=agreement.sudo().name,
                    fields=", ".join(missing),
                )
            )

    def _sla_check_commitments_edited(self, vals):
        """A required field emptied on a request is refused (A3). Only an edit of such a
        field is checked: a request filed before its agreement required it, or attached
        to an agreement put in force, still moves through its stages (by hand, by the
        stage rules) without it."""
        index = self.env["internal.sla.agreement"]._sla_index()
        if index.required_fields & set(vals):
            self._sla_check_commitments()

    def _sla_check_commitments(self):
        """Refuse requests without what their agreement requires (A3)."""
        for ticket in self.filtered("sla_agreement_id"):
            agreement = ticket.sla_agreement_id.sudo()
            self._sla_refuse_missing(
                agreement, agreement.required_field_ids.mapped("name"), ticket.__getitem__
            )

    def _sla_start(self, now):
        """When the ticket's clocks started (its first line), else when it was created."""
        self.ensure_one()
        starts = self.sudo().sla_line_ids.filtered(lambda line: line.metric != "stage")
        return min(starts.mapped("date_start"), default=False) or self.create_date or now

    def _sla_line_vals(self, target, info, version, start, base=None, consumed=0):
        """Values of a new line for ``target`` (a TargetInfo) before its first evaluation."""
        self.ensure_one()
        working_time = self.env["internal.sla.agreement"]._working_time_of(info)
        measured_from = base if target.metric == "stage" else start
        raw_seconds = target.seconds(measured_from, working_time, info.hours_per_day)
        factor = self.sudo().sla_surge_id.factor or 1.0
        return {
            "ticket_id": self.id,
            "agreement_id": info.id,
            "version_id": version.id,
            "target_id": target.id,
            "company_id": self.company_id.id,
            "name": target.name,
            "metric": target.metric,
            "stage_id": target.stage_id,
            "target_seconds": round(raw_seconds * factor),
            "raw_target_seconds": raw_seconds,
            "surge_factor": factor,
            "at_risk_percent": target.at_risk_percent,
            "date_start": measured_from,
            "base_date": base or start,
            "consumed_at_base": consumed,
        }

    @api.model
    def _sla_clock_rows(
        self,
        ticket_id,
        company_id,
        info,
        version,
        targets,
        start,
        now,
        paused,
        factor=1.0,
        with_stage=False,
    ):
        """Line rows (for ``_sla_insert_lines``) and clock states of a new ticket's targets.

        :param factor: targets are relaxed by this factor (filed during a surge, B11)
        :param with_stage: time-in-stage targets are started too (those of the stage the
            ticket was created in); else they are left to the ticket entering their stage
        """
        working_time = self.env["internal.sla.agreement"]._working_time_of(info)
        pauses = ((start, None),) if paused else ()
        rows, states = [], []
        for target in targets:
            if target.metric == "stage" and not with_stage:
                continue  # started when the ticket enters the stage
            try:
                raw_seconds = target.seconds(start, working_time, info.hours_per_day)
                target_seconds = round(raw_seconds * factor)
                clock = evaluate(
                    working_time,
                    Clock(
                        target_seconds,
                        target.at_risk_percent,
                        start,
                        0,
                        pauses,
                        escalation_percents=info.escalation_percents,
                    ),
                    now,
                )
            except NoWorkingTime:
                agreement = self.env["internal.sla.agreement"].sudo().browse(info.id)
                raise UserError(
                    self.env._(
                        "The deadline of %(target)s cannot be planned: the working calendar "
                        "%(calendar)s of agreement %(agreement)s has no working time in the "
                        "four years from %(start)s (a closure covers them). Ask an "
                        "administrator to correct the calendar's time off.",
                        target=target.name,
                        calendar=agreement.resource_calendar_id.display_name,
                        agreement=agreement.display_name,
                        start=format_datetime(self.env, start),
                    )
                ) from None
            states.append(clock)
            escalation = escalation_vals(clock, 0)
            rows.append(
                (
                    ticket_id,
                    info.id,
                    version.id,
                    target.id,
                    company_id,
                    target.name,
                    target.metric,
                    target.stage_id,
                    target_seconds,
                    target.at_risk_percent,
                    start,
                    start,
                    0,
                    clock.deadline,
                    clock.at_risk_date,
                    clock.paused_since,
                    clock.state,
                    clock.consumed_seconds,
                    clock.paused_seconds,
                    clock.overrun_seconds,
                    escalation["escalation1_date"],
                    escalation["escalation2_date"],
                    escalation["escalation3_date"],
                    escalation["escalation_next_date"],
                    raw_seconds,
                    factor,
                )
            )
        return rows, states

    @api.model
    def _sla_summary(self, states):
        # a new clock is reached by nothing yet: every line is still owed, overdue included
        open_deadlines = [c.deadline for c in states if c.state in OWED_STATES]
        return {
            "sla_deadline": min(open_deadlines, default=False),
            "sla_state": worst_state([c.state for c in states]),
        }

    @api.model
    def _sla_plan(self, vals_list, now):
        """Match the requests about to be created and fill their SLA fields in ``vals``.

        Runs before the INSERT so that the agreement, deadline and state go into it and a
        request missing what its agreement requires (A3) is refused before anything is
        saved.  Returns, per vals, the (info, version, targets, line rows) matched or None;
        the rows (ticket id 0) are those of a ticket not created in a pause stage.
        """
        Agreement = self.env["internal.sla.agreement"]
        index = Agreement._sla_index()
        teams = self.env["helpdesk.ticket.team"].browse(
            {vals["team_id"] for vals in vals_list if vals.get("team_id")}
        )
        departments = self._sla_departments_of_partners(
            [v["partner_id"] for v in vals_list if v.get("partner_id")]
        )
        own_department = None
        plans = []
        forecasts = {}  # team id -> what its new requests are scored from (B12)
        clocks = {}  # (company, version, targets, surge factor) -> (rows, states)
        for vals in vals_list:
            team = teams.browse(vals.get("team_id"))
            # helpdesk_mgmt files a request in its team's company, whatever the form said
            company_id = team.company_id.id or vals.get("company_id") or self.env.company.id
            if "requester_department_id" not in vals:
                if vals.get("partner_id"):
                    vals["requester_department_id"] = (
                        departments.in_company(vals["partner_id"], company_id) or False
                    )
                else:
                    if own_department is None:
                        own_department = self.env.user.sudo().employee_id.department_id.id
                    vals["requester_department_id"] = own_department or False
            if not team.department_id:
                plans.append(None)
                continue
            info, version = index.match(
                company_id,
                team.department_id.id,
                vals["requester_department_id"] or None,
                team.id,
                now,
            )
            if not info or not version:
                plans.append(None)
                continue
            self._sla_refuse_missing(Agreement.browse(info.id), info.required_fields, vals.get)
            targets = select_targets(
                version.targets, vals.get("priority", "1"), vals.get("category_id")
            )
            surge_id, factor = self.env["internal.sla.surge"]._surge_of(info.id, team.id)
            # the requests of one batch start at the same instant: equal clocks are planned once
            clock_key = (company_id, version.id, tuple(t.id for t in targets), factor)
            if clock_key not in clocks:
                clocks[clock_key] = self._sla_clock_rows(
                    0, company_id, info, version, targets, now, now, False, factor=factor
                )
            rows, states = clocks[clock_key]
            vals.update(
                self._sla_summary(states),
                sla_agreement_id=info.id,
                sla_version_id=version.id,
            )
            if surge_id:
                vals["sla_surge_id"] = surge_id
            if team.id not in forecasts:
                forecasts[team.id] = team._sla_forecast_basis()
            basis = forecasts[team.id]
            if "sla_breach_risk" not in vals:
                vals["sla_breach_risk"] = self._sla_forecast_new_score(
                    basis,
                    rows,
                    team.id,
                    vals.get("priority") or "1",
                    vals.get("category_id"),
                    now,
                )
            plans.append((info, version, targets, rows, states, basis))
        return plans

    @api.model
    def _sla_departments_of_partners(self, partner_ids):
        """partner id -> department id of the employee behind it (one query); see
        ``DepartmentsOfPartners.in_company`` for a person employed by several companies."""
        if not partner_ids:
            return DepartmentsOfPartners()
        self.env["hr.employee"].flush_model(
            ["work_contact_id", "user_id", "current_version_id"]
        )
        self.env["hr.version"].flush_model(["department_id"])
        self.env.cr.execute(
            """
            SELECT partner.id, version.department_id, employee.company_id
              FROM hr_employee employee
              JOIN hr_version version ON version.id = employee.current_version_id
         LEFT JOIN res_users users ON users.id = employee.user_id
              JOIN res_partner partner
                ON partner.id IN (employee.work_contact_id, users.partner_id)
             WHERE employee.active
               AND version.department_id IS NOT NULL
               AND partner.id = ANY(%s)
          ORDER BY employee.id
            """,
            [list(set(partner_ids))],
        )
        result = DepartmentsOfPartners()
        for partner_id, department_id, company_id in self.env.cr.fetchall():
            result.setdefault(partner_id, department_id)
            result.by_company.setdefault((partner_id, company_id), department_id)
        return result

    def _sla_start_planned(self, plans, now, rule):
        """Insert the clocks planned by ``_sla_plan`` for these new tickets."""
        index = self.env["internal.sla.agreement"]._sla_index()
        rows = []
        paused = self.browse()
        for ticket, plan in zip(self, plans, strict=True):
            if not plan:
                continue
            is_paused = ticket.stage_id.id in index.pause_stage_ids
            stage_rows, stage_states = ticket._sla_initial_stage_rows(plan, now, is_paused)
            if not is_paused:
                rows += [(ticket.id, *row[1:]) for row in plan[3]] + stage_rows
                if stage_rows:
                    ticket.sudo().write(
                        dict(
                            self._sla_summary(plan[4] + stage_states),
                            sla_breach_risk=ticket._sla_forecast_new_score(
                                plan[5],
                                plan[3] + stage_rows,
                                ticket.team_id.id,
                                ticket.priority,
                                ticket.category_id.id,
                                now,
                            ),
                        )
                    )
                continue
            ticket_rows, states, _paused = ticket._sla_ticket_clock_rows(plan, now, now, index)
            rows += ticket_rows + stage_rows
            paused |= ticket
            ticket.sudo().write(self._sla_summary(states + stage_states))
        if paused:
            paused._sla_open_pause(now)
        if rows:
            self._sla_insert_lines(rows, now, rule)

    def _sla_initial_stage_rows(self, plan, now, paused):
        """Line rows and states of the time-in-stage targets of the stage this new ticket
        was created in (its stage is known after the INSERT only), relaxed like its other
        targets when it was filed during a surge (B11)."""
        self.ensure_one()
        info, version = plan[:2]
        stage_targets = [
            target
            for target in select_targets(
                version.targets, self.priority, self.category_id.id, self.stage_id.id
            )
            if target.metric == "stage"
        ]
        if not stage_targets or self.stage_id.closed:
            return [], []  # no stage clock runs in a closed stage
        return self._sla_clock_rows(
            self.id,
            self.company_id.id,
            info,
            version,
            stage_targets,
            now,
            now,
            paused,
            factor=self.sudo().sla_surge_id.factor or 1.0,
            with_stage=True,
        )

    def _sla_ticket_clock_rows(self, plan, start, now, index):
        """Line rows and states of this ticket's clocks for ``plan`` (agreement, version,
        targets), started at ``start``; paused from the start in a pause stage."""
        self.ensure_one()
        info, version, targets = plan[:3]
        is_paused = self.stage_id.id in index.pause_stage_ids
        rows, states = self._sla_clock_rows(
            self.id,
            self.company_id.id,
            info,
            version,
            targets,
            start,
            now,
            is_paused,
            factor=self.sudo().sla_surge_id.factor or 1.0,
        )
        return rows, states, is_paused

    def _sla_attach(self, rule, now=None):
        """Match agreements and start the clocks of existing tickets (B14), measured from
        their creation (or from the agreement's first day, for a ticket opened before it):
        at install, or when an agreement is put in force."""
        now = now or sla_now(self.env)
        Agreement = self.env["internal.sla.agreement"]
        index = Agreement._sla_index()
        rows = []
        for ticket in self:
            match, start = ticket._sla_match_in_force(ticket.create_date or now, now)
            if not match:
                continue
            info, version, _targets = match
            ticket_rows, states, is_paused = ticket._sla_ticket_clock_rows(
                match, start, now, index
            )
            rows += ticket_rows
            ticket.sudo().write(
                dict(
                    self._sla_summary(states),
                    sla_agreement_id=info.id,
                    sla_version_id=version.id,
                )
            )
            if is_paused:
                ticket._sla_open_pause(start)
        if rows:
            self._sla_insert_lines(rows, now, rule)
        return rows

    def _sla_insert_lines(self, rows, now, rule):
        """Insert SLA lines in one statement; their timeline's start event is read off
        the line (``start_event_*``), not logged in a row of its own."""
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(
            """
            INSERT INTO internal_sla_line (
                   ticket_id, agreement_id, version_id, target_id, company_id, name, metric,
                   stage_id, target_seconds, at_risk_percent, date_start, base_date,
                   consumed_at_base, deadline, at_risk_date, paused_since, state,
                   consumed_seconds, paused_seconds, overrun_seconds, escalation1_date,
                   escalation2_date, escalation3_date, escalation_next_date,
                   escalation_level, raw_target_seconds, surge_factor, start_event_date,
                   start_event_rule, start_event_deadline)
            SELECT ticket_id, agreement_id, version_id, target_id, company_id, name, metric,
                   stage_id, target_seconds, at_risk_percent, date_start, base_date,
                   consumed_at_base, deadline, at_risk_date, paused_since, state,
                   consumed_seconds, paused_seconds, overrun_seconds, escalation1_date,
                   escalation2_date, escalation3_date, escalation_next_date,
                   0, raw_target_seconds, surge_factor, %(now)s, %(rule)s, deadline
              FROM unnest(
                   %(c0)s::int[], %(c1)s::int[], %(c2)s::int[], %(c3)s::int[], %(c4)s::int[],
                   %(c5)s::varchar[], %(c6)s::varchar[], %(c7)s::int[], %(c8)s::int[],
                   %(c9)s::float8[], %(c10)s::timestamp[], %(c11)s::timestamp[],
                   %(c12)s::int[], %(c13)s::timestamp[], %(c14)s::timestamp[],
                   %(c15)s::timestamp[], %(c16)s::varchar[], %(c17)s::int[], %(c18)s::int[],
                   %(c19)s::int[], %(c20)s::timestamp[], %(c21)s::timestamp[],
                   %(c22)s::timestamp[], %(c23)s::timestamp[], %(c24)s::int[],
                   %(c25)s::float8[]
                   ) AS row(ticket_id, agreement_id, version_id, target_id, company_id, name,
                            metric, stage_id, target_seconds, at_risk_percent, date_start,
                            base_date, consumed_at_base, deadline, at_risk_date,
                            paused_since, state, consumed_seconds, paused_seconds,
                            overrun_seconds, escalation1_date, escalation2_date,
                            escalation3_date, escalation_next_date, raw_target_seconds,
                            surge_factor)
            """,
            dict(named_column_literals(rows), now=now, rule=rule),
        )
        self.invalidate_recordset(["sla_line_ids", "sla_timeline_ids"])

    # -- pauses -----------------------------------------------------------------------------

    def _sla_pauses_by_ticket(self):
        result = defaultdict(list)
        pauses = (
            self.env["internal.sla.pause"]
            .sudo()
            .search([("ticket_id", "in", self.ids)], order="date_start, id")
        )
        for pause in pauses:
            result[pause.ticket_id.id].append((pause.date_start, pause.date_end or None))
        return {key: tuple(value) for key, value in result.items()}

    def _sla_open_pause(self, when):
        """Stop the clocks; a pause set within minutes of the requester's reply is flagged
        (H8: "waiting on the requester" right after they answered)."""
        Pause = self.env["internal.sla.pause"].sudo()
        window = timedelta(minutes=Pause._suspicious_minutes())
        # a ticket waiting on another department's request is paused already (H7)
        waiting = set(
            Pause.search(
                [
                    ("ticket_id", "in", self.ids),
                    ("date_end", "=", False),
                    ("handoff_ticket_id", "!=", False),
                ]
            ).ticket_id.ids
        )
        Pause.create(
            [
                {
                    "ticket_id": ticket.id,
                    "stage_id": ticket.stage_id.id,
                    "date_start": when,
                    "company_id": ticket.company_id.id,
                    "requester_replied_before": ticket.sla_last_requester_reply,
                    "suspicious": bool(
                        ticket.sla_last_requester_reply
                        and when - window <= ticket.sla_last_requester_reply <= when
                    ),
                }
                for ticket in self
                if ticket.id not in waiting
            ]
        )

    def _sla_close_pause(self, when):
        """Restart the clocks; a wait on another department's request (H7) goes on until
        that request is closed, unless this ticket is closed itself."""
        self.sudo().sla_pause_ids.filtered(
            lambda p: (
                not p.date_end and not (p.handoff_ticket_id and not p.ticket_id.stage_id.closed)
            )
        )._close(when)

    # -- summary ----------------------------------------------------------------------------

    def _sla_update_summary(self):
        for ticket in self:
            lines = ticket.sudo().sla_line_ids
            open_lines = lines.filtered(
                lambda line: not line.reached_date and line.state != CANCELLED
            )
            ticket.sudo().write(
                {
                    "sla_deadline": min(open_lines.mapped("deadline"), default=False),
                    "sla_state": worst_state(lines.mapped("state")),
                }
            )

    # -- ORM hooks --------------------------------------------------------------------------

    @api.depends("sla_line_ids.escalation_level")
    def _compute_sla_escalation_level(self):
        for ticket in self:
            ticket.sla_escalation_level = max(
                ticket.sudo().sla_line_ids.mapped("escalation_level"), default=0
            )

    def _search_sla_escalation_level(self, operator, value):
        # the sweep raises levels on the lines only: the ticket row stays untouched
        return [("sla_line_ids.escalation_level", operator, value)]

    @api.depends("sla_agreement_id")
    def _compute_sla_frames_apply(self):
        for ticket in self:
            ticket.sla_frames_apply = bool(ticket.sla_agreement_id.sudo().frame_ids)

    @api.model_create_multi
    def create(self, vals_list):
        self._sla_refuse_engine_fields(vals_list)
        now = sla_now(self.env)
        self._sla_request_prepare(vals_list)
        self._helpdesk_prefill(vals_list)
        plans = self._sla_plan(vals_list, now)
        self._flow_plan(vals_list, now)
        tickets = super().create(vals_list)
        tickets._sla_request_check()
        tickets._sla_start_planned(plans, now, self.env._("Ticket created"))
        tickets._stage_rules_enter(now, created=True)
        return tickets

    @api.model
    def _helpdesk_prefill(self, vals_list):
        """Give the INSERT what helpdesk_mgmt would otherwise find per request or compute
        right after it: the team's first stage (its create searches it once per request;
        here once per team and batch, same search, same user) and the stored related
        fields read off the values' many2ones. Computed after the INSERT, these cost one
        UPDATE of every new row, and one that rewrites every index entry of the row when
        the page has no room left for a new version of it. The ORM still recomputes them
        (they are read-only): a value it would change, it writes."""
        Team = self.env["helpdesk.ticket.team"]
        first_stages = {}
        for vals in vals_list:
            if vals.get("team_id") and "stage_id" not in vals:
                team = Team.browse(vals["team_id"])
                if team.id not in first_stages:
                    first_stages[team.id] = team._get_applicable_stages()[:1]
                vals["stage_id"] = first_stages[team.id].id
        for name in PREFILLED_RELATED:
            field = self._fields[name]
            source, path = field.related.split(".", 1)
            # read as the ORM computes related fields: as superuser
            records = self.sudo()[source].browse(
                {vals.get(source) for vals in vals_list} - {False, None}
            )
            for vals in vals_list:
                if name not in vals:
                    value = records.browse(vals.get(source))[path]
                    vals[name] = field.convert_to_write(value, self)

    def _sla_refuse_engine_fields(self, vals_list):
        """Refuse values of ``ENGINE_FIELDS`` given by a person rather than the engine."""
        if self.env.su:
            return
        given = ENGINE_FIELDS.intersection(key for vals in vals_list for key in vals)
        if given:
            raise UserError(
                self.env._(
                    "%(fields)s: measured by the SLA engine, not set by hand. Change what "
                    "it measures instead (the stage, priority, category or team).",
                    fields=", ".join(sorted(self._fields[name].string for name in given)),
                )
            )

    def write(self, vals):
        self._sla_refuse_engine_fields([vals])
        if "sla_repeat_of_id" in vals:
            vals = dict(vals, sla_is_repeat=bool(vals["sla_repeat_of_id"]))
        # the contact decides the requesting department, hence the agreement
        watched = set(REMATCH_FIELDS) | {"stage_id", "requester_department_id", "partner_id"}
        if not watched & set(vals):
            res = super().write(vals)
            if "company_id" in vals:
                self._sla_follow_company()
            self._sla_check_commitments_edited(vals)
            if REPEAT_KEY_FIELDS & set(vals):
                self._flow_relink_repeats()
            return res
        before = {
            ticket.id: {
                "stage": ticket.stage_id,
                "team": ticket.team_id,
                "user": ticket.user_id,
                "match": tuple(ticket[f] for f in REMATCH_FIELDS)
                + (ticket.requester_department_id,),
                "agreement": ticket.sla_agreement_id,
            }
            for ticket in self
        }
        res = super().write(vals)
        if "company_id" in vals:
            self._sla_follow_company()
        now = sla_now(self.env)
        closed = rematched = self.browse()
        for ticket in self:
            old = before[ticket.id]
            if ticket.team_id != old["team"]:
                ticket._flow_transferred(old, now)
            if ticket.stage_id != old["stage"]:
                ticket._sla_stage_changed(old["stage"], now)
                ticket._flow_stage_changed(old["stage"], now)
                ticket._stage_rules_enter(now)
                if ticket.stage_id.closed and not old["stage"].closed:
                    closed |= ticket
            match = tuple(ticket[f] for f in REMATCH_FIELDS) + (ticket.requester_department_id,)
            # a closed request's clocks are history: a later edit re-matches nothing
            if match != old["match"] and not ticket.stage_id.closed:
                ticket._sla_rematch(now, old["match"])
                rematched |= ticket
        self._sla_check_commitments_edited(vals)
        # moved under another agreement (a transfer, another requester): what it requires
        # is asked for now, as when filing (A3)
        rematched.filtered(
            lambda ticket: ticket.sla_agreement_id != before[ticket.id]["agreement"]
        )._sla_check_commitments()
        if REPEAT_KEY_FIELDS & set(vals):
            self._flow_relink_repeats()
        if rematched:
            rematched._sla_forecast_rescore(now)
        if closed:
            closed._sla_on_closed(now)
        return res

    def _sla_follow_company(self):
        """A request moved to another company takes its SLA lines, clock events and pauses
        along (their company rules and the reports' company filters read their own
        column; the hourly ownership refresh moves the running stretch)."""
        self.flush_recordset(["company_id"])
        for table in ("internal_sla_line", "internal_sla_event", "internal_sla_pause"):
            self.env.cr.execute(
                SQL(
                    """UPDATE %(table)s AS record SET company_id = ticket.company_id
                         FROM helpdesk_ticket ticket
                        WHERE record.ticket_id = ticket.id AND ticket.id = ANY(%(ids)s)
                          AND record.company_id IS DISTINCT FROM ticket.company_id""",
                    table=SQL.identifier(table),
                    ids=self.ids,
                )
            )
        models = ("internal.sla.line", "internal.sla.event", "internal.sla.pause")
        for model in models:
            self.env[model].invalidate_model(["company_id"])

    def _sla_on_closed(self, now):
        """These tickets have just reached a closed stage (after their clocks stopped):
        their requesters are asked for their satisfaction (C1); requests waiting on them
        resume (H7)."""
        self._feedback_send_csat()
        self._sla_handoff_returned(now)

    # -- clock events -----------------------------------------------------------------------

    def _sla_open_lines(self, metrics=None):
        """Lines whose target is not reached yet, overdue ones included: their clocks go on
        (overrun), pause, and stop when the target is reached. Lines stopped because the
        ticket left their agreement are not open."""
        lines = self.sudo().sla_line_ids.filtered(
            lambda line: not line.reached_date and line.state != CANCELLED
        )
        if metrics:
            lines = lines.filtered(lambda line: line.metric in metrics)
        return lines

    def _sla_stage_changed(self, old_stage, now):
        self.ensure_one()
        new_stage = self.stage_id
        rule = self.env._(
            "Stage %(old)s → %(new)s",
            old=old_stage.name or "-",
            new=new_stage.name or "-",
        )
        if not self.sla_agreement_id:
            if not new_stage.closed:
                self._sla_attach(rule, now)
            return
        stage_lines = self._sla_open_lines(["stage"]).filtered(
            lambda line: line.stage_id == old_stage
        )
        if stage_lines:
            stage_lines._refresh(now, rule, reached=True)
        if (
            self.sla_agreement_id.first_response_mode == "stage"
            and not self.sla_first_response_date
        ):
            self._sla_first_response(now, rule)
        if new_stage.closed and not old_stage.closed:
            self._sla_close_pause(now)
            self._sla_first_response(now, rule)
            self._sla_open_lines().filtered(lambda line: line.metric != "stage")._refresh(
                now, rule, reached=True
            )
            return
        if old_stage.closed and not new_stage.closed:
            self._sla_reopen(now, rule)
        if new_stage.sla_pause and not old_stage.sla_pause:
            self._sla_open_pause(now)
            self._sla_open_lines()._refresh(now, rule)
        elif old_stage.sla_pause and not new_stage.sla_pause:
            self._sla_close_pause(now)
            self._sla_open_lines()._refresh(now, rule)
        self._sla_start_stage_lines(now, rule)

    def _sla_start_stage_lines(self, now, rule):
        start = self._sla_start(now)
        match = self._sla_match(start)
        if not match:
            return
        info, version, targets = match
        stage_targets = [t for t in targets if t.metric == "stage"]
        if stage_targets:
            lines = (
                self.env["internal.sla.line"]
                .sudo()
                .create(
                    [
                        self._sla_line_vals(t, info, version, start, base=now)
                        for t in stage_targets
                    ]
                )
            )
            lines._refresh(now, rule, event_type="start")

    def _sla_first_response(self, now, rule):
        for ticket in self.filtered(lambda t: not t.sla_first_response_date):
            ticket.sudo().sla_first_response_date = now
            lines = ticket._sla_open_lines(["first_response"])
            if lines:
                lines._refresh(now, rule, reached=True)

    def _sla_reopen(self, now, rule):
        """A reopened ticket's resolution clock goes on from the time it had consumed."""
        lines = self.sudo().sla_line_ids.filtered(
            lambda line: line.metric == "resolution" and line.reached_date
        )
        for line in lines:
            line.write(
                {
                    "base_date": now,
                    "consumed_at_base": line.consumed_seconds,
                    "reached_date": False,
                }
            )
        if lines:
            lines._refresh(now, rule, event_type="reopen")

    def _sla_rematch(self, now, old_match):
        """Priority, category, team or requester changed: new targets, same elapsed time."""
        self.ensure_one()
        labels = []
        for name, old_value in zip(REMATCH_FIELDS, old_match, strict=False):
            if self[name] != old_value:
                labels.append(self._fields[name].get_description(self.env)["string"])
        rule = self.env._("Re-matched after a change of %s", ", ".join(labels) or "requester")
        start = self._sla_start(now)
        self._sla_rematch_to(now, rule, start, self._sla_match(start))

    def _sla_rematch_to(self, now, rule, start, match):
        """Replace the open clocks by those of ``match`` ((info, version, targets)), each
        metric keeping the working time it has used; logged and noted with ``rule``. With
        no match, the ticket leaves its agreement (``_sla_detach``)."""
        self.ensure_one()
        if not match:
            self._sla_detach(now, rule)
            return
        info, version, targets = match
        # time-in-stage clocks of another agreement stop: the new one starts its own
        self._sla_open_lines(["stage"]).filtered(
            lambda line: line.agreement_id.id != info.id
        )._cancel(now, rule)
        old_lines = self._sla_open_lines(["first_response", "resolution"])
        pauses = self._sla_pauses_by_ticket()
        evaluated = {line: line._evaluate(now, pauses) for line in old_lines}
        # a clock already past its deadline stays, breached: a new priority, category or
        # team does not erase a breach, nor stop the clock that measures it (the request's
        # resolution time runs on to its close); its metric starts no new clock
        overdue = old_lines.filtered(lambda line: evaluated[line]["state"] == "breached")
        if overdue:
            overdue._refresh(now, rule, event_type="rematch")
            old_lines -= overdue
        consumed = {line.metric: evaluated[line]["consumed_seconds"] for line in old_lines}
        # a reopened request's first close stays its resolution time (KPI catalogue)
        first_reached = {
            line.metric: {
                "first_reached_date": line.first_reached_date,
                "first_reached_seconds": line.first_reached_seconds,
            }
            for line in old_lines
            if line.first_reached_date
        }
        reached_metrics = set(
            self.sudo().sla_line_ids.filtered(lambda line: line.reached_date).mapped("metric")
        ) | set(overdue.mapped("metric"))
        # the replaced lines go; their events stay in the timeline without a line
        events = old_lines._derived_events() + [
            dict(line._event_vals("rematch", now, rule), line_id=False) for line in old_lines
        ]
        # escalations already sent carry over: nobody is escalated to twice for one target
        escalated = {
            line.metric: (line.escalation_level, line._escalation_activities())
            for line in old_lines
            if line.escalation_level
        }
        old_lines.unlink()
        self.sudo().write({"sla_agreement_id": info.id, "sla_version_id": version.id})
        new_vals = []
        for target in targets:
            if target.metric not in ("first_response", "resolution"):
                continue
            if target.metric in reached_metrics:
                continue
            if target.metric in consumed:
                elapsed = consumed[target.metric]
            else:
                # the ticket's working time since its start, its recorded waits excluded
                working_time = self.env["internal.sla.agreement"]._working_time_of(info)
                elapsed = elapsed_excluding(working_time, start, now, pauses.get(self.id, ()))
            vals = self._sla_line_vals(target, info, version, start, base=now, consumed=elapsed)
            level = escalated.get(target.metric, (0,))[0]
            vals.update(escalation_level=level, escalation_inherited_level=level)
            vals.update(first_reached.get(target.metric, {}))
            new_vals.append(vals)
        self.env["internal.sla.event"].sudo().create(events)
        lines = self.env["internal.sla.line"].sudo().create(new_vals)
        for metric, (_level, activities) in escalated.items():
            successor = lines.filtered(lambda line, metric=metric: line.metric == metric)
            if successor:
                activities.write({"internal_sla_line_id": successor.id})
            else:
                activities.action_feedback(feedback=rule)
        if lines:
            lines._refresh(now, rule, event_type="rematch")
        else:
            self._sla_update_summary()
        # the note lists the new clocks and those running on breached
        self._sla_post_rematch_note(rule, lines | overdue)

    def _sla_detach(self, now, rule):
        """These tickets fall under no agreement any more (B13): their open clocks stop
        (cancelled, the time used kept, logged with ``rule``), their escalations close and
        a note says so; nothing of them is swept, escalated or counted in a KPI after."""
        self._sla_open_lines()._cancel(now, rule)
        # no clock to hold any more; a ticket covered again pauses anew in a pause stage
        self._sla_close_pause(now)
        self.sudo().write({"sla_agreement_id": False, "sla_version_id": False})
        self._sla_update_summary()
        self._sla_post_rematch_note(rule, self.env["internal.sla.line"])

    def _sla_agreement_changed(self, rules, now=None):
        """Agreements changed what they cover (put in force, cancelled, expired, teams,
        validity, customer or provider): these open tickets, whose agreement is no longer
        the one that applies, are re-matched as on a change of the ticket (B1, B13): the
        time used is kept, new deadlines, a note and timeline events with the rule; tickets
        under no agreement any more stop their clocks, tickets newly covered get clocks.

        :param rules: ``{agreement id: rule}`` of the changed agreements; a ticket's rule
            is its old agreement's, else its new one's
        :return: the tickets whose agreement changed
        """
        now = now or sla_now(self.env)
        default_rule = next(iter(rules.values()))
        changed = self.browse()
        attach, detach = defaultdict(list), defaultdict(list)
        for ticket in self.sudo():
            match, start = ticket._sla_match_in_force(ticket._sla_start(now), now)
            old_id = ticket.sla_agreement_id.id
            new_id = match[0].id if match else False
            if new_id == old_id:
                continue
            changed |= ticket
            rule = rules.get(old_id) or rules.get(new_id) or default_rule
            if not match:
                detach[rule].append(ticket.id)
            elif not old_id and not ticket.sla_line_ids:
                attach[rule].append(ticket.id)
            else:
                if not old_id and ticket.stage_id.sla_pause:
                    ticket._sla_open_pause(now)  # covered again while waiting
                ticket._sla_rematch_to(now, rule, start, match)
        for rule, ids in detach.items():
            self.browse(ids).sudo()._sla_detach(now, rule)
        for rule, ids in attach.items():
            tickets = self.browse(ids).sudo()
            tickets._sla_attach(rule, now)
            tickets._sla_post_rematch_note(rule, tickets.sla_line_ids)
        if changed:
            changed._sla_forecast_rescore(now)
        return changed

    def _sla_post_rematch_note(self, rule, lines):
        """A note on each of these tickets: ``rule`` and the deadlines of its ``lines`` (of
        all the tickets), logged in one batch. A ticket with none has left its agreement,
        or kept it with every target already reached."""
        by_ticket = defaultdict(list)
        for line in lines:
            by_ticket[line.ticket_id.id].append(line)
        no_agreement = self.env._("no agreement applies any more.")
        no_clock = self.env._(
            "every target is already reached or past its deadline: no clock starts again."
        )
        bodies = {}
        for ticket in self:
            own = by_ticket.get(ticket.id)
            if own:
                items = Markup().join(
                    Markup("<li>%s: %s</li>")
                    % (
                        line.name,
                        format_datetime(self.env, line.deadline, tz=line.agreement_id.tz),
                    )
                    for line in own
                )
                bodies[ticket.id] = Markup("<p>%s</p><ul>%s</ul>") % (rule, items)
            else:
                bodies[ticket.id] = Markup("<p>%s: %s</p>") % (
                    rule,
                    no_clock if ticket.sla_agreement_id else no_agreement,
                )
        self._message_log_batch(bodies, message_type="comment")

    def _sla_requester_partner(self):
        """Who asks: the request's contact, else the user who filed it without one (whose
        department is the requesting one), never the system itself."""
        self.ensure_one()
        if self.partner_id:
            return self.partner_id
        creator = self.sudo().create_uid
        if creator.id == SUPERUSER_ID:
            return self.env["res.partner"]
        return creator.partner_id

    def _sla_is_provider(self, partner):
        """Whether ``partner`` answers for the provider (B5): an internal user who is the
        assignee, the team's leader or member, or an employee of the team's provider
        department or of a department under it. A requester's colleague or manager
        commenting on the request is not its first response. A ticket without a team has
        no provider side to tell apart: any internal user counts."""
        users = partner.user_ids.filtered(lambda user: not user.share)
        if not users:
            return False
        team = self.sudo().team_id
        if not team:
            return True
        if self.user_id in users or team.user_id in users or users & team.user_ids:
            return True
        if not team.department_id:
            return False
        return bool(
            self.env["hr.employee"]
            .sudo()
            .search_count(
                [
                    ("user_id", "in", users.ids),
                    ("department_id", "child_of", team.department_id.id),
                ],
                limit=1,
            )
        )

    def _message_post_after_hook(self, message, msg_vals):
        """The provider's first reply visible to the requester is the first response (B5);
        provider replies are counted for first contact resolution (B10)."""
        res = super()._message_post_after_hook(message, msg_vals)
        # a reply written in the chatter or the portal, or sent by e-mail (the mail gateway
        # posts those as "email")
        is_reply = message.message_type in ("comment", "email")
        requester = self._sla_requester_partner()
        provider_reply = (
            is_reply
            and message.subtype_id
            and not message.subtype_id.internal
            and message.author_id
            and message.author_id != requester
            and self._sla_is_provider(message.author_id)
        )
        if self.env.context.get("internal_sla_automated"):
            return res  # the product's own messages are nobody's reply
        if provider_reply:
            self.sudo().sla_provider_reply_count += 1
        elif is_reply and message.author_id == requester:
            self.sudo().sla_last_requester_reply = message.date or sla_now(self.env)
            self._stage_rules_requester_replied()
        # sudo: the replying agent's record rules on the agreement cost five queries per
        # reply and decide nothing here
        if (
            provider_reply
            and self.sla_agreement_id
            and not self.sla_first_response_date
            and self.sla_agreement_id.sudo().first_response_mode == "message"
        ):
            self._sla_first_response(
                message.date or sla_now(self.env),
                self.env._("First reply to the requester"),
            )
        return res

    # -- flow between teams (B8-B10, H12) ------------------------------------------------------

    @api.model
    def _flow_plan(self, vals_list, now):
        """Start the team's ownership clock and link repeat requests (B9): one query for
        the whole batch, and only when requests carry a requester and a category."""
        for vals in vals_list:
            vals.setdefault("sla_team_since", now)
        if any(vals.get("partner_id") and vals.get("category_id") for vals in vals_list):
            self._flow_link_repeats(vals_list, [now] * len(vals_list))
        for vals in vals_list:
            vals["sla_is_repeat"] = bool(vals.get("sla_repeat_of_id"))

    def _flow_relink_repeats(self):
        """A requester or category given after filing (at triage) may make a request a
        repeat (B9): looked up as of its filing; a link already made is kept."""
        tickets = self.filtered(
            lambda t: not t.sla_repeat_of_id and t.partner_id and t.category_id
        )
        if not tickets:
            return
        vals_list = [
            {"partner_id": ticket.partner_id.id, "category_id": ticket.category_id.id}
            for ticket in tickets
        ]
        now = sla_now(self.env)
        self._flow_link_repeats(vals_list, [t.create_date or now for t in tickets])
        for ticket, vals in zip(tickets, vals_list, strict=True):
            if vals.get("sla_repeat_of_id"):
                ticket.sudo().write({"sla_repeat_of_id": vals["sla_repeat_of_id"]})

    @api.model
    def _flow_link_repeats(self, vals_list, instants):
        """Set ``sla_repeat_of_id`` in the values of requests filed at ``instants`` (one
        per values) that repeat a request of the same requester and category closed in
        the N days before (B9): one query for the whole batch. A request the customer side
        decided within its frame (A4) is not the provider's answer: nothing repeats it."""
        days = int(
            self.env["ir.config_parameter"].sudo().get_param("internal_sla.repeat_days") or 7
        )
        keys = {
            (vals["partner_id"], vals["category_id"], at)
            for vals, at in zip(vals_list, instants, strict=True)
            if vals.get("partner_id") and vals.get("category_id")
        }
        self.flush_model(
            ["partner_id", "category_id", "closed_date", "sla_decided_within_frame"]
        )
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (key.partner, key.category, key.at)
                   key.partner, key.category, key.at, ticket.id
              FROM helpdesk_ticket ticket
              JOIN unnest(%(partners)s::int[], %(categories)s::int[], %(instants)s::timestamp[])
                   AS key(partner, category, at)
                ON ticket.partner_id = key.partner AND ticket.category_id = key.category
             WHERE ticket.closed_date > key.at - %(window)s AND ticket.closed_date <= key.at
               AND NOT COALESCE(ticket.sla_decided_within_frame, FALSE)
          ORDER BY key.partner, key.category, key.at, ticket.closed_date DESC
            """,
            {
                "partners": array_literal([key[0] for key in keys]),
                "categories": array_literal([key[1] for key in keys]),
                "instants": array_literal([key[2] for key in keys]),
                "window": timedelta(days=days),
            },
        )
        previous = {row[:3]: row[3] for row in self.env.cr.fetchall()}
        for vals, at in zip(vals_list, instants, strict=True):
            key = (vals.get("partner_id"), vals.get("category_id"), at)
            if key in previous and "sla_repeat_of_id" not in vals:
                vals["sla_repeat_of_id"] = previous[key]

    @api.depends("sla_team_since", "team_id", "stage_id")
    def _compute_sla_team_hours(self):
        now = sla_now(self.env)
        for ticket in self:
            since = ticket.sla_team_since or ticket.create_date
            ticket.sla_team_hours = (
                ticket._sla_working_time().working_seconds(since, now) / 3600.0
                if ticket.team_id and not ticket.stage_id.closed and since and since < now
                else 0.0
            )

    def _sla_working_time(self):
        """The ticket's working time: its agreement's, else its company's calendar."""
        self.ensure_one()
        if self.sla_agreement_id:
            return self.sla_agreement_id._working_time()
        calendar = self.company_id.resource_calendar_id or self.env.company.resource_calendar_id
        return calendar._internal_sla_working_time(calendar.tz or "UTC")

    def _flow_transferred(self, old, now):
        """Another team takes the request over (B8): one more transfer, the time the
        previous team held it (while open) is recorded and the new team's stretch starts
        (H12). A request's first team (a request filed without one, then dispatched) is
        no transfer: nobody handed it over."""
        self.ensure_one()
        ended = (
            (old["team"], old["user"], "transfer")
            if old["team"] and not old["stage"].closed
            else None
        )
        holding = bool(self.team_id) and not self.stage_id.closed and self.active
        if ended or holding:
            self.env["internal.sla.ownership"]._record(self, now, ended, holding)
        vals = {"sla_team_since": now}
        if old["team"]:
            vals["sla_transfer_count"] = self.sla_transfer_count + 1
        self.sudo().write(vals)

    def _flow_stage_changed(self, old_stage, now):
        self.ensure_one()
        if self.stage_id.closed and not old_stage.closed:
            if self.team_id:
                self.env["internal.sla.ownership"]._record(
                    self, now, (self.team_id, self.user_id, "closed")
                )
            self.sudo().sla_first_contact_resolution = (
                not self.sla_transfer_count
                and not self.sla_reopen_count
                and self.sla_provider_reply_count <= 1
            )
        elif old_stage.closed and not self.stage_id.closed:
            self.sudo().write(
                {
                    "sla_reopen_count": self.sla_reopen_count + 1,
                    "sla_first_contact_resolution": False,
                    "sla_team_since": now,
                }
            )
            if self.team_id and self.active:
                self.env["internal.sla.ownership"]._record(self, now, holding=True)

    # -- empowerment frames (A4) -----------------------------------------------------------

    def _sla_frame(self):
        """The active frame of the ticket's agreement that covers it, if any."""
        self.ensure_one()
        frames = self.sla_agreement_id.sudo().frame_ids
        return next((frame for frame in frames if frame._covers(self)), frames.browse())

    def action_decide_within_frame(self):
        """The customer side decides the request itself, inside an agreed frame: it is
        closed as decided, without waiting for the provider, in the first closed stage
        its team works with."""
        for ticket in self:
            closed_stage = ticket.team_id.sudo()._get_applicable_stages().filtered("closed")[:1]
            if not closed_stage:
                raise UserError(
                    self.env._(
                        "%(ticket)s cannot be closed: its team %(team)s has no closed "
                        "stage. Add one in Helpdesk > Configuration > Stages.",
                        ticket=ticket.display_name,
                        team=ticket.team_id.display_name or "-",
                    )
                )
            frame = ticket._sla_frame()
            if not frame:
                raise UserError(
                    self.env._(
                        "%(ticket)s is outside every frame of its agreement: check its "
                        "Category, Amount and the frames' ticket conditions against the "
                        "agreement's empowerment frames.",
                        ticket=ticket.display_name,
                    )
                )
            customer = frame.agreement_id.customer_department_id
            user = self.env.user
            if not (
                user == frame.agreement_id.customer_owner_id
                or user in customer.member_ids.user_id
                or user.has_group("internal_sla.internal_sla_group_admin")
            ):
                raise UserError(
                    self.env._(
                        "Only the customer side (%(department)s) decides requests within "
                        "its frames.",
                        department=customer.display_name or frame.agreement_id.display_name,
                    )
                )
            # the provider served nothing: its clocks still running stop without counting
            # for or against it (one already overdue stops breached, H8)
            ticket._sla_open_lines()._cancel(
                sla_now(self.env),
                self.env._("Decided within the frame “%s”", frame.name),
            )
            ticket.sudo().write(
                {
                    "sla_frame_id": frame.id,
                    "sla_decided_within_frame": True,
                    "stage_id": closed_stage.id,
                    # the provider served nothing: no sign its answer did not hold (B9)
                    "sla_repeat_of_id": False,
                }
            )
            ticket.message_post(
                body=self.env._(
                    "Decided within the frame “%(frame)s” by %(user)s.",
                    frame=frame.name,
                    user=user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    # -- automated stages (B6) ---------------------------------------------------------------

    def _stage_rules_enter(self, now, created=False):
        """The tickets entered their stage at ``now``: plan their first time rule.

        At creation nothing is written unless a rule watches the initial stage, so the
        create path costs no query when no rule belongs to the requests' agreements or
        teams."""
        Rule = self.env["internal.sla.stage.rule"]
        tickets = self
        if created:
            # only new requests some rule may watch: of an agreement with rules, or of a
            # team with rules of its own (the others are left as they were inserted)
            index = Rule._rule_index()
            agreements = {agreement for agreement, _team, _stage in index if agreement}
            teams = {team for agreement, team, _stage in index if team and not agreement}
            tickets = self.filtered(
                lambda t: t.sla_agreement_id.id in agreements or t.team_id.id in teams
            )
            if not tickets:
                return
        rows = [t._stage_plan_row(None, now) for t in tickets]
        # tickets entering the same stage together share their plan: one write per plan
        by_plan = defaultdict(list)
        for ticket_id, rule_id, due in Rule.sudo()._plan_next(rows, now):
            if rule_id or not created:
                by_plan[rule_id or False, due or False].append(ticket_id)
        for (rule_id, due), ticket_ids in by_plan.items():
            self.browse(ticket_ids).sudo().write(
                {
                    "sla_stage_since": now,
                    "sla_stage_rule_id": rule_id,
                    "sla_stage_rule_date": due,
                }
            )

    def _stage_plan_row(self, passed_rule_id, since=None):
        """The row ``internal.sla.stage.rule._plan_next`` plans from: the ticket, the time
        rule of its stage it passed last (None: none yet), since when it is in the stage
        (default: its own record of it, kept only while a rule watches the stage, else
        helpdesk's last stage change) and what selects its rules and calendar."""
        self.ensure_one()
        return (
            self.id,
            passed_rule_id,
            since or self.sla_stage_since or self.last_stage_update,
            self.stage_id.id,
            self.sla_agreement_id.id,
            self.team_id.id,
            self.company_id.id,
        )

    def _stage_rules_requester_replied(self):
        """The requester wrote while the request waits for them: a rule may move it."""
        self.ensure_one()
        # the requester may be a portal user, who does not see the agreement
        rules = self.env["internal.sla.stage.rule"]._rules_for(
            self.sudo().sla_agreement_id.id,
            self.team_id.id,
            self.stage_id.id,
            "requester_reply",
        )
        if rules:
            # the rule acts as the sweep does: its message is the product's (OdooBot's),
            # no reply of the requester, at the instant of the reply
            automated = self.with_user(SUPERUSER_ID).with_context(internal_sla_automated=True)
            automated.env["internal.sla.stage.rule"].browse(rules[0][0])._apply(automated)
            return
        # still waiting: a pending "no reply" auto-close counts again from this reply
        ticket = self.sudo()
        pending = ticket.sla_stage_rule_id
        if pending.action != "close" or not ticket.sla_stage_since:
            return
        Rule = self.env["internal.sla.stage.rule"].sudo()
        time_rules = Rule._rules_for(
            ticket.sla_agreement_id.id, ticket.team_id.id, ticket.stage_id.id, "time_in_stage"
        )
        ids = [rule[0] for rule in time_rules]
        if pending.id not in ids:
            return
        position = ids.index(pending.id)
        row = ticket._stage_plan_row(ids[position - 1] if position else None)
        reply = ticket.sla_last_requester_reply
        [(_id, rule_id, due)] = Rule._plan_next([row], reply, replies={ticket.id: reply})
        ticket.write({"sla_stage_rule_id": rule_id, "sla_stage_rule_date": due})

    @api.model
    def _stage_rules_due(self, now, rule, batch_size, ticket_ids=None):
        """Apply the stage rules due at ``now`` (sweep step); each fires once per stay in
        its stage: the ticket then waits for the next rule of that stage, if any.
        ``ticket_ids``: only these tickets (the replay of past requests).

        Set-based: the due tickets are locked and re-planned in two statements; escalate
        and notify rules insert their activities and notes in one statement each. Only
        rules that move a ticket (stage, priority) go through the ORM, one ticket at a time,
        as the move restarts its SLA clocks."""
        self.env.flush_all()
        cr = self.env.cr
        only_tickets = SQL("AND id = ANY(%s)", list(ticket_ids)) if ticket_ids else SQL()
        cr.execute(
            SQL(
                """
                SELECT id, sla_stage_rule_id, sla_stage_since, stage_id, sla_agreement_id,
                       team_id, company_id, sla_last_requester_reply
                  FROM helpdesk_ticket
                 WHERE sla_stage_rule_date <= %s %s
                 LIMIT %s
                   FOR NO KEY UPDATE SKIP LOCKED
                """,
                now,
                only_tickets,
                batch_size,
            )
        )
        fetched = cr.fetchall()
        if not fetched:
            return 0
        rows = [row[:7] for row in fetched]
        replies = {row[0]: row[7] for row in fetched if row[7]}
        Rule = self.env["internal.sla.stage.rule"].sudo()
        cr.execute(
            """
            UPDATE helpdesk_ticket ticket
               SET sla_stage_rule_id = plan.rule_id, sla_stage_rule_date = plan.due
              FROM unnest(%s::int[], %s::int[], %s::timestamp[]) AS plan(id, rule_id, due)
             WHERE ticket.id = plan.id
            """,
            column_literals(Rule._plan_next(rows, now, replies)),
        )
        self.invalidate_model(["sla_stage_rule_id", "sla_stage_rule_date"])
        Rule._fire(rows, now)
        return len(rows)

    def action_sla_recompute(self):
        self._sla_open_lines()._recompute(self.env._("Manual recompute"))
        return True

    # -- replay of past activity ------------------------------------------------------------

    @api.model
    @in_automation_lang
    def _sla_replay(self, calendar, scenarios, now=None, sweep=False):
        """Create tickets as if they had been filed and worked in the past (demo data,
        imports of historic requests): every clock sees each step at its own instant.

        :param calendar: ``resource.calendar`` (or its id) in whose working hours the
            offsets count, so that a scenario on working-hour targets ends in the same SLA
            state whatever the hour it is replayed at
        :param scenarios: dicts with ``vals`` (ticket values), ``ago`` (working hours before
            ``now`` at which the ticket was filed) and ``steps``, a list of
            ``(working hours ago, action, argument)`` with action ``stage`` (a stage id),
            ``write`` (values), ``reply`` (``{"author": user id, "body": text}``; the
            requester's own user answers as the requester), ``decide`` (the user id who
            decides the request within its agreement's empowerment frame, A4) or
            ``handoff`` (``{"author": user id, "team": team id, "name": subject,
            "description": html, "steps": the linked request's steps}``: the request
            waits on another department's linked request, H7)
        :param sweep: also do what the sweep did to each request between its steps: raise
            the escalation levels its targets crossed (B7) and fire its timed stage rules
            (B6), each at the instant it came due (without the sweep's digest to each
            person, which would carry today's date)

        Whatever a step or the sweep posts (a decision within a frame, an escalation
        closed, a linked request handed back, a request closed for silence) is dated at
        its instant.
        """
        now = now or sla_now(self.env)
        if isinstance(calendar, int):
            calendar = self.env["resource.calendar"].browse(calendar)
        working_time = calendar._internal_sla_working_time()
        # the tracking pending before the replay is posted now, with the real time: only
        # the replay's own messages are dated in the past
        self.env.flush_all()
        self.env.cr.precommit.run()
        tickets = self.browse()
        for scenario in scenarios:
            filed = working_time.subtract(now, round(scenario["ago"] * 3600))
            last_message_before = self._sla_replay_last_message()
            ticket = self.with_context(internal_sla_now=filed).create(dict(scenario["vals"]))
            ticket._sla_replay_filed(filed)
            ticket._sla_replay_date_posts(last_message_before, filed, now)
            ticket.with_context(internal_sla_replay_sweep=sweep)._sla_replay_steps(
                working_time, now, scenario.get("steps", ())
            )
            tickets |= ticket
        return tickets

    def _sla_replay_filed(self, filed):
        """The ticket was filed at ``filed`` (the ORM stamps the real time)."""
        self.ensure_one()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", [filed, self.id]
        )
        self.invalidate_recordset(["create_date"])

    def _sla_replay_steps(self, working_time, now, steps):
        """Play the ``steps`` of :meth:`_sla_replay` on this ticket, each at its instant."""
        self.ensure_one()
        ticket = self
        for hours_ago, action, argument in steps:
            when = working_time.subtract(now, round(hours_ago * 3600))
            ticket._sla_replay_sweep(when, now, before=True)
            at_that_time = ticket.with_context(internal_sla_now=when)
            last_message_before = self._sla_replay_last_message()
            if action == "stage":
                at_that_time.write({"stage_id": argument})
            elif action == "write":
                at_that_time.write(argument)
            elif action == "reply":
                at_that_time.with_user(argument["author"]).sudo().message_post(
                    body=argument["body"],
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    date=when,
                )
            elif action == "decide":
                at_that_time.with_user(argument).action_decide_within_frame()
            elif action == "handoff":
                child = at_that_time.with_user(argument["author"])._sla_hand_off(
                    self.env["helpdesk.ticket.team"].browse(argument["team"]),
                    None,
                    argument["name"],
                    argument.get("description"),
                    now=when,
                )
                child = child.with_env(self.env)
                child._sla_replay_filed(when)
                child._sla_replay_date_posts(last_message_before, when, now)
                child._sla_replay_steps(working_time, now, argument.get("steps", ()))
            else:
                raise ValueError(f"unknown replay action {action!r}")
            ticket._sla_replay_date_posts(last_message_before, when, now)
        ticket._sla_replay_sweep(now, now)

    def _sla_replay_sweep(self, until, now, before=False):
        """What the sweep did to this ticket by ``until`` (``before``: strictly before
        it): escalation levels raised and timed stage rules fired, each at the instant
        it came due (only when the replay was asked to sweep).

        A step is replayed before what comes due at its very instant: the sweep, which
        runs every few minutes, only finds a level or a rule once it is past, so a
        request solved or paused that second was so before them (as the simulator
        counts, H2)."""
        self.ensure_one()
        if not self.env.context.get("internal_sla_replay_sweep"):
            return
        Line = self.env["internal.sla.line"]
        rule = self.env._("SLA sweep")
        cr = self.env.cr
        while True:
            self.env.flush_all()
            cr.execute(
                """
                SELECT LEAST(
                       (SELECT MIN(escalation_next_date)
                          FROM internal_sla_line
                         WHERE ticket_id = %(id)s
                           AND reached_date IS NULL AND paused_since IS NULL),
                       (SELECT sla_stage_rule_date FROM helpdesk_ticket WHERE id = %(id)s))
                """,
                {"id": self.id},
            )
            instant = cr.fetchone()[0]
            if not instant or (instant >= until if before else instant > until):
                return
            last_message_before = self._sla_replay_last_message()
            at_that_time = self.with_context(internal_sla_now=instant)
            done = Line.with_context(internal_sla_now=instant)._escalate_batch(
                instant, rule, SWEEP_BATCH, ticket_ids=self.ids
            )
            done += at_that_time._stage_rules_due(
                instant, rule, SWEEP_BATCH, ticket_ids=self.ids
            )
            self._sla_replay_date_posts(last_message_before, instant, now)
            # (nothing done: only lines the sweep leaves alone, a cancelled agreement's)
            if not done:
                return

    def _sla_replay_last_message(self):
        self.env.flush_all()
        self.env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM mail_message")
        return self.env.cr.fetchone()[0]

    def _sla_replay_date_posts(self, last_message_before, when, now):
        """Date at ``when`` what a replayed step or sweep did, wherever the ORM stamped
        the real time (not before the replay's ``now``): the messages it posted (those
        above ``last_message_before``; a linked request's replay dates its own), the
        escalation activities it closed, the values it tracked, helpdesk_mgmt's stage,
        closing and assignment dates."""
        self.ensure_one()
        cr = self.env.cr
        # the chatter's tracking (and the stage's e-mail template) is posted before the
        # commit: post it now, to date it with the rest
        cr.precommit.run()
        self.env.flush_all()
        cr.execute(
            "UPDATE mail_message SET date = %s WHERE id > %s AND date >= %s",
            [when, last_message_before, now],
        )
        # the status bar's time per stage counts from the tracked values' own dates
        cr.execute(
            """
            UPDATE mail_tracking_value SET create_date = %s
             WHERE mail_message_id > %s AND create_date >= %s
            """,
            [when, last_message_before, now],
        )
        cr.execute(
            """
            UPDATE mail_activity SET date_done = %(day)s
             WHERE res_model = 'helpdesk.ticket' AND res_id = %(ticket)s
               AND NOT active AND date_done > %(day)s
            """,
            {"day": when.date(), "ticket": self.id},
        )
        self.env["mail.message"].invalidate_model(["date"])
        self.env["mail.tracking.value"].invalidate_model(["create_date"])
        self.env["mail.activity"].invalidate_model(["date_done"])
        stamps = {
            name: when
            for name in ("last_stage_update", "closed_date", "assigned_date")
            if self[name] and self[name] >= now
        }
        if stamps:
            self._sla_replay_stamp(stamps)

    def _sla_replay_stamp(self, stamps):
        """Write helpdesk_mgmt's own timestamps as of a replayed instant."""
        self.flush_recordset(list(stamps))
        assignments = SQL(", ").join(
            SQL("%s = %s", SQL.identifier(name), value) for name, value in stamps.items()
        )
        self.env.cr.execute(
            SQL("UPDATE helpdesk_ticket SET %s WHERE id = %s", assignments, self.id)
        )
        self.invalidate_recordset(list(stamps))

    # An override of the close hook above, kept apart so that the feedback loop stays one block.
    # -- CSAT on close (C1) ------------------------------------------------------------------

    feedback_invitation_ids = fields.One2many(
        "internal.sla.feedback.invitation",
        "ticket_id",
        string="Feedback",
        groups="base.group_user",
    )
    csat_score = fields.Integer(
        string="CSAT",
        compute="_compute_csat",
        help="The requester's latest satisfaction answer (1–5).",
    )
    csat_state = fields.Selection(
        [
            ("none", "Not asked"),
            ("skipped", "Sampled out"),
            ("sent", "Waiting for the answer"),
            ("answered", "Answered"),
            ("hidden", "Answered (the answer is not shown to you)"),
            ("expired", "Not answered"),
        ],
        string="CSAT survey",
        compute="_compute_csat",
    )
    csat_comment = fields.Text(string="CSAT comment", compute="_compute_csat")
    csat_display = fields.Char(string="Satisfaction", compute="_compute_csat")

    @api.depends_context("uid")
    def _compute_csat(self):
        invitations = (
            self.env["internal.sla.feedback.invitation"]
            .sudo()
            .search(
                [("ticket_id", "in", self.ids), ("kind", "=", "csat")],
                order="date_sent desc, id desc",
            )
        )
        latest = {}
        for invitation in invitations:
            latest.setdefault(invitation.ticket_id.id, invitation)
        # the answer is the requester's: shown to those who may read it (the requester,
        # the departments' managers, administrators) and to the people who served the
        # request, not to everyone who can open the ticket
        Invitation = self.env["internal.sla.feedback.invitation"]
        readable = (
            set(Invitation.search([("id", "in", invitations.ids)]).ids)
            if invitations and Invitation.has_access("read")
            else set()
        )
        user = self.env.user
        for ticket in self:
            invitation = latest.get(ticket.id)
            shown = invitation and (
                invitation.id in readable
                or user == ticket.user_id
                or user in ticket.team_id.user_ids
            )
            # an answer the reader may not see reads as such, not as a score of 0
            ticket.csat_state = (
                "none"
                if not invitation
                else "hidden"
                if invitation.state == "answered" and not shown
                else invitation.state
            )
            ticket.csat_score = invitation.score if shown else 0
            ticket.csat_comment = invitation.comment if shown else False
            ticket.csat_display = (
                "★" * ticket.csat_score
                + "☆" * (5 - ticket.csat_score)
                + f" {ticket.csat_score} / 5"
                if ticket.csat_state == "answered"
                else False
            )

    def _feedback_send_csat(self):
        """One CSAT invitation per closed ticket whose requester is an internal user; a
        request its requester's side decided within a frame (A4) had no service to rate."""
        Invitation = self.env["internal.sla.feedback.invitation"]
        already = set(
            Invitation.sudo()
            .search([("ticket_id", "in", self.ids), ("kind", "=", "csat")])
            .ticket_id.ids
        )
        recipients = []
        for ticket in self.sudo():
            requester = ticket._sla_requester_partner().user_ids.filtered(
                lambda u: not u.share
            )[:1]
            if not requester or ticket.id in already or ticket.sla_decided_within_frame:
                continue
            recipients.append(
                (
                    requester,
                    {
                        "ticket_id": ticket.id,
                        "team_id": ticket.team_id.id,
                        "agent_id": ticket.user_id.id,
                        "agreement_id": ticket.sla_agreement_id.id,
                        "provider_department_id": ticket.provider_department_id.id,
                        "customer_department_id": ticket.requester_department_id.id,
                        "company_id": ticket.company_id.id,
                    },
                )
            )
        return Invitation._invite_many("csat", recipients)

    # -- load-adaptive targets (B11) and breach forecast (B12) --------------------------------

    sla_surge_id = fields.Many2one(
        "internal.sla.surge",
        string="Filed during surge",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The provider team was in a surge when the request was filed: its targets "
        "are relaxed by the surge's factor.",
        groups="base.group_user",
    )
    sla_surge_notice = fields.Text(compute="_compute_sla_surge_notice")
    sla_breach_risk = fields.Integer(
        string="Breach risk",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="0–100: how likely the request is to miss its nearest target, from what "
        "happened to requests of the same team, priority and category and from the team's "
        "current backlog (refreshed every 30 minutes).",
        groups="base.group_user",
    )
    sla_likely_breach = fields.Boolean(
        string="Likely to breach",
        compute="_compute_sla_likely_breach",
        search="_search_sla_likely_breach",
        groups="base.group_user",
    )

    @api.depends("sla_surge_id", "team_id", "priority", "category_id")
    @api.depends_context("internal_sla_now")
    def _compute_sla_surge_notice(self):
        """What the requester is told about a surge: the one the request was filed in, or,
        on a request being written, the one in force now."""
        Surge = self.env["internal.sla.surge"].sudo()
        now = sla_now(self.env)
        for ticket in self:
            surge = ticket.sudo().sla_surge_id
            if surge:
                ticket.sla_surge_notice = self.env._(
                    "Filed while %(team)s had an unusually high backlog (%(backlog)s open "
                    "requests): the targets of this request are %(factor)s× longer.",
                    team=surge.team_id.name,
                    backlog=surge.backlog_start,
                    factor=f"{surge.factor:g}",
                )
                continue
            match = not ticket.id and ticket.team_id and ticket._sla_match(now)
            surge_id, factor = (
                Surge._surge_of(match[0].id, ticket.team_id.id) if match else (0, 1)
            )
            ticket.sla_surge_notice = (
                self.env._(
                    "%(team)s has an unusually high backlog: requests filed now get targets "
                    "%(factor)s× longer.",
                    team=ticket.team_id.name,
                    factor=f"{factor:g}",
                )
                if surge_id
                else False
            )

    @api.model
    def _sla_forecast_threshold(self):
        value = (
            self.env["ir.config_parameter"].sudo().get_param("internal_sla.forecast_threshold")
        )
        return int(value or 60)

    @api.depends("sla_breach_risk")
    def _compute_sla_likely_breach(self):
        threshold = self._sla_forecast_threshold()
        for ticket in self:
            ticket.sla_likely_breach = ticket.sla_breach_risk >= threshold

    def _search_sla_likely_breach(self, operator, value):
        if operator in ("in", "not in") and len(value) == 1:
            operator, value = ("=" if operator == "in" else "!="), next(iter(value))
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Likely to breach: search with = True or = False."))
        threshold = self._sla_forecast_threshold()
        if (operator == "=") == value:
            return [("sla_breach_risk", ">=", threshold)]
        return ["|", ("sla_breach_risk", "<", threshold), ("sla_breach_risk", "=", False)]

    @api.model
    def _sla_team_backlogs(self, team_ids, now, as_of=False):
        """``{team id: (open requests, average open requests)}`` in two queries.

        The average samples once a day over the days of Settings' average window (28 by
        default) the requests created and not closed at that instant. The current backlog
        is the requests in an open stage, or, ``as_of`` (replays of a past instant), those
        created and not closed at ``now``.
        """
        if not team_ids:
            return {}
        self.flush_model(["team_id", "stage_id", "closed_date", "active"])
        cr = self.env.cr
        days = positive_setting(self.env, "surge_average_days")
        params = {"teams": list(team_ids), "now": now, "days": days}
        cr.execute(
            """
            SELECT ticket.team_id, count(*)::float8 / %(days)s
              FROM generate_series(1, %(days)s) AS day(n)
              JOIN helpdesk_ticket ticket
                ON ticket.team_id = ANY(%(teams)s)
               AND ticket.active
               AND ticket.create_date <= %(now)s - day.n * interval '1 day'
               AND (ticket.closed_date IS NULL
                    OR ticket.closed_date > %(now)s - day.n * interval '1 day')
          GROUP BY ticket.team_id
            """,
            params,
        )
        averages = dict(cr.fetchall())
        if as_of:
            cr.execute(
                """
                SELECT team_id, count(*)
                  FROM helpdesk_ticket
                 WHERE team_id = ANY(%(teams)s) AND active AND create_date <= %(now)s
                   AND (closed_date IS NULL OR closed_date > %(now)s)
              GROUP BY team_id
                """,
                params,
            )
        else:
            cr.execute(
                """
                SELECT ticket.team_id, count(*)
                  FROM helpdesk_ticket ticket
                  JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
                 WHERE ticket.team_id = ANY(%(teams)s) AND ticket.active
                   AND NOT COALESCE(stage.closed, FALSE)
              GROUP BY ticket.team_id
                """,
                params,
            )
        current = dict(cr.fetchall())
        return {
            team_id: (current.get(team_id, 0), averages.get(team_id, 0.0))
            for team_id in team_ids
        }

    @api.model
    def _sla_forecast_history(self, now, days=None):
        """The reached clocks of the last ``days`` before ``now`` (Settings' forecast
        history by default) as a forecast :class:`~..engine.forecast.History` (one grouped
        query)."""
        days = days or positive_setting(self.env, "forecast_history_days")
        self.env["internal.sla.line"].flush_model()
        self.flush_model(["team_id", "priority", "category_id"])
        self.env.cr.execute(
            """
            SELECT line.metric, ticket.team_id, ticket.priority, ticket.category_id,
                   LEAST(%(max_bin)s, GREATEST(0, floor(
                       line.consumed_seconds::float8 * %(bins)s / line.target_seconds)))::int,
                   line.state = 'breached', count(*)
              FROM internal_sla_line line
              JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
             WHERE line.reached_date < %(now)s AND line.reached_date >= %(since)s
               AND line.target_seconds > 0
          GROUP BY 1, 2, 3, 4, 5, 6
            """,
            {
                "now": now,
                "since": now - timedelta(days=days),
                "bins": forecast.BINS,
                "max_bin": forecast.MAX_BIN,
            },
        )
        history = forecast.History()
        for metric, team_id, priority, category_id, bin_, breached, count in sorted(
            self.env.cr.fetchall(), key=lambda row: tuple(str(value) for value in row)
        ):
            history.add(metric, team_id, priority, category_id, bin_, breached, count)
        return history

    @api.model
    def _sla_forecast_scores(
        self, now, history, as_of=False, after_id=0, limit=None, ticket_ids=None
    ):
        """Breach risk of the open requests with an id above ``after_id`` (up to ``limit``),
        from their nearest target not breached yet (100 when all are): four queries
        whatever their number.

        :param as_of: score the requests open at a past instant ``now`` (replays): clocks
            started by then and not reached by then, backlogs counted at that instant
        :param ticket_ids: score these requests only
        :return: ``{ticket id: (score, line id)}`` in ticket id order
        """
        self.env["internal.sla.line"].flush_model()
        self.flush_model(["team_id", "priority", "category_id", "create_date"])
        if as_of:
            open_at = SQL(
                "ticket.create_date <= %s AND line.date_start <= %s "
                "AND (line.reached_date IS NULL OR line.reached_date > %s) "
                "AND line.state <> 'cancelled'",
                now,
                now,
                now,
            )
        else:
            open_at = SQL("line.reached_date IS NULL AND line.state <> 'cancelled'")
        if ticket_ids is not None:
            open_at = SQL("%s AND line.ticket_id = ANY(%s)", open_at, list(ticket_ids))
        rows = self.env.execute_query(
            SQL(
                """
                SELECT DISTINCT ON (line.ticket_id)
                       line.ticket_id, line.id, line.metric, ticket.team_id, ticket.priority,
                       ticket.category_id, line.agreement_id, line.target_seconds,
                       line.deadline, line.paused_since
                  FROM internal_sla_line line
                  JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
                 WHERE %(open_at)s AND line.ticket_id > %(after)s AND line.deadline IS NOT NULL
              ORDER BY line.ticket_id, line.deadline <= %(now)s, line.deadline, line.id
                 LIMIT %(limit)s
                """,
                open_at=open_at,
                after=after_id,
                now=now,
                limit=limit,
            )
        )
        teams = {row[3] for row in rows if row[3]}
        backlogs = self._sla_team_backlogs(sorted(teams), now, as_of=as_of)
        agreements = self.env["internal.sla.agreement"].sudo().browse({row[6] for row in rows})
        working_times = {agreement.id: agreement._working_time() for agreement in agreements}
        scores = {}
        for (
            ticket_id,
            line_id,
            metric,
            team_id,
            priority,
            category_id,
            agreement_id,
            target_seconds,
            deadline,
            paused_since,
        ) in rows:
            reference = (paused_since if not as_of else None) or now
            if deadline <= reference:
                scores[ticket_id] = (100, line_id)
                continue
            remaining = working_times[agreement_id].working_seconds(reference, deadline)
            backlog, average = backlogs.get(team_id, (0, 0.0))
            scores[ticket_id] = (
                forecast.score(
                    history,
                    metric,
                    team_id,
                    priority,
                    category_id,
                    max(0, target_seconds - remaining),
                    target_seconds,
                    backlog,
                    average,
                ),
                line_id,
            )
        return scores

    @api.model
    @in_automation_lang
    def _cron_forecast(self, batch_size=FORECAST_BATCH):
        """Refresh the breach risk of every open request, in committed batches; requests
        whose clocks all stopped lose theirs."""
        now = sla_now(self.env)
        in_cron = bool(self.env.context.get("cron_id"))
        history = self._sla_forecast_history(now)
        self._sla_forecast_store_profiles(history, now)
        cr = self.env.cr
        cr.execute(
            """
            UPDATE helpdesk_ticket ticket SET sla_breach_risk = NULL
             WHERE ticket.sla_breach_risk IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM internal_sla_line line
                                WHERE line.ticket_id = ticket.id
                                  AND line.reached_date IS NULL
                                  AND line.state <> 'cancelled')
            """
        )
        after, total = 0, 0
        threshold = self._sla_forecast_threshold()
        while True:
            scores = self._sla_forecast_scores(now, history, after_id=after, limit=batch_size)
            if scores:
                self._sla_forecast_record_flags(scores, now, threshold)
                cr.execute(
                    """
                    UPDATE helpdesk_ticket ticket SET sla_breach_risk = score.value
                      FROM unnest(%s::int[], %s::int[]) AS score(id, value)
                     WHERE ticket.id = score.id
                       AND ticket.sla_breach_risk IS DISTINCT FROM score.value
                    """,
                    [
                        array_literal(list(scores)),
                        array_literal([value for value, _line in scores.values()]),
                    ],
                )
                total += len(scores)
                after = max(scores)
            if in_cron:
                self.env["ir.cron"]._commit_progress(len(scores))
            if len(scores) < batch_size:
                break
        self.invalidate_model(["sla_breach_risk", "sla_likely_breach"])
        return total

    @api.model
    def _sla_forecast_accuracy(self, now, team_ids=None, days=None):
        """How the forecast did on the targets reached in the ``days`` before ``now``
        (Settings' accuracy window by default) that it scored before their deadline:
        ``{team id: (scored, flagged, flagged and breached, breached)}``, and the same for
        all teams under ``None`` (one query). A target counts as flagged when a forecast
        run found it likely to breach while its deadline was still ahead."""
        days = days or positive_setting(self.env, "forecast_accuracy_days")
        self.env["internal.sla.line"].flush_model()
        self.flush_model(["team_id"])
        team_filter = (
            SQL("AND ticket.team_id = ANY(%s)", list(team_ids))
            if team_ids is not None
            else SQL()
        )
        rows = self.env.execute_query(
            SQL(
                """
                SELECT GROUPING(ticket.team_id) = 1, ticket.team_id, count(*),
                       count(*) FILTER (WHERE line.forecast_flagged_date IS NOT NULL),
                       count(*) FILTER (WHERE line.forecast_flagged_date IS NOT NULL
                                          AND line.state = 'breached'),
                       count(*) FILTER (WHERE line.state = 'breached')
                  FROM internal_sla_line line
                  JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
                 WHERE line.forecast_scored
                   AND line.state IN ('met', 'breached')
                   AND line.reached_date < %(now)s AND line.reached_date >= %(since)s
                   %(team_filter)s
              GROUP BY ROLLUP (ticket.team_id)
                """,
                now=now,
                since=now - timedelta(days=days),
                team_filter=team_filter,
            )
        )
        accuracy = {None: (0, 0, 0, 0)}
        for grand_total, team_id, *counts in rows:
            if grand_total or team_id:
                accuracy[None if grand_total else team_id] = tuple(counts)
        return accuracy

    @api.model
    def _sla_forecast_backtest(self, days=None, hours=(9, 13)):
        """Measure the forecast on the requests of the last ``days`` (Settings' accuracy
        window by default) as if it had run then (a database with history, the demo): at
        ``hours`` (UTC) of every weekday, the requests open at that instant are scored
        from the history reached before it, and the lines record what it said, as the
        cron's runs do (B12)."""
        days = days or positive_setting(self.env, "forecast_accuracy_days")
        now = sla_now(self.env)
        threshold = self._sla_forecast_threshold()
        day = (now - timedelta(days=days)).replace(hour=0, minute=0, second=0, microsecond=0)
        instants = []
        while day < now:
            if day.weekday() < 5:
                instants += [day + timedelta(hours=hour) for hour in hours]
            day += timedelta(days=1)
        scored = 0
        for instant in (instant for instant in instants if instant < now):
            history = self._sla_forecast_history(instant)
            scores = self._sla_forecast_scores(instant, history, as_of=True)
            if scores:
                self._sla_forecast_record_flags(scores, instant, threshold, as_of=True)
                scored += len(scores)
        return scored

    @api.model
    def _sla_forecast_accuracy_text(self, counts, days=None):
        """One line saying how the forecast did, from ``_sla_forecast_accuracy`` counts
        over ``days`` (Settings' accuracy window by default)."""
        days = days or positive_setting(self.env, "forecast_accuracy_days")
        scored, flagged, hits, breached = counts
        if not scored:
            return self.env._(
                "No target scored by the forecast was reached in the last %(days)s days.",
                days=days,
            )
        precision, recall = forecast.precision_recall_counts(hits, flagged, breached)
        return self.env._(
            "Last %(days)s days, %(scored)s targets: %(flagged)s flagged likely to breach, "
            "%(breached)s breached; precision %(precision)s, recall %(recall)s.",
            days=days,
            scored=scored,
            flagged=flagged,
            breached=breached,
            precision="—" if precision is None else f"{precision:.0f}%",
            recall="—" if recall is None else f"{recall:.0f}%",
        )

    @api.model
    def _sla_forecast_record_flags(self, scores, now, threshold, as_of=False):
        """Keep on the scored lines what the forecast said while their deadline was still
        ahead (scored; first flagged likely to breach), so that its accuracy can be
        measured on real outcomes once they are reached (one query).

        :param as_of: ``scores`` are those of a replay at the past instant ``now``
            (see :meth:`_sla_forecast_backtest`): the lines may be reached since
        """
        line_ids = [line_id for _score, line_id in scores.values()]
        values = [score for score, _line_id in scores.values()]
        still_ahead = (
            SQL("line.deadline > %s", now)
            if as_of
            else SQL(
                "line.reached_date IS NULL AND line.deadline > COALESCE(line.paused_since, %s)",
                now,
            )
        )
        self.env.execute_query(
            SQL(
                """
                UPDATE internal_sla_line line
                   SET forecast_scored = TRUE,
                       forecast_flagged_date = CASE
                           WHEN score.value >= %(threshold)s
                           THEN LEAST(line.forecast_flagged_date, %(now)s)
                           ELSE line.forecast_flagged_date END
                  FROM unnest(%(ids)s::int[], %(values)s::int[]) AS score(id, value)
                 WHERE line.id = score.id AND %(still_ahead)s
                   AND (line.forecast_scored IS NOT TRUE
                        OR (score.value >= %(threshold)s
                            AND (line.forecast_flagged_date IS NULL
                                 OR line.forecast_flagged_date > %(now)s)))
                """,
                ids=array_literal(line_ids),
                values=array_literal(values),
                threshold=threshold,
                now=now,
                still_ahead=still_ahead,
            )
        )
        self.env["internal.sla.line"].invalidate_model(
            ["forecast_scored", "forecast_flagged_date"]
        )

    @api.model
    def _sla_forecast_store_profiles(self, history, now):
        """Store on every provider team what its new requests are scored from: its part
        of the history and its current and usual backlog (three queries; teams unchanged
        since the last run are not rewritten)."""
        # teams of a provider department: the only ones whose requests have clocks
        teams = self.env["helpdesk.ticket.team"].sudo().with_context(active_test=False)
        teams = teams.search([("department_id", "!=", False)])
        if not teams:
            return
        backlogs = self._sla_team_backlogs(teams.ids, now)
        buckets = forecast.profiles(history, teams.ids)
        profiles = []
        for team_id in teams.ids:
            backlog, average = backlogs.get(team_id, (0, 0.0))
            profiles.append(
                json.dumps(
                    {"buckets": buckets[team_id], "backlog": backlog, "average": average}
                )
            )
        self.env.cr.execute(
            """
            UPDATE helpdesk_ticket_team team SET sla_forecast_profile = profile.value
              FROM unnest(%s::int[], %s::jsonb[]) AS profile(id, value)
             WHERE team.id = profile.id
               AND team.sla_forecast_profile IS DISTINCT FROM profile.value
            """,
            [array_literal(teams.ids), array_literal(profiles)],
        )
        teams.invalidate_recordset(["sla_forecast_profile"])

    @api.model
    def _sla_forecast_new_score(self, basis, rows, team_id, priority, category_id, now):
        """Breach risk of a request whose clocks are about to start (``rows`` of
        ``_sla_clock_rows``), from its nearest target as the forecast cron picks it and
        its team's stored profile (``basis``): no query. None without a clock."""
        if not rows:
            return None
        history, backlog, average = basis
        # a row's deadline is at 13, its metric at 6, target and consumed seconds at 8, 17
        _index, nearest = min(
            enumerate(rows), key=lambda item: (item[1][13] <= now, item[1][13], item[0])
        )
        if nearest[13] <= now:
            return 100
        return forecast.score(
            history,
            nearest[6],
            team_id,
            priority,
            category_id or None,
            nearest[17],
            nearest[8],
            backlog,
            average,
        )

    def _sla_forecast_rescore(self, now):
        """Score these requests again at once (their team, priority or category changed):
        from their teams' stored profiles and the current backlogs, a few queries whatever
        their number; requests left without a running clock lose their score."""
        profiles = [team.sla_forecast_profile or {} for team in self.sudo().team_id]
        history = forecast.history_from_profiles(profile.get("buckets") for profile in profiles)
        scores = self._sla_forecast_scores(now, history, ticket_ids=self.ids)
        self.env.cr.execute(
            """
            UPDATE helpdesk_ticket ticket SET sla_breach_risk = score.value
              FROM unnest(%s::int[], %s::int[]) AS score(id, value)
             WHERE ticket.id = score.id
               AND ticket.sla_breach_risk IS DISTINCT FROM score.value
            """,
            [
                array_literal(self.ids),
                array_literal([scores.get(ticket_id, (None,))[0] for ticket_id in self.ids]),
            ],
        )
        self.invalidate_recordset(["sla_breach_risk", "sla_likely_breach"])

    # -- two clocks (H6) ---------------------------------------------------------------------

    def _sla_requester_side(self):
        """What the requesters of these tickets live through: ``({ticket id: (calendar,
        time zone or None)}, {(ticket id, pause start)})``, their calendars (the employee's
        working hours in the employee's time zone, else
        the requester department's company's; fixed hours only) and the starts of the
        pauses that wait on another department (H7). Two queries for any number of
        tickets."""
        if not self.ids:
            return {}, set()
        self.env["hr.employee"].flush_model(
            ["work_contact_id", "user_id", "current_version_id", "active"]
        )
        self.env["hr.version"].flush_model(["resource_calendar_id"])
        self.flush_recordset(["partner_id", "requester_department_id"])
        self.env.cr.execute(
            """
            SELECT ticket.id,
                   COALESCE(employee.calendar_id, company.resource_calendar_id),
                   employee.tz
              FROM helpdesk_ticket ticket
         LEFT JOIN LATERAL (
                   SELECT version.resource_calendar_id AS calendar_id, resource.tz
                     FROM hr_employee employee
                     JOIN hr_version version ON version.id = employee.current_version_id
                     JOIN resource_resource resource ON resource.id = employee.resource_id
                LEFT JOIN res_users users ON users.id = employee.user_id
                    WHERE employee.active
                      AND ticket.partner_id IN (employee.work_contact_id, users.partner_id)
                 ORDER BY employee.id
                    LIMIT 1
                   ) employee ON TRUE
         LEFT JOIN hr_department department ON department.id = ticket.requester_department_id
         LEFT JOIN res_company company
                ON company.id = COALESCE(department.company_id, ticket.company_id)
             WHERE ticket.id = ANY(%s)
            """,
            [self.ids],
        )
        rows = self.env.cr.fetchall()
        calendars = self.env["resource.calendar"].sudo().browse({c for _t, c, _tz in rows if c})
        fixed = {calendar.id: calendar for calendar in calendars if not calendar.flexible_hours}
        # the employee's hours in the employee's time zone (a Moscow employee on a
        # Brussels calendar works Brussels hours at Moscow times, as Odoo counts them)
        by_ticket = {ticket_id: (fixed[c], tz) for ticket_id, c, tz in rows if c in fixed}
        handoffs = (
            self.env["internal.sla.pause"]
            .sudo()
            .search_fetch(
                [("ticket_id", "in", self.ids), ("handoff_ticket_id", "!=", False)],
                ["ticket_id", "date_start"],
            )
        )
        return by_ticket, {(pause.ticket_id.id, pause.date_start) for pause in handoffs}

    # -- chained handoffs (H7) -----------------------------------------------------------------

    sla_parent_id = fields.Many2one(
        "helpdesk.ticket",
        string="Opened for",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The request that waits on this one (handoff to another department).",
        groups="base.group_user",
    )
    sla_child_ids = fields.One2many(
        "helpdesk.ticket",
        "sla_parent_id",
        string="Waiting on requests",
        readonly=True,
        groups="base.group_user",
    )
    sla_chain_root_id = fields.Many2one(
        "helpdesk.ticket",
        string="Handoff chain",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        help="The first request of the chain of handoffs this request belongs to.",
        groups="base.group_user",
    )
    sla_chain_length = fields.Integer(
        string="Requests in the chain",
        compute="_compute_sla_chain",
        groups="base.group_user",
    )
    sla_chain_hours = fields.Float(
        string="Chain elapsed (h)",
        compute="_compute_sla_chain",
        help="Working hours of the first request of the chain from its start to its "
        "closing (or now), on its working calendar.",
        groups="base.group_user",
    )
    sla_chain_own_hours = fields.Float(
        string="Own time (h)",
        compute="_compute_sla_chain",
        help="Working hours this request was open and not waiting on a linked request.",
        groups="base.group_user",
    )
    sla_chain_share = fields.Float(
        string="Share of the chain (%)",
        compute="_compute_sla_chain",
        help="Own time over the chain's elapsed time.",
        groups="base.group_user",
    )

    @api.depends_context("internal_sla_now")
    def _compute_sla_chain(self):
        """End-to-end figures of the chains (``engine/handoff.py``): two queries for the
        chains of every ticket in ``self``, read as superuser (figures only)."""
        chained = self.filtered("sla_chain_root_id")
        for ticket in self - chained:
            ticket.update(
                {
                    "sla_chain_length": 0,
                    "sla_chain_hours": 0.0,
                    "sla_chain_own_hours": 0.0,
                    "sla_chain_share": 0.0,
                }
            )
        if not chained:
            return
        now = sla_now(self.env)
        members = self.sudo().search_fetch(
            [("sla_chain_root_id", "in", chained.sla_chain_root_id.ids)],
            ["sla_chain_root_id", "closed", "closed_date", "create_date"],
        )
        waits = (
            self.env["internal.sla.pause"]
            .sudo()
            .search_fetch(
                [("ticket_id", "in", members.ids), ("handoff_ticket_id", "!=", False)],
                ["ticket_id", "handoff_ticket_id", "date_start", "date_end"],
                order="date_start, id",
            )
        )
        waits_of, handed_over = defaultdict(list), {}
        for wait in waits:
            waits_of[wait.ticket_id.id].append((wait.date_start, wait.date_end or None))
            handed_over[wait.handoff_ticket_id.id] = wait
        hops_by_root = defaultdict(list)
        for member in members:
            if member.id in handed_over:
                # a linked request lasts from the handoff until its requester resumed
                start, end = handed_over[member.id].date_start, handed_over[member.id].date_end
            else:
                start = member._sla_start(now)
                end = member.closed_date if member.closed else None
            hops_by_root[member.sla_chain_root_id.id].append(
                Hop(member.id, start, end or None, tuple(waits_of[member.id]))
            )
        figures = {}
        for root in chained.sla_chain_root_id.sudo():
            hops = hops_by_root[root.id]
            total, per_hop = chain_figures(root._sla_working_time(), root.id, hops, now)
            for hop_id, (own, share) in per_hop.items():
                figures[hop_id] = (len(hops), total, own, share)
        for ticket in chained:
            length, total, own, share = figures.get(ticket.id, (0, 0, 0, None))
            ticket.update(
                {
                    "sla_chain_length": length,
                    "sla_chain_hours": total / 3600.0,
                    "sla_chain_own_hours": own / 3600.0,
                    "sla_chain_share": share or 0.0,
                }
            )

    def action_sla_hand_off(self):
        """Open the form that hands part of this request over to another department."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Waiting on another department"),
            "res_model": "internal.sla.handoff.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_sla_view_chain(self):
        self.ensure_one()
        root = self.sla_chain_root_id or self
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "internal_sla.helpdesk_ticket_handoff_action"
        )
        action["domain"] = [("sla_chain_root_id", "=", root.id)]
        action["context"] = {}
        return action

    def _sla_hand_off(self, team, agreement, name, description, now=None):
        """Open a linked request to ``team`` under ``agreement`` (H7) and pause this
        request's clocks until it is closed. Returns the linked request."""
        self.ensure_one()
        now = now or sla_now(self.env)
        department = team.department_id
        if self.closed:
            raise UserError(
                self.env._(
                    "%(ticket)s is closed: reopen it before waiting on another department.",
                    ticket=self.display_name,
                )
            )
        if not department or department == self.provider_department_id:
            raise UserError(
                self.env._(
                    "Choose a team of another department than %(department)s: the request "
                    "waits on that department.",
                    department=self.provider_department_id.display_name or "-",
                )
            )
        vals = {
            "name": name,
            "description": description or self.description,
            "team_id": team.id,
            "partner_id": self.env.user.partner_id.id,
            "requester_department_id": self.provider_department_id.id,
            "company_id": self.company_id.id,
            "sla_parent_id": self.id,
            "sla_chain_root_id": (self.sla_chain_root_id or self).id,
        }
        # what an agreement may require from its requester (A3), e.g. the business
        # impact, travels with the request; the fields matching it to targets do not
        required = self.env["internal.sla.agreement"]._sla_index().required_fields
        for field_name in sorted(required - set(REMATCH_FIELDS) - set(vals)):
            if field_name in self._fields and self[field_name]:
                vals[field_name] = self._fields[field_name].convert_to_write(
                    self[field_name], self
                )
        try:
            child = (
                self.sudo()
                .with_context(internal_sla_now=now, mail_create_nolog=True)
                .create(vals)
            )
        except ValidationError as error:
            raise UserError(
                self.env._(
                    "%(error)s The linked request takes it from %(ticket)s: fill it in "
                    "there, then wait on %(department)s again.",
                    error=error.args[0],
                    ticket=self.display_name,
                    department=department.display_name,
                )
            ) from error
        if agreement and child.sla_agreement_id != agreement:
            raise UserError(
                self.env._(
                    "A request from %(customer)s to %(team)s falls under %(actual)s, not "
                    "%(agreement)s: choose a team that agreement covers.",
                    customer=self.provider_department_id.display_name,
                    team=team.display_name,
                    actual=child.sla_agreement_id.display_name or self.env._("no agreement"),
                    agreement=agreement.display_name,
                )
            )
        if not self.sla_chain_root_id:
            self.sudo().sla_chain_root_id = self
        # one stopped clock at a time: a stage pause (or the wait on another linked
        # request, still waited on after this one) gives way to the wait on the department
        self.sudo().sla_pause_ids.filtered(lambda p: not p.date_end)._close(now)
        cause = self._sla_wait_on(child, now)
        self._sla_open_lines()._refresh(now, cause)
        self.message_post(
            body=Markup("<p>%s</p>")
            % self.env._(
                "%(cause)s: linked request %(child)s opened; the SLA clocks are paused until "
                "it is closed.",
                cause=cause,
                child=child.display_name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return child

    def _sla_wait_on(self, child, now):
        """Stop this request's clocks from ``now`` while it waits on the linked request
        ``child`` (H7). Returns the cause recorded."""
        cause = self.env._("Waiting on %s", child.team_id.department_id.display_name)
        self.env["internal.sla.pause"].sudo().create(
            {
                "ticket_id": self.id,
                "stage_id": self.stage_id.id,
                "date_start": now,
                "company_id": self.company_id.id,
                "cause": cause,
                "handoff_ticket_id": child.id,
            }
        )
        return cause

    @api.ondelete(at_uninstall=False)
    def _sla_resume_requests_waiting_on_deleted(self):
        """A deleted linked request would leave the requests waiting on it paused for
        ever: they resume as if it had been closed."""
        waiting = (
            self.env["internal.sla.pause"]
            .sudo()
            .search_count(
                [("handoff_ticket_id", "in", self.ids), ("date_end", "=", False)], limit=1
            )
        )
        if waiting:
            self._sla_handoff_returned(sla_now(self.env))

    def _sla_handoff_returned(self, now):
        """These linked requests are closed: the requests waiting on them resume."""
        pauses = (
            self.env["internal.sla.pause"]
            .sudo()
            .search([("handoff_ticket_id", "in", self.ids), ("date_end", "=", False)])
        )
        for pause in pauses:
            parent = pause.ticket_id
            pause._close(now)
            rule = self.env._(
                "Back from %(department)s (%(ticket)s)",
                department=pause.handoff_department_id.display_name or "-",
                ticket=pause.handoff_ticket_id.display_name,
            )
            # another linked request still open: the request keeps waiting, on that one
            waited_on = (
                parent.sudo()
                .sla_child_ids.filtered(lambda child: not child.closed and child not in self)
                .sorted("id", reverse=True)[:1]
            )
            if waited_on:
                cause = parent._sla_wait_on(waited_on, now)
                parent.message_post(
                    body=Markup("<p>%s</p>") % f"{rule}; {cause}", subtype_xmlid="mail.mt_note"
                )
                continue
            if parent.stage_id.sla_pause and not parent.stage_id.closed:
                parent._sla_open_pause(now)  # still waiting on the requester
            parent._sla_open_lines()._refresh(now, rule)
            parent.message_post(body=Markup("<p>%s</p>") % rule, subtype_xmlid="mail.mt_note")

    # -- requests filed by employees (My requests) and the requester's portal (G3) ---------

    sla_request_agreement_id = fields.Many2one(
        "internal.sla.agreement",
        string="Service agreement",
        compute="_compute_sla_request_agreement",
        readonly=False,
        groups="base.group_user",
        domain=lambda self: self._sla_request_agreement_domain(),
        help="The agreement the request is filed under: it gives the team that answers it "
        "and the deadlines it is measured against.",
    )
    sla_request_commitments = fields.Html(
        string="Your commitments", compute="_compute_sla_request_required"
    )
    sla_request_required = fields.Char(
        string="Required by the agreement",
        compute="_compute_sla_request_required",
        help="Labels of the information the chosen agreement requires from the requester.",
    )
    sla_request_required_names = fields.Char(compute="_compute_sla_request_required")

    @api.depends("sla_agreement_id")
    def _compute_sla_request_agreement(self):
        for ticket in self:
            ticket.sla_request_agreement_id = ticket.sla_agreement_id

    @api.depends("sla_request_agreement_id")
    def _compute_sla_request_required(self):
        for ticket in self:
            agreement = ticket.sla_request_agreement_id.sudo()
            required = agreement.required_field_ids
            ticket.sla_request_commitments = agreement.commitments
            ticket.sla_request_required = ", ".join(
                self._fields[name].get_description(self.env)["string"]
                for name in required.mapped("name")
                if name in self._fields
            )
            ticket.sla_request_required_names = ",".join(required.mapped("name"))

    @api.model
    def _sla_request_agreement_domain(self):
        """The agreements the current user may file requests under: in force, serving
        their department (or every department), provided by another department."""
        departments = self.env.user.sudo().employee_ids.department_id.ids
        return [
            ("state", "in", ACTIVE_STATES),
            ("provider_department_id", "not in", departments),
            "|",
            ("customer_scope", "=", "all"),
            ("customer_department_id", "in", departments),
        ]

    @api.model
    def _sla_request_team(self, agreement):
        """The helpdesk team that answers requests filed under ``agreement``."""
        agreement = agreement.sudo()
        team = agreement.team_ids[:1] or self.env["helpdesk.ticket.team"].sudo().search(
            [
                ("department_id", "=", agreement.provider_department_id.id),
                ("company_id", "in", [agreement.company_id.id, False]),
            ],
            order="id",
            limit=1,
        )
        if not team:
            raise UserError(
                self.env._(
                    "Agreement %(agreement)s has no helpdesk team to answer requests: ask "
                    "%(provider)s to give it one.",
                    agreement=agreement.name,
                    provider=agreement.provider_department_id.display_name,
                )
            )
        return team

    @api.onchange("sla_request_agreement_id")
    def _onchange_sla_request_agreement(self):
        if self.sla_request_agreement_id:
            self.team_id = self._sla_request_team(self.sla_request_agreement_id).id

    @api.model
    def _sla_request_prepare(self, vals_list):
        """Requests filed under a chosen agreement: it must serve the requester's
        department; it gives the team, and the requester is the current user unless
        another contact is given."""
        Agreement = self.env["internal.sla.agreement"].sudo()
        allowed = None
        for vals in vals_list:
            agreement = Agreement.browse(vals.pop("sla_request_agreement_id", False))
            if not agreement:
                continue
            if allowed is None:
                allowed = Agreement.search(self._sla_request_agreement_domain())
            if agreement not in allowed:
                raise UserError(
                    self.env._(
                        "Agreement %(agreement)s does not serve your department: choose "
                        "one of the agreements your department has with another one.",
                        agreement=agreement.name,
                    )
                )
            # a team of the agreement (any of the provider's when it names none) stays
            teams = agreement.team_ids or self.env["helpdesk.ticket.team"].sudo().search(
                [("department_id", "=", agreement.provider_department_id.id)]
            )
            if vals.get("team_id") not in teams.ids:
                vals["team_id"] = self._sla_request_team(agreement).id
            vals.setdefault("partner_id", self.env.user.partner_id.id)

    def action_sla_request_submit(self):
        """Submit of the request form: the web client has saved the new request before
        calling this; it only tells the requester when it is due."""
        self.ensure_one()
        deadline = self.sla_deadline and format_datetime(
            self.env, self.sla_deadline, dt_format="short"
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Request %(number)s filed: due %(deadline)s.",
                    number=self.number,
                    deadline=deadline,
                )
                if deadline
                else self.env._("Request %(number)s filed.", number=self.number),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _sla_request_check(self):
        """Employees without helpdesk rights file requests only under an agreement of
        their department (My requests): a ticket no agreement covers is refused."""
        if self.env.su or self.env.user.has_group("helpdesk_mgmt.group_helpdesk_user_own"):
            return
        if self.filtered(lambda ticket: not ticket.sla_agreement_id):
            raise UserError(
                self.env._(
                    "File your request under one of your department's agreements "
                    "(My requests > New): no agreement covers this team for your "
                    "department."
                )
            )

    def _sla_portal_values(self, tz=None):
        """The SLA as the requester sees it (portal, G3): the nearest deadline and the
        state, nothing internal. The caller may read the tickets (checked); these two
        fields only are then read as superuser.

        :param tz: the reader's time zone (default: the environment user's)
        :return: ``{ticket id: {"state", "label", "badge", "deadline", "surge_notice"}}``
            for the tickets with an SLA (the notice of a request filed in a surge, B11)
        """
        self.check_access("read")
        labels = dict(self._fields["sla_state"]._description_selection(self.env))
        badges = {
            "running": "text-bg-success",
            "met": "text-bg-success",
            "at_risk": "text-bg-warning",
            "breached": "text-bg-danger",
            "paused": "text-bg-secondary",
            "cancelled": "text-bg-light",
        }
        tz = tz or self.env.user.tz or self.env.context.get("tz") or "UTC"
        result = {}
        for ticket in self.sudo():
            if not ticket.sla_state:
                continue
            deadline = ticket.sla_deadline
            result[ticket.id] = {
                "state": ticket.sla_state,
                "label": labels[ticket.sla_state],
                "badge": badges[ticket.sla_state],
                "deadline": deadline
                and format_datetime(self.env, deadline, tz=tz, dt_format="short"),
                "surge_notice": ticket.sla_surge_id and ticket.sla_surge_notice,
            }
        return result
