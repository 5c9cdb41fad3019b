from odoo import api, fields, models

from ..engine.feedback import CADENCES, MIN_RESPONDENTS


class InternalSlaAgreement(models.Model):
    """The feedback side of an agreement: internal NPS on its cadence (C2), the figures of
    its surveys (C6) and response rate (C4). Kept apart from the agreement's own file."""

    _inherit = "internal.sla.agreement"

    nps_cadence = fields.Selection(
        CADENCES,
        string="NPS cadence",
        default="quarterly",
        required=True,
        help="When the customer side is asked whether it would recommend the provider. "
        "'At milestones': only with the 'Send NPS survey' button.",
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
        domain=[("share", "=", False)],
        help="Who answers the NPS survey; empty: every employee of the customer department.",
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
        help=f"Fewer than {MIN_RESPONDENTS} people answered: figures are hidden.",
    )
    feedback_has_data = fields.Boolean(compute="_compute_feedback")

    @api.depends_context("internal_sla_now")
    def _compute_feedback(self):
        Invitation = self.env["internal.sla.feedback.invitation"]
        domain = [("agreement_id", "in", self.ids), ("kind", "in", ("nps", "csat"))]
        stats = Invitation._stats(domain, ["agreement_id"])
        rates = Invitation._response_rates([("agreement_id", "in", self.ids)], ["agreement_id"])
        for agreement in self:
            figures = stats.get((agreement,), {})
            agreement.feedback_has_data = bool(figures)
            agreement.feedback_hidden = figures.get("hidden", False)
            agreement.feedback_nps = figures.get("nps") or 0.0
            agreement.feedback_nps_answers = (
                (figures.get("promoters") or 0)
                + (figures.get("passives") or 0)
                + (figures.get("detractors") or 0)
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
        """Send this agreement's NPS survey now (milestones, or out of cadence)."""
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
            invitations |= Invitation._invite(
                "nps",
                panel,
                values={
                    "agreement_id": agreement.id,
                    "provider_department_id": agreement.provider_department_id.id,
                    "customer_department_id": agreement.customer_department_id.id,
                    "company_id": agreement.company_id.id,
                },
            )
            agreement.message_post(
                body=self.env._(
                    "NPS survey sent to %(count)s people (%(skipped)s over their survey "
                    "budget sampled out).",
                    count=len(invitations.filtered(lambda i: i.state == "sent")),
                    skipped=len(invitations.filtered(lambda i: i.state == "skipped")),
                )
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
