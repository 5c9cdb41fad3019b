"""Daily KPI facts: the KPI set's counts pre-aggregated per day of ticket creation and
ticket dimensions, so that a year of KPIs reads a few thousand fact rows instead of a
million tickets and two million SLA lines (SPEC F1, issue 7's benchmark).

Exactness is the rule: a KPI read from facts equals the direct computation on the live
tables in the same transaction.

- **Dirty days.** Statement-level triggers on the tables the KPIs read (tickets, SLA lines,
  reopen events, CSAT invitations, the ``closed`` flag of stages) append the creation days
  of the tickets they touched to ``internal_sla_kpi_dirty``, in the writer's own
  transaction. The sweep, which updates lines with plain SQL, is covered without a change.
  Readers never write: a day with a dirty row in the reader's snapshot, and the partial
  days at the period's edges, are aggregated from the live tables with the very SELECT
  that builds the facts; every other day of the period is read from the facts. Since a
  change and its dirty row commit together, and the refresh deletes only the dirty rows
  it has seen (``REPEATABLE READ``: a dirty row committed after its snapshot stays), a
  day is either fresh in the facts or dirty in any snapshot.
- **Refresh.** ``_refresh`` (cron every five minutes) consumes the dirty rows and rebuilds
  the facts of those days, set-based.
- **P90 by nearest rank, exact.** Facts keep, for first response and resolution, how many
  lines fall in each bucket of a fixed ladder of working seconds to their first reach
  (a reopened request's resolution time runs to its first close). The bucket holding the
  P90's rank is found from the summed counts; the exact value is then read from the live
  lines of that bucket only (an index on ``(metric, first_reached_seconds)``).
- **Backlog** (open at the period's end, whatever the creation day) is one indexed query
  on the live tickets: open tickets are few.
"""

from datetime import datetime, time, timedelta
from functools import lru_cache
from math import ceil

from odoo import api, models
from odoo.tools import SQL

from ..engine import kpi
from .res_config_settings import fast_response_seconds, setting

FACT = "internal_sla_kpi_fact"
DIRTY = "internal_sla_kpi_dirty"
# the first-response benchmark the facts were built with (Settings may change it)
FACTS_FAST_SECONDS = "internal_sla.kpi_facts_fast_seconds"
# what the stored facts count: a database whose facts counted otherwise rebuilds them all
# (2: repeats among the closed tickets only)
FACTS_DEFINITION = "internal_sla.kpi_facts_definition"
DEFINITION = "3"
# ticket columns the facts are grouped by; a scope domain on these fields only (and the
# groupings of the KPI service) is answered from the facts
DIMS = (
    "company_id",
    "active",
    "sla_agreement_id",
    "provider_department_id",
    "requester_department_id",
    "team_id",
    "user_id",
    "category_id",
    "priority",
)
# upper bounds (working seconds) of the P90 buckets; a last bucket holds what is above.
# Fine where working times crowd (5 min up to a working day), so that the live lines
# read to place a P90 exactly within its bucket stay few.
LADDER = (
    (60, 120, 300, 600)
    + tuple(range(900, 28800 + 1, 300))  # every 5 min from 15 min to 8 h
    + tuple(3600 * hours for hours in (10, 12, 14, 16, 20, 24, 32, 40, 60, 80, 120, 160, 240))
    + (3600 * 480,)
)
TIMED = {"first_response": "fr", "resolution": "res"}
METRICS = {"first_response": "fr", "resolution": "res", "stage": "stg"}
TICKET_MEASURES = (
    "volume",
    "closed",
    "reopened",
    "repeats",
    "fcr",
    "transferred",
    "within_frame",
    "handed_off",
    # transfers of all tickets (B8: mean transfers per ticket)
    "transfers",
    "csat_satisfied",
    "csat_answers",
    # the answers' 1–5 scores summed (E1: mean CSAT)
    "csat_score_sum",
    "invitations_answered",
    "invitations_sent",
)
# the CSAT invitations' counts, summed from the invitations' lateral join
INVITATION_MEASURES = TICKET_MEASURES[TICKET_MEASURES.index("csat_satisfied") :]
LINE_MEASURES = (
    "met",
    "breached",
    "reached",
    "seconds",
    "fast",
    # met against the targets before a surge relaxed them (B11), relaxed lines
    "raw_met",
    "relaxed",
    # the requester's clock (H6), on lines reached
    "requester_reached",
    "requester_seconds",
    # working time the clocks stood still and ran, on all lines (paused share, H8)
    "paused_seconds",
    "run_seconds",
)
REFRESH_LOCK = 7_404_511  # advisory lock key: one refresh at a time


def bucket_columns(prefix):
    return [f"{prefix}_b{index:02d}" for index in range(len(LADDER) + 1)]


def bucket_bounds(index):
    """(low, high] working seconds of bucket ``index``; None where unbounded."""
    low = LADDER[index - 1] if index else None
    high = LADDER[index] if index < len(LADDER) else None
    return low, high


def measure_columns():
    columns = [*TICKET_MEASURES, *line_measure_columns()]
    for prefix in TIMED.values():
        columns += bucket_columns(prefix)
    return columns


def line_measure_columns():
    return [f"{prefix}_{name}" for prefix in METRICS.values() for name in LINE_MEASURES]


def fact_columns(buckets=True):
    """The columns of a fact row, in the order of ``_build_select`` (after its key);
    without the P90 buckets, those the KPI read sums in its main query."""
    names = ["day", *DIMS, *TICKET_MEASURES, "respondents", *line_measure_columns()]
    if buckets:
        for prefix in TIMED.values():
            names += bucket_columns(prefix)
    return names


@lru_cache(maxsize=16)
def fact_measures(ticket, stage, fast_seconds, buckets=True):
    """The measures of a fact row over the tickets aliased ``ticket`` (their stage aliased
    ``stage``) and the per-ticket SELECT of their lines' measures, ``line_select``: the
    same SQL for every read and refresh with the same first-response benchmark
    (``fast_seconds``), built once (hundreds of expressions; the 230 bucket counts, which
    the refresh stores, are left out for the KPI read's live days, see
    ``_kpi_fact_buckets``)."""
    closed = SQL("COALESCE(%s, FALSE)", SQL.identifier(stage, "closed"))

    def column(name):
        return SQL.identifier(ticket, name)

    measures = [
        SQL("count(*) AS volume"),
        SQL("count(*) FILTER (WHERE %s) AS closed", closed),
        SQL(
            "count(*) FILTER (WHERE %s AND EXISTS (SELECT 1 FROM internal_sla_event e "
            "WHERE e.ticket_id = %s AND e.event_type = 'reopen')) AS reopened",
            closed,
            column("id"),
        ),
        # repeats among the closed tickets: the catalogue divides them by those
        SQL(
            "count(*) FILTER (WHERE %s AND COALESCE(%s, FALSE)) AS repeats",
            closed,
            column("sla_is_repeat"),
        ),
        SQL(
            "count(*) FILTER (WHERE %s AND COALESCE(%s, FALSE)) AS fcr",
            closed,
            column("sla_first_contact_resolution"),
        ),
        SQL(
            "count(*) FILTER (WHERE COALESCE(%s, 0) > 0) AS transferred",
            column("sla_transfer_count"),
        ),
        SQL(
            "count(*) FILTER (WHERE COALESCE(%s, FALSE)) AS within_frame",
            column("sla_decided_within_frame"),
        ),
        SQL(
            "count(*) FILTER (WHERE EXISTS (SELECT 1 FROM internal_sla_pause pause "
            "WHERE pause.ticket_id = %s AND pause.handoff_ticket_id IS NOT NULL)) "
            "AS handed_off",
            column("id"),
        ),
        SQL(
            "COALESCE(sum(COALESCE(%s, 0)), 0) AS transfers",
            column("sla_transfer_count"),
        ),
    ]
    measures += [
        SQL("COALESCE(sum(inv.%s), 0) AS %s", SQL.identifier(name), SQL.identifier(name))
        for name in INVITATION_MEASURES
    ]
    measures.append(
        SQL(
            "ARRAY(SELECT DISTINCT u FROM unnest(internal_sla_array_cat(inv.users)) u "
            "WHERE u IS NOT NULL ORDER BY 1) AS respondents"
        )
    )
    per_line = []
    for metric in METRICS:
        is_metric = SQL("line.metric = %s", metric)
        reached = SQL("%s AND line.first_reached_date IS NOT NULL", is_metric)
        per_line += [
            SQL("count(*) FILTER (WHERE %s AND line.state = 'met')", is_metric),
            SQL("count(*) FILTER (WHERE %s AND line.state = 'breached')", is_metric),
            SQL("count(*) FILTER (WHERE %s)", reached),
            SQL("COALESCE(sum(line.first_reached_seconds) FILTER (WHERE %s), 0)", reached),
            SQL(
                "count(*) FILTER (WHERE %s AND line.first_reached_seconds <= %s)",
                reached,
                fast_seconds,
            ),
            SQL(
                "count(*) FILTER (WHERE %s AND line.state = 'met' AND "
                "line.consumed_seconds <= COALESCE(line.raw_target_seconds, "
                "line.target_seconds))",
                is_metric,
            ),
            SQL("count(*) FILTER (WHERE %s AND line.surge_factor > 1)", is_metric),
            SQL(
                "count(*) FILTER (WHERE %s AND line.requester_calendar_id IS NOT NULL)",
                is_metric,
            ),
            SQL(
                "COALESCE(sum(line.requester_seconds) FILTER (WHERE %s AND "
                "line.requester_calendar_id IS NOT NULL), 0)",
                is_metric,
            ),
            SQL("COALESCE(sum(line.paused_seconds) FILTER (WHERE %s), 0)", is_metric),
            SQL("COALESCE(sum(line.consumed_seconds) FILTER (WHERE %s), 0)", is_metric),
        ]
    names = line_measure_columns()
    for metric, prefix in TIMED.items() if buckets else ():
        reached = SQL("line.metric = %s AND line.first_reached_date IS NOT NULL", metric)
        for index, name in enumerate(bucket_columns(prefix)):
            low, high = bucket_bounds(index)
            bounds = [reached]
            if low is not None:
                bounds.append(SQL("line.first_reached_seconds > %s", low))
            if high is not None:
                bounds.append(SQL("line.first_reached_seconds <= %s", high))
            else:
                bounds.append(SQL("line.first_reached_seconds IS NOT NULL"))
            per_line.append(SQL("count(*) FILTER (WHERE %s)", SQL(" AND ").join(bounds)))
            names.append(name)
    line_select = SQL(", ").join(
        SQL("%s AS %s", expression, SQL.identifier(name))
        for expression, name in zip(per_line, names, strict=True)
    )
    measures += [
        SQL("COALESCE(sum(lines.%s), 0) AS %s", SQL.identifier(n), SQL.identifier(n))
        for n in names
    ]
    return SQL(", ").join(measures), line_select


class InternalSlaKpiFact(models.AbstractModel):
    _name = "internal.sla.kpi.fact"
    _description = "Internal SLA daily KPI facts"

    # -- schema -----------------------------------------------------------------------------

    def init(self):
        cr = self.env.cr
        cr.execute("SELECT to_regclass(%s)", [FACT])
        created = cr.fetchone()[0] is None
        if not created:
            # a fact table of another shape (ladder changed): rebuilt from scratch
            cr.execute(
                "SELECT count(*) FROM information_schema.columns WHERE table_name = %s",
                [FACT],
            )
            if cr.fetchone()[0] != len(fact_columns()):
                cr.execute(SQL("DROP TABLE %s", SQL.identifier(FACT)))
                created = True
        dims = ", ".join(DIMS)
        columns = ", ".join(
            f"{name} {'bigint' if name.endswith('_seconds') else 'integer'} NOT NULL DEFAULT 0"
            for name in measure_columns()
        )
        cr.execute(
            SQL(f"""
            CREATE TABLE IF NOT EXISTS {FACT} (
                day date NOT NULL,
                company_id integer, active boolean, sla_agreement_id integer,
                provider_department_id integer, requester_department_id integer,
                team_id integer, user_id integer, category_id integer, priority varchar,
                respondents integer[] NOT NULL DEFAULT '{{}}',
                {columns}
            );
            CREATE INDEX IF NOT EXISTS {FACT}_day_idx ON {FACT} (day);
            CREATE TABLE IF NOT EXISTS {DIRTY} (day date NOT NULL);
            CREATE INDEX IF NOT EXISTS {DIRTY}_day_idx ON {DIRTY} (day);
            -- the direct part of a read: tickets by creation instant, open tickets, and the
            -- reached lines of one P90 bucket
            CREATE INDEX IF NOT EXISTS helpdesk_ticket_internal_sla_created_idx
                ON helpdesk_ticket (create_date);
            -- closed tickets only: a new request (open) costs no entry in it
            DROP INDEX IF EXISTS helpdesk_ticket_internal_sla_closed_idx;
            CREATE INDEX IF NOT EXISTS helpdesk_ticket_internal_sla_closed_at_idx
                ON helpdesk_ticket (closed_date) WHERE closed_date IS NOT NULL;
            -- open tickets (the backlog) counted from the index alone, whatever the scope
            CREATE INDEX IF NOT EXISTS helpdesk_ticket_internal_sla_open_idx
                ON helpdesk_ticket (create_date)
                INCLUDE ({dims}) WHERE closed_date IS NULL;
            -- times run to the first reach (a reopened request's resolution: first close)
            DROP INDEX IF EXISTS internal_sla_line_reached_seconds_idx;
            CREATE INDEX IF NOT EXISTS internal_sla_line_first_reached_idx
                ON internal_sla_line (metric, first_reached_seconds, ticket_id)
                WHERE first_reached_date IS NOT NULL;
            -- respondents' ids of several fact rows; integer[] rather than a polymorphic
            -- type, whose name changed in PostgreSQL 14, keeps PostgreSQL 13 supported
            CREATE OR REPLACE AGGREGATE internal_sla_array_cat(integer[]) (
                SFUNC = array_cat, STYPE = integer[], INITCOND = '{{}}'
            );
            """)
        )
        self._init_triggers()
        parameters = self.env["ir.config_parameter"].sudo()
        if parameters.get_param(FACTS_DEFINITION) != DEFINITION:
            # facts counted by an earlier definition: every day is to be rebuilt
            parameters.set_param(FACTS_DEFINITION, DEFINITION)
            created = True
        if created:
            # facts start empty: every day with tickets is to be built
            cr.execute(
                SQL(
                    "INSERT INTO %s (day) SELECT DISTINCT create_date::date "
                    "FROM helpdesk_ticket WHERE create_date IS NOT NULL",
                    SQL.identifier(DIRTY),
                )
            )

    def _init_triggers(self):
        """Statement-level triggers appending the touched tickets' creation days."""
        day = "create_date::date"
        # tickets: their own creation days; other tables: the days of the tickets they
        # point to (their ticket ids deduplicated first, then one join)
        sources = {
            "helpdesk_ticket": None,
            "internal_sla_line": "TRUE",
            "internal_sla_event": "event_type = 'reopen'",
            "internal_sla_feedback_invitation": "kind = 'csat'",
            "internal_sla_pause": "handoff_ticket_id IS NOT NULL",
        }
        cr = self.env.cr
        for table, condition in sources.items():
            for event, rows in (
                ("INSERT", ("new_rows",)),
                ("UPDATE", ("new_rows", "old_rows")),
                ("DELETE", ("old_rows",)),
            ):
                function = f"internal_sla_kpi_dirty_{table}_{event.lower()}"
                if condition is None:
                    select = " UNION ".join(
                        f"SELECT {day} FROM {name} WHERE create_date IS NOT NULL"
                        for name in rows
                    )
                else:
                    ids = " UNION ".join(
                        f"SELECT ticket_id FROM {name} WHERE {condition}" for name in rows
                    )
                    select = (
                        f"SELECT t.{day} FROM ({ids}) r "
                        "JOIN helpdesk_ticket t ON t.id = r.ticket_id"
                    )
                referencing = " ".join(
                    f"{'NEW' if name == 'new_rows' else 'OLD'} TABLE AS {name}" for name in rows
                )
                cr.execute(
                    SQL(f"""
                    CREATE OR REPLACE FUNCTION {function}() RETURNS trigger
                    LANGUAGE plpgsql AS $$
                    BEGIN
                        INSERT INTO {DIRTY} (day) SELECT DISTINCT * FROM ({select}) days;
                        RETURN NULL;
                    END $$;
                    DROP TRIGGER IF EXISTS {function} ON {table};
                    CREATE TRIGGER {function} AFTER {event} ON {table}
                        REFERENCING {referencing}
                        FOR EACH STATEMENT EXECUTE FUNCTION {function}();
                    """)
                )
        # a stage that becomes closed (or stops being closed) changes its tickets' figures
        function = "internal_sla_kpi_dirty_helpdesk_ticket_stage_update"
        cr.execute(
            SQL(f"""
            CREATE OR REPLACE FUNCTION {function}() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                INSERT INTO {DIRTY} (day)
                SELECT DISTINCT t.{day} FROM helpdesk_ticket t
                 WHERE t.create_date IS NOT NULL AND t.stage_id IN (
                    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
                     WHERE n.closed IS DISTINCT FROM o.closed);
                RETURN NULL;
            END $$;
            DROP TRIGGER IF EXISTS {function} ON helpdesk_ticket_stage;
            CREATE TRIGGER {function} AFTER UPDATE ON helpdesk_ticket_stage
                REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
                FOR EACH STATEMENT EXECUTE FUNCTION {function}();
            """)
        )

    # -- building ---------------------------------------------------------------------------

    @api.model
    def _build_select(self, query, ranges, key=None, buckets=True):
        """SELECT of fact rows (day, dimensions, measures) of the tickets of ``query``
        created in one of the [start, end) ``ranges``; with ``key`` (an SQL expression
        over the tickets) it comes first, as ``key``. Without ``buckets``, the columns of
        ``fact_columns(buckets=False)``."""
        ticket = query.table
        query.add_where(created_in(ticket, ranges))
        stage = query.left_join(ticket, "stage_id", "helpdesk_ticket_stage", "id", "stage")
        measures, line_select = fact_measures(
            ticket, stage, fast_response_seconds(self.env), buckets
        )

        def column(name):
            return SQL.identifier(ticket, name)

        dims = [SQL("%s::date AS day", SQL.identifier(ticket, "create_date"))] + [
            SQL("%s AS %s", column(name), SQL.identifier(name)) for name in DIMS
        ]
        if key is not None:
            dims.insert(0, key)
        return SQL(
            """SELECT %(dims)s, %(measures)s
                 FROM %(from)s
            LEFT JOIN LATERAL (
                   SELECT %(line_select)s FROM internal_sla_line line
                    WHERE line.ticket_id = %(id)s
                 ) lines ON TRUE
            LEFT JOIN LATERAL (
                   SELECT count(*) FILTER (WHERE i.state = 'answered'
                                             AND i.category = 'promoter') AS csat_satisfied,
                          count(*) FILTER (WHERE i.state = 'answered') AS csat_answers,
                          sum(i.score) FILTER (WHERE i.state = 'answered') AS csat_score_sum,
                          count(*) FILTER (WHERE i.state = 'answered')
                              AS invitations_answered,
                          count(*) FILTER (WHERE i.state <> 'skipped') AS invitations_sent,
                          array_agg(DISTINCT i.user_id) FILTER (WHERE i.state = 'answered')
                              AS users
                     FROM internal_sla_feedback_invitation i
                    WHERE i.ticket_id = %(id)s AND i.kind = 'csat'
                 ) inv ON TRUE
                WHERE %(where)s
             GROUP BY %(group)s""",
            dims=SQL(", ").join(dims),
            measures=measures,
            line_select=line_select,
            id=column("id"),
            group=SQL(", ").join(SQL(str(n)) for n in range(1, len(dims) + 1)),
            **{"from": query.from_clause, "where": query.where_clause},
        )

    @api.model
    def _refresh(self):
        """Rebuild the facts of the dirty days (cron). Returns the number of days."""
        cr = self.env.cr
        cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [REFRESH_LOCK])
        if not cr.fetchone()[0]:
            return 0
        cr.execute(SQL("DELETE FROM %s RETURNING day", SQL.identifier(DIRTY)))
        days = {row[0] for row in cr.fetchall()}
        fast = fast_response_seconds(self.env)
        if fast != self._facts_fast_seconds():
            # the fast responses of every day were counted against another benchmark
            cr.execute(SQL("SELECT DISTINCT day FROM %s", SQL.identifier(FACT)))
            days |= {row[0] for row in cr.fetchall()}
            self.env["ir.config_parameter"].sudo().set_param(FACTS_FAST_SECONDS, fast)
        days = sorted(days)
        if not days:
            return 0
        cr.execute(SQL("DELETE FROM %s WHERE day = ANY(%s)", SQL.identifier(FACT), days))
        query = self.env["helpdesk.ticket"].sudo().with_context(active_test=False)._search([])
        select = self._build_select(query, day_ranges(days))
        self.env.execute_query(
            SQL(
                "INSERT INTO %s (%s) %s",
                SQL.identifier(FACT),
                SQL(", ").join(SQL.identifier(name) for name in fact_columns()),
                select,
            )
        )
        return len(days)

    @api.model
    def _cron_refresh(self):
        self._refresh()

    @api.model
    def _facts_fast_seconds(self):
        """The first-response benchmark (working seconds) the stored facts counted fast
        responses against: the KPI service reads them only while it is the one of
        Settings, and the next refresh rebuilds them all after a change."""
        return setting(
            self.env,
            FACTS_FAST_SECONDS.removeprefix("internal_sla."),
            kpi.FAST_RESPONSE_SECONDS,
        )


def created_in(ticket, ranges):
    """The tickets aliased ``ticket`` created in one of the [start, end) ``ranges``."""
    created = SQL.identifier(ticket, "create_date")
    return SQL(
        "(%s)",
        SQL(" OR ").join(
            SQL("(%s >= %s AND %s < %s)", created, start, created, end) for start, end in ranges
        ),
    )


def day_ranges(days):
    """[start, end) datetimes covering the sorted ``days``, consecutive days merged."""
    ranges = []
    for day in days:
        start = datetime.combine(day, time.min)
        if ranges and ranges[-1][1] == start:
            ranges[-1] = (ranges[-1][0], start + timedelta(days=1))
        else:
            ranges.append((start, start + timedelta(days=1)))
    return ranges


def nearest_rank(count, rank=90):
    """1-based position of the nearest-rank percentile among ``count`` values, computed
    as PostgreSQL's ``percentile_disc`` does (float8 ``ceil(fraction * count)``)."""
    return max(1, ceil(rank / 100.0 * count))
