from odoo import fields, models, tools
from odoo.tools import SQL

from .internal_sla_event import EVENT_TYPES


class InternalSlaTimeline(models.Model):
    """A ticket's SLA timeline (H4): the logged clock events plus moments read off the
    lines themselves: at risk, breach, escalation levels, and the start of the clocks
    started with their request.

    Crossing a threshold happens at a known instant (the line's at-risk date or deadline),
    whenever the sweep notices it; deriving those events keeps their time exact, lets the
    sweep touch 100,000 lines without writing 100,000 log rows, and saves every new request
    one event row per clock.
    """

    _name = "internal.sla.timeline"
    _description = "SLA Timeline"
    _auto = False
    _order = "date desc, id desc"
    # read by exactly those who read the request (G2, ir.rule)
    _internal_sla_ticket_field = "ticket_id"

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    line_id = fields.Many2one("internal.sla.line", readonly=True)
    target_name = fields.Char(readonly=True)
    date = fields.Datetime(readonly=True)
    event_type = fields.Selection(EVENT_TYPES, readonly=True)
    rule = fields.Char(readonly=True)
    cause = fields.Char(compute="_compute_cause", help="What caused the event.")
    deadline = fields.Datetime(readonly=True, help="The line's deadline after the event.")
    at_risk_percent = fields.Float(readonly=True)
    escalation_level = fields.Integer(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def _compute_cause(self):
        for event in self:
            if event.rule:
                event.cause = event.rule
            elif event.event_type == "escalation":
                event.cause = self.env._(
                    "Escalation level %(level)s reached", level=event.escalation_level
                )
            elif event.event_type == "at_risk":
                event.cause = self.env._(
                    "%(percent)s%% of the target used", percent=round(event.at_risk_percent)
                )
            else:
                event.cause = self.env._("Deadline passed")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        # ids: 7n for logged events, 7n+1 / 7n+2 for a line's at-risk / breach moments,
        # 7n+3..7n+5 for the escalation levels it reached, 7n+6 for its start
        escalations = SQL(" UNION ALL ").join(
            SQL(
                """
                SELECT line.id * 7 + %(offset)s, line.ticket_id, line.id, line.name,
                       %(date)s, 'escalation', NULL, line.deadline,
                       line.at_risk_percent, %(level)s, line.company_id
                  FROM internal_sla_line line
                 WHERE line.escalation_level >= %(level)s
                   AND COALESCE(line.escalation_inherited_level, 0) < %(level)s""",
                offset=2 + level,
                level=level,
                date=SQL.identifier("line", f"escalation{level}_date"),
            )
            for level in (1, 2, 3)
        )
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %(view)s AS (
                SELECT event.id * 7 AS id, event.ticket_id, event.line_id,
                       event.target_name, event.date, event.event_type, event.rule,
                       event.deadline, NULL::float8 AS at_risk_percent,
                       NULL::int AS escalation_level, event.company_id
                  FROM internal_sla_event event
             UNION ALL
                SELECT line.id * 7 + 1, line.ticket_id, line.id, line.name,
                       line.at_risk_date, 'at_risk', NULL, line.deadline,
                       line.at_risk_percent, NULL, line.company_id
                  FROM internal_sla_line line
                 WHERE line.state = 'at_risk'
                    OR line.at_risk_date <= COALESCE(
                           line.reached_date, line.paused_since,
                           CASE WHEN line.state = 'breached' THEN line.deadline END)
             UNION ALL
                SELECT line.id * 7 + 2, line.ticket_id, line.id, line.name,
                       line.deadline, 'breach', NULL, line.deadline,
                       line.at_risk_percent, NULL, line.company_id
                  FROM internal_sla_line line
                 WHERE line.state = 'breached'
             UNION ALL
                SELECT line.id * 7 + 6, line.ticket_id, line.id, line.name,
                       line.start_event_date, 'start', line.start_event_rule,
                       line.start_event_deadline, NULL, NULL, line.company_id
                  FROM internal_sla_line line
                 WHERE line.start_event_date IS NOT NULL
             UNION ALL %(escalations)s
            )
            """,
                view=SQL.identifier(self._table),
                escalations=escalations,
            )
        )
