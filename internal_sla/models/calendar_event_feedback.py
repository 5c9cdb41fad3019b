from datetime import timedelta

from odoo import api, fields, models


class CalendarEvent(models.Model):
    """Meeting energy after review meetings of an agreement (C7)."""

    _inherit = "calendar.event"

    internal_sla_energy_sent = fields.Boolean(
        string="Energy survey sent", copy=False, readonly=True
    )

    def _internal_sla_agreement(self):
        self.ensure_one()
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
