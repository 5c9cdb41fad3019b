from odoo import api, fields, models


class InternalSlaOwnership(models.Model):
    """A stretch of time one team held a ticket (H12): written when the ticket moves to
    another team, closes, or is re-opened elsewhere; the current holder's stretch is the
    ticket's team since ``sla_team_since``."""

    _name = "internal.sla.ownership"
    _description = "Ticket Ownership by Team"
    _order = "date_from, id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True, readonly=True
    )
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True, index=True)
    department_id = fields.Many2one("hr.department", readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Assignee", readonly=True)
    date_from = fields.Datetime(string="From", readonly=True)
    date_to = fields.Datetime(string="To", readonly=True)
    working_seconds = fields.Integer(
        readonly=True, help="Working time the team held the ticket, on its working calendar."
    )
    working_hours = fields.Float(compute="_compute_working_hours", store=True, aggregator="sum")
    ended_by = fields.Selection(
        [("transfer", "Transferred"), ("closed", "Closed")], readonly=True
    )
    company_id = fields.Many2one("res.company", readonly=True)

    @api.depends("working_seconds")
    def _compute_working_hours(self):
        for stretch in self:
            stretch.working_hours = stretch.working_seconds / 3600.0

    @api.model
    def _record(self, ticket, team, user, date_to, ended_by):
        """The stretch ``team`` held ``ticket`` until ``date_to``."""
        date_from = ticket.sla_team_since or ticket.create_date
        return self.sudo().create(
            {
                "ticket_id": ticket.id,
                "team_id": team.id,
                "department_id": team.department_id.id,
                "user_id": user.id,
                "date_from": date_from,
                "date_to": date_to,
                "working_seconds": ticket._sla_working_time().working_seconds(
                    date_from, date_to
                )
                if date_to > date_from
                else 0,
                "ended_by": ended_by,
                "company_id": ticket.company_id.id,
            }
        )
