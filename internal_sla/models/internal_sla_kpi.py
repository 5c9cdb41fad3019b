"""The KPI service: the KPI set (SPEC F1) of any set of tickets over a period, grouped by
agreement, department, team or agent, from two SQL aggregates fed to ``engine/kpi.py``.

The scorecard, the dashboard, the department and employee profiles, the gamification goals
and the exports all read their figures here, so a KPI is the same number on every screen.
"""

from datetime import datetime, time

from dateutil.relativedelta import relativedelta

from odoo import api, models
from odoo.fields import Domain
from odoo.tools import SQL

from ..engine import kpi
from .res_config_settings import fast_response_seconds, min_respondents

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
    "response_rate",
    "empowerment_percent",
    "repeat_percent",
    "fcr_percent",
    "bounce_rate",
)


class InternalSlaKpi(models.AbstractModel):
    _name = "internal.sla.kpi"
    _description = "Internal SLA KPI service"

    @api.model
    def _period(self, date_from=None, date_to=None):
        """[start, end) as naive UTC datetimes; dates are whole days, the default is the
        twelve months up to now."""

        def instant(value, default):
            if not value:
                return default
            if isinstance(value, datetime):
                return value
            return datetime.combine(value, time.min)

        now = datetime.now().replace(microsecond=0)
        end = instant(date_to, now)
        start = instant(date_from, end.replace(year=end.year - 1))
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
        start, end = self._period(date_from, date_to)
        column = GROUPBY[groupby] if groupby else None
        tickets = self._kpi_ticket_totals(domain, start, end, column)
        lines = self._kpi_line_totals(domain, start, end, column)
        external = self._kpi_external_counts(domain, start, end, column)
        keys = set(tickets) | set(lines) if groupby else {None}
        result = {
            key: self._kpi_set(tickets.get(key, {}), lines.get(key, {}), external.get(key, {}))
            for key in keys
        }
        return result if groupby else result[None]

    def _kpi_scope(self, domain, column):
        """(FROM, WHERE, group key) SQL of the scope's tickets."""
        query = self.env["helpdesk.ticket"].sudo()._search(Domain(domain or []))
        key = (
            SQL("%s AS key", SQL.identifier(query.table, column))
            if column
            else SQL("NULL::int AS key")
        )
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
        """Per metric: met and breached lines, and the working seconds of reached
        response and resolution clocks (count, sum, nearest-rank P90, ≤ 4 h)."""
        query, key = self._kpi_scope(domain, column)
        ticket = query.table
        created = SQL.identifier(ticket, "create_date")
        query.add_where(SQL("%s >= %s AND %s < %s", created, start, created, end))
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
                          count(*) FILTER (WHERE line.reached_date IS NOT NULL) AS reached,
                          COALESCE(sum(line.consumed_seconds)
                              FILTER (WHERE line.reached_date IS NOT NULL), 0) AS seconds,
                          percentile_disc(0.9) WITHIN GROUP (ORDER BY line.consumed_seconds)
                              FILTER (WHERE line.reached_date IS NOT NULL) AS p90,
                          count(*) FILTER (WHERE line.reached_date IS NOT NULL
                                             AND line.consumed_seconds <= %(fast)s) AS fast
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
        - ``repeats`` (B9), ``first_contact_resolved`` (B10), ``transferred`` (B8)

        A KPI whose counts are missing stays ``None``: "no data", never 0.

        Here: repeats, first contact resolution, transfers and requests decided within an
        empowerment frame of the scope's tickets (one query), and the CSAT answers and
        invitations about them (one query); CSAT of a group answered by fewer than five
        people stays hidden (H9). Internal NPS is asked per agreement, not per ticket: it
        is on the agreement's Feedback tab.
        """
        counts = {}
        query, key = self._kpi_scope(domain, column)
        ticket = query.table
        created = SQL.identifier(ticket, "create_date")
        query.add_where(SQL("%s >= %s AND %s < %s", created, start, created, end))
        stage = query.left_join(ticket, "stage_id", "helpdesk_ticket_stage", "id", "stage")
        for row in self.env.execute_query_dict(
            SQL(
                """SELECT %(key)s,
                          count(*) FILTER (WHERE %(repeat)s) AS repeats,
                          count(*) FILTER (WHERE %(closed)s AND %(fcr)s)
                              AS first_contact_resolved,
                          count(*) FILTER (WHERE %(transfers)s > 0) AS transferred,
                          count(*) FILTER (WHERE %(within_frame)s) AS decided_within_frame,
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
            if row.pop("respondents") >= min_respondents(self.env):
                group.update(
                    csat_satisfied=row["csat_satisfied"], csat_answers=row["csat_answers"]
                )
        return counts

    @api.model
    def _display(self, value, unit):
        """``kpi.display`` with "no data" in the user's language."""
        return self.env._("no data") if value is None else kpi.display(value, unit)

    @api.model
    def _goal_value(self, goal, key):
        """Current value of a gamification goal (E3): the KPI ``key`` of the goal's user
        over the goal's period; working times in hours.  ``None`` (no data) leaves the goal
        as it is, so nobody wins "fastest response" without answering anything."""
        end = goal.end_date and goal.end_date + relativedelta(days=1)
        value = self._kpis([("user_id", "=", goal.user_id.id)], goal.start_date, end)[key]
        if value is not None and key.endswith("_mean"):
            value /= 3600.0
        return value

    @api.model
    def _kpi_set(self, tickets, lines, external):
        """One KPI set from the aggregated counts, through the catalogue's formulas."""
        metrics = ("first_response", "resolution", "stage")
        met = sum(lines.get(m, {}).get("met", 0) for m in metrics)
        breached = sum(lines.get(m, {}).get("breached", 0) for m in metrics)
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
            "response_met_percent": kpi.sla_met_percent(
                metric("first_response").get("met", 0),
                metric("first_response").get("breached", 0),
            ),
            "resolution_met_percent": kpi.sla_met_percent(
                metric("resolution").get("met", 0), metric("resolution").get("breached", 0)
            ),
            "first_response": first_response,
            "first_response_mean": first_response["mean"],
            "resolution": resolution,
            "resolution_mean": resolution["mean"],
            "fast_response_percent": kpi.percent(
                metric("first_response").get("fast", 0), first_response["count"]
            ),
            "reopen_percent": kpi.reopen_percent(tickets.get("reopened", 0), closed),
        }
        result.update(dict.fromkeys(EXTERNAL_KPIS))
        if "csat_answers" in external:
            result["csat_percent"] = kpi.percent(
                external["csat_satisfied"], external["csat_answers"]
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
        if "transferred" in external:
            result["bounce_rate"] = kpi.percent(external["transferred"], volume)
        return result
