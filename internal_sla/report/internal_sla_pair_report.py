from odoo import api, fields, models, tools
from odoo.exceptions import UserError

from ..engine import kpi
from ..models.res_config_settings import min_respondents
from .internal_sla_report_dimensions import (
    RAW_AGENTS,
    agent_to_sql,
    read_grouping_sets_by_groups,
)

# counts every group's figures are recomputed from with engine.kpi
HELPERS = (
    "respondent_id:count_distinct",
    "promoters:sum",
    "detractors:sum",
    "nps_answers:sum",
    "met_count:sum",
    "breached_count:sum",
    "agent_id:count_distinct",
    "agent_id:max",
)
AGENT_HELPERS = HELPERS[-2:]


class InternalSlaPairReport(models.Model):
    """Department-pair matrix (F2): SLA met % and internal NPS of each provider → customer
    pair, side by side in one pivot.

    Rows are the pair's measured SLA lines (met or breached; open ones do not count yet)
    and its internal NPS answers. Every group's SLA met % and NPS are recomputed from
    counts with ``engine.kpi``; an NPS answered by fewer than five people is hidden
    (H9). Individual rows are never read: only grouped figures leave this model.
    """

    _name = "internal.sla.pair.report"
    _description = "Department Pairs: SLA Met % and NPS"
    _auto = False
    _order = "date desc"

    date = fields.Datetime(readonly=True, help="Request created on / NPS answered on.")
    company_id = fields.Many2one("res.company", readonly=True)
    agreement_id = fields.Many2one("internal.sla.agreement", readonly=True)
    provider_department_id = fields.Many2one("hr.department", string="Provider", readonly=True)
    customer_department_id = fields.Many2one("hr.department", string="Customer", readonly=True)
    met_percent = fields.Float(string="SLA met %", readonly=True, aggregator="avg")
    nps = fields.Float(string="NPS", readonly=True, aggregator="avg")
    respondent_id = fields.Integer(readonly=True, aggregator="count_distinct")
    met_count = fields.Integer(string="Met", readonly=True)
    breached_count = fields.Integer(string="Breached", readonly=True)
    promoters = fields.Integer(readonly=True)
    detractors = fields.Integer(readonly=True)
    nps_answers = fields.Integer(string="NPS answers", readonly=True)
    # the request's assignee (none on NPS rows): a pair one agent served alone (E4)
    agent_id = fields.Integer(readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT line.id * 2 AS id, ticket.create_date AS date,
                       COALESCE(line.company_id, ticket.company_id) AS company_id,
                       line.agreement_id, ticket.provider_department_id,
                       ticket.requester_department_id AS customer_department_id,
                       CASE line.state WHEN 'met' THEN 100.0 ELSE 0.0 END AS met_percent,
                       NULL::float AS nps, NULL::int AS respondent_id,
                       (line.state = 'met')::int AS met_count,
                       (line.state = 'breached')::int AS breached_count,
                       0 AS promoters, 0 AS detractors, 0 AS nps_answers,
                       ticket.user_id AS agent_id
                  FROM internal_sla_line line
                  JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
                 WHERE ticket.active AND line.state IN ('met', 'breached')
                 UNION ALL
                SELECT i.id * 2 + 1, i.date_answered, i.company_id, i.agreement_id,
                       i.provider_department_id, i.customer_department_id,
                       NULL, CASE i.category WHEN 'promoter' THEN 100.0
                                             WHEN 'detractor' THEN -100.0 ELSE 0.0 END,
                       i.user_id, 0, 0,
                       (i.category = 'promoter')::int, (i.category = 'detractor')::int, 1,
                       NULL
                  FROM internal_sla_feedback_invitation i
                 WHERE i.kind = 'nps' AND i.state = 'answered'
            )
            """
        )

    def _field_to_sql(self, alias, field_expr, query=None):
        """Grouped or filtered by agent, a pair shows only the agents whose own figures
        the user may read (E4); the others count with the NPS answers (no agent)."""
        sql = super()._field_to_sql(alias, field_expr, query)
        return agent_to_sql(self, sql) if field_expr == "agent_id" else sql

    def _read_group_select(self, aggregate_spec, query):
        records = (
            self.with_context(**{RAW_AGENTS: True}) if aggregate_spec in AGENT_HELPERS else self
        )
        return super(InternalSlaPairReport, records)._read_group_select(aggregate_spec, query)

    @api.model
    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        return read_grouping_sets_by_groups(self, domain, grouping_sets, aggregates, order)

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        aggregates = tuple(aggregates)
        rows = super()._read_group(
            domain, groupby, aggregates + HELPERS, having, offset, limit, order
        )
        n_keys, n_values = len(groupby), len(aggregates)
        minimum = min_respondents(self.env)
        # an SLA met % of requests one agent handled alone is that agent's (E4)
        one_agent = self.env["internal.sla.kpi"]._kpi_one_agent_hidden(
            [row[-2:] for row in rows]
        )
        result = []
        for row, agent_hidden in zip(rows, one_agent, strict=True):
            keys, values = row[:n_keys], list(row[n_keys : n_keys + n_values])
            people, promoters, detractors, answers, met, breached = row[n_keys + n_values : -2]
            for index, spec in enumerate(aggregates):
                name = spec.split(":")[0]
                if name == "nps":
                    values[index] = (
                        kpi.nps_from_counts(promoters, detractors, answers)
                        if people >= minimum
                        else None
                    )
                elif name in ("met_percent", "met_count", "breached_count") and agent_hidden:
                    values[index] = None
                elif name == "met_percent":
                    values[index] = kpi.sla_met_percent(met, breached)
                elif (
                    name in ("promoters", "detractors", "nps_answers", "respondent_id")
                    and people < minimum
                ):
                    values[index] = None
            result.append((*keys, *values))
        return result

    def _fetch_query(self, query, fields):
        """Rows are single lines and answers: only grouped figures may be read."""
        raise UserError(
            self.env._(
                "The department-pair matrix shows grouped figures only (pivot and graph)."
            )
        )

    def export_data(self, fields_to_export):
        return self._fetch_query(None, fields_to_export)
