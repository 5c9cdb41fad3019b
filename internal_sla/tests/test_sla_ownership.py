"""Ownership time (H12): the stretch the team holding an open request is running counts,
measured by the refresh, turned into the ended stretch by a transfer or a close.

The Moscow office calendar works 9–13 and 14–18 on weekdays; 2 March 2026 is a Monday."""

from freezegun import freeze_time

from odoo.tests import tagged

from .common import InternalSlaCase, msk

HOUR = 3600


@tagged("post_install", "-at_install")
class TestSlaOwnership(InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.infra = cls.env["helpdesk.ticket.team"].create(
            {"name": "IT Infrastructure", "department_id": cls.it.id}
        )
        cls.Ownership = cls.env["internal.sla.ownership"]

    def refresh(self, when):
        self.env.flush_all()
        with freeze_time(when):
            done = self.Ownership._cron_refresh()
        self.env.invalidate_all()
        return done

    def stretches(self, ticket):
        return [
            (s.team_id, s.date_from, s.date_to, s.working_seconds, s.ended_by)
            for s in ticket.sla_ownership_ids
        ]

    def test_open_ticket_never_transferred_holds_its_hours_with_its_team(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), user_id=self.agent.id)
        # the create writes no stretch (no query more): the form measures it live
        self.assertFalse(ticket.sla_ownership_ids)
        with freeze_time(msk(2026, 3, 2, 15, 30)):
            ticket.invalidate_recordset(["sla_team_hours"])
            # 10–13 and 14–15:30
            self.assertEqual(ticket.sla_team_hours, 4.5)
        self.refresh(msk(2026, 3, 2, 15, 30))
        self.assertEqual(
            self.stretches(ticket),
            [
                (
                    self.team,
                    msk(2026, 3, 2, 10, 0),
                    msk(2026, 3, 2, 15, 30),
                    4 * HOUR + 1800,
                    "holding",
                )
            ],
        )
        stretch = ticket.sla_ownership_ids
        self.assertEqual(stretch.user_id, self.agent)
        self.assertEqual(stretch.department_id, self.it)
        self.assertEqual(stretch.company_id, ticket.company_id)
        self.assertEqual(stretch.working_hours, 4.5)
        # the form's list runs on: Monday 10–18 less lunch, Tuesday 9–10
        with freeze_time(msk(2026, 3, 3, 10, 0)):
            stretch.invalidate_recordset(["live_hours"])
            self.assertEqual(stretch.live_hours, 8.0)
        self.assertEqual(stretch.working_hours, 4.5)
        # the SLA analysis and the ownership pivot count it with the team holding it
        rows = self.env["internal.sla.report"].search([("ticket_id", "=", ticket.id)])
        self.assertTrue(rows)
        self.assertEqual(set(rows.mapped("team_held_hours")), {4.5})
        self.assertEqual(set(rows.mapped("other_teams_hours")), {0.0})
        self.assertEqual(
            self.Ownership._read_group(
                [("ticket_id", "=", ticket.id)], ["team_id", "ended_by"], ["working_hours:sum"]
            ),
            [(self.team, "holding", 4.5)],
        )

    def test_transfer_ends_the_running_stretch_and_starts_the_next(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), user_id=self.agent.id)
        self.refresh(msk(2026, 3, 2, 11, 0))
        running = ticket.sla_ownership_ids
        self.assertEqual(running.working_seconds, HOUR)
        self.at(msk(2026, 3, 2, 12, 0), ticket, team_id=self.infra.id, user_id=False)
        self.assertEqual(
            self.stretches(ticket),
            [
                (
                    self.team,
                    msk(2026, 3, 2, 10, 0),
                    msk(2026, 3, 2, 12, 0),
                    2 * HOUR,
                    "transfer",
                ),
                (
                    self.infra,
                    msk(2026, 3, 2, 12, 0),
                    msk(2026, 3, 2, 12, 0),
                    0,
                    "holding",
                ),
            ],
        )
        # the running stretch became the ended one: no second row for the same time
        self.assertEqual(ticket.sla_ownership_ids[0], running)
        self.assertEqual(running.user_id, self.agent)
        self.refresh(msk(2026, 3, 2, 16, 0))
        # Infrastructure 12–13 and 14–16
        self.assertEqual(
            self.stretches(ticket)[1],
            (self.infra, msk(2026, 3, 2, 12, 0), msk(2026, 3, 2, 16, 0), 3 * HOUR, "holding"),
        )
        rows = self.env["internal.sla.report"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(set(rows.mapped("team_id")), {self.infra})
        self.assertEqual(set(rows.mapped("team_held_hours")), {3.0})
        self.assertEqual(set(rows.mapped("other_teams_hours")), {2.0})

    def test_close_ends_the_running_stretch(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.refresh(msk(2026, 3, 2, 11, 0))
        running = ticket.sla_ownership_ids
        self.at(msk(2026, 3, 2, 14, 30), ticket, stage_id=self.stage_done.id)
        # 10–13 and 14–14:30
        expected = [
            (
                self.team,
                msk(2026, 3, 2, 10, 0),
                msk(2026, 3, 2, 14, 30),
                3 * HOUR + 1800,
                "closed",
            )
        ]
        self.assertEqual(self.stretches(ticket), expected)
        self.assertEqual(ticket.sla_ownership_ids, running)
        self.assertEqual(ticket.sla_team_hours, 0.0)
        self.refresh(msk(2026, 3, 2, 16, 0))
        self.assertEqual(self.stretches(ticket), expected)

    def test_reopen_starts_a_new_running_stretch(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 11, 0), ticket, stage_id=self.stage_done.id)
        self.at(msk(2026, 3, 3, 10, 0), ticket, stage_id=self.stage_progress.id)
        self.assertEqual(
            self.stretches(ticket),
            [
                (self.team, msk(2026, 3, 2, 10, 0), msk(2026, 3, 2, 11, 0), HOUR, "closed"),
                (self.team, msk(2026, 3, 3, 10, 0), msk(2026, 3, 3, 10, 0), 0, "holding"),
            ],
        )
        self.refresh(msk(2026, 3, 3, 12, 0))
        self.assertEqual(ticket.sla_ownership_ids[1].working_seconds, 2 * HOUR)
        self.at(msk(2026, 3, 3, 12, 30), ticket, stage_id=self.stage_done.id)
        self.assertEqual(
            ticket.sla_ownership_ids.mapped("working_seconds"), [HOUR, 2 * HOUR + 1800]
        )
        self.assertEqual(ticket.sla_ownership_ids.mapped("ended_by"), ["closed", "closed"])

    def test_reopened_to_another_team_holds_one_running_stretch(self):
        """Reopened and handed over in one write: both start the new team's stretch,
        which stays a single row."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 11, 0), ticket, stage_id=self.stage_done.id)
        self.at(
            msk(2026, 3, 3, 10, 0),
            ticket,
            stage_id=self.stage_progress.id,
            team_id=self.infra.id,
        )
        self.assertEqual(
            self.stretches(ticket),
            [
                (self.team, msk(2026, 3, 2, 10, 0), msk(2026, 3, 2, 11, 0), HOUR, "closed"),
                (self.infra, msk(2026, 3, 3, 10, 0), msk(2026, 3, 3, 10, 0), 0, "holding"),
            ],
        )
        # handed over and closed in one write: the new team held it no time
        self.at(
            msk(2026, 3, 3, 11, 0), ticket, stage_id=self.stage_done.id, team_id=self.team.id
        )
        self.assertEqual(
            self.stretches(ticket)[1:],
            [
                (self.infra, msk(2026, 3, 3, 10, 0), msk(2026, 3, 3, 11, 0), HOUR, "transfer"),
                (self.team, msk(2026, 3, 3, 11, 0), msk(2026, 3, 3, 11, 0), 0, "closed"),
            ],
        )

    def test_refresh_twice_gives_the_same_rows(self):
        fresh = self.create_ticket(msk(2026, 3, 2, 10, 0))
        moved = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 11, 0), moved, team_id=self.infra.id)
        closed = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 10, 30), closed, stage_id=self.stage_done.id)
        archived = self.create_ticket(msk(2026, 3, 2, 10, 0))
        tickets = fresh | moved | closed | archived
        self.refresh(msk(2026, 3, 2, 12, 0))

        def rows():
            return self.Ownership.search_read(
                [("ticket_id", "in", tickets.ids)],
                ["ticket_id", "team_id", "date_from", "date_to", "working_seconds", "ended_by"],
            )

        first = rows()
        # nothing to measure again at the same instant (the demo requests included)
        self.assertEqual(self.refresh(msk(2026, 3, 2, 12, 0)), 0)
        self.assertEqual(rows(), first)
        self.assertEqual(
            sorted(
                (row["ticket_id"][0], row["ended_by"], row["working_seconds"]) for row in first
            ),
            sorted(
                [
                    (fresh.id, "holding", 2 * HOUR),
                    (moved.id, "transfer", HOUR),
                    (moved.id, "holding", HOUR),
                    (closed.id, "closed", 1800),
                    (archived.id, "holding", 2 * HOUR),
                ]
            ),
        )
        # later: the same rows measured again; an archived request holds nothing any more
        archived.active = False
        self.refresh(msk(2026, 3, 2, 15, 0))
        later = {(row["ticket_id"][0], row["ended_by"]): row for row in rows()}
        self.assertNotIn((archived.id, "holding"), later)
        self.assertEqual(later[fresh.id, "holding"]["working_seconds"], 4 * HOUR)
        self.assertEqual(later[moved.id, "holding"]["working_seconds"], 3 * HOUR)
        self.assertEqual(later[moved.id, "transfer"]["working_seconds"], HOUR)
        self.assertEqual(
            {row["id"] for row in later.values()},
            {row["id"] for row in first if row["ticket_id"][0] != archived.id},
        )

    def test_refresh_queries_do_not_grow_with_tickets(self):
        def queries(count, day):
            for _i in range(count):
                self.create_ticket(msk(2026, 3, day, 10, 0))
            self.env.flush_all()
            self.env.invalidate_all()
            with freeze_time(msk(2026, 3, day, 12, 0)):
                before = self.cr.sql_log_count
                self.Ownership._cron_refresh()
                return self.cr.sql_log_count - before

        queries(1, 2)  # warm the caches (calendars, model metadata)
        one = queries(1, 3)
        self.assertEqual(queries(8, 4), one)
        # 10 when written: removal of stale rows, then per pass (new and changed requests,
        # the others) the candidates, their tickets' calendars and one INSERT or UPDATE
        self.assertLessEqual(one, 10)
