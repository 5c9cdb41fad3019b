from odoo import api, fields, models

from ..models.internal_sla_target_values_mixin import PRIORITIES

# appended to the aggregates the client asks for, read to tell one person's figures
AGENT_HELPERS = ("user_id:count_distinct", "user_id:max")  # max: a raw id


class InternalSlaReportDimensions(models.AbstractModel):
    """The dimensions of a request that the SLA analysis (F2) and the volume report (F7)
    group by; each report's SQL view provides these columns."""

    _name = "internal.sla.report.dimensions"
    _description = "Request dimensions of the SLA reports"

    ticket_id = fields.Many2one("helpdesk.ticket", readonly=True)
    agreement_id = fields.Many2one("internal.sla.agreement", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    provider_department_id = fields.Many2one("hr.department", string="Provider", readonly=True)
    customer_department_id = fields.Many2one("hr.department", string="Customer", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Agent", readonly=True)
    category_id = fields.Many2one("helpdesk.ticket.category", readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)

    @api.depends("ticket_id")
    def _compute_display_name(self):
        # the request's name, read as the lists read their many2one names: a manager reads
        # the rows of the agreements they manage without always reading the request itself
        for row in self:
            row.display_name = row.ticket_id.sudo().display_name

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        """Team first (E4): a group whose assigned requests were all handled by one agent
        shows that agent's own figures, which only the agent, their managers and the
        Internal SLA administrators may read (grouping by agent makes every group such
        a one). For anyone else its measures read empty; the request count stays."""
        aggregates = tuple(aggregates)
        if self.env.su or all(spec == "__count" for spec in aggregates):
            return super()._read_group(
                domain, groupby, aggregates, having, offset, limit, order
            )
        rows = super()._read_group(
            domain, groupby, aggregates + AGENT_HELPERS, having, offset, limit, order
        )
        width = len(groupby) + len(aggregates)
        hidden = self.env["internal.sla.kpi"]._kpi_one_agent_hidden(
            [(row[width], row[width + 1]) for row in rows]
        )
        return [
            (
                *row[: len(groupby)],
                *(
                    value if spec == "__count" else None
                    for spec, value in zip(aggregates, row[len(groupby) : width], strict=True)
                ),
            )
            if hide
            else row[:width]
            for row, hide in zip(rows, hidden, strict=True)
        ]
