from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_datetime, ormcache

from odoo.addons.base.models.res_partner import _tz_get

from ..engine import kpi
from ..engine.feedback import CADENCES
from ..engine.limits import MAX_ESCALATION_PERCENT, MAX_SURGE_FACTOR
from ..engine.matching import AgreementInfo, Index, VersionInfo
from ..engine.working_time import NoWorkingTime
from .res_config_settings import (
    LEVEL3_RECIPIENTS,
    SURGE_CONDITIONS,
    health,
    in_automation_lang,
    min_respondents,
    positive_setting,
    recipient_env,
    setting,
)

# what the default settings may name (a stale value falls back on the product's default)
FIRST_RESPONSE_MODES = {"message": "message", "stage": "stage"}
NPS_CADENCES = {key: key for key, _label in CADENCES}

ACTIVE_STATES = ("active", "review")
# what decides which requests an agreement covers: a change re-matches open tickets (B13)
# and checks the overlap of agreements in force again (A6)
SCOPE_FIELDS = (
    "company_id",
    "provider_department_id",
    "customer_scope",
    "customer_department_id",
    "team_ids",
    "date_start",
    "date_end",
)
ESCALATION_FIELDS = {
    "escalation_enabled",
    "escalation_level1_percent",
    "escalation_level2_percent",
    "escalation_level3_percent",
}
# what the matching index (``_sla_index``) reads: other writes (review date, chatter,
# owners) leave it, and every other ormcache of the server, warm
INDEXED_FIELDS = {
    "state",
    "active",
    *SCOPE_FIELDS,
    "resource_calendar_id",
    "tz",
    "required_field_ids",
    "version_ids",
    "target_ids",
    *ESCALATION_FIELDS,
}


def _escalation_default(level, fallback):
    def default(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(f"internal_sla.escalation_level{level}_percent")
        )
        return float(value) if value else fallback

    return default


def _active_user(user):
    return user if user and user.active else user.browse()


def refuse_unlink_used_by_agreements(records, *field_names):
    """Refuse deleting ``records`` while agreements of any state, archived ones included,
    point to them through ``field_names``: they would be left unmeasurable or partyless."""
    env = records.env
    domain = ["|"] * (len(field_names) - 1) + [
        (name, "in", records.ids) for name in field_names
    ]
    agreements = (
        env["internal.sla.agreement"].sudo().with_context(active_test=False).search(domain)
    )
    if agreements:
        raise UserError(
            env._(
                "%(records)s cannot be deleted: agreements %(agreements)s use it. Choose "
                "another one on those agreements first, or archive it instead.",
                records=", ".join(records.mapped("display_name")),
                agreements=", ".join(agreements.mapped("display_name")),
            )
        )


class InternalSlaAgreement(models.Model):
    _name = "internal.sla.agreement"
    _description = "Service Agreement between Departments"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, name, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    description = fields.Html(help="What the provider delivers and why it matters.")
    provider_department_id = fields.Many2one(
        "hr.department",
        string="Provider",
        required=True,
        tracking=True,
        index=True,
        check_company=True,
        help="The department that delivers the service.",
    )
    customer_scope = fields.Selection(
        [("department", "One department"), ("all", "All departments")],
        string="Customer scope",
        default="department",
        required=True,
        tracking=True,
    )
    customer_department_id = fields.Many2one(
        "hr.department",
        string="Customer",
        tracking=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        help="The department served; leave the scope on 'All departments' to serve everyone.",
    )
    team_ids = fields.Many2many(
        "helpdesk.ticket.team",
        string="Helpdesk teams",
        tracking=True,
        check_company=True,
        help="Teams of the provider that deliver this agreement; empty means all teams "
        "of the provider department.",
    )
    provider_owner_id = fields.Many2one(
        "res.users",
        string="Provider owner",
        compute="_compute_provider_owner",
        store=True,
        readonly=False,
        tracking=True,
        help="Signs and reviews the agreement for the provider (default: its manager).",
    )
    customer_owner_id = fields.Many2one(
        "res.users",
        string="Customer owner",
        compute="_compute_customer_owner",
        store=True,
        readonly=False,
        tracking=True,
        help="Signs and reviews the agreement for the customer (default: its manager).",
    )
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working calendar",
        tracking=True,
        ondelete="restrict",
        check_company=True,
        default=lambda self: self.env.company.resource_calendar_id,
        help="Working hours and holidays in which the targets are measured.",
    )
    tz = fields.Selection(
        _tz_get,
        string="Time zone",
        compute="_compute_tz",
        store=True,
        readonly=False,
        tracking=True,
    )
    date_start = fields.Date(
        string="Valid from",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    date_end = fields.Date(string="Valid until", tracking=True)
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("active", "Active"),
            ("review", "Under review"),
            ("expired", "Expired"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
        index=True,
    )
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    review_interval_months = fields.Integer(
        string="Review every (months)",
        tracking=True,
        default=lambda self: setting(self.env, "default_review_months", 6),
        help="The owners review the agreement at this interval (6 to 12 months is typical).",
    )
    next_review_date = fields.Date(string="Next review", tracking=True, copy=False)
    version_ids = fields.One2many("internal.sla.agreement.version", "agreement_id")
    version_count = fields.Integer(compute="_compute_version_count")
    current_version_id = fields.Many2one(
        "internal.sla.agreement.version",
        compute="_compute_current_version",
        string="Current version",
    )
    # an amendment decided but not in force yet: the targets tab shows its targets
    upcoming_version_id = fields.Many2one(
        "internal.sla.agreement.version",
        compute="_compute_current_version",
        string="Upcoming version",
    )
    upcoming_version_date = fields.Date(
        compute="_compute_current_version", string="In force from"
    )
    # The working definition of the targets; versions keep frozen copies of it.
    target_ids = fields.One2many(
        "internal.sla.target",
        "agreement_id",
        string="Targets",
        domain=[("version_id", "=", False)],
        copy=True,
    )
    first_response_mode = fields.Selection(
        [
            ("message", "First reply visible to the requester"),
            ("stage", "First move out of the initial stage"),
        ],
        tracking=True,
        default=lambda self: (
            setting(
                self.env, "default_first_response_mode", "message", FIRST_RESPONSE_MODES.get
            )
            or "message"
        ),
        required=True,
        help="What counts as the provider's first response.",
    )
    required_field_ids = fields.Many2many(
        "ir.model.fields",
        string="Required from the requester",
        tracking=True,
        domain=[
            ("model", "=", "helpdesk.ticket"),
            ("store", "=", True),
            ("ttype", "in", ("char", "text", "html", "many2one", "selection", "float")),
        ],
        help="Information a request must carry under this agreement (e.g. business impact).",
    )
    commitments = fields.Html(
        string="Customer commitments",
        help="What the customer side commits to (information, availability, approvals).",
    )
    ticket_ids = fields.One2many("helpdesk.ticket", "sla_agreement_id")
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    preview = fields.Text(compute="_compute_preview", string="Due dates preview")
    color = fields.Integer()
    sla_met_percent = fields.Float(
        string="SLA met %, all time",
        compute="_compute_attainment",
        help="Targets met / targets met or breached (-1: none reached yet).",
    )
    sla_met_percent_adjusted = fields.Float(
        string="SLA met % (adjusted)",
        compute="_compute_attainment",
        help="As SLA met %, counting breaches accepted as exceptions as met.",
    )
    frame_ids = fields.One2many(
        "internal.sla.frame", "agreement_id", string="Empowerment frames"
    )
    stage_rule_ids = fields.One2many(
        "internal.sla.stage.rule",
        "agreement_id",
        string="Stage rules",
        context={"active_test": False},
    )
    # -- escalation chain (B7) --
    escalation_enabled = fields.Boolean(
        string="Escalate",
        default=True,
        tracking=True,
        help="Escalate requests that use up their targets, level by level.",
    )
    escalation_level1_percent = fields.Float(
        string="Level 1 at (%)",
        default=_escalation_default(1, 75.0),
        tracking=True,
        help="Share of a target's working time after which the assignee (or the team "
        "leader) gets an escalation activity.",
    )
    escalation_level2_percent = fields.Float(
        string="Level 2 at (%)",
        default=_escalation_default(2, 100.0),
        tracking=True,
        help="Share of a target's working time after which the provider department's "
        "head gets an escalation activity.",
    )
    escalation_level3_percent = fields.Float(
        string="Level 3 at (%)",
        default=_escalation_default(3, 150.0),
        tracking=True,
        help="Share of a target's working time after which top management (or the "
        "customer-side owner) gets an escalation activity.",
    )
    escalation_level3_to = fields.Selection(
        LEVEL3_RECIPIENTS,
        string="Level 3 goes to",
        default="top_manager",
        required=True,
        tracking=True,
    )
    escalation_top_user_id = fields.Many2one(
        "res.users",
        string="Top manager",
        tracking=True,
        help="Receives level 3 escalations; empty: the manager of the provider's "
        "top-level department.",
    )

    _check_interval = models.Constraint(
        "CHECK(review_interval_months BETWEEN 1 AND 60)",
        "The review interval must be between 1 and 60 months.",
    )

    # -- computes ------------------------------------------------------------------------------

    def _compute_attainment(self):
        """Raw and adjusted attainment (H5) from one grouped count of the lines."""
        counts = defaultdict(lambda: {"met": 0, "breached": 0, "excused": 0})
        groups = (
            self.env["internal.sla.line"]
            .sudo()
            ._read_group(
                [("agreement_id", "in", self.ids), ("state", "in", ("met", "breached"))],
                ["agreement_id", "state", "exception_state"],
                ["__count"],
            )
        )
        for agreement, state, exception, count in groups:
            counts[agreement.id][state] += count
            if state == "breached" and exception == "accepted":
                counts[agreement.id]["excused"] += count
        for agreement in self:
            figures = counts[agreement.id]
            raw = kpi.sla_met_percent(figures["met"], figures["breached"])
            adjusted = kpi.sla_met_percent_adjusted(
                figures["met"], figures["breached"], figures["excused"]
            )
            agreement.sla_met_percent = -1 if raw is None else raw
            agreement.sla_met_percent_adjusted = -1 if adjusted is None else adjusted

    def action_view_breaches(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Breached targets of %s", self.name),
            "res_model": "internal.sla.line",
            "view_mode": "list,pivot,graph",
            "domain": [("agreement_id", "=", self.id), ("state", "=", "breached")],
        }

    # one method per owner: Odoo keeps every field of a shared compute method as given when
    # one of them is, so naming the customer owner would leave the provider owner unset
    @api.depends("provider_department_id")
    def _compute_provider_owner(self):
        for agreement in self:
            if not agreement.provider_owner_id:
                agreement.provider_owner_id = (
                    agreement.provider_department_id.manager_id.user_id
                )

    @api.depends("customer_department_id", "customer_scope")
    def _compute_customer_owner(self):
        for agreement in self:
            if not agreement.customer_owner_id and agreement.customer_scope == "department":
                agreement.customer_owner_id = (
                    agreement.customer_department_id.manager_id.user_id
                )

    @api.depends("resource_calendar_id")
    def _compute_tz(self):
        for agreement in self:
            agreement.tz = (
                agreement.resource_calendar_id.tz or agreement.tz or self.env.user.tz or "UTC"
            )

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"active": 1, "review": 2, "draft": 3, "expired": 4, "cancelled": 5}
        for agreement in self:
            agreement.state_sequence = order.get(agreement.state, 9)

    def _compute_version_count(self):
        for agreement in self:
            agreement.version_count = len(agreement.version_ids)

    @api.depends("version_ids.date_effective", "version_ids.number")
    @api.depends_context("tz")
    def _compute_current_version(self):
        today = fields.Date.context_today(self)
        for agreement in self:
            agreement.current_version_id = agreement._version_at(today)
            upcoming = agreement.version_ids.filtered(
                lambda version: version.date_effective > today
            ).sorted(lambda version: (version.date_effective, version.number))[-1:]
            agreement.upcoming_version_id = upcoming
            agreement.upcoming_version_date = upcoming.date_effective

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("sla_agreement_id", "in", self.ids)],
                ["sla_agreement_id"],
                ["__count"],
            )
        )
        for agreement in self:
            agreement.ticket_count = counts.get(agreement, 0)

    @api.depends(
        "target_ids.duration",
        "target_ids.duration_type",
        "target_ids.cutoff_time",
        "target_ids.priority",
        "version_ids.date_effective",
        "resource_calendar_id",
        "tz",
    )
    def _compute_preview(self):
        now = fields.Datetime.now()
        for agreement in self:
            agreement.preview = agreement._preview_text(now)

    def _targets_in_force(self):
        """The targets requests filed today get: those of the version in force (an
        amendment that takes effect later is not), a draft's own."""
        self.ensure_one()
        in_force = self.current_version_id
        return in_force.target_ids if in_force else self.target_ids

    def _preview_text(self, now):
        """'A request created now would be due at …' for each target (H3)."""
        if not self.resource_calendar_id:
            return self.env._("Choose a working calendar to preview due dates.")
        lines = []
        for target in self._targets_in_force().filtered(lambda t: t.metric != "stage"):
            try:
                seconds = target._target_seconds(now, self._working_time())
                due = self._working_time().add(now, seconds)
            except (NoWorkingTime, ValidationError):
                return self.env._("The working calendar has no working time.")
            lines.append(
                self.env._(
                    "%(target)s: a request created now would be due at %(due)s",
                    target=target.display_name,
                    due=format_datetime(self.env, due, tz=self.tz, dt_format="short"),
                )
            )
        return "\n".join(lines)

    @api.depends("provider_department_id", "customer_department_id", "customer_scope")
    def _compute_display_name(self):
        for agreement in self:
            agreement.display_name = agreement.name or ""

    # -- constraints (A6) ----------------------------------------------------------------

    @api.constrains(
        "escalation_level1_percent", "escalation_level2_percent", "escalation_level3_percent"
    )
    def _check_escalation_levels(self):
        for agreement in self:
            if not (
                0
                < agreement.escalation_level1_percent
                < agreement.escalation_level2_percent
                < agreement.escalation_level3_percent
                <= MAX_ESCALATION_PERCENT
            ):
                raise ValidationError(
                    self.env._(
                        "%(agreement)s: Level 1 at (%%) must be above 0, Level 2 and "
                        "Level 3 each higher than the level before, and Level 3 at most "
                        "%(highest)s (e.g. 75, 100, 150).",
                        agreement=agreement.name,
                        highest=MAX_ESCALATION_PERCENT,
                    )
                )

    @api.constrains(
        "resource_calendar_id",
        "escalation_enabled",
        "escalation_level3_percent",
        "surge_enabled",
        "surge_factor",
    )
    def _check_targets_reachable(self):
        self.target_ids._check_reachable()

    @api.constrains("date_start", "date_end")
    def _check_dates(self):
        for agreement in self:
            if agreement.date_end and agreement.date_end < agreement.date_start:
                raise ValidationError(
                    self.env._(
                        "Agreement %(agreement)s: 'Valid until' (%(end)s) is before "
                        "'Valid from' (%(start)s). Set an end date after the start date.",
                        agreement=agreement.name,
                        end=agreement.date_end,
                        start=agreement.date_start,
                    )
                )

    @api.constrains("customer_scope", "customer_department_id", "provider_department_id")
    def _check_parties(self):
        for agreement in self:
            if (
                agreement.customer_scope == "department"
                and not agreement.customer_department_id
            ):
                raise ValidationError(
                    self.env._(
                        "Agreement %(agreement)s: choose the Customer department, or set "
                        "the scope to 'All departments'.",
                        agreement=agreement.name,
                    )
                )
            if agreement.customer_department_id == agreement.provider_department_id:
                raise ValidationError(
                    self.env._(
                        "Agreement %(agreement)s: the Customer must be another department "
                        "than the Provider.",
                        agreement=agreement.name,
                    )
                )

    @api.constrains("resource_calendar_id", "state")
    def _check_calendar(self):
        for agreement in self:
            if not agreement.resource_calendar_id:
                raise ValidationError(
                    self.env._(
                        "Agreement %(agreement)s has no Working calendar: choose the calendar "
                        "in which its targets are measured.",
                        agreement=agreement.name,
                    )
                )
            if agreement.resource_calendar_id.flexible_hours:
                raise ValidationError(
                    self.env._(
                        "Agreement %(agreement)s: Working calendar %(calendar)s has flexible "
                        "hours; choose a calendar with fixed working hours.",
                        agreement=agreement.name,
                        calendar=agreement.resource_calendar_id.name,
                    )
                )
            if not agreement._working_time().has_attendance:
                raise ValidationError(
                    self.env._(
                        "Agreement %(agreement)s: Working calendar %(calendar)s has no "
                        "working hours; give it its working hours or choose another calendar.",
                        agreement=agreement.name,
                        calendar=agreement.resource_calendar_id.name,
                    )
                )

    @api.constrains("state", *SCOPE_FIELDS)
    def _check_overlap(self):
        self.filtered(lambda a: a.state in ACTIVE_STATES)._check_no_overlap()

    def _check_no_overlap(self):
        """No two agreements in force may cover the same pair, priority and category."""
        for agreement in self:
            others = self.search(
                [
                    ("id", "!=", agreement.id),
                    ("state", "in", ACTIVE_STATES),
                    ("company_id", "=", agreement.company_id.id),
                    (
                        "provider_department_id",
                        "=",
                        agreement.provider_department_id.id,
                    ),
                ]
            )
            for other in others:
                if not agreement._overlaps(other):
                    continue
                clash = agreement.target_ids._first_clash(other.target_ids)
                if clash:
                    raise ValidationError(
                        self.env._(
                            "Agreements %(one)s and %(other)s are both in force for the same "
                            "departments, period and %(scope)s. Narrow the priorities or "
                            "categories of one of them, change its dates, or end the other.",
                            one=agreement.name,
                            other=other.name,
                            scope=clash,
                        )
                    )

    def _overlaps(self, other):
        if self.customer_scope != other.customer_scope:
            return False  # a department-specific agreement takes precedence over "all"
        if (
            self.customer_scope == "department"
            and self.customer_department_id != other.customer_department_id
        ):
            return False
        if self.team_ids and other.team_ids and not (self.team_ids & other.team_ids):
            return False
        self_end = self.date_end or fields.Date.to_date("9999-12-31")
        other_end = other.date_end or fields.Date.to_date("9999-12-31")
        return self.date_start <= other_end and other.date_start <= self_end

    # -- versions ---------------------------------------------------------------------------

    def _version_at(self, day):
        """The version in force on ``day`` (the latest effective on or before it)."""
        self.ensure_one()
        versions = self.version_ids.filtered(
            lambda v: v.date_effective and v.date_effective <= day
        ).sorted(lambda v: (v.date_effective, v.number))
        return versions[-1:] if versions else self.env["internal.sla.agreement.version"]

    def _create_version(self, date_effective, note, targets=None):
        """Freeze ``targets`` (default: the working targets) into a new version."""
        self.ensure_one()
        targets = self.target_ids if targets is None else targets
        number = max(self.version_ids.mapped("number") or [0]) + 1
        return self.env["internal.sla.agreement.version"].create(
            {
                "agreement_id": self.id,
                "number": number,
                "date_effective": date_effective,
                "note": note,
                "target_ids": [
                    Command.create(dict(t._copy_values(), agreement_id=self.id))
                    for t in targets
                ],
            }
        )

    @api.model_create_multi
    def create(self, vals_list):
        # created in force (an import, the API): created as a draft, then put in force the
        # usual way, so that it has its first version, a review date, and takes the open
        # requests it covers
        states = [vals.get("state") for vals in vals_list]
        agreements = super().create(
            [
                dict(vals, state="draft") if state in ACTIVE_STATES else vals
                for vals, state in zip(vals_list, states, strict=True)
            ]
        )
        for agreement, state in zip(agreements, states, strict=True):
            if state in ACTIVE_STATES:
                agreement.action_activate()
                if state != "active":
                    agreement.state = state
        return agreements

    def write(self, vals):
        rescope = {"state", "active", *SCOPE_FIELDS} & set(vals)
        scopes = {agreement.id: agreement._sla_scope() for agreement in self} if rescope else {}
        old_intervals = {agreement: agreement.review_interval_months for agreement in self}
        res = super().write(vals)
        if "review_interval_months" in vals and "next_review_date" not in vals:
            self._sla_review_interval_changed(old_intervals)
        elif {"provider_owner_id", "customer_owner_id"} & set(vals):
            self.filtered(lambda a: a.state in ACTIVE_STATES)._schedule_review_activity()
        untracked = [name for name in ("description", "commitments") if name in vals]
        if untracked:
            self._sla_log_html_change(untracked)
        if INDEXED_FIELDS & set(vals):
            self._sla_index_changed()
        if rescope and not self.env.context.get("internal_sla_defer_rematch"):
            self._sla_scope_changed(scopes)
        if {"resource_calendar_id", "tz"} & set(vals):
            self._recompute_open_lines(rule=self.env._("Agreement calendar changed"))
        elif ESCALATION_FIELDS & set(vals):
            self._recompute_open_lines(rule=self.env._("Escalation levels changed"))
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_force(self):
        if any(a.state in ACTIVE_STATES for a in self) or self.ticket_ids:
            raise UserError(
                self.env._(
                    "Agreements in force or with tickets cannot be deleted: cancel or "
                    "archive them instead."
                )
            )

    def unlink(self):
        res = super().unlink()
        self._sla_index_changed()
        return res

    # -- working time ----------------------------------------------------------------------

    def _working_time(self):
        self.ensure_one()
        if not self.resource_calendar_id:
            raise ValidationError(
                self.env._(
                    "Agreement %(agreement)s has no Working calendar.",
                    agreement=self.name,
                )
            )
        return self.resource_calendar_id._internal_sla_working_time(self.tz)

    # -- state buttons ---------------------------------------------------------------------

    def action_activate(self):
        for agreement in self:
            if agreement.state not in ("draft", "review"):
                raise UserError(
                    self.env._(
                        "Only draft agreements or agreements under review can be put in "
                        "force (%(agreement)s is %(state)s).",
                        agreement=agreement.name,
                        state=dict(self._fields["state"].selection)[agreement.state],
                    )
                )
            if not agreement.target_ids:
                raise UserError(
                    self.env._(
                        "Agreement %(agreement)s has no targets: add at least one target "
                        "before putting it in force.",
                        agreement=agreement.name,
                    )
                )
            was_draft = agreement.state == "draft"
            scopes = {agreement.id: agreement._sla_scope()}
            # re-matched once its first version exists: an agreement in force without one
            # would take requests it has no targets for
            agreement.with_context(internal_sla_defer_rematch=True).write(
                {
                    "state": "active",
                    "next_review_date": agreement._next_review(fields.Date.context_today(self)),
                }
            )
            if not agreement.version_ids:
                agreement._create_version(agreement.date_start, self.env._("Initial version"))
            if not was_draft:
                # back in force after a review: that review is done, the next one is due
                agreement._review_activities().action_feedback(
                    feedback=self.env._("Reviewed: the agreement is in force again.")
                )
            agreement._schedule_review_activity()
            agreement._sla_scope_changed(scopes)
        # the requests just attached are scored at the next cron tick, not in 30 minutes
        self.env["helpdesk.ticket.team"]._sla_forecast_soon()
        return True

    def action_review(self):
        self.write({"state": "review"})
        self._schedule_review_activity()

    def action_expire(self):
        self.write({"state": "expired"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_draft(self):
        for agreement in self:
            if agreement.ticket_ids:
                raise UserError(
                    self.env._(
                        "Agreement %(agreement)s already measures tickets: amend it "
                        "instead of resetting it to draft.",
                        agreement=agreement.name,
                    )
                )
        self.write({"state": "draft"})
        self.version_ids.unlink()

    def _next_review(self, day):
        return day + relativedelta(months=self.review_interval_months)

    def _review_activities(self):
        """The open review reminders of these agreements."""
        return (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref("internal_sla.mail_activity_type_agreement_review").id,
                    ),
                ]
            )
        )

    def _schedule_review_activity(self):
        """One review reminder per owner, due on the next review date: an owner's open
        reminder is moved there rather than doubled, and a former owner's is withdrawn."""
        activity_type = self.env.ref("internal_sla.mail_activity_type_agreement_review")
        reminders = defaultdict(dict)  # agreement id -> user -> open reminder
        stale = self.env["mail.activity"]
        for activity in self._review_activities():
            by_user = reminders[activity.res_id]
            if activity.user_id in by_user:
                stale |= activity
            else:
                by_user[activity.user_id] = activity
        for agreement in self:
            due = agreement.next_review_date or fields.Date.context_today(self)
            owners = agreement.provider_owner_id | agreement.customer_owner_id
            for user, activity in reminders[agreement.id].items():
                if user not in owners:
                    stale |= activity
            for owner in owners:
                reminder = reminders[agreement.id].get(owner)
                if reminder:
                    if reminder.date_deadline != due:
                        reminder.date_deadline = due
                    continue
                agreement.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=due,
                    summary=recipient_env(self, owner)._(
                        "Review the agreement with the other side"
                    ),
                    user_id=owner.id,
                )
        stale.unlink()

    def _sla_review_interval_changed(self, old_intervals):
        """A new review interval moves the next review of an agreement in force (counted
        from the same last review) and its reminders."""
        for agreement in self.filtered(
            lambda a: a.state in ACTIVE_STATES and a.next_review_date
        ):
            last_review = agreement.next_review_date - relativedelta(
                months=old_intervals[agreement]
            )
            agreement.next_review_date = agreement._next_review(last_review)
            agreement._schedule_review_activity()

    def _sla_log_html_change(self, field_names):
        """Texts of an agreement in force changed: the chatter keeps the new text (mail
        tracking does not follow HTML fields)."""
        for agreement in self.filtered(lambda a: a.state in ACTIVE_STATES):
            body = Markup()
            for name in field_names:
                label = self._fields[name].get_description(self.env)["string"]
                body += Markup("<p>%s</p>") % self.env._(
                    "%(field)s changed by %(user)s:", field=label, user=self.env.user.name
                )
                body += agreement[name] or Markup("<p>-</p>")
            agreement.message_post(body=body, subtype_xmlid="mail.mt_note")

    # -- escalation chain (B7) ------------------------------------------------------------

    def _escalation_percents(self):
        """Thresholds of the escalation levels in % of a target (empty: no escalation)."""
        self.ensure_one()
        if not self.escalation_enabled:
            return ()
        return (
            self.escalation_level1_percent,
            self.escalation_level2_percent,
            self.escalation_level3_percent,
        )

    def _escalation_chain(self):
        """Who receives levels 2 and 3 of this agreement's escalations, with fallbacks.

        :return: ``{level: (user or empty, note)}`` where ``note`` says which fallback was
            taken (or why nobody could be found), empty when the first choice applied.
        """
        self.ensure_one()
        provider = self.provider_department_id
        head = provider._sla_head()
        if head:
            level2 = (head, "")
        elif _active_user(self.provider_owner_id):
            level2 = (
                self.provider_owner_id,
                self.env._(
                    "%s has no active manager: the provider owner is escalated to",
                    provider.name,
                ),
            )
        else:
            level2 = (
                self.env["res.users"],
                self.env._("nobody to escalate to: set a manager on %s", provider.name),
            )
        if self.escalation_level3_to == "customer_owner":
            first = _active_user(self.customer_owner_id)
            missing = self.env._("the agreement has no active customer-side owner")
        else:
            top = provider
            while top.parent_id:
                top = top.parent_id
            first = _active_user(self.escalation_top_user_id) or top._sla_head()
            missing = self.env._("no active top manager (set one on the agreement)")
        if first:
            level3 = (first, "")
        elif level2[0]:
            level3 = (level2[0], self.env._("%s: level 2 is escalated to again", missing))
        else:
            level3 = (self.env["res.users"], self.env._("nobody to escalate to: %s", missing))
        return {2: level2, 3: level3}

    def _propose_meeting(self, cause, word_reason):
        """Proposes an unscheduled review of this agreement (SPEC D2) for ``cause``, a
        stable key of what triggered it (e.g. ``"detractor:<answer id>"``), once per cause:
        the cause is stored, a draft meeting is put in the calendar and the owner gets an
        activity to confirm it (``internal_sla_agreement_meeting.py``). ``word_reason(env)``
        words why in ``env``'s language (the owner's activity is in theirs). Returns the
        activity, or an empty recordset when the cause was already known."""
        return self._sla_propose(cause, word_reason)

    @api.model
    @in_automation_lang
    def _cron_lifecycle(self):
        """Expire agreements past their end date; put due ones under review."""
        today = fields.Date.context_today(self)
        self.search([("state", "in", ACTIVE_STATES), ("date_end", "<", today)]).action_expire()
        due = self.search([("state", "=", "active"), ("next_review_date", "<=", today)])
        if due:
            due.action_review()

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("sla_agreement_id", "=", self.id)]
        action["context"] = {"search_default_sla_open": 1}
        return action

    def action_view_versions(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Versions"),
            "res_model": "internal.sla.agreement.version",
            "view_mode": "list,form",
            "domain": [("agreement_id", "=", self.id)],
            "context": {"default_agreement_id": self.id},
        }

    def action_amend(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Amend %s", self.name),
            "res_model": "internal.sla.amendment.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_agreement_id": self.id},
        }

    # -- matching (B1) ----------------------------------------------------------------------

    @api.model
    @ormcache()
    def _sla_index(self):
        """The agreements in force as plain data for matching requests without a query.

        Cached until an agreement, version, target or pause stage changes
        (``_sla_index_changed``).
        """
        agreements = self.sudo().search([("state", "in", ACTIVE_STATES)])
        by_provider = defaultdict(list)
        for agreement in agreements:
            versions = tuple(
                VersionInfo(
                    id=version.id,
                    number=version.number,
                    date_effective=version.date_effective,
                    targets=tuple(target._info() for target in version.target_ids),
                )
                for version in agreement.version_ids.sorted(
                    lambda v: (v.date_effective, v.number)
                )
            )
            key = (agreement.company_id.id, agreement.provider_department_id.id)
            by_provider[key].append(
                AgreementInfo(
                    id=agreement.id,
                    customer_scope=agreement.customer_scope,
                    customer_department_id=agreement.customer_department_id.id or None,
                    team_ids=frozenset(agreement.team_ids.ids),
                    date_start=agreement.date_start,
                    date_end=agreement.date_end or None,
                    calendar_id=agreement.resource_calendar_id.id,
                    tz=agreement.tz or "UTC",
                    hours_per_day=agreement.resource_calendar_id.hours_per_day,
                    required_fields=tuple(agreement.required_field_ids.mapped("name")),
                    escalation_percents=agreement._escalation_percents(),
                    versions=versions,
                )
            )
        pause_stages = (
            self.env["helpdesk.ticket.stage"].sudo().search([("sla_pause", "=", True)])
        )
        return Index(
            agreements={key: tuple(value) for key, value in by_provider.items()},
            pause_stage_ids=frozenset(pause_stages.ids),
            required_fields=frozenset(agreements.required_field_ids.mapped("name")),
        )

    @api.model
    def _sla_index_changed(self):
        self.env.registry.clear_cache()

    @api.model
    def _working_time_of(self, info):
        """Working time of an :class:`AgreementInfo` (cached, no query once warm)."""
        calendar = self.env["resource.calendar"].browse(info.calendar_id)
        return calendar._internal_sla_working_time(info.tz)

    def _attach_open_tickets(self):
        """Attach SLAs to open tickets without agreement that these agreements cover (B14)."""
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("sla_agreement_id", "=", False),
                    ("stage_id.closed", "=", False),
                    ("team_id.department_id", "in", self.provider_department_id.ids),
                ]
            )
        )
        tickets._sla_attach(rule=self.env._("Agreement put in force"))

    def _recompute_open_lines(self, rule):
        lines = (
            self.env["internal.sla.line"]
            .sudo()
            .search(
                [
                    ("agreement_id", "in", self.ids),
                    ("reached_date", "=", False),
                    ("state", "!=", "cancelled"),
                ]
            )
        )
        lines._recompute(rule=rule)

    # -- scope changes reach the open tickets (B1, B13) -------------------------------------

    def _sla_scope(self):
        """What decides the requests this agreement covers, as comparable values (same
        order as ``SCOPE_FIELDS``); None when it is not in force."""
        self.ensure_one()
        if not (self.active and self.state in ACTIVE_STATES):
            return None
        return (
            self.company_id.id,
            self.provider_department_id.id,
            self.customer_scope,
            self.customer_department_id.id if self.customer_scope == "department" else None,
            frozenset(self.team_ids.ids),
            self.date_start,
            self.date_end or None,
        )

    def _sla_scope_rule(self, before):
        """The rule a ticket re-matched by this agreement's change is logged with."""
        self.ensure_one()
        after = self._sla_scope()
        if before is None:
            return self.env._("Agreement %s put in force", self.name)
        if after is None:
            if self.state == "cancelled":
                return self.env._("Agreement %s cancelled", self.name)
            if self.state == "expired":
                return self.env._("Agreement %s expired", self.name)
            return self.env._("Agreement %s no longer in force", self.name)
        labels = [
            self._fields[name].get_description(self.env)["string"]
            for name, old, new in zip(SCOPE_FIELDS, before, after, strict=True)
            if old != new
        ]
        return self.env._(
            "Agreement %(agreement)s changed: %(fields)s",
            agreement=self.name,
            fields=", ".join(labels),
        )

    def _sla_scope_changed(self, scopes):
        """Re-match the open tickets these agreements covered or may cover now, when what
        they cover changed: one search for all of them, then matching in memory.

        :param scopes: ``{agreement id: _sla_scope() before the change}``
        :return: the tickets whose agreement changed
        """
        changed = self.filtered(
            lambda agreement: agreement._sla_scope() != scopes[agreement.id]
        )
        if not changed:
            return self.env["helpdesk.ticket"]
        rules = {
            agreement.id: agreement._sla_scope_rule(scopes[agreement.id])
            for agreement in changed
        }
        # the provider departments before and after: their requests may change hands
        departments = {scopes[a.id][1] for a in changed if scopes[a.id]}
        departments.update(changed.provider_department_id.ids)
        # archived requests too: their clocks stay true should they be restored
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("stage_id.closed", "=", False),
                    "|",
                    ("sla_agreement_id", "in", changed.ids),
                    ("team_id.department_id", "in", list(departments)),
                ]
            )
        )
        return tickets._sla_agreement_changed(rules) if tickets else tickets

    def copy_data(self, default=None):
        vals_list = super().copy_data(default)
        for agreement, vals in zip(self, vals_list, strict=True):
            vals["name"] = self.env._("%s (copy)", agreement.name)
        return vals_list

    # -- feedback: internal NPS on its cadence (C2), survey figures (C6, C4) ---------------

    nps_cadence = fields.Selection(
        CADENCES,
        string="NPS cadence",
        tracking=True,
        default=lambda self: (
            setting(self.env, "default_nps_cadence", "quarterly", NPS_CADENCES.get)
            or "quarterly"
        ),
        required=True,
        help="When the customer side is asked whether it would recommend the provider. "
        "'At milestones': once when an amendment comes into force and once after each "
        "review meeting of heads of department or top management (its contact report "
        "sent); the 'Send NPS survey' button sends one at any time.",
    )
    nps_next_date = fields.Date(
        string="Next NPS survey", copy=False, help="Empty: the next daily run sends one."
    )
    nps_panel_user_ids = fields.Many2many(
        "res.users",
        "internal_sla_agreement_nps_panel_rel",
        "agreement_id",
        "user_id",
        string="NPS panel",
        tracking=True,
        domain=[("share", "=", False)],
        help="Who answers the NPS survey; empty: every employee of the customer department.",
    )
    nps_survey_id = fields.Many2one(
        "survey.survey",
        string="NPS survey",
        tracking=True,
        domain=[("internal_sla_kind", "=", "nps")],
        help="The reasons a respondent can give depend on the kind of service: choose the "
        "NPS survey whose reasons fit this agreement. Empty: the general NPS survey.",
    )
    feedback_invitation_ids = fields.One2many(
        "internal.sla.feedback.invitation", "agreement_id", string="Feedback invitations"
    )
    feedback_nps = fields.Float(
        string="NPS", compute="_compute_feedback", help="% promoters − % detractors."
    )
    feedback_nps_answers = fields.Integer(string="NPS answers", compute="_compute_feedback")
    feedback_csat = fields.Float(string="CSAT %", compute="_compute_feedback")
    feedback_csat_answers = fields.Integer(string="CSAT answers", compute="_compute_feedback")
    feedback_response_rate = fields.Float(string="Response rate %", compute="_compute_feedback")
    feedback_hidden = fields.Boolean(
        compute="_compute_feedback",
        help="Fewer people answered than the anonymity minimum (Settings): figures are hidden.",
    )
    feedback_has_data = fields.Boolean(compute="_compute_feedback")
    feedback_has_nps = fields.Boolean(
        compute="_compute_feedback",
        help="Someone answered the NPS survey (CSAT answers alone make no NPS).",
    )
    feedback_hidden_note = fields.Char(compute="_compute_feedback")

    @api.depends_context("internal_sla_now")
    def _compute_feedback(self):
        Invitation = self.env["internal.sla.feedback.invitation"]
        domain = [("agreement_id", "in", self.ids), ("kind", "in", ("nps", "csat"))]
        stats = Invitation._stats(domain, ["agreement_id"])
        rates = Invitation._response_rates([("agreement_id", "in", self.ids)], ["agreement_id"])
        hidden_note = self.env._(
            "Fewer than %(minimum)s people answered: the figures stay hidden to keep answers "
            "anonymous.",
            minimum=min_respondents(self.env),
        )
        for agreement in self:
            figures = stats.get((agreement,), {})
            agreement.feedback_has_data = bool(figures)
            # the NPS below the anonymity minimum; CSAT is hidden on its own respondents
            agreement.feedback_hidden = "nps" in figures.get("hidden_kinds", ())
            agreement.feedback_hidden_note = hidden_note
            agreement.feedback_nps = figures.get("nps") or 0.0
            agreement.feedback_nps_answers = (
                (figures.get("promoters") or 0)
                + (figures.get("passives") or 0)
                + (figures.get("detractors") or 0)
            )
            agreement.feedback_has_nps = (
                agreement.feedback_hidden or agreement.feedback_nps_answers > 0
            )
            agreement.feedback_csat = figures.get("csat") or 0.0
            agreement.feedback_csat_answers = figures.get("csat_answers") or 0
            agreement.feedback_response_rate = rates.get((agreement,)) or 0.0

    def _nps_panel(self):
        """Who answers this agreement's NPS: the panel, else the customer department."""
        self.ensure_one()
        if self.nps_panel_user_ids:
            return self.nps_panel_user_ids
        if self.customer_scope == "department":
            employees = (
                self.env["hr.employee"]
                .sudo()
                .search([("department_id", "child_of", self.customer_department_id.id)])
            )
            return employees.user_id
        return self.env["res.users"]

    def action_send_nps(self):
        """Send this agreement's NPS survey now (out of cadence)."""
        return self._send_nps()

    def _nps_at_milestones(self):
        """Those of these agreements in force whose NPS cadence is 'At milestones'."""
        return self.filtered(
            lambda a: a.nps_cadence == "milestone" and a.state in ACTIVE_STATES
        )

    def _send_nps(self, milestone=None):
        Invitation = self.env["internal.sla.feedback.invitation"]
        invitations = Invitation
        for agreement in self:
            panel = agreement._nps_panel()
            if not panel:
                agreement.message_post(
                    body=self.env._(
                        "No NPS survey sent: the agreement serves all departments and has "
                        "no NPS panel. Choose the panel."
                    )
                )
                continue
            values = {
                "agreement_id": agreement.id,
                "provider_department_id": agreement.provider_department_id.id,
                "customer_department_id": agreement.customer_department_id.id,
                "company_id": agreement.company_id.id,
            }
            # an agreement with every department: each answer speaks for the respondent's
            # own department, so that the department pairs show it
            departments = (
                {}
                if agreement.customer_department_id
                else self.env["helpdesk.ticket"]._sla_departments_of_partners(
                    panel.partner_id.ids
                )
            )
            sent = Invitation._invite_many(
                "nps",
                [
                    (
                        user,
                        dict(values, customer_department_id=departments[user.partner_id.id])
                        if user.partner_id.id in departments
                        else values,
                    )
                    for user in panel
                ],
                survey=agreement.nps_survey_id,
            )
            invitations |= sent
            note = self.env._(
                "NPS survey sent to %(count)s people (%(skipped)s over their survey "
                "budget sampled out).",
                count=len(sent.filtered(lambda i: i.state == "sent")),
                skipped=len(sent.filtered(lambda i: i.state == "skipped")),
            )
            agreement.message_post(
                body=self.env._(
                    "Milestone: %(milestone)s. %(note)s", milestone=milestone, note=note
                )
                if milestone
                else note
            )
        return invitations

    @api.model
    def _cron_send_nps(self, now):
        today = now.date()
        due = self.search(
            [
                ("state", "in", ("active", "review")),
                ("nps_cadence", "in", ("monthly", "quarterly")),
                "|",
                ("nps_next_date", "=", False),
                ("nps_next_date", "<=", today),
            ]
        )
        Invitation = self.env["internal.sla.feedback.invitation"]
        for agreement in due:
            agreement.action_send_nps()
            agreement.nps_next_date = Invitation._next_date(today, agreement.nps_cadence)
        # milestones: the amendments that came into force in the last days of Settings (an
        # amendment takes effect today or later, so none is missed by a run that fails for
        # a few days)
        milestone_days = positive_setting(self.env, "nps_milestone_days")
        self.env["internal.sla.agreement.version"].search(
            [
                ("number", ">", 1),
                ("nps_milestone_sent", "=", False),
                ("date_effective", "<=", today),
                ("date_effective", ">", today - timedelta(days=milestone_days)),
                ("agreement_id.state", "in", ACTIVE_STATES),
                ("agreement_id.nps_cadence", "=", "milestone"),
            ]
        )._send_nps_in_force(today)

    def action_view_feedback(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "internal_sla.internal_sla_feedback_invitation_action"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {"search_default_answered": 1}
        return action

    def action_view_feedback_trend(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "internal_sla.internal_sla_feedback_report_action"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        return action

    # -- current KPIs (dashboard cards, scorecard button) ---------------------------------

    kpi_sla_met_percent = fields.Float(
        string="SLA met % (recent months)", compute="_compute_kpis", digits=(16, 1)
    )
    kpi_sla_met_display = fields.Char(string="SLA met", compute="_compute_kpis")
    kpi_health = fields.Selection(
        kpi.HEALTH_LEVELS,
        string="Service health",
        compute="_compute_kpis",
        help="From the SLA met % of the recent months (Settings), against the service health "
        "thresholds of Settings (healthy from, poor below).",
    )
    kpi_first_response_display = fields.Char(
        string="Mean first response", compute="_compute_kpis"
    )
    kpi_volume = fields.Integer(string="Requests (recent months)", compute="_compute_kpis")
    kpi_backlog = fields.Integer(string="Open requests", compute="_compute_kpis")
    kpi_breached = fields.Integer(string="Breaches (recent months)", compute="_compute_kpis")

    def _compute_kpis(self):
        """Two queries for all the agreements shown, whatever their number."""
        real = self.filtered("id")
        by_agreement = (
            self.env["internal.sla.kpi"]._kpis(
                [("sla_agreement_id", "in", real.ids)], groupby="agreement"
            )
            if real
            else {}
        )
        empty = self.env["internal.sla.kpi"]._kpi_set({}, {}, {})
        for agreement in self:
            kpis = by_agreement.get(agreement.id, empty)
            agreement.kpi_sla_met_percent = kpis["sla_met_percent"] or 0.0
            agreement.kpi_health = health(self.env, kpis["sla_met_percent"])
            agreement.kpi_sla_met_display = self.env["internal.sla.kpi"]._display(
                kpis["sla_met_percent"], "percent"
            )
            agreement.kpi_sla_met_raw_display = self.env["internal.sla.kpi"]._display(
                kpis["sla_met_percent_raw"], "percent"
            )
            agreement.kpi_first_response_display = self.env["internal.sla.kpi"]._display(
                kpis["first_response_mean"], "seconds"
            )
            agreement.kpi_volume = kpis["volume"]
            agreement.kpi_backlog = kpis["backlog"]
            agreement.kpi_breached = kpis["breached"]

    def _scorecard_comments(self, start, end):
        """Survey comments of the period for the XLSX exports, per agreement of ``self``
        (one query): the one place the feedback part plugs its answers in (override and
        extend the lists).

        :return: ``{agreement id: [{respondent, kind, date, survey, score, comment}]}``;
            the exports show an agreement's comments of a survey kind only from the
            anonymity minimum of distinct respondents on (``kpi.publishable_comments``)
        """
        invitations = (
            self.env["internal.sla.feedback.invitation"]
            .sudo()
            .search(
                [
                    ("agreement_id", "in", self.ids),
                    ("kind", "in", ("nps", "csat")),
                    ("state", "=", "answered"),
                    ("comment", "!=", False),
                    ("date_answered", ">=", start),
                    ("date_answered", "<", end),
                ],
                order="date_answered, id",
            )
        )
        comments = {agreement.id: [] for agreement in self}
        for invitation in invitations:
            comments[invitation.agreement_id.id].append(
                {
                    "respondent": invitation.user_id.id,
                    "kind": invitation.kind,
                    "date": invitation.date_answered,
                    "survey": invitation.survey_id.display_name,
                    "score": invitation.score,
                    "comment": invitation.comment,
                }
            )
        return comments

    def action_open_scorecard(self):
        self.ensure_one()
        self.check_access("read")
        scorecard = self.env["internal.sla.scorecard"].create({"agreement_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Scorecard: %s", self.name),
            "res_model": "internal.sla.scorecard",
            "res_id": scorecard.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_open_analysis(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "internal_sla.internal_sla_report_action"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {"search_default_filter_last_year": 1}
        return action

    # -- load-adaptive targets (B11) --------------------------------------------------------

    surge_enabled = fields.Boolean(
        string="Relax targets in a surge",
        default=lambda self: self._surge_default("enabled", False),
        tracking=True,
        help="When the backlog of a provider team becomes abnormally high, requests filed "
        "to it get targets relaxed by the surge factor until the backlog falls back.",
    )
    surge_backlog_threshold = fields.Integer(
        string="Surge above (open requests)",
        default=lambda self: self._surge_default("backlog_threshold", 0),
        tracking=True,
        help="A team with more open requests than this is in a surge (0: not used).",
    )
    surge_average_percent = fields.Float(
        string="Surge above the average backlog (%)",
        default=lambda self: self._surge_default("average_percent", 0.0),
        tracking=True,
        help="A team whose open requests exceed its average backlog (its daily backlog over "
        "the last four weeks, or the days set in Settings) by this share is in a surge "
        "(0: not used).",
    )
    surge_condition = fields.Selection(
        SURGE_CONDITIONS,
        string="Surge when",
        tracking=True,
        default="any",
        required=True,
    )
    surge_factor = fields.Float(
        string="Relax targets by (×)",
        default=lambda self: self._surge_default("factor", 1.5),
        digits=(16, 2),
        tracking=True,
        help="Targets of requests filed during a surge are this many times longer "
        "(1.5: 50 % longer).",
    )
    surge_ids = fields.One2many("internal.sla.surge", "agreement_id", string="Surge periods")
    surge_count = fields.Integer(string="Surges", compute="_compute_surge")
    surge_notice = fields.Text(compute="_compute_surge")
    kpi_sla_met_raw_display = fields.Char(
        string="SLA met, targets not relaxed",
        compute="_compute_kpis",
        help="SLA met % of the recent months as if no surge had relaxed a target.",
    )

    @api.model
    def _surge_default(self, key, fallback):
        value = self.env["ir.config_parameter"].sudo().get_param(f"internal_sla.surge_{key}")
        if value in (None, False, ""):
            return fallback
        return type(fallback)(value) if not isinstance(fallback, bool) else value == "True"

    def _compute_surge(self):
        real = self.filtered("id")
        surges = self.env["internal.sla.surge"].sudo()
        counts = dict(
            surges._read_group(
                [("agreement_id", "in", real.ids)], ["agreement_id"], ["__count"]
            )
        )
        in_progress = surges.search(
            [("agreement_id", "in", real.ids), ("date_end", "=", False)]
        ).grouped("agreement_id")
        for agreement in self:
            agreement.surge_count = counts.get(agreement, 0)
            agreement.surge_notice = "\n".join(
                self.env._(
                    "%(team)s is in a surge since %(since)s (%(backlog)s open requests): "
                    "requests filed now get targets %(factor)s× longer.",
                    team=surge.team_id.name,
                    since=format_datetime(
                        self.env, surge.date_start, tz=agreement.tz, dt_format="short"
                    ),
                    backlog=surge.backlog_peak,
                    factor=f"{surge.factor:g}",
                )
                for surge in in_progress.get(agreement._origin, surges)
            )

    @api.constrains(
        "surge_enabled", "surge_backlog_threshold", "surge_average_percent", "surge_factor"
    )
    def _check_surge_rule(self):
        for agreement in self:
            if agreement.surge_backlog_threshold < 0 or agreement.surge_average_percent < 0:
                raise ValidationError(
                    self.env._(
                        "%(agreement)s: the surge thresholds cannot be negative (0: not used).",
                        agreement=agreement.name,
                    )
                )
            if not agreement.surge_enabled:
                continue
            if not 1.0 < agreement.surge_factor <= MAX_SURGE_FACTOR:
                raise ValidationError(
                    self.env._(
                        "%(agreement)s: Relax targets by (×) must be above 1 and at most "
                        "%(highest)s (e.g. 1.5 for targets 50 %% longer).",
                        agreement=agreement.name,
                        highest=MAX_SURGE_FACTOR,
                    )
                )
            if not agreement.surge_backlog_threshold and not agreement.surge_average_percent:
                raise ValidationError(
                    self.env._(
                        "%(agreement)s: a surge rule needs 'Surge above (open requests)' or "
                        "'Surge above the average backlog (%%)'.",
                        agreement=agreement.name,
                    )
                )

    def _surge_teams(self):
        """``{agreement id: teams}`` whose backlog the surge rule watches: the agreement's
        teams, else every team of the provider department (one query)."""
        departments = self.filtered(lambda a: not a.team_ids).provider_department_id
        teams_by_department = (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .search([("department_id", "in", departments.ids)])
            .grouped("department_id")
            if departments
            else {}
        )
        empty = self.env["helpdesk.ticket.team"]
        return {
            agreement.id: agreement.team_ids
            or teams_by_department.get(agreement.provider_department_id, empty)
            for agreement in self
        }

    def action_view_surges(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "internal_sla.internal_sla_surge_action"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {}
        return action

    # -- external API (G7) ----------------------------------------------------------------

    @api.readonly
    def get_kpis(self, date_from=None, date_to=None):
        """The KPI set (SPEC F1) of each agreement over a period, for other systems:
        ``POST /json/2/internal.sla.agreement/get_kpis`` with ``ids`` (README, API).

        The caller must be allowed to read the agreements; the figures come from the KPI
        service, the same as on the scorecard.

        :param date_from: first day of the period (``YYYY-MM-DD``); default: the months of
            Settings (12) before ``date_to``
        :param date_to: the day after the period (``YYYY-MM-DD``, excluded); default:
            tomorrow (today included)
        :return: one dict per agreement: ``id``, ``name``, ``date_from``, ``date_to`` and
            ``kpis`` (percentages 0–100, working times in seconds, ``None`` for no data)
        """
        self.check_access("read")
        try:
            start, end = (
                fields.Date.to_date(value) if value else None for value in (date_from, date_to)
            )
        except ValueError as error:
            raise UserError(
                self.env._(
                    "Give date_from and date_to as YYYY-MM-DD dates (%(error)s).",
                    error=error,
                )
            ) from error
        Kpi = self.env["internal.sla.kpi"]
        # whole days: by default the period ends with today, so that a request filed a
        # moment ago counts
        start, end = Kpi._period(
            start, end or fields.Date.context_today(self) + relativedelta(days=1)
        )
        by_agreement = Kpi._kpis(
            [("sla_agreement_id", "in", self.ids)], start, end, groupby="agreement"
        )
        empty = Kpi._kpi_set({}, {}, {})
        return [
            {
                "id": agreement.id,
                "name": agreement.name,
                "date_from": fields.Datetime.to_string(start),
                "date_to": fields.Datetime.to_string(end),
                "kpis": by_agreement.get(agreement.id, empty),
            }
            for agreement in self
        ]
