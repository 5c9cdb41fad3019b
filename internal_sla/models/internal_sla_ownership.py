from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.sql_arrays import column_literals
from .internal_sla_line import sla_now

HOLDING = "holding"
REFRESH_BATCH = 1000
# the columns of a stretch written by SQL, in the order of ``_stretch_values``
COLUMNS = (
    "ticket_id",
    "team_id",
    "department_id",
    "user_id",
    "date_from",
    "date_to",
    "working_seconds",
    "ended_by",
)
# a running stretch that no longer mirrors its open ticket: new or changed requests
CHANGED = SQL(
    """(holding.id IS NULL
        OR holding.team_id IS DISTINCT FROM ticket.team_id
        OR holding.department_id IS DISTINCT FROM team.department_id
        OR holding.user_id IS DISTINCT FROM ticket.user_id
        OR holding.company_id IS DISTINCT FROM ticket.company_id
        OR holding.date_from IS DISTINCT FROM COALESCE(ticket.sla_team_since,
                                                       ticket.create_date))"""
)


class InternalSlaOwnership(models.Model):
    """A stretch of time one team held a ticket (H12).

    The team holding an open ticket now has one running stretch (``ended_by`` "holding",
    at most one per ticket) from ``sla_team_since`` to the instant it was last measured:
    the hourly refresh measures it again (and adds it for new requests, outside the
    ticket's create); a transfer or a close turns it into the ended stretch, a reopen or
    a transfer starts the next one."""

    _name = "internal.sla.ownership"
    _description = "Ticket Ownership by Team"
    _order = "date_from, id"
    # read by those who read the request, and by the managers of its agreement (G2, ir.rule)
    _internal_sla_ticket_field = "ticket_id"
    _internal_sla_agreement_field = "ticket_id.sla_agreement_id"

    ticket_id = fields.Many2one(
        "helpdesk.ticket", required=True, ondelete="cascade", index=True, readonly=True
    )
    team_id = fields.Many2one("helpdesk.ticket.team", readonly=True, index=True)
    department_id = fields.Many2one("hr.department", readonly=True, index=True)
    user_id = fields.Many2one("res.users", string="Assignee", readonly=True)
    date_from = fields.Datetime(string="From", readonly=True)
    date_to = fields.Datetime(
        string="To",
        readonly=True,
        help="When the stretch ended; for the team holding the request now, when its time "
        "was last measured.",
    )
    working_seconds = fields.Integer(
        readonly=True,
        help="Working time the team held the ticket, on its working calendar; for the team "
        "holding it now, up to the last refresh (hourly).",
    )
    working_hours = fields.Float(
        compute="_compute_working_hours",
        store=True,
        aggregator="sum",
        help="Working hours the team held the ticket; for the team holding it now, up to "
        "the last refresh (hourly).",
    )
    live_hours = fields.Float(
        string="Working hours so far",
        compute="_compute_live_hours",
        help="Working hours the team held the ticket; for the team holding it now, up to "
        "this moment.",
    )
    ended_by = fields.Selection(
        [("transfer", "Transferred"), ("closed", "Closed"), (HOLDING, "Holding now")],
        readonly=True,
    )
    company_id = fields.Many2one("res.company", readonly=True)

    _ticket_holding_unique = models.UniqueIndex(f"(ticket_id) WHERE ended_by = '{HOLDING}'")

    @api.depends("working_seconds")
    def _compute_working_hours(self):
        for stretch in self:
            stretch.working_hours = stretch.working_seconds / 3600.0

    @api.depends("working_hours", "ended_by", "date_from")
    def _compute_live_hours(self):
        now = sla_now(self.env)
        for stretch in self:
            stretch.live_hours = (
                stretch.ticket_id._sla_working_time().working_seconds(stretch.date_from, now)
                / 3600.0
                if stretch.ended_by == HOLDING and stretch.date_from and stretch.date_from < now
                else stretch.working_hours
            )

    # -- writers ------------------------------------------------------------------------------

    @api.model
    def _stretch_values(self, ticket_id, team, user_id, date_from, date_to, seconds, ended_by):
        """One row of ``COLUMNS`` (the company comes from the ticket): ``team`` a
        ``helpdesk.ticket.team`` record."""
        return (
            ticket_id,
            team.id,
            team.department_id.id or None,
            user_id or None,
            date_from,
            date_to,
            seconds,
            ended_by,
        )

    @api.model
    def _insert(self, rows, on_conflict, where=None):
        """INSERT ``rows`` (tuples of ``COLUMNS``) in one statement, the company taken from
        the ticket (rows whose ticket does not meet ``where`` are left out);
        ``on_conflict`` is what a second running stretch of a ticket does."""
        columns = SQL(", ").join(SQL.identifier(name) for name in COLUMNS)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO internal_sla_ownership
                       (%(columns)s, company_id, working_hours, create_uid, create_date,
                        write_uid, write_date)
                SELECT row.ticket_id, row.team_id, row.department_id, row.user_id,
                       row.date_from, row.date_to, row.working_seconds, row.ended_by,
                       ticket.company_id, row.working_seconds / 3600.0, %(uid)s,
                       now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                  FROM unnest(%(c0)s::int[], %(c1)s::int[], %(c2)s::int[], %(c3)s::int[],
                              %(c4)s::timestamp[], %(c5)s::timestamp[], %(c6)s::int[],
                              %(c7)s::varchar[])
                       AS row(ticket_id, team_id, department_id, user_id, date_from,
                              date_to, working_seconds, ended_by)
                  JOIN helpdesk_ticket ticket ON ticket.id = row.ticket_id
                 WHERE %(where)s
                    ON CONFLICT (ticket_id) WHERE ended_by = %(holding)s %(on_conflict)s
                """,
                columns=columns,
                uid=self.env.uid,
                holding=HOLDING,
                on_conflict=on_conflict,
                where=where or SQL("TRUE"),
                **{
                    f"c{index}": SQL("%s", column)
                    for index, column in enumerate(column_literals(rows))
                },
            )
        )

    @api.model
    def _record(self, ticket, at, ended=None, holding=False):
        """The stretches of ``ticket`` that change at ``at``.

        :param ended: ``(team, user, ended_by)`` whose stretch since ``sla_team_since``
            ends: the running stretch becomes it (one UPDATE), else it is written
        :param holding: the ticket's team starts holding it at ``at`` (a running stretch)
        """
        self.flush_model()
        rows = []
        if ended:
            team, user, ended_by = ended
            date_from = ticket.sla_team_since or ticket.create_date
            seconds = (
                ticket._sla_working_time().working_seconds(date_from, at)
                if at > date_from
                else 0
            )
            values = self._stretch_values(
                ticket.id, team, user.id, date_from, at, seconds, ended_by
            )
            self.env.cr.execute(
                """
                UPDATE internal_sla_ownership
                   SET team_id = %s, department_id = %s, user_id = %s, date_from = %s,
                       date_to = %s, working_seconds = %s, ended_by = %s,
                       working_hours = %s / 3600.0, write_uid = %s,
                       write_date = now() AT TIME ZONE 'UTC'
                 WHERE ticket_id = %s AND ended_by = %s
                """,
                [*values[1:8], seconds, self.env.uid, ticket.id, HOLDING],
            )
            if not self.env.cr.rowcount:
                rows.append(values)
        if holding:
            rows.append(
                self._stretch_values(
                    ticket.id, ticket.team_id, ticket.user_id.id, at, at, 0, HOLDING
                )
            )
        if rows:
            # a running stretch the refresh has just added (concurrently) gives way to this one
            self._insert(
                rows,
                SQL(
                    """DO UPDATE SET team_id = EXCLUDED.team_id,
                                     department_id = EXCLUDED.department_id,
                                     user_id = EXCLUDED.user_id,
                                     date_from = EXCLUDED.date_from,
                                     date_to = EXCLUDED.date_to,
                                     working_seconds = EXCLUDED.working_seconds,
                                     working_hours = EXCLUDED.working_hours"""
                ),
            )
        self.invalidate_model()
        ticket.invalidate_recordset(["sla_ownership_ids"])

    # -- refresh of the running stretches ----------------------------------------------------

    @api.model
    def _cron_refresh(self, batch_size=REFRESH_BATCH):
        """Measure the stretch each open ticket's team is holding it up to now, in committed
        batches: new and changed requests first, then the others. Running stretches of
        closed, archived or team-less tickets are removed. Running it twice at the same
        instant changes nothing the second time."""
        now = sla_now(self.env)
        in_cron = bool(self.env.context.get("cron_id"))
        self.flush_model()
        self.env["helpdesk.ticket"].flush_model(
            ["team_id", "user_id", "stage_id", "sla_team_since", "company_id", "active"]
        )
        self.env["helpdesk.ticket.team"].flush_model(["department_id"])
        cr = self.env.cr
        cr.execute(
            """
            DELETE FROM internal_sla_ownership holding
             USING helpdesk_ticket ticket
         LEFT JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
             WHERE holding.ended_by = %s AND ticket.id = holding.ticket_id
               AND (ticket.team_id IS NULL OR NOT ticket.active
                    OR COALESCE(stage.closed, FALSE))
            """,
            [HOLDING],
        )
        total = cr.rowcount
        for condition in (CHANGED, SQL("(holding.date_to <> %s OR %s)", now, CHANGED)):
            after = 0
            while True:
                rows = self._refresh_candidates(condition, after, batch_size)
                if rows:
                    self._refresh_batch(rows, now)
                    total += len(rows)
                    after = rows[-1][0]
                if in_cron:
                    self.env["ir.cron"]._commit_progress(len(rows))
                if len(rows) < batch_size:
                    break
        self.invalidate_model()
        return total

    @api.model
    def _refresh_candidates(self, condition, after, limit):
        """Open tickets with a team (ids above ``after``, by id) whose running stretch
        meets ``condition``: ``(ticket id, running stretch id, team id, user id,
        since)``."""
        self.env.cr.execute(
            SQL(
                """
                SELECT ticket.id, holding.id, ticket.team_id, ticket.user_id,
                       COALESCE(ticket.sla_team_since, ticket.create_date)
                  FROM helpdesk_ticket ticket
                  JOIN helpdesk_ticket_team team ON team.id = ticket.team_id
             LEFT JOIN helpdesk_ticket_stage stage ON stage.id = ticket.stage_id
             LEFT JOIN internal_sla_ownership holding
                    ON holding.ticket_id = ticket.id AND holding.ended_by = %(holding)s
                 WHERE ticket.active AND NOT COALESCE(stage.closed, FALSE)
                   AND ticket.id > %(after)s AND %(condition)s
              ORDER BY ticket.id
                 LIMIT %(limit)s
                """,
                holding=HOLDING,
                after=after,
                condition=condition,
                limit=limit,
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _refresh_batch(self, rows, now):
        """Measure the running stretches of one batch: one UPDATE of those that exist (by
        id, still running), one INSERT of the missing ones (unless the ticket moved on)."""
        tickets = self.env["helpdesk.ticket"].sudo().browse([row[0] for row in rows])
        tickets.fetch(["sla_agreement_id", "company_id", "team_id"])
        teams = tickets.team_id
        teams.fetch(["department_id"])
        measured, missing = [], []
        for (ticket_id, holding_id, team_id, user_id, since), ticket in zip(
            rows, tickets, strict=True
        ):
            seconds = (
                ticket._sla_working_time().working_seconds(since, now) if now > since else 0
            )
            values = self._stretch_values(
                ticket_id, teams.browse(team_id), user_id, since, now, seconds, HOLDING
            )
            (measured if holding_id else missing).append((holding_id, values))
        if measured:
            self.env.cr.execute(
                """
                UPDATE internal_sla_ownership holding
                   SET team_id = row.team_id, department_id = row.department_id,
                       user_id = row.user_id, company_id = ticket.company_id,
                       date_from = row.date_from, date_to = row.date_to,
                       working_seconds = row.seconds, working_hours = row.seconds / 3600.0,
                       write_uid = %s, write_date = now() AT TIME ZONE 'UTC'
                  FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[], %s::int[],
                              %s::timestamp[], %s::timestamp[], %s::int[])
                       AS row(id, ticket_id, team_id, department_id, user_id, date_from,
                              date_to, seconds)
                  JOIN helpdesk_ticket ticket ON ticket.id = row.ticket_id
                 WHERE holding.id = row.id AND holding.ended_by = %s
                """,
                [
                    self.env.uid,
                    *column_literals(
                        [(holding_id, *values[:7]) for holding_id, values in measured]
                    ),
                    HOLDING,
                ],
            )
        if missing:
            # a ticket transferred or closed since it was read keeps what that change wrote
            self._insert(
                [values for _id, values in missing],
                SQL("DO NOTHING"),
                SQL(
                    """ticket.active AND ticket.team_id = row.team_id
                       AND COALESCE(ticket.sla_team_since, ticket.create_date) = row.date_from
                       AND NOT EXISTS (SELECT 1 FROM helpdesk_ticket_stage stage
                                        WHERE stage.id = ticket.stage_id AND stage.closed)"""
                ),
            )
