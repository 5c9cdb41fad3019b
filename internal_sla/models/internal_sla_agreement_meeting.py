"""Review meetings of an agreement (SPEC D1–D5, H11): roles, rituals, unscheduled reviews.

Kept apart from ``internal_sla_agreement.py`` (the agreement itself) so that the meeting
layer reads as one piece; the model is the same ``internal.sla.agreement``.
"""

from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date, format_datetime

from ..engine import kpi
from .res_config_settings import (
    BENCHMARK_LABELS,
    benchmark_thresholds,
    fast_response_seconds,
    hour_setting,
    min_respondents,
    positive_setting,
    recipient_env,
    service_level_goals,
    setting,
    weekday_setting,
    with_automation_lang,
)

SIDES = [("provider", "Provider"), ("customer", "Customer")]
LEVELS = [("1", "1 · Managers"), ("2", "2 · Heads of department"), ("3", "3 · Top management")]
MAX_LEVEL = 3


def config_number(env, key, default):
    """The number ``internal_sla.<key>`` of Settings (a float), ``default`` when unset."""
    return setting(env, key, default, float)


# the agreement's fields the meeting roles are resolved from
ROLE_FIELDS = {
    "provider_owner_id",
    "customer_owner_id",
    "provider_department_id",
    "customer_department_id",
    "customer_scope",
}


class InternalSlaAgreement(models.Model):
    _inherit = "internal.sla.agreement"

    ritual_ids = fields.One2many("internal.sla.ritual", "agreement_id", string="Rituals")
    meeting_ids = fields.One2many("calendar.event", "sla_agreement_id", string="Meetings")
    meeting_count = fields.Integer(compute="_compute_meeting_count")
    action_item_ids = fields.One2many("internal.sla.action.item", "agreement_id")
    open_action_count = fields.Integer(compute="_compute_open_action_count")
    meeting_cause_ids = fields.One2many("internal.sla.meeting.cause", "agreement_id")
    improvement_plan = fields.Html(
        help="What both sides plan to improve; shown in every meeting agenda and updated "
        "after each review.",
    )

    def _compute_meeting_count(self):
        counts = dict(
            self.env["calendar.event"]._read_group(
                [("sla_agreement_id", "in", self.ids)], ["sla_agreement_id"], ["__count"]
            )
        )
        for agreement in self:
            agreement.meeting_count = counts.get(agreement, 0)

    def _compute_open_action_count(self):
        counts = dict(
            self.env["internal.sla.action.item"]._read_group(
                [("agreement_id", "in", self.ids), ("state", "=", "open")],
                ["agreement_id"],
                ["__count"],
            )
        )
        for agreement in self:
            agreement.open_action_count = counts.get(agreement, 0)

    # -- the scorecard button (views/internal_sla_scorecard_views.xml) ---------------------

    kpi_window_display = fields.Char(
        string="Scorecard window",
        compute="_compute_kpi_window_display",
        help="The scorecard button's label: the months its figures cover (Settings).",
    )

    def _compute_kpi_window_display(self):
        """The window of the figures on records is a setting (12 months by default): the
        button names the one in force rather than a fixed 12."""
        label = self.env._(
            "Scorecard (%(months)s m)", months=positive_setting(self.env, "kpi_window_months")
        )
        for agreement in self:
            agreement.kpi_window_display = label

    # -- roles (D1) ------------------------------------------------------------------------

    def _sla_department(self, side):
        self.ensure_one()
        if side == "provider":
            return self.provider_department_id
        return self.customer_department_id if self.customer_scope == "department" else None

    @api.model
    def _sla_ancestors(self, department):
        """Parent, grandparent, … of ``department`` (guarded against cycles)."""
        chain, seen = [], {department.id}
        parent = department.parent_id
        while parent and parent.id not in seen:
            chain.append(parent)
            seen.add(parent.id)
            parent = parent.parent_id
        return chain

    def _sla_role_user(self, side, level):
        """The people of ``side`` at ``level`` (an empty ``res.users`` when the role is
        vacant):

        - level 1, managers: the agreement owner of that side and its department's manager
          (usually one person); a customer side of all departments has no department:
          its owner alone;
        - level 2, heads of department: the manager of the parent department, or the
          department's own manager when its parent is the top of the hierarchy;
        - level 3, top management: the manager of the top of the hierarchy above it (on
          the provider side, the agreement's top manager when one is set).

        People who left (archived users, or managers whose employee record is archived)
        hold no role.
        """
        self.ensure_one()
        users = self.env["res.users"]
        department = self._sla_department(side)
        if not department:
            if side == "customer" and level == 1:
                return self.customer_owner_id.filtered("active")
            return users
        if level == 1:
            owner = self.provider_owner_id if side == "provider" else self.customer_owner_id
            return (owner | department._sla_head()).filtered("active")
        if level == 3 and side == "provider" and self.escalation_top_user_id.active:
            return self.escalation_top_user_id
        ancestors = self._sla_ancestors(department)
        if not ancestors:
            return users  # a department at the top: nobody above its managers
        if level == 2:
            head = ancestors[0] if len(ancestors) >= 2 else department
        else:
            head = ancestors[-1]
        return head._sla_head()

    def _sla_role_label(self, side, level):
        return self.env._(
            "%(side)s level %(level)s (%(role)s)",
            side=dict(SIDES)[side],
            level=level,
            role=dict(LEVELS)[str(level)].split("· ")[1],
        )

    def _sla_attendees(self, max_level):
        """Users of both sides at levels 1..``max_level``, and the labels of vacant roles.
        The customer side of an agreement with all departments is its owner (level 1):
        no department, so no heads above them."""
        self.ensure_one()
        users = self.env["res.users"]
        vacant = []
        for side, _label in SIDES:
            top = 1 if side == "customer" and self.customer_scope == "all" else max_level
            for level in range(1, top + 1):
                user = self._sla_role_user(side, level)
                if user:
                    users |= user
                else:
                    vacant.append(self._sla_role_label(side, level))
        return users, vacant

    def _sla_note_vacant_roles(self, vacant, what):
        if vacant:
            self.message_post(
                body=self.env._(
                    "%(what)s: nobody holds %(roles)s; the meeting goes ahead without "
                    "them. Set the department managers (or the parent departments) to "
                    "fill these roles.",
                    what=what,
                    roles=", ".join(vacant),
                ),
                subtype_xmlid="mail.mt_note",
            )

    # -- rituals (D1) ------------------------------------------------------------------------

    def _sla_local_datetime(self, day, hour):
        """``day`` at ``hour`` (10.5 = 10:30) in the agreement's time zone, as naive UTC."""
        tz = pytz.timezone(self.tz or "UTC")
        hours, minutes = divmod(min(round(hour * 60), 24 * 60 - 1), 60)
        local = tz.localize(datetime.combine(day, time(hours, minutes)))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    def _sla_ritual_first_date(self, kind):
        """First meeting of a new ritual of ``kind`` as set in Settings (G1): a weekly
        sync on the next sync weekday, a review on the first review weekday of next
        month, each at its hour in the agreement's time zone (naive UTC)."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        if kind == "sync":
            day = today + relativedelta(
                days=1, weekday=weekday_setting(self.env, "ritual_sync_weekday")
            )
            return self._sla_local_datetime(day, hour_setting(self.env, "ritual_sync_hour"))
        day = today + relativedelta(
            months=1, day=1, weekday=weekday_setting(self.env, "ritual_review_weekday")
        )
        return self._sla_local_datetime(day, hour_setting(self.env, "ritual_review_hour"))

    def action_schedule_rituals(self):
        """Create the default rituals where none exist (weekly sync and monthly
        three-level review) and put every unscheduled ritual in the calendar."""
        self.env["internal.sla.ritual"].create(
            [
                {
                    "agreement_id": agreement.id,
                    "kind": kind,
                    "cadence": cadence,
                    "date_first": agreement._sla_ritual_first_date(kind),
                }
                for agreement in self.filtered(lambda a: not a.ritual_ids)
                for kind, cadence in (("sync", "weekly"), ("review", "monthly"))
            ]
        )
        self.ritual_ids.filtered(lambda r: not r.event_id).action_schedule()
        return True

    def _sla_resync_rituals(self):
        """Attendees of future ritual meetings follow the people in the roles."""
        self.ritual_ids.filtered("event_id")._sync_attendees()

    def write(self, vals):
        result = super().write(vals)
        # the owners hold level 1 with their department's manager (``_sla_role_user``),
        # the departments' managers and their parents levels 1 to 3
        if ROLE_FIELDS & set(vals):
            self.sudo()._sla_resync_rituals()
        return result

    # -- unscheduled meetings (D2) -------------------------------------------------------------

    def _sla_propose(self, cause, word_reason):
        """Record ``cause`` and propose a draft meeting with an activity for the owner;
        nothing when the cause is known already. Returns the activity (or nothing).

        :param word_reason: ``word_reason(env)`` words the reason in ``env``'s language:
            the owner's for their activity, the language of automated notes elsewhere; or
            a text, the same for everyone (a person's own words)
        """
        self.ensure_one()
        Cause = self.env["internal.sla.meeting.cause"].sudo()
        if Cause.search_count([("agreement_id", "=", self.id), ("cause", "=", cause)], limit=1):
            return self.env["mail.activity"]
        if not callable(word_reason):  # a text: the same in every language
            word_reason = lambda _env, text=word_reason: text
        reason = word_reason(self.env)
        record = Cause.create({"agreement_id": self.id, "cause": cause, "reason": reason})
        agreement = self.sudo()
        users, vacant = agreement._sla_attendees(1)
        owner = agreement.provider_owner_id or agreement.customer_owner_id
        # where Settings place it (G1), moved to the next working time of the agreement
        day = fields.Datetime.now().date() + timedelta(
            days=positive_setting(self.env, "meeting_proposed_days")
        )
        start = agreement._working_time().add(
            agreement._sla_local_datetime(day, hour_setting(self.env, "meeting_proposed_hour")),
            0,
        )
        event = (
            self.env["calendar.event"]
            .sudo()
            .with_context(
                no_mail_to_attendees=True, dont_notify=True, skip_contact_description=True
            )
            .create(
                {
                    "name": self.env._(
                        "%(agreement)s: unscheduled review", agreement=agreement.name
                    ),
                    "start": start,
                    "stop": start
                    + timedelta(hours=positive_setting(self.env, "meeting_duration_hours")),
                    "user_id": (owner or self.env.user).id,
                    "partner_ids": [fields.Command.set(users.partner_id.ids)],
                    "sla_agreement_id": agreement.id,
                    "sla_kind": "unscheduled",
                    "sla_proposed": True,
                    "description": Markup("<p>%s</p>") % reason,
                }
            )
        )
        record.event_id = event
        agreement._sla_note_vacant_roles(vacant, self.env._("Unscheduled review"))
        if not owner:
            agreement.message_post(
                body=self.env._("Unscheduled review: %s", reason), subtype_xmlid="mail.mt_note"
            )
            return self.env["mail.activity"]
        owner_env = recipient_env(self, owner)  # the owner's activity, in their language
        activity = agreement.activity_schedule(
            "mail.mail_activity_data_meeting",
            summary=owner_env._("Unscheduled review: %s", word_reason(owner_env))[:250],
            note=Markup("<p>%s</p>")
            % owner_env._(
                "Confirm the proposed meeting of %(date)s (or move it), then send the "
                "invitations.",
                date=format_datetime(owner_env, start, tz=agreement.tz, dt_format="short"),
            ),
            user_id=owner.id,
            date_deadline=fields.Date.context_today(self),
        )
        record.activity_id = activity
        return activity

    def _sla_withdraw_proposal(self, cause):
        """The reason for the meeting proposed for ``cause`` is gone: the proposal (its
        draft meeting and the owner's activity) goes, unless the owner confirmed the
        meeting; the cause is forgotten, so that it may propose again."""
        self.ensure_one()
        record = (
            self.env["internal.sla.meeting.cause"]
            .sudo()
            .search([("agreement_id", "=", self.id), ("cause", "=", cause)])
        )
        if not record:
            return
        if record.event_id.sla_proposed:
            record.activity_id.unlink()
            record.event_id.unlink()
        record.unlink()

    @api.model
    def _cron_meeting_triggers(self):
        """Propose an unscheduled review where the backlog grew above X% week over week or
        N breaches happened in the period (SPEC D2). Each window is one cause, so a
        trigger fires once per week (or month) however often the cron runs."""
        now = fields.Datetime.now()
        agreements = self.search([("state", "in", ("active", "review"))])
        if not agreements:
            return
        agreements._sla_check_backlog(now)
        agreements._sla_check_breaches(now)

    def _sla_check_backlog(self, now):
        growth_limit = config_number(self.env, "meeting_backlog_growth", 20.0)
        minimum = config_number(self.env, "meeting_backlog_min", 5)
        week_ago = now - timedelta(days=7)
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search_fetch(
                [
                    ("sla_agreement_id", "in", self.ids),
                    ("create_date", "<", now),
                    "|",
                    ("closed_date", "=", False),
                    ("closed_date", ">", week_ago),
                ],
                ["sla_agreement_id", "create_date", "closed_date"],
            )
        )
        pairs = {}
        for ticket in tickets:
            pairs.setdefault(ticket.sla_agreement_id.id, []).append(
                (ticket.create_date, ticket.closed_date or None)
            )
        year, week, _day = now.isocalendar()
        for agreement in self:
            rows = pairs.get(agreement.id, [])
            before, after = kpi.backlog(rows, week_ago), kpi.backlog(rows, now)
            growth = kpi.percent(after - before, before)
            if growth is None or after < minimum or growth <= growth_limit:
                continue
            # the language is looked up only when a trigger fires
            agreement = with_automation_lang(agreement)
            agreement._propose_meeting(
                f"backlog:{year}-W{week:02d}",
                lambda env, before=before, after=after, growth=growth: env._(
                    "backlog grew from %(before)s to %(after)s open requests (+%(growth)s%%) "
                    "week over week",
                    before=before,
                    after=after,
                    growth=round(growth),
                ),
            )

    def _sla_breach_window(self, now):
        """The week (or month) containing ``now`` in the agreement's time zone: its first
        day and the instant that day starts (naive UTC), so that a breach at 01:00 on a
        Monday in Moscow counts for that Monday's week."""
        self.ensure_one()
        period = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("internal_sla.meeting_breach_period")
            or "week"
        )
        tz = pytz.timezone(self.tz or "UTC")
        day = pytz.utc.localize(now).astimezone(tz).date()
        first = day.replace(day=1) if period == "month" else day - timedelta(days=day.weekday())
        start = tz.localize(datetime.combine(first, time())).astimezone(pytz.utc)
        return first, start.replace(tzinfo=None), "month" if period == "month" else "week"

    def _sla_check_breaches(self, now):
        limit = config_number(self.env, "meeting_breach_count", 5)
        windows = {agreement: agreement._sla_breach_window(now) for agreement in self}
        # one count per distinct window start (agreements of one time zone share it)
        by_start = {}
        for agreement, (_first, start, _period) in windows.items():
            by_start.setdefault(start, self.browse())
            by_start[start] |= agreement
        counts = {}
        for start, agreements in by_start.items():
            counts.update(
                self.env["internal.sla.line"]
                .sudo()
                ._read_group(
                    [
                        ("agreement_id", "in", agreements.ids),
                        ("state", "=", "breached"),
                        ("deadline", ">=", start),
                        ("deadline", "<", now),
                    ],
                    ["agreement_id"],
                    ["__count"],
                )
            )
        for agreement, count in counts.items():
            first, _start, period = windows[agreement]
            if count >= limit:
                agreement = with_automation_lang(agreement)
                agreement._propose_meeting(
                    f"breaches:{period}:{first.isoformat()}",
                    lambda env, count=count, first=first: env._(
                        "%(count)s breached targets since %(date)s",
                        count=count,
                        date=format_date(env, first),
                    ),
                )

    def action_flag_initiative(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Flag a new initiative"),
            "res_model": "internal.sla.initiative.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_agreement_id": self.id},
        }

    # -- agenda (D3) ---------------------------------------------------------------------------

    def _agenda_feedback_section(self, date_from, date_to):
        """NPS and CSAT of this agreement between ``date_from`` and ``date_to`` (naive
        UTC) and the comments of those who answered, as HTML for the meeting agenda;
        groups of fewer respondents than the anonymity minimum stay hidden (H9). Empty
        when nobody answered: the agenda then says "no survey results since the last
        meeting"."""
        self.ensure_one()
        section = Markup()
        Invitation = self.env["internal.sla.feedback.invitation"].sudo()
        domain = [
            ("agreement_id", "=", self.id),
            ("kind", "in", ("nps", "csat")),
            ("date_answered", ">=", date_from),
            ("date_answered", "<", date_to),
        ]
        figures = Invitation._stats(domain).get(())
        if not figures:
            return section
        if figures["hidden"]:
            return section + Markup("<p>%s</p>") % self.env._(
                "%(count)s people answered: fewer than %(minimum)s, so the results stay "
                "hidden.",
                count=figures["respondents"],
                minimum=min_respondents(self.env),
            )
        items = [
            self.env._(
                "Internal NPS: %(nps)s (%(promoters)s promoters, %(detractors)s detractors)",
                nps=kpi.display(figures["nps"], "points"),
                promoters=figures["promoters"],
                detractors=figures["detractors"],
            )
            if figures["nps"] is not None
            else None,
            self.env._("Satisfaction (CSAT): %s", kpi.display(figures["csat"], "percent"))
            if figures["csat"] is not None
            else None,
        ]
        items += [
            self.env._(
                "%(kind)s: fewer than %(minimum)s people answered, so it stays hidden.",
                kind=dict(Invitation._fields["kind"]._description_selection(self.env))[kind],
                minimum=min_respondents(self.env),
            )
            for kind in sorted(figures["hidden_kinds"])
        ]
        # the comments of a kind whose figures are hidden would tell who answered what
        comments = Invitation.search_fetch(
            [
                *domain,
                ("kind", "not in", list(figures["hidden_kinds"])),
                ("state", "=", "answered"),
                ("comment", "!=", False),
            ],
            ["comment", "category"],
            order="date_answered desc",
            limit=10,
        )
        body = Markup("<ul>%s</ul>") % Markup().join(
            Markup("<li>%s</li>") % item for item in items if item
        )
        if comments:
            body += Markup("<p>%s</p><ul>%s</ul>") % (
                self.env._("Comments:"),
                Markup().join(Markup("<li>%s</li>") % comment.comment for comment in comments),
            )
        return section + body

    def _agenda_kpis(self, date_from, date_to):
        """KPIs of the requests created in the period against their goals, from the KPI
        service as the scorecard computes them (F1): [(label, value, goal, ok or None)]."""
        self.ensure_one()
        Kpi = self.env["internal.sla.kpi"]
        kpis = Kpi._kpis([("sla_agreement_id", "=", self.id)], date_from, date_to)
        goals = service_level_goals(self.env)
        goal = goals["sla_met_percent"]
        goal_text = self.env._("≥ %s%%", round(goal))

        def against_goal(label, value, detail):
            return (label, f"{round(value)}% ({detail})", goal_text, value >= goal)

        rows = []
        if kpis["met"] + kpis["breached"]:
            rows.append(
                against_goal(
                    self.env._("SLA met % — all targets"),
                    kpis["sla_met_percent"],
                    self.env._(
                        "%(met)s met, %(breached)s breached",
                        met=kpis["met"],
                        breached=kpis["breached"],
                    ),
                )
            )
            # breach exceptions (H5): accepted ones count as met
            rows.append(
                against_goal(
                    self.env._("SLA met % — accepted exceptions count as met"),
                    kpis["sla_met_percent_adjusted"],
                    self.env._("%s accepted exceptions", kpis["exceptions_accepted"]),
                )
            )
            if kpis["relaxed"]:
                # load-adaptive targets (B11): measured against the targets before a surge
                rows.append(
                    against_goal(
                        self.env._("SLA met % — against the targets before surges"),
                        kpis["sla_met_percent_raw"],
                        self.env._("%s deadlines relaxed", kpis["relaxed"]),
                    )
                )
        for key, label in (
            ("response_met_percent", self.env._("First response")),
            ("resolution_met_percent", self.env._("Resolution")),
            ("stage_met_percent", self.env._("Time in a stage")),
        ):
            if kpis[key] is not None:
                rows.append(
                    (
                        self.env._("SLA met %% — %s", label),
                        f"{round(kpis[key])}%",
                        goal_text,
                        kpis[key] >= goal,
                    )
                )
        first = kpis["first_response"]
        if first["count"]:
            limit = fast_response_seconds(self.env)
            rows.append(
                (
                    self.env._("First response, mean (working time)"),
                    self.env._(
                        "%(mean)s h (P90 %(p90)s h)",
                        mean=round(first["mean"] / 3600, 1),
                        p90=round(first["p90"] / 3600, 1),
                    ),
                    self.env._("< %s h", f"{limit / 3600:g}"),
                    first["mean"] < limit,
                )
            )
            fast_goal = goals["fast_response_percent"]
            rows.append(
                (
                    self.env._("Response < %s h", f"{limit / 3600:g}"),
                    f"{round(kpis['fast_response_percent'])}%",
                    self.env._("≥ %s%%", round(fast_goal)),
                    kpis["fast_response_percent"] >= fast_goal,
                )
            )
        # the methodology's benchmarks (F3) that have data in the period; the first
        # response is above, the NPS with its comments in the next part
        for bench in kpi.benchmarks(kpis, benchmark_thresholds(self.env)):
            if bench["key"] in ("first_response_mean", "nps"):
                continue
            # answered by fewer people than the anonymity minimum (H9): said, not shown
            hidden = bench["key"] == "csat_percent" and kpis["csat_hidden"]
            if bench["value"] is None and not hidden:
                continue
            rows.append(
                (
                    str(BENCHMARK_LABELS[bench["key"]]),
                    Kpi._display_answers(bench["value"], hidden, bench["unit"]),
                    f"{bench['comparison']} {Kpi._display(bench['threshold'], bench['unit'])}",
                    None if hidden else bench["status"] == "met",
                )
            )
        rows.append((self.env._("Requests created"), str(kpis["volume"]), "", None))
        rows.append(
            (self.env._("Open at the end of the period"), str(kpis["backlog"]), "", None)
        )
        return rows

    # -- views ---------------------------------------------------------------------------------

    def action_view_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "internal_sla.calendar_event_action_sla_meetings"
        )
        action["domain"] = [("sla_agreement_id", "=", self.id)]
        action["context"] = {
            "default_sla_agreement_id": self.id,
            "default_sla_kind": "unscheduled",
        }
        return action

    def action_view_action_items(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "internal_sla.internal_sla_action_item_action"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {"default_agreement_id": self.id, "search_default_open": 1}
        return action
