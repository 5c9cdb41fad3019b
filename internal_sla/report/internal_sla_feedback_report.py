from odoo import api, fields, models, tools
from odoo.exceptions import UserError

from ..engine import kpi
from ..models.res_config_settings import min_respondents
from ..models.survey_survey import FEEDBACK_KINDS

# measures recomputed from counts with engine.kpi for every group
HIDDEN_HELPERS = [
    "respondent_id:count_distinct",
    "promoters:sum",
    "detractors:sum",
    "nps_answers:sum",
    "satisfied:sum",
    "csat_answers:sum",
]


class InternalSlaFeedbackReport(models.Model):
    """Feedback analysis (C6, C7, H9): answered invitations for pivot and graph, NPS and
    CSAT recomputed per group with ``engine.kpi``, and every group answered by fewer than
    five people hidden — in the pivot, the graph and their downloads alike. Individual
    rows are never read: only grouped figures leave this model."""

    _name = "internal.sla.feedback.report"
    _description = "Feedback Analysis"
    _auto = False
    _order = "date_answered desc"

    date_answered = fields.Datetime(string="Answered", readonly=True)
    kind = fields.Selection(FEEDBACK_KINDS, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    agreement_id = fields.Many2one("internal.sla.agreement", readonly=True)
    provider_department_id = fields.Many2one("hr.department", string="Provider", readonly=True)
    customer_department_id = fields.Many2one("hr.department", string="Customer", readonly=True)
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True)
    meeting_series = fields.Char(readonly=True)
    respondent_id = fields.Integer(readonly=True, aggregator="count_distinct")
    nps = fields.Float(string="NPS", readonly=True, aggregator="avg")
    csat = fields.Float(string="CSAT %", readonly=True, aggregator="avg")
    energy = fields.Float(string="Meeting energy", readonly=True, aggregator="avg")
    promoters = fields.Integer(readonly=True)
    passives = fields.Integer(readonly=True)
    detractors = fields.Integer(readonly=True)
    nps_answers = fields.Integer(string="NPS answers", readonly=True)
    satisfied = fields.Integer(readonly=True)
    csat_answers = fields.Integer(string="CSAT answers", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            f"""
            CREATE VIEW {self._table} AS (
                SELECT i.id, i.date_answered, i.kind, i.company_id, i.agreement_id,
                       i.provider_department_id, i.customer_department_id, i.team_id,
                       i.meeting_series, i.user_id AS respondent_id,
                       CASE WHEN i.kind IN ('nps', 'enps') THEN
                           CASE i.category WHEN 'promoter' THEN 100
                                           WHEN 'detractor' THEN -100 ELSE 0 END
                       END AS nps,
                       CASE WHEN i.kind = 'csat' THEN
                           CASE WHEN i.category = 'promoter' THEN 100 ELSE 0 END
                       END AS csat,
                       CASE WHEN i.kind = 'energy' THEN i.score END AS energy,
                       (i.kind IN ('nps', 'enps') AND i.category = 'promoter')::int
                           AS promoters,
                       (i.kind IN ('nps', 'enps') AND i.category = 'passive')::int AS passives,
                       (i.kind IN ('nps', 'enps') AND i.category = 'detractor')::int
                           AS detractors,
                       (i.kind IN ('nps', 'enps'))::int AS nps_answers,
                       (i.kind = 'csat' AND i.category = 'promoter')::int AS satisfied,
                       (i.kind = 'csat')::int AS csat_answers
                  FROM internal_sla_feedback_invitation i
                 WHERE i.state = 'answered'
            )
            """
        )

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        aggregates = tuple(aggregates)
        rows = super()._read_group(
            domain, groupby, aggregates + tuple(HIDDEN_HELPERS), having, offset, limit, order
        )
        n_keys, n_values = len(groupby), len(aggregates)
        minimum = min_respondents(self.env)
        result = []
        for row in rows:
            keys, values = row[:n_keys], list(row[n_keys : n_keys + n_values])
            people, promoters, detractors, nps_answers, satisfied, csat_answers = row[
                n_keys + n_values :
            ]
            hidden = people < minimum
            for index, spec in enumerate(aggregates):
                name = spec.split(":")[0]
                if name == "__count":
                    continue
                if hidden:
                    values[index] = None
                elif name == "nps":
                    values[index] = kpi.nps_from_counts(promoters, detractors, nps_answers)
                elif name == "csat":
                    values[index] = kpi.percent(satisfied, csat_answers)
            result.append((*keys, *values))
        return result

    def _fetch_query(self, query, fields):
        """Rows are single answers: only grouped figures may be read."""
        raise UserError(
            self.env._(
                "The feedback analysis shows grouped figures only (pivot and graph); "
                "individual answers stay in the feedback invitations."
            )
        )

    def export_data(self, fields_to_export):
        return self._fetch_query(None, fields_to_export)
