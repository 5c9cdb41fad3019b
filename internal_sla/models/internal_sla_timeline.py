from odoo import fields, models, tools

from .internal_sla_event import EVENT_TYPES


class InternalSlaTimeline(models.Model):
    """A ticket's SLA timeline (H4): the logged clock events plus the at-risk and breach
    moments, which are read off the lines themselves.

    Crossing a threshold happens at a known instant (the line's at-risk date or deadline),
    whenever the sweep notices it; deriving those two events keeps their time exact and
    lets the sweep touch 100,000 lines without writing 100,000 log rows.
    """

    _name = "internal.sla.timeline"
    _description = "SLA Timeline"
    _auto = False
    _order = "date desc, id desc"

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    line_id = fields.Many2one("internal.sla.line", readonly=True)
    target_name = fields.Char(readonly=True)
    date = fields.Datetime(readonly=True)
    event_type = fields.Selection(EVENT_TYPES, readonly=True)
    rule = fields.Char(readonly=True)
    cause = fields.Char(compute="_compute_cause", help="What caused the event.")
    deadline = fields.Datetime(readonly=True, help="The line's deadline after the event.")
    at_risk_percent = fields.Float(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def _compute_cause(self):
        for event in self:
            if event.rule:
                event.cause = event.rule
            elif event.event_type == "at_risk":
                event.cause = self.env._(
                    "%(percent)s%% of the target used", percent=round(event.at_risk_percent)
                )
            else:
                event.cause = self.env._("Deadline passed")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # ids: 3n for logged events, 3n+1 / 3n+2 for a line's at-risk / breach moments
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT event.id * 3 AS id, event.ticket_id, event.line_id,
                       event.target_name, event.date, event.event_type, event.rule,
                       event.deadline, NULL::float8 AS at_risk_percent, event.company_id
                  FROM internal_sla_event event
             UNION ALL
                SELECT line.id * 3 + 1, line.ticket_id, line.id, line.name,
                       line.at_risk_date, 'at_risk', NULL, line.deadline,
                       line.at_risk_percent, line.company_id
                  FROM internal_sla_line line
                 WHERE line.state = 'at_risk'
                    OR line.at_risk_date <= COALESCE(
                           line.reached_date, line.paused_since,
                           CASE WHEN line.state = 'breached' THEN line.deadline END)
             UNION ALL
                SELECT line.id * 3 + 2, line.ticket_id, line.id, line.name,
                       line.deadline, 'breach', NULL, line.deadline,
                       line.at_risk_percent, line.company_id
                  FROM internal_sla_line line
                 WHERE line.state = 'breached'
            )
            """
        )
