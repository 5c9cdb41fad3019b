from odoo import api, fields, models, tools
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..engine import kpi
from ..models.res_config_settings import min_respondents
from ..models.survey_survey import FEEDBACK_KINDS
from .internal_sla_report_dimensions import read_grouping_sets_by_groups

# measures recomputed from counts with engine.kpi for every group
HIDDEN_HELPERS = [
    "respondent_id:count_distinct",
    "nps_respondent_id:count_distinct",
    "enps_respondent_id:count_distinct",
    "csat_respondent_id:count_distinct",
    "energy_respondent_id:count_distinct",
    "promoters:sum",
    "detractors:sum",
    "nps_answers:sum",
    "enps_promoters:sum",
    "enps_detractors:sum",
    "enps_answers:sum",
    "satisfied:sum",
    "csat_answers:sum",
]
# the survey whose respondents decide whether a measure is shown (H9: kind by kind)
MEASURE_KINDS = {
    "nps": "nps",
    "promoters": "nps",
    "passives": "nps",
    "detractors": "nps",
    "nps_answers": "nps",
    "enps": "enps",
    "enps_promoters": "enps",
    "enps_detractors": "enps",
    "enps_answers": "enps",
    "csat": "csat",
    "satisfied": "csat",
    "csat_answers": "csat",
    "energy": "energy",
}
# what the analysis may be grouped and filtered by: where and when answers were given,
# never who answered or what (a group or a filter on those would single people out)
DIMENSIONS = frozenset(
    {
        "date_answered",
        "kind",
        "company_id",
        "agreement_id",
        "provider_department_id",
        "customer_department_id",
        "team_id",
        "meeting_series",
    }
)
# answers are grouped by period, not by the hour, minute or second they were given
DATE_GRANULARITIES = frozenset(
    {
        "day",
        "week",
        "month",
        "quarter",
        "year",
        "year_number",
        "quarter_number",
        "month_number",
        "iso_week_number",
        "day_of_week",
    }
)


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
    # the respondents of each survey kind, each kind's measures hidden on its own
    nps_respondent_id = fields.Integer(
        string="NPS respondents", readonly=True, aggregator="count_distinct"
    )
    enps_respondent_id = fields.Integer(
        string="eNPS respondents", readonly=True, aggregator="count_distinct"
    )
    csat_respondent_id = fields.Integer(
        string="CSAT respondents", readonly=True, aggregator="count_distinct"
    )
    energy_respondent_id = fields.Integer(
        string="Meeting energy respondents", readonly=True, aggregator="count_distinct"
    )
    nps = fields.Float(string="NPS", readonly=True, aggregator="avg")
    enps = fields.Float(string="eNPS", readonly=True, aggregator="avg")
    csat = fields.Float(string="CSAT %", readonly=True, aggregator="avg")
    energy = fields.Float(string="Meeting energy", readonly=True, aggregator="avg")
    promoters = fields.Integer(readonly=True)
    passives = fields.Integer(readonly=True)
    detractors = fields.Integer(readonly=True)
    nps_answers = fields.Integer(string="NPS answers", readonly=True)
    enps_promoters = fields.Integer(string="eNPS promoters", readonly=True)
    enps_detractors = fields.Integer(string="eNPS detractors", readonly=True)
    enps_answers = fields.Integer(string="eNPS answers", readonly=True)
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
                       CASE WHEN i.kind = 'nps' THEN i.user_id END AS nps_respondent_id,
                       CASE WHEN i.kind = 'enps' THEN i.user_id END AS enps_respondent_id,
                       CASE WHEN i.kind = 'csat' THEN i.user_id END AS csat_respondent_id,
                       CASE WHEN i.kind = 'energy' THEN i.user_id END AS energy_respondent_id,
                       CASE WHEN i.kind = 'nps' THEN
                           CASE i.category WHEN 'promoter' THEN 100
                                           WHEN 'detractor' THEN -100 ELSE 0 END
                       END AS nps,
                       CASE WHEN i.kind = 'enps' THEN
                           CASE i.category WHEN 'promoter' THEN 100
                                           WHEN 'detractor' THEN -100 ELSE 0 END
                       END AS enps,
                       CASE WHEN i.kind = 'csat' THEN
                           CASE WHEN i.category = 'promoter' THEN 100 ELSE 0 END
                       END AS csat,
                       CASE WHEN i.kind = 'energy' THEN i.score END AS energy,
                       (i.kind = 'nps' AND i.category = 'promoter')::int AS promoters,
                       (i.kind = 'nps' AND i.category = 'passive')::int AS passives,
                       (i.kind = 'nps' AND i.category = 'detractor')::int AS detractors,
                       (i.kind = 'nps')::int AS nps_answers,
                       (i.kind = 'enps' AND i.category = 'promoter')::int AS enps_promoters,
                       (i.kind = 'enps' AND i.category = 'detractor')::int AS enps_detractors,
                       (i.kind = 'enps')::int AS enps_answers,
                       (i.kind = 'csat' AND i.category = 'promoter')::int AS satisfied,
                       (i.kind = 'csat')::int AS csat_answers
                  FROM internal_sla_feedback_invitation i
                 WHERE i.state = 'answered'
            )
            """
        )

    # -- only grouped figures, by dimensions only (H9) ------------------------------------

    def _anonymity_refusal(self, what):
        return UserError(
            self.env._(
                "The feedback analysis cannot use %(what)s: it shows grouped figures by "
                "period (day to year), survey, company, agreement, provider or customer "
                "department, team or meeting series only, so that nobody's answer can be "
                "singled out. Group and filter by those instead.",
                what=what,
            )
        )

    def _field_label(self, name):
        field = self._fields.get(name)
        return f'"{field.string}"' if field else f'"{name}"'

    @api.model
    def _check_anonymous_domain(self, domain):
        """A filter on who answered or on an answer's figures, with a count or a figure
        of what is left, would tell who answered what: only dimensions filter."""
        refused = sorted(
            {
                condition.field_expr.split(".")[0]
                for condition in Domain(domain).iter_conditions()
                if condition.field_expr.split(".")[0] not in DIMENSIONS
            }
        )
        if refused:
            raise self._anonymity_refusal(
                self.env._(
                    "a filter on %(fields)s",
                    fields=", ".join(self._field_label(name) for name in refused),
                )
            )

    @api.model
    def _check_anonymous_groups(self, groupby, aggregates, having, order):
        """Groups of dimensions only, each measure with its own aggregator (``nps:avg``
        as the pivot asks for it; ``energy:array_agg`` would list the answers), no
        filter or order on the figures (they would tell the hidden groups apart)."""
        for spec in groupby:
            name, _sep, granularity = spec.partition(":")
            name = name.split(".")[0]
            if name not in DIMENSIONS or (
                name == "date_answered" and granularity not in DATE_GRANULARITIES
            ):
                raise self._anonymity_refusal(
                    self.env._("a grouping by %(field)s", field=f'"{spec}"')
                )
        for spec in aggregates:
            name, _sep, func = spec.partition(":")
            field = self._fields.get(name)
            if spec != "__count" and not (
                field and name not in DIMENSIONS and func == field.aggregator
            ):
                raise self._anonymity_refusal(
                    self.env._("the figure %(figure)s", figure=f'"{spec}"')
                )
        if having:
            raise self._anonymity_refusal(self.env._("a filter on grouped figures"))
        for part in (order or "").split(","):
            term = part.strip().split(" ")[0]
            if term and term not in groupby and term != "__count":
                raise self._anonymity_refusal(
                    self.env._("an order by %(term)s", term=f'"{term}"')
                )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        # every read of this model goes through here: the grouped figures, the counts
        self._check_anonymous_domain(domain)
        return super()._search(domain, offset, limit, order, **kwargs)

    @api.model
    def _read_grouping_sets(self, domain, grouping_sets, aggregates=(), order=None):
        """The pivot's path: each grouping set through ``_read_group`` here, so that the
        pivot hides and recomputes its figures as the graph does."""
        return read_grouping_sets_by_groups(self, domain, grouping_sets, aggregates, order)

    @api.model
    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        groupby, aggregates = tuple(groupby), tuple(aggregates)
        self._check_anonymous_groups(groupby, aggregates, having, order)
        rows = super()._read_group(
            domain, groupby, aggregates + tuple(HIDDEN_HELPERS), having, offset, limit, order
        )
        n_keys, n_values = len(groupby), len(aggregates)
        minimum = min_respondents(self.env)
        result = []
        for row in rows:
            keys, values = row[:n_keys], list(row[n_keys : n_keys + n_values])
            (
                everyone,
                nps_people,
                enps_people,
                csat_people,
                energy_people,
                promoters,
                detractors,
                nps_answers,
                enps_promoters,
                enps_detractors,
                enps_answers,
                satisfied,
                csat_answers,
            ) = row[n_keys + n_values :]
            people = {
                "nps": nps_people,
                "enps": enps_people,
                "csat": csat_people,
                "energy": energy_people,
            }
            # a group answered by fewer people than the minimum: hidden, survey by survey
            # (five CSAT answers do not reveal the NPS of two people); the other measures
            # on the people who answered any of them
            for index, spec in enumerate(aggregates):
                name = spec.split(":")[0]
                if name == "__count":
                    continue
                kind = MEASURE_KINDS.get(name)
                shown_to = people[kind] if kind else everyone
                if shown_to < minimum:
                    values[index] = None
                elif name == "nps":
                    values[index] = kpi.nps_from_counts(promoters, detractors, nps_answers)
                elif name == "enps":
                    values[index] = kpi.nps_from_counts(
                        enps_promoters, enps_detractors, enps_answers
                    )
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
