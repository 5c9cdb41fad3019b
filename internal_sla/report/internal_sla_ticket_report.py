from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.internal_sla_line import STATES

WEEKDAYS = [
    ("1", "Monday"),
    ("2", "Tuesday"),
    ("3", "Wednesday"),
    ("4", "Thursday"),
    ("5", "Friday"),
    ("6", "Saturday"),
    ("7", "Sunday"),
]
HOURS = [(f"{hour:02d}", f"{hour:02d}:00") for hour in range(24)]


class InternalSlaTicketReport(models.Model):
    """Volume and peaks (F7): one row per ticket, with the weekday and hour it arrived at
    in the agreement's time zone (the company's when no agreement applies) and whether it
    is still open (the backlog)."""

    _name = "internal.sla.ticket.report"
    _description = "Ticket Volume and Backlog"
    _auto = False
    _order = "create_date desc, id desc"
    _rec_name = "ticket_id"
    _inherit = ["internal.sla.report.dimensions"]

    stage_id = fields.Many2one("helpdesk.ticket.stage", readonly=True)
    sla_state = fields.Selection(STATES, string="SLA state", readonly=True)
    create_date = fields.Datetime(string="Created on", readonly=True)
    weekday = fields.Selection(WEEKDAYS, string="Day of week", readonly=True)
    hour = fields.Selection(HOURS, string="Hour of day", readonly=True)
    is_open = fields.Boolean(string="Open", readonly=True)
    age_days = fields.Float(
        string="Age (days)", readonly=True, aggregator="avg", help="Calendar days open."
    )

    def _select(self):
        return SQL(
            """
            SELECT ticket.id,
                   ticket.id AS ticket_id,
                   ticket.sla_agreement_id AS agreement_id,
                   ticket.company_id,
                   ticket.provider_department_id,
                   ticket.requester_department_id AS customer_department_id,
                   ticket.team_id,
                   ticket.user_id,
                   ticket.category_id,
                   ticket.priority,
                   ticket.stage_id,
                   ticket.sla_state,
                   ticket.create_date,
                   extract(isodow FROM local.at)::int::text AS weekday,
                   to_char(local.at, 'HH24') AS hour,
                   NOT COALESCE(stage.closed, FALSE) AS is_open,
                   extract(epoch FROM (
                       CASE WHEN COALESCE(stage.closed, FALSE)
                            THEN COALESCE(ticket.closed_date, ticket.create_date)
                            ELSE now() AT TIME ZONE 'UTC' END - ticket.create_date
                   )) / 86400.0 AS age_days
              FROM helpdesk_ticket ticket
         LEFT JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
         LEFT JOIN internal_sla_agreement agreement ON agreement.id = ticket.sla_agreement_id
         LEFT JOIN res_company company ON company.id = ticket.company_id
         LEFT JOIN res_partner company_partner ON company_partner.id = company.partner_id
             CROSS JOIN LATERAL (
                 SELECT (ticket.create_date AT TIME ZONE 'UTC') AT TIME ZONE
                        COALESCE(agreement.tz, company_partner.tz, 'UTC') AS at
             ) local
             WHERE ticket.active
            """
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._select()
            )
        )
