from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import format_datetime

from ..engine.sla_clock import OPEN_STATES, worst_state
from .internal_sla_line import STATES

REMATCH_FIELDS = ("priority", "category_id", "team_id")


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    requester_department_id = fields.Many2one(
        "hr.department",
        string="Requester department",
        compute="_compute_requester_department",
        store=True,
        readonly=False,
        index=True,
        help="The department asking for the service (the requester's department).",
    )
    provider_department_id = fields.Many2one(
        related="team_id.department_id",
        string="Provider department",
        store=True,
        index=True,
    )
    business_impact = fields.Text(
        help="What the request changes for the requester's business; some agreements "
        "require it.",
    )
    sla_agreement_id = fields.Many2one(
        "internal.sla.agreement",
        string="Agreement",
        readonly=True,
        index=True,
        copy=False,
    )
    sla_version_id = fields.Many2one(
        "internal.sla.agreement.version",
        string="Agreement version",
        readonly=True,
        copy=False,
        help="The version in force when the ticket was created; later amendments do not "
        "change it.",
    )
    sla_line_ids = fields.One2many("internal.sla.line", "ticket_id", string="SLA", copy=False)
    sla_event_ids = fields.One2many(
        "internal.sla.event", "ticket_id", string="SLA timeline", copy=False
    )
    sla_pause_ids = fields.One2many("internal.sla.pause", "ticket_id", copy=False)
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
        index=True,
        help="The worst state of the ticket's SLA lines.",
    )
    sla_first_response_date = fields.Datetime(
        string="First response", readonly=True, copy=False
    )
    sla_preview = fields.Text(compute="_compute_sla_preview", string="Would be due")

    # -- computes ---------------------------------------------------------------------------

    @api.depends("partner_id")
    def _compute_requester_department(self):
        partners = self.partner_id
        employees = (
            self.env["hr.employee"]
            .sudo()
            .search(
                [
                    "|",
                    ("work_contact_id", "in", partners.ids),
                    ("user_id.partner_id", "in", partners.ids),
                ]
            )
            if partners
            else self.env["hr.employee"]
        )
        by_partner = {}
        for employee in employees:
            by_partner.setdefault(employee.work_contact_id.id, employee.department_id)
            by_partner.setdefault(employee.user_id.partner_id.id, employee.department_id)
        own = self.env.user.sudo().employee_id.department_id
        for ticket in self:
            ticket.requester_department_id = (
                by_partner.get(ticket.partner_id.id)
                or ticket.requester_department_id
                or (own if not ticket.partner_id else False)
            )

    @api.depends("team_id", "priority", "category_id", "requester_department_id")
    def _compute_sla_preview(self):
        """'A request created now would be due at …' on the request form (H3)."""
        now = fields.Datetime.now()
        for ticket in self:
            if ticket.id and ticket.sla_line_ids:
                ticket.sla_preview = False
                continue
            agreement, _version, targets = ticket._sla_match(now)
            if not targets:
                ticket.sla_preview = False
                continue
            working_time = agreement._working_time()
            lines = []
            for target in targets.filtered(lambda t: t.metric != "stage"):
                due = working_time.add(now, target._target_seconds(now, working_time))
                lines.append(
                    self.env._(
                        "%(target)s: due %(due)s",
                        target=target.name,
                        due=format_datetime(self.env, due, tz=agreement.tz, dt_format="short"),
                    )
                )
            ticket.sla_preview = "\n".join(lines)

    # -- matching ---------------------------------------------------------------------------

    def _sla_match(self, now):
        """(agreement, version, targets) that apply to this ticket."""
        self.ensure_one()
        Agreement = self.env["internal.sla.agreement"]
        start = self._sla_start(now) if self.sla_line_ids else now
        day = fields.Datetime.context_timestamp(self, start).date()
        agreement = Agreement._match(
            self.company_id or self.env.company,
            self.team_id.department_id,
            self.requester_department_id,
            self.team_id,
            day,
        )
        if not agreement:
            return (
                Agreement,
                self.env["internal.sla.agreement.version"],
                self.env["internal.sla.target"],
            )
        version = (
            self.sla_version_id
            if self.sla_version_id.agreement_id == agreement
            else agreement.sudo()._version_at(day)
        )
        targets = version.target_ids._select(self.priority, self.category_id)
        targets = targets.filtered(lambda t: t.metric != "stage" or t.stage_id == self.stage_id)
        return agreement, version, targets

    def _sla_check_commitments(self):
        """Refuse requests without what their agreement requires (A3)."""
        for ticket in self:
            agreement = ticket.sla_agreement_id.sudo()
            missing = [
                field.field_description
                for field in agreement.required_field_ids
                if field.name in ticket._fields and not ticket[field.name]
            ]
            if missing:
                raise ValidationError(
                    self.env._(
                        "Agreement %(agreement)s requires from the requester: %(fields)s. "
                        "Fill in %(fields)s and save again.",
                        agreement=agreement.name,
                        fields=", ".join(missing),
                    )
                )

    def _sla_start(self, now):
        """When the ticket's clocks started (its first line), else when it was created."""
        self.ensure_one()
        starts = self.sudo().sla_line_ids.filtered(lambda line: line.metric != "stage")
        return min(starts.mapped("date_start"), default=False) or self.create_date or now

    def _sla_line_vals(self, target, version, start, base=None, consumed=0):
        self.ensure_one()
        return {
            "ticket_id": self.id,
            "agreement_id": version.agreement_id.id,
            "version_id": version.id,
            "target_id": target.id,
            "company_id": self.company_id.id,
            "name": target.name,
            "metric": target.metric,
            "stage_id": target.stage_id.id,
            "target_seconds": target._target_seconds(
                base if target.metric == "stage" else start
            ),
            "at_risk_percent": target.at_risk_percent,
            "date_start": base if target.metric == "stage" else start,
            "base_date": base or start,
            "consumed_at_base": consumed,
        }

    def _sla_attach(self, rule, now=None, started_now=False):
        """Match agreements and start the SLA clocks of these tickets (B1).

        :param started_now: new tickets start their clocks now; existing ones (attached at
            install or when an agreement is put in force) from their creation.
        """
        now = now or fields.Datetime.now()
        line_vals = []
        for ticket in self:
            start = now if started_now else (ticket.create_date or now)
            agreement, version, targets = ticket._sla_match(start)
            if not agreement:
                continue
            ticket.sudo().write(
                {"sla_agreement_id": agreement.id, "sla_version_id": version.id}
            )
            ticket._sla_check_commitments()
            for target in targets:
                base = now if target.metric == "stage" else None
                line_vals.append(ticket._sla_line_vals(target, version, start, base=base))
            if ticket.stage_id.sla_pause and not ticket.sla_pause_ids:
                ticket._sla_open_pause(start)
        lines = self.env["internal.sla.line"].sudo().create(line_vals)
        lines._refresh(now, rule, event_type="start")
        return lines

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
        self.env["internal.sla.pause"].sudo().create(
            [
                {
                    "ticket_id": ticket.id,
                    "stage_id": ticket.stage_id.id,
                    "date_start": when,
                    "company_id": ticket.company_id.id,
                }
                for ticket in self
            ]
        )

    def _sla_close_pause(self, when):
        self.sudo().sla_pause_ids.filtered(lambda p: not p.date_end).write({"date_end": when})

    # -- summary ----------------------------------------------------------------------------

    def _sla_update_summary(self):
        for ticket in self:
            lines = ticket.sudo().sla_line_ids
            open_lines = lines.filtered(lambda line: line.state in OPEN_STATES)
            ticket.sudo().write(
                {
                    "sla_deadline": min(open_lines.mapped("deadline"), default=False),
                    "sla_state": worst_state(lines.mapped("state")),
                }
            )

    @api.model
    def _sla_update_summary_sql(self, ticket_ids):
        """Set-based twin of ``_sla_update_summary`` for the sweep."""
        severity = self.env["internal.sla.line"]._severity_sql()
        states = [state for state, _label in STATES]
        self.env.cr.execute(
            f"""
            UPDATE helpdesk_ticket ticket
               SET sla_state = summary.state, sla_deadline = summary.deadline
              FROM (
                    SELECT line.ticket_id,
                           (%(states)s)[1 + MAX({severity})] AS state,
                           MIN(line.deadline) FILTER (
                               WHERE line.state IN ('running', 'paused', 'at_risk')
                           ) AS deadline
                      FROM internal_sla_line line
                     WHERE line.ticket_id = ANY(%(ids)s)
                  GROUP BY line.ticket_id
                   ) summary
             WHERE ticket.id = summary.ticket_id
            """,
            {"ids": ticket_ids, "states": self._states_by_severity(states)},
        )
        self.invalidate_model(["sla_state", "sla_deadline"])

    @api.model
    def _states_by_severity(self, states):
        from ..engine.sla_clock import SEVERITY

        return sorted(states, key=SEVERITY.__getitem__)

    # -- ORM hooks --------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._sla_attach(rule=self.env._("Ticket created"), started_now=True)
        return tickets

    def write(self, vals):
        watched = set(REMATCH_FIELDS) | {"stage_id", "requester_department_id"}
        if not watched & set(vals):
            res = super().write(vals)
            if self.sla_agreement_id and any(
                f.name in vals for f in self.sla_agreement_id.required_field_ids
            ):
                self._sla_check_commitments()
            return res
        before = {
            ticket.id: {
                "stage": ticket.stage_id,
                "match": tuple(ticket[f] for f in REMATCH_FIELDS)
                + (ticket.requester_department_id,),
            }
            for ticket in self
        }
        res = super().write(vals)
        now = fields.Datetime.now()
        for ticket in self:
            old = before[ticket.id]
            if ticket.stage_id != old["stage"]:
                ticket._sla_stage_changed(old["stage"], now)
            match = tuple(ticket[f] for f in REMATCH_FIELDS) + (ticket.requester_department_id,)
            if match != old["match"]:
                ticket._sla_rematch(now, old["match"])
        self._sla_check_commitments()
        return res

    # -- clock events -----------------------------------------------------------------------

    def _sla_open_lines(self, metrics=None):
        lines = self.sudo().sla_line_ids.filtered(lambda line: line.state in OPEN_STATES)
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
        version = self.sla_version_id.sudo()
        targets = version.target_ids.filtered(
            lambda t: t.metric == "stage" and t.stage_id == self.stage_id
        )._select(self.priority, self.category_id)
        if targets:
            lines = (
                self.env["internal.sla.line"]
                .sudo()
                .create([self._sla_line_vals(t, version, now, base=now) for t in targets])
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
        agreement, version, targets = self._sla_match(now)
        old_lines = self._sla_open_lines(["first_response", "resolution"])
        pauses = self._sla_pauses_by_ticket()
        consumed = {
            line.metric: line._evaluate(now, pauses)["consumed_seconds"] for line in old_lines
        }
        reached_metrics = set(
            self.sudo().sla_line_ids.filtered(lambda line: line.reached_date).mapped("metric")
        )
        # the replaced lines go; their events stay in the timeline without a line
        events = [
            dict(line._event_vals("rematch", now, rule), line_id=False) for line in old_lines
        ]
        old_lines.unlink()
        self.sudo().write({"sla_agreement_id": agreement.id, "sla_version_id": version.id})
        new_vals = []
        for target in targets.filtered(
            lambda t: (
                t.metric in ("first_response", "resolution") and t.metric not in reached_metrics
            )
        ):
            if target.metric in consumed:
                elapsed = consumed[target.metric]
            else:
                elapsed = max(0, agreement._working_time().working_seconds(start, now))
            new_vals.append(
                self._sla_line_vals(target, version, start, base=now, consumed=elapsed)
            )
        self.env["internal.sla.event"].sudo().create(events)
        lines = self.env["internal.sla.line"].sudo().create(new_vals)
        if lines:
            lines._refresh(now, rule, event_type="rematch")
        else:
            self._sla_update_summary()
        self._sla_post_rematch_note(rule, lines)

    def _sla_post_rematch_note(self, rule, lines):
        if lines:
            items = Markup().join(
                Markup("<li>%s: %s</li>")
                % (line.name, format_datetime(self.env, line.deadline, tz=line.agreement_id.tz))
                for line in lines
            )
            body = Markup("<p>%s</p><ul>%s</ul>") % (rule, items)
        else:
            no_agreement = self.env._("no agreement applies any more.")
            body = Markup("<p>%s: %s</p>") % (rule, no_agreement)
        self.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _message_post_after_hook(self, message, msg_vals):
        """The provider's first reply visible to the requester is the first response (B5)."""
        res = super()._message_post_after_hook(message, msg_vals)
        if (
            self.sla_agreement_id
            and not self.sla_first_response_date
            and self.sla_agreement_id.first_response_mode == "message"
            and message.message_type == "comment"
            and message.subtype_id
            and not message.subtype_id.internal
            and message.author_id
            and message.author_id != self.partner_id
            and any(not user.share for user in message.author_id.user_ids)
        ):
            self._sla_first_response(
                message.date or fields.Datetime.now(),
                self.env._("First reply to the requester"),
            )
        return res

    def action_sla_recompute(self):
        self._sla_open_lines()._recompute(self.env._("Manual recompute"))
        return True
