from odoo import fields, models

EVENT_TYPES = [
    ("start", "Clock started"),
    ("pause", "Paused"),
    ("resume", "Resumed"),
    ("first_response", "First response"),
    ("rematch", "Re-matched"),
    ("at_risk", "At risk"),
    ("breach", "Breached"),
    ("met", "Met"),
    ("reopen", "Reopened"),
    ("recompute", "Recomputed"),
    ("escalation", "Escalated"),
    ("cancel", "Stopped: no agreement"),
]


class InternalSlaEvent(models.Model):
    """One event of a ticket's SLA clock, with the rule that caused it (H4)."""

    _name = "internal.sla.event"
    _description = "SLA Timeline Event"
    _order = "date desc, id desc"
    # an append-only log inserted in bulk: ``date`` and ``rule`` say when and why
    _log_access = False
    # read by exactly those who read the request (G2, ir.rule)
    _internal_sla_ticket_field = "ticket_id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True, readonly=True
    )
    line_id = fields.Many2one(
        "internal.sla.line", ondelete="set null", readonly=True, index="btree_not_null"
    )
    target_name = fields.Char(readonly=True)
    date = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    event_type = fields.Selection(EVENT_TYPES, required=True, readonly=True)
    rule = fields.Char(readonly=True, help="What caused the event.")
    deadline = fields.Datetime(readonly=True, help="The line's deadline after the event.")
    company_id = fields.Many2one("res.company", readonly=True)

    # the reopen KPI reads the reopened tickets of a period at once (internal.sla.kpi)
    _reopen_idx = models.Index("(ticket_id) WHERE event_type = 'reopen'")
