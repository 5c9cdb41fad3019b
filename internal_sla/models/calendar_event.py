from datetime import timedelta

from dateutil.relativedelta import relativedelta
from lxml import html as lxml_html
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date, format_datetime, is_html_empty

from .internal_sla_agreement_meeting import config_number

MEETING_KINDS = [
    ("sync", "Weekly sync"),
    ("review", "Three-level review"),
    ("unscheduled", "Unscheduled review"),
]
CHECKLIST_PLANS = {
    "before": "internal_sla.mail_activity_plan_meeting_before",
    "during": "internal_sla.mail_activity_plan_meeting_during",
    "after": "internal_sla.mail_activity_plan_meeting_after",
}
# the generated agenda sits in one block of the description: regenerating it replaces that
# block only, so notes people wrote around it stay
AGENDA_CLASS = "o_internal_sla_agenda"
CADENCE_DELTA = {
    "weekly": relativedelta(weeks=1),
    "monthly": relativedelta(months=1),
    "quarterly": relativedelta(months=3),
}


class CalendarEvent(models.Model):
    """A review meeting of an agreement (SPEC D1–D5): agenda, contact report, action
    items and checklists on top of an ordinary Odoo calendar event."""

    _inherit = "calendar.event"

    sla_agreement_id = fields.Many2one(
        "internal.sla.agreement", string="Agreement", index="btree_not_null"
    )
    sla_ritual_id = fields.Many2one(
        "internal.sla.ritual", string="Ritual", index="btree_not_null"
    )
    sla_kind = fields.Selection(MEETING_KINDS, string="Review kind")
    sla_proposed = fields.Boolean(
        string="Proposed",
        copy=False,
        help="Proposed by a trigger and not confirmed yet: no invitation has been sent.",
    )
    sla_cause_ids = fields.One2many("internal.sla.meeting.cause", "event_id", string="Causes")
    sla_period_start = fields.Datetime(
        string="Period from", copy=False, help="Start of the period the agenda covers."
    )
    sla_agenda = fields.Html(related="description", string="Agenda", readonly=True)
    sla_agenda_date = fields.Datetime(string="Agenda generated on", copy=False, readonly=True)
    sla_minutes = fields.Html(string="Minutes", copy=False)
    sla_decision_ids = fields.One2many("internal.sla.decision", "event_id", string="Decisions")
    sla_action_ids = fields.One2many(
        "internal.sla.action.item", "event_id", string="Action items"
    )
    sla_report_date = fields.Datetime(string="Report sent on", copy=False, readonly=True)
    sla_checklist_activity_ids = fields.One2many(
        "mail.activity",
        "sla_event_id",
        string="Checklist",
        context={"active_test": False},
        domain=[("active", "in", (True, False))],
    )
    sla_checklist_done = fields.Integer(compute="_compute_sla_checklist")
    sla_checklist_total = fields.Integer(compute="_compute_sla_checklist")
    sla_checklist_progress = fields.Float(
        string="Checklist progress", compute="_compute_sla_checklist"
    )

    @api.depends("sla_checklist_activity_ids.active")
    def _compute_sla_checklist(self):
        for event in self:
            activities = event.sla_checklist_activity_ids
            done = len(activities.filtered(lambda a: not a.active))
            event.sla_checklist_done = done
            event.sla_checklist_total = len(activities)
            event.sla_checklist_progress = 100.0 * done / len(activities) if activities else 0.0

    # -- confirmation of proposed meetings (D2) ------------------------------------------------

    def action_sla_confirm(self):
        """Confirm a proposed meeting: invitations go to the attendees."""
        for event in self.filtered("sla_proposed"):
            event.sla_proposed = False
            event.action_sendmail()
            event.sla_cause_ids.activity_id.sudo().action_feedback(
                feedback=self.env._("Meeting confirmed")
            )
        return True

    # -- agenda (D3) ------------------------------------------------------------------------

    def _sla_previous_meeting(self):
        self.ensure_one()
        return self.search(
            [
                ("sla_agreement_id", "=", self.sla_agreement_id.id),
                ("sla_kind", "=", self.sla_kind),
                ("sla_proposed", "=", False),
                ("start", "<", self.start),
                ("id", "!=", self.id),
            ],
            order="start desc",
            limit=1,
        )

    def _sla_period(self):
        """[from, to): since the previous meeting of the same kind, else one cadence back
        (a week for a sync, a month for a review outside a ritual)."""
        self.ensure_one()
        previous = self._sla_previous_meeting()
        if previous:
            return previous.start, self.start
        delta = CADENCE_DELTA.get(self.sla_ritual_id.cadence) or (
            relativedelta(months=1) if self.sla_kind == "review" else relativedelta(weeks=1)
        )
        return self.start - delta, self.start

    def action_sla_generate_agenda(self):
        """Regenerate the agenda into the description (what the invitation e-mail shows)."""
        for event in self:
            if not event.sla_agreement_id:
                raise UserError(
                    self.env._(
                        "Meeting %(meeting)s is not linked to an agreement: choose the "
                        "agreement first.",
                        meeting=event.name,
                    )
                )
            # the agenda reads tickets and actions of the agreement: only for its readers
            event.sla_agreement_id.check_access("read")
            date_from, date_to = event._sla_period()
            event.with_context(no_mail_to_attendees=True, dont_notify=True).write(
                {
                    "description": event._sla_with_agenda(
                        event._sla_agenda_html(date_from, date_to)
                    ),
                    "sla_period_start": date_from,
                    "sla_agenda_date": fields.Datetime.now(),
                }
            )
        return True

    def _sla_with_agenda(self, agenda):
        """The description with ``agenda`` in place of the previous agenda block (or first,
        before what people wrote)."""
        self.ensure_one()
        block = Markup('<div class="%s">%s</div>') % (AGENDA_CLASS, agenda)
        if is_html_empty(self.description):
            return block
        root = lxml_html.fragment_fromstring(str(self.description), create_parent="div")
        new = lxml_html.fragment_fromstring(str(block))
        old = root.find_class(AGENDA_CLASS)
        if old:
            new.tail = old[0].tail
            old[0].getparent().replace(old[0], new)
        else:
            new.tail, root.text = root.text, None
            root.insert(0, new)
        return Markup("".join(lxml_html.tostring(child, encoding="unicode") for child in root))

    def _sla_tickets_html(self, lines):
        """One list item per ticket with its worst line of ``lines``."""
        tz = self.sla_agreement_id.tz
        items = []
        for ticket in lines.ticket_id:
            mine = lines.filtered(lambda line, t=ticket: line.ticket_id == t)
            items.append(
                Markup("<li>%s — %s (%s, %s %s)</li>")
                % (
                    ticket.number or ticket.id,
                    ticket.name,
                    ", ".join(mine.mapped("name")),
                    self.env._("due"),
                    format_datetime(
                        self.env, min(mine.mapped("deadline")), tz=tz, dt_format="short"
                    ),
                )
            )
        return Markup("<ul>%s</ul>") % Markup().join(items)

    def _sla_agenda_html(self, date_from, date_to):
        self.ensure_one()
        agreement = self.sla_agreement_id
        env = self.env
        tz = agreement.tz
        Line = env["internal.sla.line"].sudo()
        breached = Line.search(
            [
                ("agreement_id", "=", agreement.id),
                ("state", "=", "breached"),
                ("deadline", ">=", date_from),
                ("deadline", "<", date_to),
            ]
        )
        at_risk = Line.search([("agreement_id", "=", agreement.id), ("state", "=", "at_risk")])
        actions = (
            env["internal.sla.action.item"]
            .sudo()
            .search(
                [("agreement_id", "=", agreement.id), ("state", "=", "open")],
                order="date_deadline, id",
            )
        )
        parts = [
            Markup("<h3>%s</h3><p>%s</p>")
            % (
                env._("Agenda: %s", agreement.name),
                env._(
                    "Period: %(start)s – %(end)s (%(tz)s)",
                    start=format_datetime(env, date_from, tz=tz, dt_format="short"),
                    end=format_datetime(env, date_to, tz=tz, dt_format="short"),
                    tz=tz,
                ),
            )
        ]
        parts.append(Markup("<h4>1. %s</h4>") % env._("Incidents of the period"))
        parts.append(Markup("<p>%s</p>") % env._("Breached (%s):", len(breached.ticket_id)))
        parts.append(
            self._sla_tickets_html(breached)
            if breached
            else Markup("<p>%s</p>") % env._("No breached request.")
        )
        parts.append(Markup("<p>%s</p>") % env._("At risk now (%s):", len(at_risk.ticket_id)))
        parts.append(
            self._sla_tickets_html(at_risk)
            if at_risk
            else Markup("<p>%s</p>") % env._("No request at risk.")
        )
        parts.append(Markup("<h4>2. %s</h4>") % env._("Open actions"))
        if actions:
            parts.append(
                Markup("<ul>%s</ul>")
                % Markup().join(
                    Markup("<li>%s — %s, %s %s%s</li>")
                    % (
                        action.name,
                        action.user_id.name,
                        env._("due"),
                        format_date(env, action.date_deadline),
                        env._(" (escalated to level %s)", action.level)
                        if action.escalation_count
                        else "",
                    )
                    for action in actions
                )
            )
        else:
            parts.append(Markup("<p>%s</p>") % env._("No open action."))
        parts.append(Markup("<h4>3. %s</h4>") % env._("KPIs against targets"))
        rows = agreement._agenda_kpis(date_from, date_to)
        parts.append(
            Markup("<ul>%s</ul>")
            % Markup().join(
                Markup("<li>%s: %s%s</li>")
                % (
                    label,
                    value,
                    (
                        Markup(" — %s %s %s") % (env._("target"), goal, "✓" if ok else "✗")
                        if ok is not None
                        else ""
                    ),
                )
                for label, value, goal, ok in rows
            )
        )
        parts.append(Markup("<h4>4. %s</h4>") % env._("NPS results and comments"))
        feedback = agreement._agenda_feedback_section(date_from, date_to)
        parts.append(
            feedback
            if feedback
            else Markup("<p>%s</p>") % env._("No survey results since the last meeting.")
        )
        parts.append(Markup("<h4>5. %s</h4>") % env._("Plans"))
        if not is_html_empty(agreement.improvement_plan):
            parts.append(Markup(agreement.improvement_plan))
        upcoming = agreement.version_ids.filtered(
            lambda v: v.date_effective > fields.Date.context_today(self)
        )
        for version in upcoming:
            parts.append(
                Markup("<p>%s</p>")
                % env._(
                    "Amendment v%(number)s takes effect on %(date)s: %(note)s",
                    number=version.number,
                    date=format_date(env, version.date_effective),
                    note=version.note or "",
                )
            )
        if agreement.next_review_date:
            parts.append(
                Markup("<p>%s</p>")
                % env._(
                    "Agreement review due by %s.", format_date(env, agreement.next_review_date)
                )
            )
        if is_html_empty(agreement.improvement_plan) and not upcoming:
            parts.append(Markup("<p>%s</p>") % env._("No plan recorded yet."))
        return Markup().join(parts)

    # -- contact report (D5) ----------------------------------------------------------------

    def _sla_report_html(self):
        self.ensure_one()
        env = self.env
        parts = [
            Markup("<h3>%s</h3>")
            % env._(
                "Contact report: %(meeting)s, %(date)s",
                meeting=self.name,
                date=format_datetime(
                    env, self.start, tz=self.sla_agreement_id.tz, dt_format="short"
                ),
            ),
            Markup("<p>%s %s</p>")
            % (env._("Attendees:"), ", ".join(self.partner_ids.mapped("name"))),
            Markup("<h4>%s</h4>") % env._("Minutes"),
            Markup(self.sla_minutes)
            if not is_html_empty(self.sla_minutes)
            else Markup("<p>%s</p>") % env._("No minutes."),
            Markup("<h4>%s</h4>") % env._("Decisions"),
        ]
        if self.sla_decision_ids:
            parts.append(
                Markup("<ul>%s</ul>")
                % Markup().join(
                    Markup("<li>%s</li>") % decision.name for decision in self.sla_decision_ids
                )
            )
        else:
            parts.append(Markup("<p>%s</p>") % env._("No decision."))
        parts.append(Markup("<h4>%s</h4>") % env._("Action items"))
        if self.sla_action_ids:
            parts.append(
                Markup("<ul>%s</ul>")
                % Markup().join(
                    Markup("<li>%s — %s, %s %s</li>")
                    % (
                        action.name,
                        action.user_id.name,
                        env._("due"),
                        format_date(env, action.date_deadline),
                    )
                    for action in self.sla_action_ids
                )
            )
        else:
            parts.append(Markup("<p>%s</p>") % env._("No action item."))
        return Markup().join(parts)

    def action_sla_send_report(self):
        """E-mail the contact report to every attendee and keep it in the chatter."""
        for event in self:
            if not event.sla_agreement_id:
                raise UserError(
                    self.env._("Only review meetings of an agreement have a contact report.")
                )
            if not event.partner_ids:
                raise UserError(
                    self.env._(
                        "Meeting %(meeting)s has no attendees: add them before sending the "
                        "report.",
                        meeting=event.name,
                    )
                )
            event.with_context(mail_notify_author=True).message_post(
                body=event._sla_report_html(),
                subject=self.env._("Contact report: %s", event.name),
                partner_ids=event.partner_ids.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            event.sla_report_date = fields.Datetime.now()
        return True

    # -- checklists (D4) ----------------------------------------------------------------------

    def _sla_launch_checklist(self, phase):
        """Launch the ``phase`` activity plan (before / during / after) for this meeting,
        once; the plan's activities go to the meeting's organizer on the agreement (a
        ``calendar.event`` holds no activities of its own) and are linked to the meeting."""
        plan = self.env.ref(CHECKLIST_PLANS[phase])
        Activity = self.env["mail.activity"].sudo().with_context(active_test=False)
        for event in self:
            if event.sla_checklist_activity_ids.filtered(lambda a, p=phase: a.sla_phase == p):
                continue
            agreement = event.sla_agreement_id
            responsible = event.user_id or agreement.provider_owner_id or self.env.user
            last = Activity.search([], order="id desc", limit=1).id or 0
            self.env["mail.activity.schedule"].sudo().create(
                {
                    "res_model": agreement._name,
                    "res_ids": str([agreement.id]),
                    "plan_id": plan.id,
                    "plan_on_demand_user_id": responsible.id,
                    "plan_date": event.start.date(),
                }
            ).action_schedule_plan()
            Activity.search(
                [
                    ("id", ">", last),
                    ("res_model", "=", agreement._name),
                    ("res_id", "=", agreement.id),
                ]
            ).write({"sla_event_id": event.id, "sla_phase": phase})
        return True

    def action_sla_checklist_before(self):
        return self._sla_launch_checklist("before")

    def action_sla_checklist_during(self):
        return self._sla_launch_checklist("during")

    def action_sla_checklist_after(self):
        return self._sla_launch_checklist("after")

    # -- escalation (H11) ---------------------------------------------------------------------

    def _sla_escalate_open_actions(self):
        """At a review, open action items raised at earlier meetings move up one level."""
        for event in self.filtered(lambda e: e.sla_kind == "review"):
            items = (
                self.env["internal.sla.action.item"]
                .sudo()
                .search(
                    [
                        ("agreement_id", "=", event.sla_agreement_id.id),
                        ("state", "=", "open"),
                        ("last_escalation_event_id", "!=", event.id),
                        "|",
                        "&",
                        ("event_id", "=", False),
                        ("create_date", "<", event.start),
                        ("event_id.start", "<", event.start),
                    ]
                )
            )
            items._escalate(event)

    # -- cron ---------------------------------------------------------------------------------

    @api.model
    def _cron_sla_prepare_meetings(self):
        """Before a review meeting: escalate open actions (reviews), write the agenda and
        launch the 'before' checklist; after it: launch the 'after' checklist."""
        now = fields.Datetime.now()
        lead = timedelta(hours=config_number(self.env, "meeting_agenda_lead_hours", 24))
        upcoming = self.search(
            [
                ("sla_agreement_id", "!=", False),
                ("sla_proposed", "=", False),
                ("sla_agenda_date", "=", False),
                ("start", ">=", now),
                ("start", "<=", now + lead),
            ]
        )
        upcoming._sla_escalate_open_actions()
        upcoming.action_sla_generate_agenda()
        upcoming._sla_launch_checklist("before")
        ended = self.search(
            [
                ("sla_agreement_id", "!=", False),
                ("sla_proposed", "=", False),
                ("stop", "<=", now),
                ("stop", ">", now - timedelta(days=2)),
            ]
        )
        ended._sla_launch_checklist("after")

    def action_sla_open_agreement(self):
        self.ensure_one()
        return self.sla_agreement_id.get_formview_action()

    # -- meeting energy after review meetings (C7) ------------------------------------------

    internal_sla_energy_sent = fields.Boolean(
        string="Energy survey sent", copy=False, readonly=True
    )

    def _internal_sla_agreement(self):
        self.ensure_one()
        if self.sla_agreement_id:
            return self.sla_agreement_id.sudo()
        if self.res_model == "internal.sla.agreement" and self.res_id:
            return self.env["internal.sla.agreement"].sudo().browse(self.res_id).exists()
        return self.env["internal.sla.agreement"]

    def action_send_energy_survey(self):
        """Ask the attendees whether the meeting added or drained energy (−2…+2)."""
        Invitation = self.env["internal.sla.feedback.invitation"]
        invitations = Invitation
        for event in self:
            agreement = event._internal_sla_agreement()
            series = (
                event.recurrence_id.base_event_id.name if event.recurrence_id else event.name
            )
            invitations |= Invitation._invite(
                "energy",
                event.partner_ids.user_ids,
                values={
                    "event_id": event.id,
                    "meeting_series": series,
                    "agreement_id": agreement.id,
                    "provider_department_id": agreement.provider_department_id.id,
                    "customer_department_id": agreement.customer_department_id.id,
                },
                deadline_days=3,
            )
            event.internal_sla_energy_sent = True
        return invitations

    @api.model
    def _cron_send_energy(self, now):
        """Review meetings of agreements that ended in the last week get their survey."""
        events = self.sudo().search(
            [
                "|",
                ("sla_agreement_id", "!=", False),
                "&",
                ("res_model", "=", "internal.sla.agreement"),
                ("res_id", "!=", False),
                ("internal_sla_energy_sent", "=", False),
                ("stop", "<=", now),
                ("stop", ">=", now - timedelta(days=7)),
            ]
        )
        return events.action_send_energy_survey()

    def _internal_sla_energy(self):
        """Mean energy per meeting series (kpi.meeting_energy), hidden under 5 people."""
        return self.env["internal.sla.feedback.invitation"]._stats(
            [("kind", "=", "energy"), ("event_id", "in", self.ids)], ["meeting_series"]
        )
