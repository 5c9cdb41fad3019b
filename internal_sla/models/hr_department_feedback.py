from odoo import api, fields, models

from .internal_sla_agreement_feedback import CADENCES


class HrDepartment(models.Model):
    """eNPS of a provider department's own people on its own cadence (C3)."""

    _inherit = "hr.department"

    enps_cadence = fields.Selection(
        [c for c in CADENCES if c[0] != "milestone"],
        string="eNPS cadence",
        default="none",
        required=True,
    )
    enps_next_date = fields.Date(string="Next eNPS survey", copy=False)

    def action_send_enps(self):
        Invitation = self.env["internal.sla.feedback.invitation"]
        invitations = Invitation
        for department in self:
            employees = (
                self.env["hr.employee"].sudo().search([("department_id", "=", department.id)])
            )
            invitations |= Invitation._invite(
                "enps",
                employees.user_id,
                values={
                    "provider_department_id": department.id,
                    "company_id": department.company_id.id or self.env.company.id,
                },
            )
        return invitations

    @api.model
    def _cron_send_enps(self, now):
        today = now.date()
        due = self.search(
            [
                ("enps_cadence", "in", ("monthly", "quarterly")),
                "|",
                ("enps_next_date", "=", False),
                ("enps_next_date", "<=", today),
            ]
        )
        Invitation = self.env["internal.sla.feedback.invitation"]
        for department in due:
            department.action_send_enps()
            department.enps_next_date = Invitation._next_date(today, department.enps_cadence)
