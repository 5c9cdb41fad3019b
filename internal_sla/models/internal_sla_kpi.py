"""The KPI service: the KPI set (SPEC F1) of any set of tickets over a period, grouped by
agreement, department, team or agent, from two SQL aggregates fed to ``engine/kpi.py``.

The scorecard, the dashboard, the department and employee profiles, the gamification goals
and the exports all read their figures here, so a KPI is the same number on every screen.
"""

from collections import defaultdict
from datetime import datetime, time, timedelta
from functools import lru_cache

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL, Query

from ..engine import kpi
from .internal_sla_kpi_fact import (
    DIMS,
    DIRTY,
    FACT,
    LADDER,
    LINE_MEASURES,
    METRICS,
    TIMED,
    bucket_bounds,
    bucket_columns,
    created_in,
    day_ranges,
    fact_columns,
    nearest_rank,
)
from .internal_sla_line import sla_now
from .res_config_settings import (
    fast_response_seconds,
    min_agents,
    min_respondents,
    positive_setting,
)

# what a KPI set can be grouped by: ticket columns
GROUPBY = {
    "agreement": "sla_agreement_id",
    "provider": "provider_department_id",
    "customer": "requester_department_id",
    "team": "team_id",
    "agent": "user_id",
}
# the KPIs other parts of the product feed (surveys, frames, repeats, transfers): their
# figures stay None ("no data") until ``_kpi_external_counts`` returns their counts
EXTERNAL_KPIS = (
    "nps",
    "csat_percent",
    "csat_mean",
    "response_rate",
    "empowerment_percent",
    "repeat_percent",
    "fcr_percent",
    "bounce_rate",
    "handoff_percent",
    "mean_transfers",
    "followed_up_in_time_percent",
    "feedback_cycle_time",
    "paused_share_percent",
)
# the follow-up counts of detractor answers (H10), summed over CSAT and NPS answers
FOLLOWUP_COUNTS = ("followup_in_time", "followup_late", "followup_overdue", "followup_done")
FOLLOWUP_FIELDS = (*FOLLOWUP_COUNTS, "followup_seconds")


# internal NPS (C2) is asked about an agreement, from the customer to the provider side:
# the ticket fields of a scope that an NPS answer carries too, and the groupings it has
NPS_FIELDS = {
    "sla_agreement_id": "agreement_id",
    "provider_department_id": "provider_department_id",
    "requester_department_id": "customer_department_id",
    "company_id": "company_id",
}
NPS_GROUPBY = {
    "agreement": "agreement_id",
    "provider": "provider_department_id",
    "customer": "customer_department_id",
}


@lru_cache(maxsize=4)
def fact_row_columns(table):
    """The columns of the fact rows of ``table`` that the KPI read's main query sums, in
    ``fact_columns(buckets=False)`` order (built once)."""
    return SQL(", ").join(SQL.identifier(table, name) for name in fact_columns(buckets=False))


@lru_cache(maxsize=1)
def fact_sums():
    """The sum of each of those measures, under its own name (built once)."""
    return SQL(", ").join(
        SQL("sum(%s) AS %s", SQL.identifier(name), SQL.identifier(name))
        for name in fact_columns(buckets=False)
        if name not in ("day", "respondents", *DIMS)
    )


@lru_cache(maxsize=1)
def fact_bucket_sums():
    """The sum of each P90 bucket of the fact rows, first responses then resolutions."""
    return SQL(", ").join(
        SQL("sum(%s)", SQL.identifier(name))
        for prefix in TIMED.values()
        for name in bucket_columns(prefix)
    )


def bucket_counts(pairs):
    """{metric: [reached lines per P90 bucket]} from the (index, count) pairs of the read
    (``_kpi_fact_buckets``: the first responses' buckets, then the resolutions')."""
    width = len(LADDER) + 1
    metrics = tuple(TIMED)
    counts = {metric: [0] * width for metric in metrics}
    for index, count in pairs:
        counts[metrics[index // width]][index % width] += int(count)
    return counts


def p90_bucket(counts):
    """(bucket, rank within it, its count) of the P90 by nearest rank, or None."""
    total = sum(counts)
    if not total:
        return None
    rank = nearest_rank(total)
    for bucket, count in enumerate(counts):
        if rank <= count:
            return bucket, rank, count
        rank -= count
    return None


class InternalSlaKpi(models.AbstractModel):
    _name = "internal.sla.kpi"
    _description = "Internal SLA KPI service"

    @api.model
    def _window(self):
        """The rolling period of the figures on records (Settings, 12 months by default);
        month arithmetic, so 29 February falls back to the 28th, not into an error."""
        return relativedelta(months=positive_setting(self.env, "kpi_window_months"))

    @api.model
    def _period(self, date_from=None, date_to=None):
        """[start, end) as naive UTC datetimes; dates are whole days, the default is the
        months of Settings (12) up to now."""

        def instant(value, default):
            if not value:
                return default
            if isinstance(value, datetime):
                return value
            return datetime.combine(value, time.min)

        # whole seconds, rounded up: the end is excluded, and a request filed during
        # this second (its creation date has microseconds) is up to now
        now = datetime.now().replace(microsecond=0) + timedelta(seconds=1)
        end = instant(date_to, now)
        start = instant(date_from, end - self._window())
        return start, end

    @api.model
    def _kpis(self, domain=None, date_from=None, date_to=None, groupby=None):
        """The KPI set of the tickets of ``domain`` created in the period.

        Runs as superuser on the tickets: callers check that the user may see the subject
        (agreement, department, employee) first.  Two queries whatever the size.

        :param domain: helpdesk.ticket domain (the scope), e.g. one agreement's tickets
        :param groupby: a key of ``GROUPBY`` or None for one KPI set
        :return: ``{key: kpi set}`` with record ids as keys (``False`` for tickets without
            the grouping value) when ``groupby`` is given, else one KPI set
        """
        # the aggregates below read the tables in SQL: changes of this transaction not
        # yet written (a request closed just before, in the same call) must be there
        self.env.flush_all()
        start, end = self._period(date_from, date_to)
        column = GROUPBY[groupby] if groupby else None
        scope = None
        # the facts count fast responses against the benchmark they were built with: until
        # the refresh that follows a change in Settings rebuilds them, answered directly
        if (
            not self.env.context.get("internal_sla_kpi_direct")
            and fast_response_seconds(self.env)
            == self.env["internal.sla.kpi.fact"]._facts_fast_seconds()
        ):
            scope = self._kpi_fact_scope(domain)
        if scope is not None:
            tickets, lines, external = self._kpi_fact_totals(scope, domain, start, end, column)
        else:
            tickets = self._kpi_ticket_totals(domain, start, end, column)
            lines = self._kpi_line_totals(domain, start, end, column)
            external = self._kpi_external_counts(domain, start, end, column)
        for key, counts in self._kpi_nps_counts(domain, start, end, groupby).items():
            external.setdefault(key, {}).update(counts)
        # detractor follow-ups depend on "now" (overdue), breach exceptions on decisions
        # taken long after the day: both counted directly, not in the facts
        for key, counts in self._kpi_direct_counts(domain, start, end, column).items():
            group = external.setdefault(key, {})
            for name, count in counts.items():
                group[name] = group.get(name, 0) + count
        keys = set(tickets) | set(lines) if groupby else {None}
        if groupby:
            # a service answered about without requests in the period still has its NPS
            keys |= {
                key
                for key, counts in external.items()
                if key and ("nps_answers" in counts or counts.get("nps_hidden"))
            }
        result = {
            key: self._kpi_set(tickets.get(key, {}), lines.get(key, {}), external.get(key, {}))
            for key in keys
        }
        return result if groupby else result[None]

    # -- from the daily facts (internal_sla_kpi_fact.py) -----------------------------------

    def _kpi_fact_scope(self, domain):
        """The scope's ticket query when the facts can answer it (a domain on the facts'
        dimensions only, no join), else None: the direct computation answers."""
        domain = Domain(domain or [])
        if domain.is_false():
            return None
        if any(
            condition.field_expr.split(".")[0] not in DIMS
            for condition in domain.iter_conditions()
        ):
            return None
        query = self.env["helpdesk.ticket"].sudo()._search(domain)
        if query._joins or query.is_empty():
            return None
        return query

    def _kpi_fact_totals(self, scope, domain, start, end, column):
        """Ticket, line and external counts as the direct computation returns them, from
        the facts of the period's clean whole days plus the live tickets of its partial
        and dirty days (one query), the backlog (one query) and the exact P90s (one query
        on the lines of the buckets holding them)."""
        first = datetime.combine((start - timedelta(microseconds=1)).date(), time.min)
        first += timedelta(days=1)  # first whole day
        last = datetime.combine(end.date(), time.min)  # end of the whole days
        if first < last:
            rows = self.env.execute_query(
                SQL(
                    "SELECT DISTINCT day FROM %s WHERE day >= %s AND day < %s ORDER BY 1",
                    SQL.identifier(DIRTY),
                    first.date(),
                    last.date(),
                )
            )
            dirty = [row[0] for row in rows]
            ranges = day_ranges(dirty)
            if start < first:
                ranges.insert(0, (start, first))
            if last < end:
                ranges.append((last, end))
        else:
            dirty, ranges = [], [(start, end)]
        key = self._kpi_key(scope, column)

        def clean_facts():
            facts = Query(self.env, scope.table, SQL.identifier(FACT))
            facts.add_where(scope.where_clause)
            day = SQL.identifier(scope.table, "day")
            facts.add_where(SQL("%s >= %s AND %s < %s", day, first.date(), day, last.date()))
            if dirty:
                facts.add_where(SQL("NOT (%s = ANY(%s))", day, dirty))
            return facts

        def live_tickets():
            return self.env["helpdesk.ticket"].sudo()._search(Domain(domain or []))

        parts = []
        if first < last:
            parts.append(clean_facts().select(key, fact_row_columns(scope.table)))
        if ranges:
            parts.append(
                self.env["internal.sla.kpi.fact"]._build_select(
                    live_tickets(), ranges, key, buckets=False
                )
            )
        buckets = self._kpi_fact_buckets(
            clean_facts() if first < last else None,
            live_tickets() if ranges else None,
            ranges,
            key,
        )
        rows = self.env.execute_query_dict(
            SQL(
                """WITH facts AS (%(union)s),
                        buckets (key, index, count) AS (%(buckets)s),
                        totals AS (
                   SELECT key, %(sums)s,
                          sum(volume) FILTER (WHERE (sla_agreement_id, category_id) IN (
                              SELECT frame.agreement_id, frame.category_id
                                FROM internal_sla_frame frame WHERE frame.active
                          )) AS frame_requests,
                          (SELECT count(DISTINCT person)
                             FROM unnest(internal_sla_array_cat(respondents)) person)
                              AS respondents
                     FROM facts
                 GROUP BY key)
                   SELECT totals.*, COALESCE(per_key.buckets, '{}') AS buckets
                     FROM totals
                LEFT JOIN (SELECT key, array_agg(ARRAY[index, count]) AS buckets
                             FROM buckets GROUP BY key) per_key
                       -- keys are record ids, or NULL (no grouping, no value)
                       ON COALESCE(per_key.key, 0) = COALESCE(totals.key, 0)""",
                union=SQL(" UNION ALL ").join(SQL("(%s)", part) for part in parts),
                buckets=buckets,
                sums=fact_sums(),
            )
        )
        tickets, lines, external = {}, {}, {}
        wanted = []  # (key, metric, bucket, rank within the bucket)
        for row in rows:
            counts = bucket_counts(row.pop("buckets"))
            # sums of bigint are numeric: back to int, as the direct aggregates return
            row = {
                name: value if name == "key" else int(value or 0) for name, value in row.items()
            }
            key = row["key"]
            tickets[key] = {name: row[name] for name in ("volume", "closed", "reopened")}
            lines[key] = {
                metric: {name: row[f"{prefix}_{name}"] for name in LINE_MEASURES}
                for metric, prefix in METRICS.items()
            }
            for metric in TIMED:
                lines[key][metric]["p90"] = None
                holding = p90_bucket(counts[metric])
                if holding:
                    wanted.append((key, metric, *holding))
            group = external[key] = {
                "repeats": row["repeats"],
                "first_contact_resolved": row["fcr"],
                "transferred": row["transferred"],
                "transfers": row["transfers"],
                "decided_within_frame": row["within_frame"],
                "handed_off": row["handed_off"],
                "frame_requests": row["frame_requests"] or 0,
            }
            if row["invitations_sent"] or row["invitations_answered"] or row["csat_answers"]:
                group.update(
                    invitations_answered=row["invitations_answered"],
                    invitations_sent=row["invitations_sent"],
                )
            self._kpi_csat_counts(group, row, row["respondents"])
        for key, metric, value in self._kpi_fact_p90(domain, start, end, column, wanted):
            lines[key][metric]["p90"] = value
        for key, backlog in self._kpi_backlog(domain, start, end, column).items():
            tickets.setdefault(key, {})["backlog"] = backlog
        return tickets, lines, external

    def _kpi_fact_buckets(self, facts, live, ranges, key):
        """SELECT of (key, index, count) of the P90 buckets holding reached lines, the
        first responses' buckets then the resolutions' (``index`` from 0): summed from the
        clean days' ``facts`` and counted on the lines of the ``live`` tickets created in
        ``ranges``. Kept out of the facts' union, whose 230 bucket columns on three levels
        (line, ticket, sum) were most of the read's planning and running time."""
        width = len(LADDER) + 1
        parts = []
        if facts is not None:
            parts.append(
                SQL(
                    """SELECT sums.key, bucket.index - 1 AS index, bucket.count
                         FROM (SELECT %s, ARRAY[%s] AS counts FROM %s WHERE %s GROUP BY 1) sums,
                              unnest(sums.counts) WITH ORDINALITY bucket(count, index)
                        WHERE bucket.count > 0""",
                    key,
                    fact_bucket_sums(),
                    facts.from_clause,
                    facts.where_clause,
                )
            )
        if live is not None:
            live.add_where(created_in(live.table, ranges))
            live.add_join(
                "JOIN",
                "line",
                "internal_sla_line",
                SQL("line.ticket_id = %s", SQL.identifier(live.table, "id")),
            )
            live.add_where(
                SQL(
                    "line.metric IN %s AND line.first_reached_date IS NOT NULL "
                    "AND line.first_reached_seconds IS NOT NULL",
                    tuple(TIMED),
                )
            )
            # the bucket (low, high] of s holds the ladder's bounds below s: for whole
            # seconds, those at most s - 1, as width_bucket counts them
            parts.append(
                SQL(
                    "SELECT %s, (%s * (array_position(%s::varchar[], line.metric::varchar) "
                    "- 1) + width_bucket(line.first_reached_seconds - 1, %s::int[]))::bigint, "
                    "count(*) FROM %s WHERE %s GROUP BY 1, 2",
                    key,
                    width,
                    list(TIMED),
                    list(LADDER),
                    live.from_clause,
                    live.where_clause,
                )
            )
        return SQL(" UNION ALL ").join(SQL("(%s)", part) for part in parts)

    def _kpi_key(self, query, column):
        return (
            SQL("%s AS key", SQL.identifier(query.table, column))
            if column
            else SQL("NULL::int AS key")
        )

    def _kpi_fact_p90(self, domain, start, end, column, wanted):
        """[(key, metric, value)]: the value of the given rank among the reached lines of
        the scope in each wanted bucket, read from the live lines of that bucket only."""
        if not wanted:
            return []
        parts = []
        for key, metric, bucket, rank, count in wanted:
            query = self.env["helpdesk.ticket"].sudo()._search(Domain(domain or []))
            ticket = query.table
            created = SQL.identifier(ticket, "create_date")
            query.add_where(SQL("%s >= %s AND %s < %s", created, start, created, end))
            if column:
                query.add_where(
                    SQL("%s IS NOT DISTINCT FROM %s", SQL.identifier(ticket, column), key)
                )
            query.add_join(
                "JOIN",
                "line",
                "internal_sla_line",
                SQL("line.ticket_id = %s", SQL.identifier(ticket, "id")),
            )
            low, high = bucket_bounds(bucket)
            query.add_where(
                SQL("line.metric = %s AND line.first_reached_date IS NOT NULL", metric)
            )
            query.add_where(
                SQL("line.first_reached_seconds > %s", low)
                if low is not None
                else SQL("line.first_reached_seconds IS NOT NULL")
            )
            if high is not None:
                query.add_where(SQL("line.first_reached_seconds <= %s", high))
            # read the bucket from its nearer end: at most half of its lines
            descending = rank > (count + 1) // 2
            parts.append(
                SQL(
                    "(SELECT %s, %s, line.first_reached_seconds FROM %s WHERE %s "
                    "ORDER BY line.first_reached_seconds %s OFFSET %s LIMIT 1)",
                    key,
                    metric,
                    query.from_clause,
                    query.where_clause,
                    SQL("DESC") if descending else SQL("ASC"),
                    count - rank if descending else rank - 1,
                )
            )
        return self.env.execute_query(SQL(" UNION ALL ").join(parts))

    def _kpi_backlog(self, domain, start, end, column):
        """{key: tickets open at ``end``} as the direct computation counts them (see
        ``_kpi_ticket_totals``), as three disjoint parts that each follow an index: no
        closing date; closed after the end; closed by the end but created in the period
        and in a stage that is not closed (reopened)."""
        stages = SQL(
            "ARRAY(SELECT id FROM helpdesk_ticket_stage WHERE NOT COALESCE(closed, FALSE))"
        )
        parts = []
        for part in ("open", "closed_later", "reopened"):
            query, key = self._kpi_scope(domain, column)
            ticket = query.table
            created = SQL.identifier(ticket, "create_date")
            closed = SQL.identifier(ticket, "closed_date")
            stage = SQL.identifier(ticket, "stage_id")
            query.add_where(SQL("%s < %s", created, end))
            if part == "open":
                query.add_where(SQL("%s IS NULL", closed))
            elif part == "closed_later":
                query.add_where(SQL("%s > %s", closed, end))
            else:
                query.add_where(
                    SQL(
                        "%s <= %s AND %s >= %s AND (%s IS NULL OR %s = ANY(%s))",
                        closed,
                        end,
                        created,
                        start,
                        stage,
                        stage,
                        stages,
                    )
                )
            parts.append(
                SQL(
                    "SELECT %s, count(*) AS n FROM %s WHERE %s GROUP BY 1",
                    key,
                    query.from_clause,
                    query.where_clause,
                )
            )
        rows = self.env.execute_query(
            SQL(
                "SELECT key, sum(n)::int FROM (%s) parts GROUP BY 1",
                SQL(" UNION ALL ").join(SQL("(%s)", part) for part in parts),
            )
        )
        return dict(rows)

    def _kpi_scope(self, domain, column):
        """(FROM, WHERE, group key) SQL of the scope's tickets."""
        query = self.env["helpdesk.ticket"].sudo()._search(Domain(domain or []))
        return query, self._kpi_key(query, column)

    def _kpi_scope_created(self, domain, start, end, column):
        """``_kpi_scope`` of the scope's tickets created in the period ``[start, end)``."""
        query, key = self._kpi_scope(domain, column)
        created = SQL.identifier(query.table, "create_date")
        query.add_where(SQL("%s >= %s AND %s < %s", created, start, created, end))
        return query, key

    def _kpi_ticket_totals(self, domain, start, end, column):
        """Volume, closed, reopened tickets of the period and the backlog at its end."""
        query, key = self._kpi_scope(domain, column)
        ticket = query.table
        query.add_where(
            SQL(
                "%(created)s < %(end)s AND (%(created)s >= %(start)s OR %(closed)s IS NULL "
                "OR %(closed)s > %(end)s)",
                created=SQL.identifier(ticket, "create_date"),
                closed=SQL.identifier(ticket, "closed_date"),
                start=start,
                end=end,
            )
        )
        stage = query.left_join(ticket, "stage_id", "helpdesk_ticket_stage", "id", "stage")
        is_closed = SQL("COALESCE(%s, FALSE)", SQL.identifier(stage, "closed"))
        in_period = SQL("%s >= %s", SQL.identifier(ticket, "create_date"), start)
        closed = SQL("%s AND %s", in_period, is_closed)
        rows = self.env.execute_query_dict(
            SQL(
                """SELECT %(key)s,
                          count(*) FILTER (WHERE %(in_period)s) AS volume,
                          count(*) FILTER (WHERE %(closed)s) AS closed,
                          count(*) FILTER (WHERE %(closed)s AND %(id)s IN (
                              SELECT event.ticket_id FROM internal_sla_event event
                               WHERE event.event_type = 'reopen'
                          )) AS reopened,
                          count(*) FILTER (WHERE NOT %(is_closed)s OR %(closed_date)s IS NULL
                                              OR %(closed_date)s > %(end)s) AS backlog
                     FROM %(from)s
                    WHERE %(where)s
                 GROUP BY 1""",
                key=key,
                in_period=in_period,
                closed=closed,
                is_closed=is_closed,
                id=SQL.identifier(ticket, "id"),
                closed_date=SQL.identifier(ticket, "closed_date"),
                end=end,
                **{"from": query.from_clause, "where": query.where_clause},
            )
        )
        return {row.pop("key"): row for row in rows}

    def _kpi_line_totals(self, domain, start, end, column):
        """Per metric: met and breached lines, and the working seconds of response and
        resolution clocks to their first reach (count, sum, nearest-rank P90, ≤ 4 h): a
        reopened request's resolution time runs to its first close."""
        self.env["internal.sla.line"].flush_model()
        query, key = self._kpi_scope_created(domain, start, end, column)
        ticket = query.table
        query.add_join(
            "JOIN",
            "line",
            "internal_sla_line",
            SQL("line.ticket_id = %s", SQL.identifier(ticket, "id")),
        )
        rows = self.env.execute_query_dict(
            SQL(
                """SELECT %(key)s, line.metric,
                          count(*) FILTER (WHERE line.state = 'met') AS met,
                          count(*) FILTER (WHERE line.state = 'breached') AS breached,
                          count(*) FILTER (WHERE line.state = 'met'
                                             AND line.consumed_seconds <= COALESCE(
                                                 line.raw_target_seconds, line.target_seconds))
                              AS raw_met,
                          count(*) FILTER (WHERE line.surge_factor > 1) AS relaxed,
                          count(line.first_reached_date) AS reached,
                          COALESCE(sum(line.first_reached_seconds)
                              FILTER (WHERE line.first_reached_date IS NOT NULL), 0)
                              AS seconds,
                          percentile_disc(0.9)
                              WITHIN GROUP (ORDER BY line.first_reached_seconds)
                              FILTER (WHERE line.first_reached_date IS NOT NULL) AS p90,
                          count(*) FILTER (WHERE line.first_reached_date IS NOT NULL
                                             AND line.first_reached_seconds <= %(fast)s)
                              AS fast,
                          count(line.requester_calendar_id) AS requester_reached,
                          COALESCE(sum(line.requester_seconds)
                              FILTER (WHERE line.requester_calendar_id IS NOT NULL), 0)
                              AS requester_seconds,
                          COALESCE(sum(line.paused_seconds), 0) AS paused_seconds,
                          COALESCE(sum(line.consumed_seconds), 0) AS run_seconds
                     FROM %(from)s
                    WHERE %(where)s
                 GROUP BY 1, 2""",
                key=key,
                fast=fast_response_seconds(self.env),
                **{"from": query.from_clause, "where": query.where_clause},
            )
        )
        totals = {}
        for row in rows:
            totals.setdefault(row.pop("key"), {})[row.pop("metric")] = row
        return totals

    @api.model
    def _kpi_external_counts(self, domain, start, end, column):
        """The one place where the KPIs measured outside the SLA clocks plug in.

        Override it (and call super) to return ``{key: counts}`` for the same scope,
        period and grouping as the other aggregates, with any of these counts:

        - ``csat_satisfied``, ``csat_answers`` (CSAT survey, C1)
        - ``promoters``, ``detractors``, ``nps_answers`` (internal NPS, C2)
        - ``invitations_answered``, ``invitations_sent`` (response rate, C4)
        - ``decided_within_frame``, ``frame_requests`` (empowerment, A4)
        - ``repeats`` (B9) and ``first_contact_resolved`` (B10) among the closed
          tickets (the catalogue divides them by the closed ones), ``transferred`` (B8)

        A KPI whose counts are missing stays ``None``: "no data", never 0.

        Here: repeats, first contact resolution, transfers and requests decided within an
        empowerment frame of the scope's tickets (one query), and the CSAT answers and
        invitations about them (one query); CSAT of a group answered by fewer than five
        people stays hidden (H9). Internal NPS is asked per agreement, not per ticket:
        ``_kpi_nps_counts`` adds it.
        """
        counts = {}
        self.env["internal.sla.pause"].flush_model(["ticket_id", "handoff_ticket_id"])
        query, key = self._kpi_scope_created(domain, start, end, column)
        ticket = query.table
        stage = query.left_join(ticket, "stage_id", "helpdesk_ticket_stage", "id", "stage")
        for row in self.env.execute_query_dict(
            SQL(
                """SELECT %(key)s,
                          count(*) FILTER (WHERE %(closed)s AND %(repeat)s) AS repeats,
                          count(*) FILTER (WHERE %(closed)s AND %(fcr)s)
                              AS first_contact_resolved,
                          count(*) FILTER (WHERE %(transfers)s > 0) AS transferred,
                          COALESCE(sum(%(transfers)s), 0) AS transfers,
                          count(*) FILTER (WHERE %(within_frame)s) AS decided_within_frame,
                          count(*) FILTER (WHERE EXISTS (
                              SELECT 1 FROM internal_sla_pause pause
                               WHERE pause.ticket_id = %(id)s
                                 AND pause.handoff_ticket_id IS NOT NULL)) AS handed_off,
                          count(*) FILTER (WHERE EXISTS (
                              SELECT 1 FROM internal_sla_frame frame
                               WHERE frame.agreement_id = %(agreement)s
                                 AND frame.category_id = %(category)s
                                 AND frame.active)) AS frame_requests
                     FROM %(from)s
                    WHERE %(where)s
                 GROUP BY 1""",
                key=key,
                repeat=SQL("COALESCE(%s, FALSE)", SQL.identifier(ticket, "sla_is_repeat")),
                closed=SQL("COALESCE(%s, FALSE)", SQL.identifier(stage, "closed")),
                fcr=SQL(
                    "COALESCE(%s, FALSE)",
                    SQL.identifier(ticket, "sla_first_contact_resolution"),
                ),
                transfers=SQL("COALESCE(%s, 0)", SQL.identifier(ticket, "sla_transfer_count")),
                within_frame=SQL(
                    "COALESCE(%s, FALSE)", SQL.identifier(ticket, "sla_decided_within_frame")
                ),
                agreement=SQL.identifier(ticket, "sla_agreement_id"),
                category=SQL.identifier(ticket, "category_id"),
                id=SQL.identifier(ticket, "id"),
                **{"from": query.from_clause, "where": query.where_clause},
            )
        ):
            counts[row.pop("key")] = row
        query.add_join(
            "JOIN",
            "invitation",
            "internal_sla_feedback_invitation",
            SQL(
                "invitation.ticket_id = %s AND invitation.kind = 'csat'",
                SQL.identifier(ticket, "id"),
            ),
        )
        for row in self.env.execute_query_dict(
            SQL(
                """SELECT %(key)s,
                          count(*) FILTER (WHERE invitation.state = 'answered'
                                             AND invitation.category = 'promoter')
                              AS csat_satisfied,
                          count(*) FILTER (WHERE invitation.state = 'answered') AS csat_answers,
                          COALESCE(sum(invitation.score)
                              FILTER (WHERE invitation.state = 'answered'), 0)
                              AS csat_score_sum,
                          count(DISTINCT invitation.user_id)
                              FILTER (WHERE invitation.state = 'answered') AS respondents,
                          count(*) FILTER (WHERE invitation.state = 'answered')
                              AS invitations_answered,
                          count(*) FILTER (WHERE invitation.state <> 'skipped')
                              AS invitations_sent
                     FROM %(from)s
                    WHERE %(where)s
                 GROUP BY 1""",
                key=key,
                **{"from": query.from_clause, "where": query.where_clause},
            )
        ):
            group = counts.setdefault(row.pop("key"), {})
            group.update(
                invitations_answered=row["invitations_answered"],
                invitations_sent=row["invitations_sent"],
            )
            self._kpi_csat_counts(group, row, row.pop("respondents"))
        return counts

    @api.model
    def _kpi_csat_counts(self, group, row, respondents):
        """The CSAT counts of ``row`` into ``group`` once ``respondents`` reach the
        anonymity minimum (H9); below it (but answered) the group is marked hidden, so
        that screens say "not enough answers" rather than "no data"."""
        if respondents >= min_respondents(self.env):
            group.update(
                csat_satisfied=row["csat_satisfied"],
                csat_answers=row["csat_answers"],
                csat_score_sum=row["csat_score_sum"],
            )
        elif respondents:
            group["csat_hidden"] = True

    @api.model
    def _kpi_nps_domain(self, domain):
        """The scope as a domain on NPS answers, or None when the scope names a ticket
        field that an NPS answer does not carry (priority, category, agent, …): the NPS
        of such a scope is not measured ("no data")."""
        unmapped = []

        def rename(condition):
            head, dot, rest = condition.field_expr.partition(".")
            if head not in NPS_FIELDS:
                unmapped.append(head)
                return condition
            return Domain(NPS_FIELDS[head] + dot + rest, condition.operator, condition.value)

        mapped = Domain(domain or []).map_conditions(rename)
        return None if unmapped else mapped

    @api.model
    def _kpi_nps_counts(self, domain, start, end, groupby):
        """{key: promoters, detractors, nps_answers} of the internal NPS answers given in
        the period about the scope (one query); a group answered by fewer than five people
        is left out: its NPS stays hidden (H9). Groupings the survey does not carry (team,
        agent) have no NPS."""
        if groupby and groupby not in NPS_GROUPBY:
            return {}
        mapped = self._kpi_nps_domain(domain)
        if mapped is None:
            return {}
        query = (
            self.env["internal.sla.feedback.invitation"]
            .sudo()
            ._search(
                mapped
                & Domain("kind", "=", "nps")
                & Domain("state", "=", "answered")
                & Domain("date_answered", ">=", start)
                & Domain("date_answered", "<", end)
            )
        )
        if query.is_empty():
            return {}
        table = query.table
        category = SQL.identifier(table, "category")
        rows = self.env.execute_query(
            SQL(
                """SELECT %(key)s,
                          count(*) FILTER (WHERE %(category)s = 'promoter'),
                          count(*) FILTER (WHERE %(category)s = 'detractor'),
                          count(*),
                          count(DISTINCT %(person)s),
                          %(followups)s
                     FROM %(from)s
                    WHERE %(where)s
                 GROUP BY 1""",
                key=self._kpi_key(query, NPS_GROUPBY[groupby]) if groupby else SQL("NULL"),
                category=category,
                person=SQL.identifier(table, "user_id"),
                followups=self._kpi_followup_columns(table),
                **{"from": query.from_clause, "where": query.where_clause},
            )
        )
        result = {}
        for key, promoters, detractors, answers, people, *followups in rows:
            # how the detractors were followed up names nobody: shown whatever the number
            result[key] = dict(zip(FOLLOWUP_FIELDS, followups, strict=True))
            if people >= min_respondents(self.env):
                result[key].update(
                    promoters=promoters, detractors=detractors, nps_answers=answers
                )
            elif people:
                result[key]["nps_hidden"] = True
        return result

    @api.model
    def _kpi_followup_columns(self, table):
        """SELECT columns counting the detractor follow-ups (H10) of invitation rows of
        ``table``: done in time, done late, open past their target, done, and the working
        seconds of those done (feedback cycle time)."""
        column = lambda name: SQL.identifier(table, name)
        detractor = SQL("%s = 'detractor'", column("category"))
        done = SQL("%s AND %s = 'done'", detractor, column("followup_state"))
        return SQL(
            """count(*) FILTER (WHERE %(done)s AND COALESCE(%(in_time)s, FALSE)),
               count(*) FILTER (WHERE %(done)s AND NOT COALESCE(%(in_time)s, FALSE)),
               count(*) FILTER (WHERE %(detractor)s AND %(state)s = 'open'
                                  AND %(deadline)s < %(now)s),
               count(*) FILTER (WHERE %(done)s),
               COALESCE(sum(%(seconds)s) FILTER (WHERE %(done)s), 0)""",
            done=done,
            detractor=detractor,
            in_time=column("followup_in_time"),
            state=column("followup_state"),
            deadline=column("followup_deadline"),
            seconds=column("followup_seconds"),
            now=sla_now(self.env),
        )

    @api.model
    def _kpi_direct_counts(self, domain, start, end, column):
        """{key: counts} about the scope's tickets created in the period that the daily
        facts cannot hold, in one query of two parts over few rows:

        - the follow-ups of detractor CSAT answers (H10): whether an open follow-up is
          overdue depends on the moment of the read;
        - the breach exceptions (H5): breached lines whose exception was accepted
          (``excused``) or is still to decide (``exceptions_pending``); the review meeting
          decides them weeks after the day.
        """
        self.env["internal.sla.feedback.invitation"].flush_model()
        self.env["internal.sla.line"].flush_model(["ticket_id", "state", "exception_state"])
        followups, key = self._kpi_scope_created(domain, start, end, column)
        followups.add_join(
            "JOIN",
            "invitation",
            "internal_sla_feedback_invitation",
            SQL(
                "invitation.ticket_id = %s AND invitation.kind = 'csat' "
                "AND invitation.category = 'detractor' "
                "AND invitation.followup_state IN ('open', 'done')",
                SQL.identifier(followups.table, "id"),
            ),
        )
        exceptions, exception_key = self._kpi_scope_created(domain, start, end, column)
        exceptions.add_join(
            "JOIN",
            "line",
            "internal_sla_line",
            SQL(
                "line.ticket_id = %s AND line.state = 'breached' "
                "AND line.exception_state IN ('accepted', 'requested')",
                SQL.identifier(exceptions.table, "id"),
            ),
        )
        rows = self.env.execute_query(
            SQL(
                """(SELECT %s, 'followup', %s, 0, 0 FROM %s WHERE %s GROUP BY 1)
                   UNION ALL
                   (SELECT %s, 'exception', 0, 0, 0, 0, 0,
                           count(*) FILTER (WHERE line.exception_state = 'accepted'),
                           count(*) FILTER (WHERE line.exception_state = 'requested')
                      FROM %s WHERE %s GROUP BY 1)""",
                key,
                self._kpi_followup_columns("invitation"),
                followups.from_clause,
                followups.where_clause,
                exception_key,
                exceptions.from_clause,
                exceptions.where_clause,
            )
        )
        counts = {}
        for key, part, *values in rows:
            values = [int(value) for value in values]
            counts.setdefault(key, {}).update(
                dict(zip(FOLLOWUP_FIELDS, values[:5], strict=True))
                if part == "followup"
                else {"excused": values[5], "exceptions_pending": values[6]}
            )
        return counts

    @api.model
    def _display(self, value, unit):
        """``kpi.display`` in the user's language: "no data" and the units of working
        times ("1 h 05 min", "45 min")."""
        if value is None:
            return self.env._("no data")
        if unit == "seconds":
            hours, minutes = kpi.hours_minutes(value)
            if hours:
                return self.env._(
                    "%(hours)s h %(minutes)s min", hours=hours, minutes=f"{minutes:02d}"
                )
            return self.env._("%s min", minutes)
        return kpi.display(value, unit)

    @api.model
    def _kpi_hidden_people(self, domain, groupby, managers):
        """The keys of ``groupby`` whose figures the current user may not read (E4): the
        requests of the group in the default period (those the KPI set counts: created in
        it or open at its end) were handled by fewer agents than ``min_agents`` (a team of
        one), and the user is neither such an agent reading their own figures, nor one of
        their managers (``_sla_profile_allowed``), nor in ``managers[key]`` (the managers
        of the team's or department's department), nor an Internal SLA administrator.
        Requests nobody was assigned to identify nobody. One query, plus one for the
        employees of such agents."""
        minimum = min_agents(self.env)
        user = self.env.user
        if minimum < 2 or user.has_group("internal_sla.internal_sla_group_admin"):
            return set()
        start, end = self._period()
        query, key = self._kpi_scope(domain, GROUPBY[groupby])
        ticket = query.table
        agent = SQL.identifier(ticket, "user_id")
        query.add_where(
            SQL(
                "%(agent)s IS NOT NULL AND %(created)s < %(end)s AND (%(created)s >= %(start)s"
                " OR %(closed)s IS NULL OR %(closed)s > %(end)s)",
                agent=agent,
                created=SQL.identifier(ticket, "create_date"),
                closed=SQL.identifier(ticket, "closed_date"),
                start=start,
                end=end,
            )
        )
        rows = self.env.execute_query(
            SQL(
                "SELECT %s, array_agg(DISTINCT %s) FROM %s WHERE %s GROUP BY 1 "
                "HAVING count(DISTINCT %s) < %s",
                key,
                agent,
                query.from_clause,
                query.where_clause,
                agent,
                minimum,
            )
        )
        rows = [(key, agents) for key, agents in rows if user not in managers.get(key, ())]
        if not rows:
            return set()
        readable = self._kpi_readable_agents(
            {agent for _key, agents in rows for agent in agents}
        )
        return {key for key, agents in rows if not readable.issuperset(agents)}

    @api.model
    def _kpi_one_agent_hidden(self, groups):
        """For report groups given as (distinct agents, one of them), whether each one's
        figures are a single agent's that the current user may not read (E4): not the
        agent, not one of their managers, not an Internal SLA administrator. Groups
        nobody was assigned to identify nobody."""
        if (
            self.env.su
            or min_agents(self.env) < 2
            or self.env.user.has_group("internal_sla.internal_sla_group_admin")
        ):
            return [False] * len(groups)
        alone = {agent for count, agent in groups if count == 1}
        readable = self._kpi_readable_agents(alone) if alone else set()
        return [count == 1 and agent not in readable for count, agent in groups]

    @api.model
    def _kpi_readable_agents(self, agent_ids):
        """Those of the users ``agent_ids`` whose own figures the current user may read
        (E4): their own, those of the people they manage (``_sla_profile_allowed``). One
        query for the employees."""
        Employee = self.env["hr.employee"]
        employees = Employee.sudo().search([("user_id", "in", list(agent_ids))])
        readable = set(Employee.browse(employees.ids)._sla_profile_allowed().sudo().user_id.ids)
        return readable | ({self.env.user.id} & set(agent_ids))

    @api.model
    def _display_people_hidden(self):
        """A team's or department's figure that would be one person's (E4)."""
        return self.env._("not enough people")

    @api.model
    def _service_figures(self, field, ids, groupby, managers):
        """What a team's or department's card shows of its service (E2, E4), for the
        requests whose ``field`` is one of ``ids``, grouped by ``groupby`` (one key per
        id): ``{id: (kpis, figures)}`` with
        ``figures`` the displayed SLA met, first response and CSAT, the volume and
        backlog, and ``hidden`` — one person's figures (``_kpi_hidden_people``, same
        ``managers``) read "not enough people" and count nothing."""
        domain = [(field, "in", ids)]
        by_key = self._kpis(domain, groupby=groupby) if ids else {}
        hidden = self._kpi_hidden_people(domain, groupby, managers) if ids else set()
        empty = self._kpi_set({}, {}, {})
        masked = self._display_people_hidden()
        result = {}
        for key in ids:
            kpis = by_key.get(key, empty)
            if key in hidden:
                figures = dict.fromkeys(("met", "first_response", "csat"), masked)
                figures.update(volume=0, backlog=0, hidden=True)
            else:
                figures = {
                    "met": self._display(kpis["sla_met_percent"], "percent"),
                    "first_response": self._display(kpis["first_response_mean"], "seconds"),
                    "csat": self._display_answers(
                        kpis["csat_percent"], kpis["csat_hidden"], "percent"
                    ),
                    "volume": kpis["volume"],
                    "backlog": kpis["backlog"],
                    "hidden": False,
                }
            result[key] = (kpis, figures)
        return result

    @api.model
    def _display_answers(self, value, hidden, unit="points"):
        """A survey figure (NPS, eNPS, CSAT) as a manager reads it: "not enough answers"
        when fewer people than the anonymity minimum answered (H9), else ``_display``."""
        return self.env._("not enough answers") if hidden else self._display(value, unit)

    @api.model
    def _goal_value(self, goal, key):
        """Current value of a gamification goal (E3): the KPI ``key`` of the goal's user
        over the goal's period; working times in hours. Without data the goal's current
        value is given back, which leaves the goal as it is (gamification logs an error
        for anything but a number), so nobody wins "fastest response" or "a month without
        breaches" without answering anything."""
        period = (goal.start_date, goal.end_date)
        batch = self.env.context.get("internal_sla_goal_kpis") or {}
        kpis = batch.get(period, {}).get(goal.user_id.id)
        if kpis is None:  # a goal updated on its own
            kpis = self._goal_period_kpis(goal.user_id.ids, *period)[goal.user_id.id]
        value = kpis[key]
        if key == "breached" and not kpis["met"] + kpis["breached"]:
            value = None  # no breach because nothing was measured
        # a goal without data shows "no data" and takes no rank (see gamification_goal.py)
        if goal.sla_no_data != (value is None):
            goal.sudo().sla_no_data = value is None
        if value is None:
            return goal.current
        if key.endswith("_mean"):
            value /= 3600.0
        return value

    @api.model
    def _goal_period_kpis(self, user_ids, start_date, end_date):
        """The KPI set of each of ``user_ids`` over a goal's period (end date included):
        ``{user id: kpis}``, a user without requests getting the empty set."""
        end = end_date and end_date + relativedelta(days=1)
        by_user = self._kpis([("user_id", "in", user_ids)], start_date, end, groupby="agent")
        empty = self._kpi_set({}, {}, {})
        return {user_id: by_user.get(user_id, empty) for user_id in user_ids}

    @api.model
    def _goal_kpis(self, goals):
        """The KPI sets the goals computed by ``_goal_value`` read, one ``_kpis`` call per
        period for all their users instead of one per goal: ``{(start, end): {user id:
        kpis}}``, given to ``_goal_value`` in the context by ``gamification.goal``."""
        users_by_period = defaultdict(set)
        for goal in goals:
            definition = goal.definition_id
            if definition.computation_mode == "python" and "._goal_value(" in (
                definition.compute_code or ""
            ):
                users_by_period[goal.start_date, goal.end_date].add(goal.user_id.id)
        return {
            period: self._goal_period_kpis(sorted(user_ids), *period)
            for period, user_ids in users_by_period.items()
        }

    @api.model
    def _kpi_set(self, tickets, lines, external):
        """One KPI set from the aggregated counts, through the catalogue's formulas."""
        metrics = ("first_response", "resolution", "stage")
        met = sum(lines.get(m, {}).get("met", 0) for m in metrics)
        breached = sum(lines.get(m, {}).get("breached", 0) for m in metrics)
        # load-adaptive targets (B11): met as measured against the targets before a surge
        # relaxed them; the clocks' own met % above is the surge-adjusted one
        raw_met = sum(lines.get(m, {}).get("raw_met", 0) for m in metrics)
        closed = tickets.get("closed", 0)
        volume = tickets.get("volume", 0)

        def metric(name):
            return lines.get(name, {})

        def times(name):
            row = metric(name)
            return kpi.time_kpi_from_totals(
                row.get("reached", 0), row.get("seconds", 0), row.get("p90")
            )

        first_response = times("first_response")
        resolution = times("resolution")
        result = {
            "volume": volume,
            "backlog": tickets.get("backlog", 0),
            "closed": closed,
            "met": met,
            "breached": breached,
            "sla_met_percent": kpi.sla_met_percent(met, breached),
            "sla_met_percent_raw": kpi.sla_met_percent(raw_met, met + breached - raw_met),
            # breach exceptions (H5): accepted ones count as met in the adjusted attainment
            "sla_met_percent_adjusted": kpi.sla_met_percent_adjusted(
                met, breached, external.get("excused", 0)
            ),
            "exceptions_accepted": external.get("excused", 0),
            "exceptions_pending": external.get("exceptions_pending", 0),
            "relaxed": sum(lines.get(m, {}).get("relaxed", 0) for m in metrics),
            "response_met_percent": kpi.sla_met_percent(
                metric("first_response").get("met", 0),
                metric("first_response").get("breached", 0),
            ),
            "resolution_met_percent": kpi.sla_met_percent(
                metric("resolution").get("met", 0), metric("resolution").get("breached", 0)
            ),
            "stage_met_percent": kpi.sla_met_percent(
                metric("stage").get("met", 0), metric("stage").get("breached", 0)
            ),
            "first_response": first_response,
            "first_response_mean": first_response["mean"],
            "resolution": resolution,
            "resolution_mean": resolution["mean"],
            "fast_response_percent": kpi.percent(
                metric("first_response").get("fast", 0), first_response["count"]
            ),
            "reopen_percent": kpi.reopen_percent(tickets.get("reopened", 0), closed),
            # two clocks (H6): the mean resolution wait on the requesters' calendars
            "requester_wait_mean": kpi.time_kpi_from_totals(
                metric("resolution").get("requester_reached", 0),
                metric("resolution").get("requester_seconds", 0),
                None,
            )["mean"],
        }
        result.update(dict.fromkeys(EXTERNAL_KPIS))
        # answered, but by fewer people than the anonymity minimum (H9): hidden, not absent
        result["csat_hidden"] = bool(external.get("csat_hidden"))
        result["nps_hidden"] = bool(external.get("nps_hidden"))
        if "csat_answers" in external:
            result["csat_percent"] = kpi.percent(
                external["csat_satisfied"], external["csat_answers"]
            )
            result["csat_mean"] = kpi.mean_score(
                external["csat_score_sum"], external["csat_answers"]
            )
        if "nps_answers" in external:
            result["nps"] = kpi.nps_from_counts(
                external["promoters"], external["detractors"], external["nps_answers"]
            )
        if "invitations_sent" in external:
            result["response_rate"] = kpi.response_rate(
                external["invitations_answered"], external["invitations_sent"]
            )
        if "frame_requests" in external:
            result["empowerment_percent"] = kpi.empowerment_percent(
                external["decided_within_frame"], external["frame_requests"]
            )
        if "repeats" in external:
            result["repeat_percent"] = kpi.repeat_percent(external["repeats"], closed)
        if "first_contact_resolved" in external:
            result["fcr_percent"] = kpi.fcr_percent(external["first_contact_resolved"], closed)
        if "handed_off" in external:
            # chained handoffs (H7): requests that waited on another department
            result["handoff_percent"] = kpi.percent(external["handed_off"], volume)
        if "transferred" in external:
            bounced = kpi.bounce_from_totals(
                external["transferred"], external.get("transfers", 0), volume
            )
            result["bounce_rate"] = bounced["rate"]
            result["mean_transfers"] = bounced["mean_transfers"]
        if "paused_seconds" in metric("resolution"):
            # share of the resolution clocks' working time that they stood still (H8)
            paused = metric("resolution")["paused_seconds"]
            result["paused_share_percent"] = kpi.paused_share_percent(
                paused, paused + metric("resolution")["run_seconds"]
            )
        if "followup_done" in external:
            # detractors followed up in time and the feedback cycle time (H10)
            result["followed_up_in_time_percent"] = kpi.followed_up_in_time_percent(
                external["followup_in_time"],
                external["followup_late"],
                external["followup_overdue"],
            )
            result["feedback_cycle_time"] = kpi.feedback_cycle_time_from_totals(
                external["followup_done"], external["followup_seconds"]
            )
        return result
