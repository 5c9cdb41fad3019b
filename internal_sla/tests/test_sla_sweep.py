from freezegun import freeze_time

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
