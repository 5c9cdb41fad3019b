from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import ormcache

from ..engine.limits import MAX_DURATION
from ..engine.working_time import NoWorkingTime
from .internal_sla_agreement import _active_user
from .internal_sla_line import sla_now
from .internal_sla_target_values_mixin import PRIORITIES
from .res_config_settings import recipient_env

UNIT_SECONDS = {"minutes": 60, "hours": 3600}
TRIGGERS = [
    ("time_in_stage", "Time in the stage"),
    ("requester_reply", "The requester replies"),
]
ACTIONS = [
    ("escalate", "Escalate to the head of the provider"),
    ("notify", "Notify"),
    ("priority", "Raise the priority"),
    ("move", "Move to a stage"),
    ("close", "Close with a message"),
]


# what decides when a ticket's pending rule is due (changing them plans it again)
PLAN_FIELDS = {
    "active",
    "duration",
    "duration_unit",
    "stage_id",
    "trigger",
    "agreement_id",
    "team_id",
}


class InternalSlaStageRule(models.Model):
    """An automated SLA stage (B6, micro-SLA): what happens when a request stays too long
    in a stage, or when its requester replies while it waits for them."""

    _name = "internal.sla.stage.rule"
    _inherit = ["internal.sla.agreement.part.mixin"]
    _description = "SLA Stage Rule"
    _order = "sequence, id"
    _rec_names_search = ["stage_id", "action_stage_id"]

    # not stored: the name speaks the reader's language
    name = fields.Char(compute="_compute_name")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    agreement_id = fields.Many2one(
        "internal.sla.agreement",
        ondelete="cascade",
        index=True,
        help="Applies to the requests of this agreement (with a team: of that team only).",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        ondelete="cascade",
        help="Applies to the requests of this team.",
    )
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, required=True
    )
    stage_id = fields.Many2one(
        "helpdesk.ticket.stage", string="In stage", required=True, ondelete="cascade"
    )
    trigger = fields.Selection(TRIGGERS, required=True, default="time_in_stage")
    duration = fields.Float(
        string="After", help="Working time in the stage after which the rule acts."
    )
    duration_unit = fields.Selection(
        [("minutes", "working minutes"), ("hours", "working hours"), ("days", "working days")],
        string="Unit",
        default="hours",
        required=True,
    )
    action = fields.Selection(ACTIONS, required=True, default="escalate")
    action_stage_id = fields.Many2one(
        "helpdesk.ticket.stage", string="To stage", ondelete="restrict"
    )
    notify_user_ids = fields.Many2many(
        "res.users",
        string="Also notify",
        help="Notified besides the assignee (Notify) or the head of the provider (Escalate).",
    )
    message = fields.Text(
        help="Posted on the request when the rule acts; sent to the requester when the "
        "request is moved or closed."
    )

    @api.depends("trigger", "duration", "duration_unit", "stage_id", "action")
    @api.depends_context("lang")
    def _compute_name(self):
        triggers, actions, units = (
            dict(self._fields[name]._description_selection(self.env))
            for name in ("trigger", "action", "duration_unit")
        )
        for rule in self:
            when = (
                self.env._(
                    "%(duration)g %(unit)s in %(stage)s",
                    duration=rule.duration,
                    unit=units.get(rule.duration_unit, ""),
                    stage=rule.stage_id.name or "",
                )
                if rule.trigger == "time_in_stage"
                else self.env._(
                    "%(trigger)s in %(stage)s",
                    trigger=triggers.get(rule.trigger, ""),
                    stage=rule.stage_id.name or "",
                )
            )
            rule.name = f"{when} → {actions.get(rule.action, '')}"

    # -- validation --------------------------------------------------------------------------

    @api.constrains(
        "agreement_id", "team_id", "trigger", "duration", "action", "action_stage_id"
    )
    def _check_rule(self):
        for rule in self:
            where = self.env._("Stage rule '%s'", rule.name)
            if not rule.agreement_id and not rule.team_id:
                raise ValidationError(
                    self.env._("%s: choose the Agreement or the Team it applies to.", where)
                )
            longest = MAX_DURATION[rule.duration_unit]
            if rule.trigger == "time_in_stage" and not 0 < rule.duration <= longest:
                raise ValidationError(
                    self.env._(
                        "%(where)s: After must be a positive working time (e.g. 4 working "
                        "hours), at most %(longest)s %(unit)s.",
                        where=where,
                        longest=longest,
                        unit=dict(
                            self._fields["duration_unit"]._description_selection(self.env)
                        )[rule.duration_unit],
                    )
                )
            if rule.trigger == "requester_reply" and rule.action != "move":
                raise ValidationError(
                    self.env._(
                        "%s: a requester's reply can only move the request to another "
                        "stage (e.g. back to In progress).",
                        where,
                    )
                )
            if rule.action in ("move", "close") and not rule.action_stage_id:
                raise ValidationError(self.env._("%s: choose the stage in To stage.", where))
            if rule.action == "move" and rule.action_stage_id == rule.stage_id:
                raise ValidationError(
                    self.env._("%s: To stage must differ from the stage watched.", where)
                )
            if rule.action == "close" and not rule.action_stage_id.closed:
                raise ValidationError(
                    self.env._(
                        "%(where)s: To stage %(stage)s is not a closed stage.",
                        where=where,
                        stage=rule.action_stage_id.name,
                    )
                )

    @api.onchange("action")
    def _onchange_action(self):
        if self.action == "close" and not self.action_stage_id.closed:
            self.action_stage_id = self.env["helpdesk.ticket.stage"].search(
                [("closed", "=", True)], limit=1
            )

    # -- lookup without queries (create path) ------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        # an agreement's rule belongs to the agreement's company (its company rule, G2)
        for vals in vals_list:
            if vals.get("agreement_id") and not vals.get("company_id"):
                agreement = (
                    self.env["internal.sla.agreement"].sudo().browse(vals["agreement_id"])
                )
                vals["company_id"] = agreement.company_id.id
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        rules._plan_requests_in_their_stages()
        return rules

    def _plan_requests_in_their_stages(self):
        """New time rules hold for the open requests already in their stage, as if they
        had been there all along: each request waits for the first rule after the one it
        passed last (a new rule whose time has already come fires at the next sweep; one
        shorter than a rule the request already passed does not fire afterwards)."""
        new = self.filtered(lambda rule: rule.active and rule.trigger == "time_in_stage")
        if not new:
            return
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search([("stage_id", "in", new.stage_id.ids), ("closed_date", "=", False)])
        )
        new_ids = set(new.ids)
        waiting = {}
        for ticket in tickets:
            ids = self._time_rule_ids(ticket)
            if new_ids.isdisjoint(ids):
                continue  # none of the new rules is in its scope
            awaited = ticket.sla_stage_rule_id.id
            # waiting for a rule: it passed those before; waiting for none: all of them
            before = ids[: ids.index(awaited)] if awaited in ids else ids
            passed = [rule_id for rule_id in before if rule_id not in new_ids]
            waiting[ticket] = passed[-1] if passed else None
        if waiting:
            self._replan_waiting(waiting)

    def write(self, vals):
        waiting = None
        if PLAN_FIELDS.intersection(vals):
            waiting = self._waiting_tickets(vals.get("stage_id"))
        res = super().write(vals)
        self.env.registry.clear_cache()
        if waiting:
            self._replan_waiting(waiting)
        if vals.get("active") or {"stage_id", "trigger"} & set(vals):
            # restored, or watching another stage: as a new rule there
            self._plan_requests_in_their_stages()
        return res

    def unlink(self):
        waiting = self._waiting_tickets()
        res = super().unlink()
        self.env.registry.clear_cache()
        if waiting:
            self._replan_waiting(waiting)
        return res

    def _waiting_tickets(self, new_stage_id=None):
        """Tickets waiting for a time rule of these rules' stages (and of the stage they
        move to), each with the rule it passed last there (the one before the awaited
        rule, these rules left out): its next rule follows that one. Read before the
        change, from the rule index."""
        stage_ids = set(self.stage_id.ids) | ({new_stage_id} if new_stage_id else set())
        tickets = (
            self.env["helpdesk.ticket"]
            .sudo()
            .search([("stage_id", "in", list(stage_ids)), ("sla_stage_rule_date", "!=", False)])
        )
        changed = set(self.ids)
        waiting = {}
        for ticket in tickets:
            ids = self._time_rule_ids(ticket)
            awaited = ticket.sla_stage_rule_id.id
            if awaited not in ids and awaited not in changed:
                continue  # waits for a rule these do not touch (another scope)
            before = ids[: ids.index(awaited)] if awaited in ids else []
            passed = [rule_id for rule_id in before if rule_id not in changed]
            waiting[ticket] = passed[-1] if passed else None
        return waiting

    @api.model
    def _time_rule_ids(self, ticket):
        """The ids of the time rules of the ticket's stage, in the order they fire."""
        return [
            rule[0]
            for rule in self._rules_for(
                ticket.sla_agreement_id.id,
                ticket.team_id.id,
                ticket.stage_id.id,
                "time_in_stage",
            )
        ]

    def _replan_waiting(self, waiting):
        """A rule a ticket waits for was deleted, archived or retimed: it waits for the
        rule after the one it passed last, with the rules as they are now (without this,
        a deleted rule made the ticket start over from the first rule of its stage, which
        then fired a second time)."""
        Rule = self.sudo()
        rows = [ticket._stage_plan_row(passed) for ticket, passed in waiting.items()]
        replies = {
            ticket.id: ticket.sla_last_requester_reply
            for ticket in waiting
            if ticket.sla_last_requester_reply
        }
        by_plan = defaultdict(list)
        for ticket_id, rule_id, due in Rule._plan_next(rows, sla_now(self.env), replies):
            by_plan[rule_id or False, due or False].append(ticket_id)
        Ticket = self.env["helpdesk.ticket"].sudo()
        for (rule_id, due), ticket_ids in by_plan.items():
            Ticket.browse(ticket_ids).write(
                {"sla_stage_rule_id": rule_id, "sla_stage_rule_date": due}
            )
        # a request that entered its stage when no rule watched it has no stay start
        # recorded: its next rules count from the one planned from, kept in one statement
        unrecorded = [
            (ticket.id, row[2])
            for ticket, row in zip(waiting, rows, strict=True)
            if not ticket.sla_stage_since and row[2]
        ]
        if unrecorded:
            Ticket.flush_model(["sla_stage_since"])
            self.env.cr.execute(
                """UPDATE helpdesk_ticket SET sla_stage_since = data.since
                     FROM unnest(%s::int[], %s::timestamp[]) AS data(id, since)
                    WHERE helpdesk_ticket.id = data.id""",
                [[row[0] for row in unrecorded], [row[1] for row in unrecorded]],
            )
            Ticket.invalidate_model(["sla_stage_since"])

    @api.model
    @ormcache()
    def _rule_index(self):
        """(agreement id or 0, team id or 0, stage id) -> ((rule id, trigger, seconds or
        None, days or None, action), ...) sorted by time: the active rules as plain data."""
        index = defaultdict(list)
        for rule in self.sudo().search([("active", "=", True)]):
            seconds, days = None, None
            if rule.trigger == "time_in_stage":
                if rule.duration_unit == "days":
                    days = rule.duration
                else:
                    seconds = round(rule.duration * UNIT_SECONDS[rule.duration_unit])
            key = (rule.agreement_id.id or 0, rule.team_id.id or 0, rule.stage_id.id)
            index[key].append((rule.id, rule.trigger, seconds, days, rule.action))
        return {
            key: tuple(sorted(rules, key=lambda r: (r[2] or 0) + (r[3] or 0) * 86400))
            for key, rules in index.items()
        }

    @api.model
    def _rules_for(self, agreement_id, team_id, stage_id, trigger):
        """Rules of a ticket's agreement (for its team or any), then of its team."""
        index = self._rule_index()
        found = []
        for key in (
            (agreement_id or 0, team_id or 0, stage_id),
            (agreement_id or 0, 0, stage_id),
            (0, team_id or 0, stage_id),
        ):
            if key[0] or key[1]:
                found += [r for r in index.get(key, ()) if r[1] == trigger]
        return found

    # -- sweep (set-based) -----------------------------------------------------------------

    @api.model
    def _plan_next(self, rows, now, replies=None):
        """(ticket id, next rule id or None, due instant or None) per ticket row (id,
        rule, since, stage, agreement, team, company): the time rule of the stage after
        ``rule`` (the first one when ``rule`` is None).

        A "close" rule means "no reply for so long" (B6): it counts from the requester's
        last reply in the stage (``replies``: ticket id -> instant) when there is one."""
        Agreement = self.env["internal.sla.agreement"].sudo()
        Company = self.env["res.company"].sudo()
        clocks = {}
        plans = []
        for ticket_id, rule_id, since, stage_id, agreement_id, team_id, company_id in rows:
            rules = self._rules_for(agreement_id, team_id, stage_id, "time_in_stage")
            ids = [rule[0] for rule in rules]
            if rule_id is None:
                following = rules
            else:
                following = rules[ids.index(rule_id) + 1 :] if rule_id in ids else []
            if not following:
                plans.append((ticket_id, None, None))
                continue
            key = (agreement_id, company_id)
            if key not in clocks:
                if agreement_id:
                    agreement = Agreement.browse(agreement_id)
                    calendar = agreement.resource_calendar_id
                    working_time = agreement._working_time()
                else:
                    calendar = Company.browse(company_id).resource_calendar_id
                    working_time = calendar._internal_sla_working_time(calendar.tz or "UTC")
                clocks[key] = (working_time, calendar.hours_per_day or 8.0)
            working_time, hours_per_day = clocks[key]
            next_id, _trigger, seconds, days, action = following[0]
            if days is not None:
                seconds = round(days * hours_per_day * 3600)
            base = since or now
            reply = (replies or {}).get(ticket_id)
            if action == "close" and reply and reply > base:
                base = reply
            try:
                due = working_time.add(base, seconds)
            except NoWorkingTime:
                # a calendar left with no working time for years: the rule never comes due
                plans.append((ticket_id, None, None))
                continue
            plans.append((ticket_id, next_id, due))
        return plans

    @api.model
    def _fire(self, rows, now):
        """Act for each due ticket row: escalate / notify as inserted activities and
        notes, the rest through the ORM. Rules archived or of another stage since the
        ticket was planned, or of an agreement the ticket no longer falls under, do
        nothing."""
        rules = self.browse({row[1] for row in rows}).exists().filtered("active")
        by_id = {rule.id: rule for rule in rules}
        Ticket = (
            self.env["helpdesk.ticket"]
            .sudo()
            .with_context(internal_sla_automated=True, internal_sla_now=now)
        )
        tickets = Ticket.browse([row[0] for row in rows])
        tickets.fetch(["number", "name", "user_id", "partner_id", "company_id", "team_id"])
        activities, notes, moves = [], [], []
        chains = {}
        for ticket_id, rule_id, _since, stage_id, agreement_id, _team, company_id in rows:
            rule = by_id.get(rule_id)
            if not rule or rule.stage_id.id != stage_id:
                continue
            if rule.agreement_id and rule.agreement_id.id != agreement_id:
                continue  # the ticket left that agreement (cancelled, scope changed)
            ticket = Ticket.browse(ticket_id)
            if rule.action not in ("escalate", "notify"):
                moves.append((rule, ticket))
                continue
            if rule.action == "escalate":
                # a request without agreement escalates to its own team's provider head
                key = agreement_id or ("team", ticket.team_id.id)
                if key not in chains:
                    chains[key] = self._escalation_head(
                        self.env["internal.sla.agreement"].browse(agreement_id),
                        ticket.team_id,
                    )
                head, fallback = chains[key]
                users = (head | rule.notify_user_ids).filtered("active")
            else:
                users = (ticket.user_id | rule.notify_user_ids).filtered("active")
                fallback = "" if users else self.env._("nobody to notify")
            summary = self.env._("Stage rule: %s", rule.name)
            body = Markup("<p>%s</p>") % summary
            if rule.message:
                body += Markup("<p>%s</p>") % rule.message
            if fallback or not users:
                body += Markup("<p><i>%s</i></p>") % self.env._(
                    "Fallback: %s", fallback or self.env._("nobody to escalate to")
                )
            notes.append((ticket_id, company_id, str(body)))
            label = f"{ticket.number} - {ticket.name}"
            # each person's activity in their language, the note in the sweep's
            activities += [
                (
                    ticket_id,
                    label,
                    user.id,
                    recipient_env(self, user)._("Stage rule: %s", rule.name),
                    None,
                    None,
                )
                for user in users
            ]
        self.env["internal.sla.line"]._insert_activities_and_notes(activities, notes, now)
        for rule, ticket in moves:
            rule._apply(ticket)

    @api.model
    def _escalation_head(self, agreement, team):
        """(user or empty, fallback note) that an "escalate" rule reaches: the agreement's
        level-2 person, or, for a request without agreement, the head of its team's
        department, else the team leader."""
        if agreement:
            return agreement._escalation_chain()[2]
        department = team.department_id
        head = department._sla_head()
        if head:
            return head, ""
        leader = _active_user(team.user_id)
        if leader:
            return leader, self.env._(
                "%(team)s has no department with an active manager: its team leader is "
                "escalated to",
                team=team.name,
            )
        return leader, self.env._(
            "nobody to escalate to: set a manager on the department of %(team)s, or a team "
            "leader",
            team=team.name or self.env._("the request's team"),
        )

    # -- actions -------------------------------------------------------------------------------

    def _apply(self, ticket):
        """Do what the rule says on ``ticket`` and say so in its chatter."""
        self.ensure_one()
        body = Markup("<p>%s</p>") % self.env._("Stage rule: %s", self.name)
        if self.message:
            body += Markup("<p>%s</p>") % self.message
        to_notify = self.notify_user_ids
        if self.action == "escalate":
            head, fallback = self._escalation_head(
                ticket.sudo().sla_agreement_id, ticket.team_id
            )
            users = (head | to_notify).filtered("active")
            for user in users:
                ticket.activity_schedule(
                    "internal_sla.mail_activity_type_sla_escalation",
                    summary=recipient_env(self, user)._("Stage rule: %s", self.name),
                    user_id=user.id,
                )
            if fallback or not users:
                body += Markup("<p><i>%s</i></p>") % self.env._(
                    "Fallback: %s", fallback or self.env._("nobody to escalate to")
                )
        elif self.action == "notify":
            to_notify |= ticket.user_id
        elif self.action == "priority":
            levels = [key for key, _label in PRIORITIES]
            current = levels.index(ticket.priority) if ticket.priority in levels else 0
            if current + 1 < len(levels):
                ticket.priority = levels[current + 1]
        elif self.action in ("move", "close"):
            ticket.stage_id = self.action_stage_id
        to_requester = self.action in ("move", "close") and self.message
        partners = to_notify.partner_id
        if to_requester:
            partners |= ticket.partner_id
        ticket.message_post(
            body=body,
            message_type="comment",
            subtype_xmlid="mail.mt_comment" if to_requester else "mail.mt_note",
            partner_ids=partners.ids,
            date=sla_now(self.env),
        )
