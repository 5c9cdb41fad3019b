import ast
import time
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time
from lxml import etree

from odoo import fields
from odoo.tests import tagged

from .common import InternalSlaCase, msk


@tagged("post_install", "-at_install")
class TestSlaSweep(InternalSlaCase):
    def sweep(self, when):
        with freeze_time(when):
            return self.env["internal.sla.line"]._cron_sweep()

    def test_sweep_flags_at_risk_then_breached_once(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        resolution = self.line(ticket)
        first = self.line(ticket, "first_response")
        self.assertEqual(self.sweep(msk(2026, 3, 2, 10, 30)), 0)
        self.assertEqual(resolution.state, "running")
        # 10:50: first response (1 h) is at 83% -> at risk; resolution (2 h) at 42%
        self.assertEqual(self.sweep(msk(2026, 3, 2, 10, 50)), 1)
        self.assertEqual(first.state, "at_risk")
        self.assertEqual(ticket.sla_state, "at_risk")
        # 11:40: first response breached, resolution at risk (75% of 2 h = 11:30)
        self.assertEqual(self.sweep(msk(2026, 3, 2, 11, 40)), 2)
        self.assertEqual((first.state, resolution.state), ("breached", "at_risk"))
        self.assertEqual(ticket.sla_state, "breached")
        # running it again right away changes nothing and logs nothing twice
        timeline = ticket.sla_timeline_ids
        self.assertEqual(self.sweep(msk(2026, 3, 2, 11, 40)), 0)
        ticket.invalidate_recordset(["sla_timeline_ids"])
        self.assertEqual(ticket.sla_timeline_ids, timeline)
        self.assertEqual(self.sweep(msk(2026, 3, 2, 12, 1)), 1)
        self.assertEqual(resolution.state, "breached")
        # the timeline places each crossing at its exact instant, not at the sweep's
        ticket.invalidate_recordset(["sla_timeline_ids"])
        crossings = {
            (event.event_type, event.target_name, event.date, event.cause)
            for event in ticket.sla_timeline_ids
            if event.event_type in ("at_risk", "breach")
        }
        self.assertEqual(
            crossings,
            {
                ("at_risk", first.name, msk(2026, 3, 2, 10, 45), "75% of the target used"),
                ("breach", first.name, msk(2026, 3, 2, 11, 0), "Deadline passed"),
                ("at_risk", resolution.name, msk(2026, 3, 2, 11, 30), "75% of the target used"),
                ("breach", resolution.name, msk(2026, 3, 2, 12, 0), "Deadline passed"),
            },
        )

    def test_sweep_boundaries_are_exact(self):
        """At risk from the at-risk instant itself, breached only after the deadline: the
        sweep's indexed "next change" instant selects exactly these lines, no more."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        first = self.line(ticket, "first_response")  # 1 h: at risk 10:45, due 11:00
        second = timedelta(seconds=1)
        self.assertEqual(self.sweep(msk(2026, 3, 2, 10, 45) - second), 0)
        self.assertEqual(first.state, "running")
        self.assertEqual(self.sweep(msk(2026, 3, 2, 10, 45)), 1)
        self.assertEqual(first.state, "at_risk")
        self.assertEqual(self.sweep(msk(2026, 3, 2, 11, 0)), 0)  # at the deadline: not late
        self.assertEqual(first.state, "at_risk")
        self.assertEqual(self.sweep(msk(2026, 3, 2, 11, 0) + second), 1)
        self.assertEqual(first.state, "breached")
        # a running line whose deadline has passed is breached directly, never left behind
        late = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        self.assertEqual(self.sweep(msk(2026, 3, 2, 11, 0) + second), 1)
        self.assertEqual(self.line(late, "first_response").state, "breached")
        self.assertEqual(self.line(late).state, "running")  # resolution: at risk at 11:30
        self.assertEqual(late.sla_state, "breached")

    def test_sweep_with_nothing_due_costs_one_query(self):
        """Most five-minute runs find nothing due: one probe, no step, no digest."""
        self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        self.env.flush_all()
        with freeze_time(msk(2026, 3, 2, 10, 30)), self.assertQueryCount(1):
            self.assertEqual(self.env["internal.sla.line"]._cron_sweep(), 0)
        # the probe never hides a due line: a minute past the at-risk instant, it is swept
        self.assertEqual(self.sweep(msk(2026, 3, 2, 10, 46)), 1)

    def test_sweep_ignores_lines_changed_since(self):
        """A line paused or met by an edit before the sweep runs is left as the edit set it."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        self.at(msk(2026, 3, 2, 10, 30), ticket, stage_id=self.stage_waiting.id)
        self.assertEqual(self.sweep(msk(2026, 3, 2, 12, 30)), 0)  # every clock is paused
        self.assertEqual(self.line(ticket).state, "paused")
        self.at(msk(2026, 3, 2, 12, 40), ticket, stage_id=self.stage_done.id)
        self.assertEqual(self.sweep(msk(2026, 3, 2, 18, 0)), 0)
        self.assertEqual(self.line(ticket).state, "met")

    def test_sweep_in_batches(self):
        tickets = self.env["helpdesk.ticket"]
        for _i in range(7):
            tickets |= self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        with freeze_time(msk(2026, 3, 2, 12, 30)):
            changed = self.env["internal.sla.line"]._cron_sweep(batch_size=3)
        self.assertEqual(changed, 14)
        self.assertEqual(set(tickets.sla_line_ids.mapped("state")), {"breached"})
        self.assertEqual(set(tickets.mapped("sla_state")), {"breached"})

    def test_sweep_stops_at_the_crons_time_budget_and_asks_for_another_run(self):
        """As a cron job, the sweep commits each batch; past the job's time budget it
        stops and leaves work remaining, so that the cron runs again at once."""
        tickets = self.env["helpdesk.ticket"]
        for _i in range(4):
            tickets |= self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        cron = self.env.ref("internal_sla.ir_cron_internal_sla_sweep")
        Line = self.env["internal.sla.line"]

        def run(time_left):
            progress = self.env["ir.cron.progress"].create(
                {"cron_id": cron.id, "remaining": 0, "done": 0}
            )
            with freeze_time(msk(2026, 3, 2, 12, 30)):  # (freezes time.monotonic too)
                context = {
                    "cron_id": cron.id,
                    "ir_cron_progress_id": progress.id,
                    "cron_end_time": time.monotonic() + time_left,
                }
                changed = Line.with_context(**context)._cron_sweep(batch_size=3)
            return changed, progress.done, progress.remaining

        # the batches commit (a savepoint here: a test may not commit its transaction)
        with patch.object(self.env.cr, "commit", lambda: None):
            self.assertEqual(run(time_left=-1), (3, 3, 1))  # one batch, then out of time
            # the other 5 lines, then the escalations of all 8 (counted as work done)
            self.assertEqual(run(time_left=600), (5, 13, 0))
        self.assertEqual(set(tickets.sla_line_ids.mapped("state")), {"breached"})

    def test_search_filters_and_groupings_of_the_ticket_list(self):
        """The ticket search view's SLA filters and groupings (B3), read from the view
        as the web client applies them."""
        running = self.create_ticket(msk(2026, 3, 2, 11, 50))
        at_risk = self.create_ticket(msk(2026, 3, 2, 11, 15), priority="3")
        breached = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        self.sweep(msk(2026, 3, 2, 12, 10))
        self.assertEqual(
            (running | at_risk | breached).mapped("sla_state"),
            ["running", "at_risk", "breached"],
        )
        Ticket = self.env["helpdesk.ticket"]
        arch = etree.fromstring(
            Ticket.get_views([(False, "search")])["views"]["search"]["arch"]
        )
        filters = {node.get("name"): node for node in arch.iter("filter")}
        ours = [("id", "in", (running | at_risk | breached).ids)]

        def filtered(name):
            return Ticket.search(ast.literal_eval(filters[name].get("domain")) + ours)

        self.assertEqual(filtered("sla_at_risk"), at_risk)
        self.assertEqual(filtered("sla_breached"), breached)
        self.assertEqual(filtered("sla_open"), running | at_risk)
        for name, expected in (
            ("group_sla_agreement", {self.agreement: 3}),
            ("group_sla_state", {"running": 1, "at_risk": 1, "breached": 1}),
        ):
            groupby = ast.literal_eval(filters[name].get("context"))["group_by"]
            self.assertEqual(dict(Ticket._read_group(ours, [groupby], ["__count"])), expected)

    def test_sweep_passes_by_tickets_being_edited(self):
        """Lines locked by an edit in another transaction are skipped, not waited for (nor
        overwritten); the next sweep takes them. Uses the committed demo requests, which
        another connection can see and lock."""
        agreement = self.env.ref("internal_sla.demo_agreement_it_marketing", False)
        if not agreement:
            self.skipTest("demo data not installed")
        Line = self.env["internal.sla.line"]
        open_lines = Line.search(
            [("agreement_id", "=", agreement.id), ("state", "in", ("running", "at_risk"))]
        )
        edited = open_lines[:1].ticket_id
        edited_lines = open_lines.filtered(lambda line: line.ticket_id == edited)
        others = open_lines - edited_lines
        self.assertTrue(edited_lines and others)
        states_before = edited_lines.mapped("state")
        a_month_later = Line.with_context(
            internal_sla_now=fields.Datetime.now() + timedelta(days=30)
        )
        self.env.cr.execute("SET LOCAL lock_timeout = '5s'")  # fail, never hang
        with self.registry.cursor() as editor:
            # a user saving that ticket's description right now: its row is locked, its
            # lines are not (a stage change would lock those too; they are skipped alike)
            editor.execute("UPDATE helpdesk_ticket SET name = name WHERE id = %s", [edited.id])
            a_month_later._cron_sweep()
            self.assertEqual(set(others.mapped("state")), {"breached"})
            self.assertEqual(edited_lines.mapped("state"), states_before)
            editor.rollback()
        self.assertGreaterEqual(a_month_later._cron_sweep(), len(edited_lines))
        self.assertEqual(set(edited_lines.mapped("state")), {"breached"})
        self.assertEqual(edited.sla_state, "breached")

    def test_overdue_line_keeps_running_until_reached(self):
        """A line the sweep flagged breached is still owed: pausing keeps it breached, closing
        stops its overrun, and the ticket's deadline stays the one that was missed."""
        ticket = self.create_ticket(msk(2026, 3, 2, 10, 0), priority="3")
        resolution = self.line(ticket)
        self.sweep(msk(2026, 3, 2, 12, 30))
        self.assertEqual(resolution.state, "breached")
        self.assertEqual(ticket.sla_deadline, msk(2026, 3, 2, 11, 0))  # first response's
        with freeze_time(msk(2026, 3, 2, 15, 0)):
            # 10-13 and 14-15: 4 working hours, 2 over the target, still counting
            self.assertEqual(resolution.remaining_seconds, -7200)
            self.assertTrue(resolution.clock_ticking)
        self.at(msk(2026, 3, 2, 15, 0), ticket, stage_id=self.stage_waiting.id)
        self.assertEqual(resolution.state, "breached")
        self.assertEqual(resolution.paused_since, msk(2026, 3, 2, 15, 0))
        self.at(msk(2026, 3, 3, 10, 0), ticket, stage_id=self.stage_progress.id)
        self.at(msk(2026, 3, 3, 11, 0), ticket, stage_id=self.stage_done.id)
        # 4 h on Monday + 1 h on Tuesday; the night and the pause do not count
        self.assertEqual(resolution.reached_date, msk(2026, 3, 3, 11, 0))
        self.assertEqual(resolution.consumed_seconds, 5 * 3600)
        self.assertEqual(resolution.overrun_seconds, 3 * 3600)
        self.assertEqual((resolution.state, ticket.sla_state), ("breached", "breached"))
        self.assertFalse(ticket.sla_deadline)
        # reached: the sweep and later recomputes leave it alone
        self.assertEqual(self.sweep(msk(2026, 3, 4, 12, 0)), 0)
        self.assertEqual(resolution.reached_date, msk(2026, 3, 3, 11, 0))
