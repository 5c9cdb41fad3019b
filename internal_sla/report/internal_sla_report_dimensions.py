from odoo import api, fields, models
from odoo.tools import SQL

from ..models.internal_sla_target_values_mixin import PRIORITIES
from ..models.res_config_settings import min_agents

# appended to the aggregates the client asks for, read to tell one person's figures
AGENT_HELPERS = ("user_id:count_distinct", "user_id:max")  # max: a raw id
# context key: the assignee as stored, for the helpers above
RAW_AGENTS = "internal_sla_raw_agents"


def agents_readable(env):
    """The users whose own figures the current user may read (E4): themselves and the
    people they manage, as ``internal.sla.kpi._kpi_readable_agents`` decides; ``None``
    when they read everyone's (superuser, Internal SLA administrators, an anonymity
    minimum of one), as ``_kpi_one_agent_hidden``. The candidates are those below the
    user's employee records or in the departments they head, in every company."""
    if (
        env.su
        or min_agents(env) < 2
        or env.user.has_group("internal_sla.internal_sla_group_admin")
    ):
        return None
    Employee = env["hr.employee"].sudo().with_context(active_test=False)
    own = Employee.search([("user_id", "=", env.uid)])
    candidates = {env.uid}
    if own:
        headed = (
            env["hr.department"]
            .sudo()
            .with_context(active_test=False)
            .search([("manager_id", "in", own.ids)])
        )
        managed = Employee.search(
            ["|", ("parent_id", "child_of", own.ids), ("department_id", "child_of", headed.ids)]
        )
        candidates |= set(managed.user_id.ids)
    return env["internal.sla.kpi"]._kpi_readable_agents(candidates)


def agent_to_sql(model, sql):
    """The agent column ``sql`` as the current user may group, filter and read it: empty
    on the rows of agents whose own figures they may not read (E4), so that grouping
    by agent puts those rows together with the unassigned ones, filtering by such an
    agent finds nothing and the rows do not name them."""
    if model.env.context.get(RAW_AGENTS):
        return sql
    readable = agents_readable(model.env)
    if readable is None:
        return sql
    return SQL("(CASE WHEN %s = ANY(%s) THEN %s END)", sql, sorted(readable), sql)


def read_grouping_sets_by_groups(model, domain, grouping_sets, aggregates, order):
    """The groupings of a pivot (``_read_grouping_sets``), each read by the model's
    ``_read_group``, which hides what few people's figures would show (E4, H9): Odoo
    reads them all in one query that does not go through it."""
    if not grouping_sets:
        raise ValueError("The 'grouping_sets' parameter cannot be empty.")
    specs = {spec for groupby in grouping_sets for spec in groupby}
    result = []
    for groupby in grouping_sets:
        # the order of the other sets' groupings does not apply to this one
        kept = [
            part.strip()
            for part in (order or "").split(",")
            if part.strip()
            and not (part.split()[0] in specs and part.split()[0] not in groupby)
        ]
        result.append(
            list(model._read_group(domain, groupby, aggregates, order=", ".join(kept) or None))
        )
    return result


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
    user_id = fields.Many2one(
        "res.users",
        string="Agent",
        readonly=True,
        help="Empty where the agent's own figures are not yours to read (team first): "
        "only the agent, their managers and the administrators group or filter by them.",
    )
    category_id = fields.Many2one("helpdesk.ticket.category", readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)

    @api.depends("ticket_id")
    def _compute_display_name(self):
        # the request's name, read as the lists read their many2one names: a manager reads
        # the rows of the agreements they manage without always reading the request itself
        for row in self:
            row.display_name = row.ticket_id.sudo().display_name

    def _field_to_sql(self, alias, field_expr, query=None):
        sql = super()._field_to_sql(alias, field_expr, query)
        return agent_to_sql(self, sql) if field_expr == "user_id" else sql

    def _read_group_select(self, aggregate_spec, query):
        records = (
            self.with_context(**{RAW_AGENTS: True}) if aggregate_spec in AGENT_HELPERS else self
        )
        return super(InternalSlaReportDimensions, records)._read_group_select(
            aggregate_spec, query
        )

    @api.model
    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        return read_grouping_sets_by_groups(self, domain, grouping_sets, aggregates, order)

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        """Team first (E4): a group whose assigned requests were all handled by one agent
        shows that agent's own figures, which only the agent, their managers and the
        Internal SLA administrators may read. For anyone else its measures read empty;
        the request count stays. Agents whose figures the user may not read are not a
        dimension for them (``agent_to_sql``): grouped by agent, their requests count
        together with the unassigned ones."""
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
