import uuid
from collections import defaultdict
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.fields import Domain

from ..engine import kpi
from ..engine.feedback import (
    DEFAULT_NEGATIVE_WORDS_EN,
    DEFAULT_NEGATIVE_WORDS_RU,
    classify,
    is_negative,
    sample_draw,
    sampling_rate,
    word_list,
)
from .internal_sla_line import sla_now
from .res_config_settings import (
    in_automation_lang,
    min_respondents,
    positive_setting,
    recipient_env,
    selection_label,
    setting,
)
from .survey_survey import FEEDBACK_KINDS

INVITED_STATES = ("sent", "answered", "expired")
# the survey budget (H9) spans these; meeting energy is part of the meeting itself
BUDGET_KINDS = ("csat", "nps", "enps")


def _param(env, key, default):
    return env["ir.config_parameter"].sudo().get_param(f"internal_sla.{key}", default)


# the figures of ``_stats`` that each survey kind's answers make, hidden with that kind
FIGURES_OF_KIND = {
    "nps": ("nps", "promoters", "passives", "detractors"),
    "enps": ("enps",),
    "csat": ("csat", "csat_answers"),
    "energy": ("energy",),
}


class InternalSlaFeedbackInvitation(models.Model):
    """One invitation to one person to answer one feedback survey (SPEC C1–C5, H9, H10).

    The answers live in Odoo's ``survey.user_input``; this record tracks the invitation
    (sent, answered, expired, sampled out by the survey budget), keeps the figures the
    KPIs read (score, promoter/passive/detractor) and drives the closed loop: follow-up
    activity with its own working-time target, proposed meeting, re-survey."""

    _name = "internal.sla.feedback.invitation"
    _description = "Feedback Survey Invitation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_sent desc, id desc"
    _rec_name = "survey_id"

    kind = fields.Selection(FEEDBACK_KINDS, required=True, index=True, readonly=True)
    survey_id = fields.Many2one("survey.survey", required=True, readonly=True)
    user_input_id = fields.Many2one(
        "survey.user_input",
        string="Survey answer",
        readonly=True,
        ondelete="set null",
        groups="internal_sla.internal_sla_group_admin",  # carries the invitee's token
    )
    user_id = fields.Many2one(
        "res.users", string="Invitee", required=True, index=True, readonly=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    agreement_id = fields.Many2one("internal.sla.agreement", index=True, readonly=True)
    ticket_id = fields.Many2one("helpdesk.ticket", index=True, readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    agent_id = fields.Many2one("res.users", readonly=True)
    event_id = fields.Many2one("calendar.event", string="Meeting", readonly=True)
    meeting_series = fields.Char(
        readonly=True, help="The review meeting series a meeting-energy answer belongs to."
    )
    provider_department_id = fields.Many2one(
        "hr.department", string="Provider", index=True, readonly=True
    )
    customer_department_id = fields.Many2one(
        "hr.department", string="Customer", index=True, readonly=True
    )
    state = fields.Selection(
        [
            ("skipped", "Sampled out"),
            ("sent", "Sent"),
            ("answered", "Answered"),
            ("expired", "Expired"),
        ],
        required=True,
        default="sent",
        index=True,
        readonly=True,
        help="Sampled out: the person already had their survey budget for the period.",
    )
    date_sent = fields.Datetime(string="Sent", readonly=True, index=True)
    deadline = fields.Datetime(string="Answer by", readonly=True)
    date_answered = fields.Datetime(string="Answered", readonly=True)
    score = fields.Integer(readonly=True, aggregator="avg")
    category = fields.Selection(
        [("promoter", "Promoter"), ("passive", "Passive"), ("detractor", "Detractor")],
        readonly=True,
        index=True,
    )
    reasons = fields.Char(readonly=True)
    feeling = fields.Char(readonly=True)
    comment = fields.Text(readonly=True)
    negative_comment = fields.Boolean(readonly=True)
    silent = fields.Boolean(
        string="Went silent",
        readonly=True,
        help="Answered the previous two or more surveys and let this one expire.",
    )
    thanked = fields.Boolean(readonly=True)
    followup_state = fields.Selection(
        [("none", "Not needed"), ("open", "To follow up"), ("done", "Followed up")],
        string="Follow-up",
        default="none",
        required=True,
        readonly=True,
        index=True,
    )
    followup_user_id = fields.Many2one("res.users", string="Follow-up by", readonly=True)
    followup_deadline = fields.Datetime(
        string="Follow up by",
        readonly=True,
        help="The follow-up target, in working time of the agreement's calendar.",
    )
    followup_done_date = fields.Datetime(string="Followed up", readonly=True)
    followup_seconds = fields.Integer(
        string="Feedback cycle time (working s)",
        readonly=True,
        aggregator="avg",
        help="Working time from the answer to the follow-up done.",
    )
    followup_in_time = fields.Boolean(string="Followed up in time", readonly=True)
    followup_overdue = fields.Boolean(
        compute="_compute_followup_overdue", search="_search_followup_overdue"
    )
    overdue = fields.Boolean(
        string="Answer overdue",
        compute="_compute_overdue",
        search="_search_overdue",
        help="Sent, not answered and past its answer deadline.",
    )
    parent_id = fields.Many2one(
        "internal.sla.feedback.invitation",
        string="Re-survey of",
        readonly=True,
        index="btree_not_null",
    )
    resurvey_ids = fields.One2many("internal.sla.feedback.invitation", "parent_id")

    _check_score = models.Constraint(
        "CHECK(score BETWEEN -2 AND 10)", "A feedback score is between −2 and 10."
    )

    # -- answers change through the product's own flows only (G2) ---------------------------

    def write(self, vals):
        """An invitation records who was asked, what they answered and how it was followed
        up: the survey submission, the crons and the follow-up buttons write it (as
        superuser). Managers may write on the invitations of their departments for the
        chatter and the activities, not to rewrite an answer."""
        if not self.env.su and not self.env.user.has_group(
            "internal_sla.internal_sla_group_admin"
        ):
            protected = sorted(set(vals) & self._answer_fields())
            if protected:
                raise AccessError(
                    self.env._(
                        "Feedback answers are recorded by the surveys and their follow-up by "
                        'the "Follow-up done" button: %(fields)s cannot be changed by hand. '
                        "Ask an Internal SLA administrator to correct an invitation.",
                        fields=", ".join(
                            f'"{self._fields[name]._description_string(self.env)}"'
                            for name in protected
                        ),
                    )
                )
        return super().write(vals)

    @api.model
    def _answer_fields(self):
        """The invitation's own fields: all but those of the chatter and activities."""
        mixins = set(self.env["mail.thread"]._fields) | set(
            self.env["mail.activity.mixin"]._fields
        )
        return set(self._fields) - mixins

    # -- computes ---------------------------------------------------------------------------

    @api.depends("state", "deadline")
    @api.depends_context("internal_sla_now")
    def _compute_overdue(self):
        now = sla_now(self.env)
        for invitation in self:
            invitation.overdue = (
                invitation.state == "sent"
                and bool(invitation.deadline)
                and invitation.deadline < now
            )

    def _search_overdue(self, operator, value):
        if operator != "in":
            return NotImplemented
        domain = Domain("state", "=", "sent") & Domain("deadline", "<", sla_now(self.env))
        return domain if True in value else ~domain

    @api.depends("followup_state", "followup_deadline")
    @api.depends_context("internal_sla_now")
    def _compute_followup_overdue(self):
        now = sla_now(self.env)
        for invitation in self:
            invitation.followup_overdue = (
                invitation.followup_state == "open"
                and bool(invitation.followup_deadline)
                and invitation.followup_deadline < now
            )

    def _search_followup_overdue(self, operator, value):
        if operator != "in":
            return NotImplemented
        domain = Domain("followup_state", "=", "open") & Domain(
            "followup_deadline", "<", sla_now(self.env)
        )
        return domain if True in value else ~domain

    # -- sending ----------------------------------------------------------------------------

    @api.model
    def _survey_of(self, kind):
        """The survey of Settings for this kind of feedback; the first active one of the
        kind when none is chosen, or when the chosen one was archived or changed kind."""
        Survey = self.env["survey.survey"].sudo()
        survey = Survey.browse(setting(self.env, f"{kind}_survey_id", 0)).exists()
        if not (survey.active and survey.internal_sla_kind == kind):
            survey = Survey.search(
                [("internal_sla_kind", "=", kind), ("active", "=", True)], limit=1, order="id"
            )
        if not survey:
            raise UserError(
                self.env._(
                    "No active survey is set up for %(kind)s feedback: set 'Internal SLA "
                    "feedback' on a survey (Surveys app).",
                    kind=selection_label(self, "kind", kind),
                )
            )
        return survey

    @api.model
    def _period_start(self, now):
        """Start of the survey-budget period containing ``now`` (month or quarter)."""
        day = now.date().replace(day=1)
        if _param(self.env, "survey_cap_period", "month") == "quarter":
            day = day.replace(month=(day.month - 1) // 3 * 3 + 1)
        return fields.Datetime.to_datetime(day)

    @api.model
    def _budget_left(self, users, now):
        """Invitations each of ``users`` may still receive this period (H9), in one query."""
        cap = int(_param(self.env, "survey_cap", 4) or 0)
        if cap <= 0:
            return dict.fromkeys(users.ids, float("inf"))
        counts = dict(
            self.sudo()._read_group(
                [
                    ("user_id", "in", users.ids),
                    ("kind", "in", BUDGET_KINDS),
                    ("state", "in", INVITED_STATES),
                    ("date_sent", ">=", self._period_start(now)),
                ],
                ["user_id"],
                ["__count"],
            )
        )
        return {user.id: cap - counts.get(user, 0) for user in users}

    @api.model
    def _csat_sampling_rates(self, users, now):
        """Share of their CSAT triggers each of ``users`` is invited for (H9): their
        budget over the CSAT triggers they had in the previous period (one query). Someone
        who closes many requests gets a sample spread over the period, not surveys on the
        first requests of the month and none afterwards."""
        cap = int(_param(self.env, "survey_cap", 4) or 0)
        if cap <= 0:
            return dict.fromkeys(users.ids, 1.0)
        period_start = self._period_start(now)
        previous_start = self._period_start(period_start - timedelta(days=1))
        counts = dict(
            self.sudo()._read_group(
                [
                    ("user_id", "in", users.ids),
                    ("kind", "=", "csat"),
                    ("date_sent", ">=", previous_start),
                    ("date_sent", "<", period_start),
                ],
                ["user_id"],
                ["__count"],
            )
        )
        return {user.id: sampling_rate(cap, counts.get(user, 0)) for user in users}

    @api.model
    def _invite(self, kind, users, values=None, deadline_days=None, force=False, survey=None):
        """Invite ``users`` (internal users) to the ``kind`` survey, all with ``values``."""
        return self._invite_many(
            kind, [(user, values or {}) for user in users], deadline_days, force, survey
        )

    @api.model
    def _invite_many(self, kind, recipients, deadline_days=None, force=False, survey=None):
        """Invite each ``(user, values)`` of ``recipients`` to ``survey`` (default: the
        first active survey of ``kind``), in a few queries whatever their number.

        People over their survey budget for the period (CSAT, NPS and eNPS together) are
        sampled out of this round: an invitation in state "Sampled out" records it,
        nothing is sent, and the response rate does not count it. CSAT triggers of people
        who had more of them last period than their budget are sampled at the rate that
        spreads the budget over the period. ``force`` (re-surveys of the closed loop)
        ignores the budget but still counts in it; meeting energy is outside it.
        """
        recipients = [
            (user, vals) for user, vals in recipients if user.active and not user.share
        ]
        if not recipients:
            return self.browse()
        now = sla_now(self.env)
        survey = survey or self._survey_of(kind)
        if deadline_days is None:
            deadline_days = int(_param(self.env, "answer_days", 5) or 5)
        deadline = now + timedelta(days=deadline_days)
        users = self.env["res.users"].browse({user.id for user, _vals in recipients})
        in_budget = kind in BUDGET_KINDS
        left = self._budget_left(users, now) if in_budget else {}
        rates = self._csat_sampling_rates(users, now) if kind == "csat" else {}
        vals_list = []
        for user, values in recipients:
            if (
                force
                or not in_budget
                or left[user.id] > 0
                and (
                    sample_draw(user.id, kind, values.get("ticket_id"), str(now))
                    < rates.get(user.id, 1.0)
                )
            ):
                state = "sent"
            else:
                state = "skipped"
            vals_list.append(
                dict(
                    values,
                    kind=kind,
                    survey_id=survey.id,
                    user_id=user.id,
                    date_sent=now,
                    deadline=deadline,
                    state=state,
                )
            )
            if in_budget and state == "sent":
                left[user.id] -= 1
        invitations = self.sudo().create(vals_list)
        sent = invitations.filtered(lambda i: i.state == "sent")
        if sent:
            sent._create_user_inputs()
            template = self.env.ref("internal_sla.mail_template_feedback_invitation").sudo()
            template.send_mail_batch(
                sent.ids, email_layout_xmlid="mail.mail_notification_light"
            )
        return invitations

    def _create_user_inputs(self):
        """The survey's own answer records of these invitations (token, deadline), as
        the survey's _create_answer makes them, in one query."""
        user_inputs = (
            self.env["survey.user_input"]
            .sudo()
            .create(
                [
                    {
                        "survey_id": invitation.survey_id.id,
                        "partner_id": invitation.user_id.partner_id.id,
                        "email": invitation.user_id.email,
                        "nickname": invitation.user_id.name,
                        "deadline": invitation.deadline,
                        # one attempt per invitation (the surveys limit attempts per
                        # partner and invite token): no retake once answered
                        "invite_token": str(uuid.uuid4()),
                    }
                    for invitation in self
                ]
            )
        )
        for invitation, user_input in zip(self, user_inputs, strict=True):
            invitation.user_input_id = user_input

    def _answer_url(self, score=None):
        """The invitee's link: the survey page, or the one-click CSAT score link."""
        self.ensure_one()
        user_input = self.sudo().user_input_id
        base = self.get_base_url()
        if score is not None:
            return f"{base}/internal_sla/feedback/{user_input.access_token}/{score}"
        return base + user_input.get_start_url()

    # -- answers ----------------------------------------------------------------------------

    def _record_answer(self):
        """Read the survey answer into the invitation and close the loop (C5)."""
        now = sla_now(self.env)
        for invitation in self:
            figures = invitation._read_user_input()
            if figures.get("score") is None:
                continue
            invitation.write(
                dict(
                    figures,
                    state="answered",
                    date_answered=invitation.date_answered or now,
                    category=classify(invitation.kind, figures["score"]),
                    negative_comment=is_negative(
                        figures.get("comment"), self._negative_words()
                    ),
                )
            )
        self.filtered(lambda i: i.state == "answered")._close_loop(now)

    def _read_user_input(self):
        self.ensure_one()
        figures = {}
        reasons = []
        for line in self.user_input_id.user_input_line_ids.filtered(lambda li: not li.skipped):
            role = line.question_id.internal_sla_role
            if role == "score":
                if line.answer_type == "scale":
                    figures["score"] = line.value_scale
                elif line.answer_type == "suggestion":
                    figures["score"] = int(line.suggested_answer_id.answer_score)
                elif line.answer_type == "numerical_box":
                    figures["score"] = int(line.value_numerical_box)
            elif role == "reasons":
                reasons.append(line.suggested_answer_id.value or line.value_char_box or "")
            elif role == "feeling":
                figures["feeling"] = line.suggested_answer_id.value or line.value_char_box
            elif role == "comment":
                figures["comment"] = line.value_text_box or line.value_char_box
        if reasons:
            figures["reasons"] = ", ".join(r for r in reasons if r)
        return figures

    @api.model
    def _negative_words(self):
        return word_list(
            _param(self.env, "negative_words_en", DEFAULT_NEGATIVE_WORDS_EN)
        ) + word_list(_param(self.env, "negative_words_ru", DEFAULT_NEGATIVE_WORDS_RU))

    # -- closed loop (C5, H10) --------------------------------------------------------------

    def _close_loop(self, now):
        """Detractor: follow-up for the provider head with its own target, a proposed
        meeting with both sides. Passive: follow-up only for a negative comment.
        Promoter: optionally thanked. eNPS stays anonymous to the department head and
        meeting energy has no loop."""
        thank = str(_param(self.env, "thank_promoters", "False")).lower() in ("1", "true")
        # a score changed on the survey page before submitting (the one-click answer) may
        # no longer call for the follow-up it opened
        self.filtered(
            lambda i: (
                i.followup_state == "open"
                and i.category != "detractor"
                and not (i.category == "passive" and i.negative_comment)
            )
        )._withdraw_followup()
        for invitation in self.filtered(
            lambda i: i.kind in ("csat", "nps") and i.followup_state == "none"
        ):
            if invitation.category == "detractor":
                invitation._open_followup(now)
                if invitation.agreement_id:
                    invitation.agreement_id._propose_meeting(
                        f"detractor:{invitation.id}",
                        lambda env, invitation=invitation: env._(
                            "%(person)s answered %(score)s to the %(kind)s survey",
                            person=invitation.user_id.name,
                            score=invitation.score,
                            kind=selection_label(invitation, "kind", invitation.kind, env),
                        ),
                    )
            elif invitation.category == "passive" and invitation.negative_comment:
                invitation._open_followup(now)
            elif invitation.category == "promoter" and thank and not invitation.thanked:
                invitation._thank()

    def _withdraw_followup(self):
        """The answer changed to one that needs no follow-up: its activity goes, the
        meeting proposed for it goes while nobody confirmed it, and a note says why."""
        followup_type = self.env.ref("internal_sla.mail_activity_type_feedback_followup")
        for invitation in self:
            invitation.activity_ids.filtered(
                lambda activity: activity.activity_type_id == followup_type
            ).unlink()
            if invitation.agreement_id:
                invitation.agreement_id._sla_withdraw_proposal(f"detractor:{invitation.id}")
            invitation.write(
                {
                    "followup_state": "none",
                    "followup_user_id": False,
                    "followup_deadline": False,
                }
            )
            invitation.message_post(
                body=self.env._(
                    "The answer was changed to %(score)s: no follow-up is needed any more.",
                    score=invitation.score,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def _followup_calendar(self):
        """Working time in which the follow-up target runs: the agreement's calendar."""
        agreement = self.agreement_id or self.ticket_id.sla_agreement_id
        if agreement.resource_calendar_id:
            calendar, tz = agreement.resource_calendar_id, agreement.tz
        else:
            calendar = self.company_id.resource_calendar_id
            tz = calendar.tz
        return calendar, calendar._internal_sla_working_time(tz or "UTC")

    def _open_followup(self, now):
        self.ensure_one()
        provider = self.provider_department_id
        head = (
            provider._sla_head()
            or self.agreement_id.provider_owner_id.filtered("active")
            or self.team_id.user_id.filtered("active")
        )
        days = float(_param(self.env, "followup_days", 2) or 2)
        calendar, working_time = self._followup_calendar()
        deadline = working_time.add(now, round(days * (calendar.hours_per_day or 8.0) * 3600))
        self.write(
            {
                "followup_state": "open",
                "followup_user_id": head.id,
                "followup_deadline": deadline,
            }
        )
        if head:
            local_day = fields.Datetime.context_timestamp(
                self.with_context(tz=calendar.tz or "UTC"), deadline
            ).date()
            self.activity_schedule(
                "internal_sla.mail_activity_type_feedback_followup",
                date_deadline=local_day,
                summary=recipient_env(self, head)._(
                    "Follow up %(kind)s answer %(score)s of %(person)s",
                    kind=selection_label(self, "kind", self.kind, recipient_env(self, head)),
                    score=self.score,
                    person=self.user_id.name,
                ),
                note=self.comment or "",
                user_id=head.id,
            )

    def _thank(self):
        self.ensure_one()
        self.thanked = True
        self.message_post(
            body=self.env._(
                "Thank you for your feedback, %(person)s: it keeps %(department)s going.",
                person=self.user_id.name,
                department=self.provider_department_id.name or "",
            ),
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )

    def _followup_done(self):
        """The follow-up is done: measure it against its target and re-survey the person."""
        now = sla_now(self.env)
        for invitation in self.filtered(lambda i: i.followup_state == "open"):
            _calendar, working_time = invitation._followup_calendar()
            invitation.write(
                {
                    "followup_state": "done",
                    "followup_done_date": now,
                    "followup_in_time": now <= invitation.followup_deadline,
                    "followup_seconds": working_time.working_seconds(
                        invitation.date_answered, now
                    ),
                }
            )
            invitation._resurvey()

    def _resurvey(self):
        self.ensure_one()
        return self._invite(
            self.kind,
            self.user_id,
            values=self._context_values(),
            force=True,
            survey=self.survey_id,
        )

    def _context_values(self):
        """What a re-survey keeps of the invitation it follows."""
        return {
            "parent_id": self.id,
            "agreement_id": self.agreement_id.id,
            "ticket_id": self.ticket_id.id,
            "team_id": self.team_id.id,
            "agent_id": self.agent_id.id,
            "provider_department_id": self.provider_department_id.id,
            "customer_department_id": self.customer_department_id.id,
            "company_id": self.company_id.id,
        }

    def action_followup_done(self):
        """Button: mark the follow-up done (its activity too), by the person following
        the answer up, the provider department's managers or an administrator."""
        self._check_followup_closer()
        activity_type = self.env.ref("internal_sla.mail_activity_type_feedback_followup")
        for invitation in self:
            activities = invitation.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )
            if activities:
                activities.action_done()
            else:
                invitation.sudo()._followup_done()
        return True

    def _check_followup_closer(self):
        """The follow-up is the provider's (C5, H10): the customer side, who may read the
        answer, does not close it."""
        user = self.env.user
        if self.env.su or user.has_group("internal_sla.internal_sla_group_admin"):
            return
        activity_type = self.env.ref("internal_sla.mail_activity_type_feedback_followup")
        for invitation in self.sudo():
            assignees = (
                invitation.followup_user_id
                | invitation.activity_ids.filtered(
                    lambda a: a.activity_type_id == activity_type
                ).user_id
            )
            if user in assignees | invitation.provider_department_id.sla_manager_user_ids:
                continue
            raise AccessError(
                self.env._(
                    "Only the person following this answer up (%(assignee)s), the managers "
                    "of the provider department %(provider)s or an Internal SLA "
                    "administrator can mark its follow-up done.",
                    assignee=", ".join(assignees.mapped("name")) or self.env._("nobody yet"),
                    provider=invitation.provider_department_id.name or "",
                )
            )

    # -- expiry and silence (C4) ------------------------------------------------------------

    def _expire(self, now):
        """Sent invitations past their deadline expire; who answered the previous ones of
        the same loop (two by default, Settings) and ignores this one went silent."""
        expired = self.sudo().search([("state", "=", "sent"), ("deadline", "<", now)])
        if not expired:
            return expired
        expired.write({"state": "expired"})
        # silence is read on the surveys about an agreement's service (C4: an activity for
        # its owner); eNPS and meeting energy are anonymous pulses: nobody is named
        judged = expired.filtered(lambda inv: inv.kind in ("csat", "nps"))
        if not judged:
            return expired
        answers = positive_setting(self.env, "silent_after_answers")
        # every invitation of these people to these surveys, those expiring in this run
        # included: of two expiring together, the later one follows the earlier one,
        # which was not answered
        history = self.sudo().search_fetch(
            [
                ("user_id", "in", judged.user_id.ids),
                ("kind", "in", ("csat", "nps")),
                ("state", "in", INVITED_STATES),
            ],
            ["user_id", "kind", "agreement_id", "provider_department_id", "state", "date_sent"],
            order="date_sent, id",
        )
        loops = defaultdict(list)
        for invitation in history:
            loops[invitation._silence_loop()].append(invitation)
        for invitation in judged:
            loop = loops[invitation._silence_loop()]
            previous = loop[: loop.index(invitation)][-answers:]
            if len(previous) == answers and all(p.state == "answered" for p in previous):
                invitation._went_silent()
        return expired

    def _silence_loop(self):
        """The invitations a person's silence is judged on: same person, survey kind,
        agreement and provider."""
        return (
            self.user_id.id,
            self.kind,
            self.agreement_id.id,
            self.provider_department_id.id,
        )

    def _went_silent(self):
        self.ensure_one()
        self.silent = True
        owner = (
            self.agreement_id.provider_owner_id.filtered("active")
            or self.provider_department_id._sla_head()
        )
        if owner:
            self.activity_schedule(
                "internal_sla.mail_activity_type_feedback_silent",
                summary=recipient_env(self, owner)._(
                    "%(person)s went silent: answered before, not the latest %(kind)s survey",
                    person=self.user_id.name,
                    kind=selection_label(self, "kind", self.kind, recipient_env(self, owner)),
                ),
                user_id=owner.id,
            )

    @api.model
    @in_automation_lang
    def _cron_feedback(self):
        """Daily: expire and detect silence, send NPS/eNPS on their cadence, meeting
        energy after review meetings."""
        now = sla_now(self.env)
        self._expire(now)
        self.env["internal.sla.agreement"]._cron_send_nps(now)
        self.env["hr.department"]._cron_send_enps(now)
        self.env["calendar.event"]._cron_send_energy(now)

    # -- figures (C6, C7, H9) ---------------------------------------------------------------

    @api.model
    def _stats(self, domain, groupby=()):
        """NPS/CSAT figures of answered invitations matching ``domain`` per ``groupby``
        (fields of this model, or ``date_answered:month|quarter|year``), with the KPI
        formulas of ``engine.kpi``. A group answered by fewer than ``min_respondents``
        distinct people is hidden, kind by kind: the figures of a kind answered by fewer
        people are ``None`` and the kind is in ``hidden_kinds``; ``hidden`` is set when
        every kind answered in the group is.

        :return: {group key tuple: {"respondents", "answers", "nps", "csat", "energy",
                  "promoters", "passives", "detractors", "hidden", "hidden_kinds"}}
        """
        groupby = list(groupby)
        rows = self.sudo()._read_group(
            Domain.AND([domain, [("state", "=", "answered")]]),
            groupby + ["kind", "category"],
            ["__count", "score:sum"],
        )
        merged = {}
        for *key, kind, category, count, score_sum in rows:
            key = tuple(key)
            group = merged.setdefault(key, {"counts": {}, "sums": {}, "answers": 0})
            group["answers"] += count
            group["counts"][(kind, category)] = group["counts"].get((kind, category), 0) + count
            group["sums"][kind] = group["sums"].get(kind, 0) + score_sum
        # distinct respondents per group and kind need their own count: people answer
        # several kinds, and each kind's figures are hidden on its own respondents (five
        # CSAT answers must not reveal the NPS of two people)
        people = {}
        for *key, kind, count in self.sudo()._read_group(
            Domain.AND([domain, [("state", "=", "answered")]]),
            groupby + ["kind"],
            ["user_id:count_distinct"],
        ):
            people.setdefault(tuple(key), {})[kind] = count
        everyone = {
            tuple(key): count
            for *key, count in self.sudo()._read_group(
                Domain.AND([domain, [("state", "=", "answered")]]),
                groupby,
                ["user_id:count_distinct"],
            )
        }
        result = {}
        minimum = min_respondents(self.env)
        for key, group in merged.items():
            counts = group["counts"]
            hidden_kinds = {
                kind for kind, count in people.get(key, {}).items() if count < minimum
            }

            def total(kind, counts=counts):
                return sum(n for (k, _c), n in counts.items() if k == kind)

            nps_answers = total("nps")
            csat_answers = total("csat")
            energy_answers = total("energy")
            figures = {
                "respondents": everyone.get(key, 0),
                "answers": group["answers"],
                # nothing to show: every kind answered is hidden
                "hidden": hidden_kinds == set(people.get(key, {})),
                "hidden_kinds": hidden_kinds,
                "promoters": counts.get(("nps", "promoter"), 0),
                "passives": counts.get(("nps", "passive"), 0),
                "detractors": counts.get(("nps", "detractor"), 0),
                "nps": kpi.nps_from_counts(
                    counts.get(("nps", "promoter"), 0),
                    counts.get(("nps", "detractor"), 0),
                    nps_answers,
                ),
                "enps": kpi.nps_from_counts(
                    counts.get(("enps", "promoter"), 0),
                    counts.get(("enps", "detractor"), 0),
                    total("enps"),
                ),
                "csat": kpi.percent(counts.get(("csat", "promoter"), 0), csat_answers),
                "csat_answers": csat_answers,
                "energy": (
                    group["sums"].get("energy", 0) / energy_answers if energy_answers else None
                ),
            }
            for kind in hidden_kinds:
                for name in FIGURES_OF_KIND.get(kind, ()):
                    figures[name] = None
            result[key] = figures
        return result

    @api.model
    def _response_rate(self, domain):
        """Answered / sent invitations (C4); sampled-out ones were never sent."""
        return self._response_rates(domain).get((), None)

    @api.model
    def _response_rates(self, domain, groupby=()):
        """Response rate per ``groupby`` key tuple, in one query."""
        groupby = list(groupby)
        counts = {}
        for *key, state, count in self.sudo()._read_group(
            Domain.AND([domain, [("state", "in", INVITED_STATES)]]),
            groupby + ["state"],
            ["__count"],
        ):
            answered, sent = counts.get(tuple(key), (0, 0))
            counts[tuple(key)] = (
                answered + (count if state == "answered" else 0),
                sent + count,
            )
        return {key: kpi.response_rate(*pair) for key, pair in counts.items()}

    @api.model
    def _followed_up_in_time(self, domain):
        """Detractors followed up in time (H10) of the invitations of ``domain``: detractor
        answers only; a follow-up still open within its target is not late yet and is left
        out until it is done or overdue (``kpi.followed_up_in_time_percent``)."""
        detractors = Domain.AND([domain, [("category", "=", "detractor")]])
        counts = {"in_time": 0, "late": 0}
        for in_time, count in self.sudo()._read_group(
            detractors & Domain("followup_state", "=", "done"),
            ["followup_in_time"],
            ["__count"],
        ):
            counts["in_time" if in_time else "late"] += count
        counts["overdue"] = self.sudo().search_count(
            detractors & Domain("followup_overdue", "=", True)
        )
        return kpi.followed_up_in_time_percent(**counts)

    @api.model
    def _next_date(self, day, cadence):
        return day + relativedelta(months=3 if cadence == "quarterly" else 1)
