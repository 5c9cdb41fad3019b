from odoo import api, fields, models


class InternalSlaPause(models.Model):
    """A period in which a ticket's SLA clocks stood still (B4), kept for audit."""

    _name = "internal.sla.pause"
    _description = "SLA Pause"
    _order = "date_start desc, id desc"
    # read by those who read the request, and by the managers of its agreement (G2, ir.rule)
    _internal_sla_ticket_field = "ticket_id"
    _internal_sla_agreement_field = "ticket_id.sla_agreement_id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True, readonly=True
    )
    stage_id = fields.Many2one("helpdesk.ticket.stage", readonly=True, ondelete="set null")
    date_start = fields.Datetime(required=True, readonly=True)
    date_end = fields.Datetime(readonly=True)
    user_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    company_id = fields.Many2one("res.company", readonly=True)
    # the team holding the ticket when the clocks stopped: a later transfer does not move
    # the pause to the new team (pauses per team, H8)
    team_id = fields.Many2one(
        "helpdesk.ticket.team", compute="_compute_team_id", store=True, readonly=True
    )
    working_seconds = fields.Integer(
        readonly=True, help="Working time the clocks stood still (set when the pause ends)."
    )
    working_hours = fields.Float(compute="_compute_working_hours", store=True, aggregator="sum")
    requester_replied_before = fields.Datetime(
        string="Requester's reply",
        readonly=True,
        help="The requester's last message before the pause started.",
    )
    suspicious = fields.Boolean(
        string="Paused right after the requester replied",
        readonly=True,
        help="Anti-gaming (H8): the clock was stopped as waiting on the requester within "
        "minutes of the requester's reply.",
    )

    @api.depends("ticket_id")
    def _compute_team_id(self):
        for pause in self:
            pause.team_id = pause.ticket_id.team_id

    @api.depends("working_seconds")
    def _compute_working_hours(self):
        for pause in self:
            pause.working_hours = pause.working_seconds / 3600.0

    @api.model
    def _suspicious_minutes(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("internal_sla.pause_gaming_minutes")
        )
        return int(value or 10)

    # -- chained handoffs (H7) -----------------------------------------------------------------

    cause = fields.Char(
        readonly=True, help="Why the clocks stood still, when not the ticket's stage."
    )
    handoff_ticket_id = fields.Many2one(
        "helpdesk.ticket",
        string="Waiting on request",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The linked request to another department this pause waits for (H7): the "
        "clocks resume when it is closed.",
    )
    handoff_department_id = fields.Many2one(
        "hr.department",
        string="Waiting on department",
        related="handoff_ticket_id.provider_department_id",
        store=True,
    )

    def _close(self, when):
        """End these pauses at ``when``, with the working time they froze."""
        for pause in self:
            pause.write(
                {
                    "date_end": when,
                    "working_seconds": max(
                        0,
                        pause.ticket_id._sla_working_time().working_seconds(
                            pause.date_start, when
                        ),
                    ),
                }
            )
