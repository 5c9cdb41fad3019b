from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import format_date

from .common import InternalSlaCase, msk

HOUR = 3600


def targets(resolution_hours):
    return [
        Command.create(
            {
                "name": "First response",
                "metric": "first_response",
                "duration_type": "hours",
                "duration": 1,
            }
        ),
        Command.create(
            {
                "name": f"Solved in {resolution_hours} h",
                "metric": "resolution",
                "duration_type": "hours",
                "duration": resolution_hours,
            }
        ),
    ]


class TestSimulation(InternalSlaCase):
    """What-if simulator (H2): past tickets of the seed agreement replayed against a draft
    with other targets; actual and projected figures side by side."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.draft = cls.create_agreement(
            activate=False,
            name="IT ↔ Marketing, tighter",
            date_start="2027-01-01",
            target_ids=targets(2),
        )

    def past_ticket(self, created, answered=None, closed=None, waiting=None):
        """A Marketing request to IT created at ``created`` (Moscow naive UTC), answered,
        waiting on the requester from/to and closed at the given instants."""
        ticket = self.create_ticket(created)
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", [created, ticket.id]
        )
        ticket.invalidate_recordset(["create_date"])
        if answered:
            with freeze_time(answered):
                ticket.with_user(self.agent).message_post(
                    body="On it", message_type="comment", subtype_xmlid="mail.mt_comment"
                )
        if waiting:
            self.at(waiting[0], ticket, stage_id=self.stage_waiting.id)
            self.at(waiting[1], ticket, stage_id=self.stage_progress.id)
        if closed:
            self.at(closed, ticket, stage_id=self.stage_done.id)
        return ticket

    def simulate(self, agreement=None, **values):
        simulation = self.env["internal.sla.simulation"].create(
            {
                "agreement_id": (agreement or self.draft).id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
                **values,
            }
        )
        with freeze_time(msk(2026, 3, 31, 12, 0)):
            simulation.action_run()
        return simulation

    def test_tightening_8h_to_2h_turns_known_met_tickets_into_breaches(self):
        # Monday 2 March: answered in 30 min, solved in 4 working hours (10-13, 14-15):
        # met by end of day in reality, breached against 2 working hours
        solved = self.past_ticket(
            msk(2026, 3, 2, 10, 0), answered=msk(2026, 3, 2, 10, 30), closed=msk(2026, 3, 2, 15)
        )
        # waiting on the requester 11:00-15:00: 1 h + 1 h of work, met under 2 h as well
        paused = self.past_ticket(
            msk(2026, 3, 3, 10, 0),
            answered=msk(2026, 3, 3, 10, 15),
            waiting=(msk(2026, 3, 3, 11, 0), msk(2026, 3, 3, 15, 0)),
            closed=msk(2026, 3, 3, 16, 0),
        )
        # outside the period: not replayed
        self.past_ticket(msk(2026, 4, 1, 10, 0), closed=msk(2026, 4, 1, 11, 0))
        self.assertEqual(self.line(solved).state, "met")
        self.assertEqual(self.line(paused).state, "met")

        simulation = self.simulate()
        self.assertEqual(simulation.source_agreement_id, self.agreement)
        self.assertEqual(simulation.ticket_count, 2)
        rows = {(r.ticket_id, r.metric): r for r in simulation.line_ids}
        row = rows[solved, "resolution"]
        self.assertEqual((row.actual_state, row.projected_state), ("met", "breached"))
        self.assertEqual(row.change, "worse")
        self.assertEqual(row.projected_deadline, msk(2026, 3, 2, 12, 0))
        self.assertAlmostEqual(row.projected_hours, 4.0)
        # 75/100/150 % of 2 h: 11:30, 12:00, 13:00, all before the 15:00 resolution
        self.assertEqual(row.projected_level, 3)
        self.assertEqual(row.actual_level, 0)
        row = rows[paused, "resolution"]
        self.assertEqual((row.projected_state, row.change), ("met", "same"))
        self.assertEqual(row.projected_deadline, msk(2026, 3, 3, 16, 0))
        self.assertEqual(row.projected_level, 1)  # 1.5 h reached at 15:30
        self.assertEqual(rows[solved, "first_response"].projected_state, "met")
        self.assertEqual(simulation.worse_count, 1)
        self.assertEqual(simulation.better_count, 0)

        summary = {s.metric: s for s in simulation.summary_ids}
        resolution = summary["resolution"]
        self.assertEqual(resolution.actual_met_percent, 100.0)
        self.assertEqual(resolution.projected_met_percent, 50.0)
        self.assertEqual((resolution.actual_breached, resolution.projected_breached), (0, 1))
        self.assertEqual(
            (resolution.projected_level1, resolution.projected_level2),
            (2, 1),
        )
        self.assertEqual(resolution.projected_level3, 1)
        self.assertEqual(summary["first_response"].projected_met_percent, 100.0)
        # nothing real was touched
        self.assertEqual(self.line(solved).state, "met")
        self.assertEqual(self.line(solved).escalation_level, 0)
        self.assertFalse(self.draft.ticket_ids)

    def test_amendment_targets_are_tried(self):
        solved = self.past_ticket(msk(2026, 3, 2, 10, 0), closed=msk(2026, 3, 2, 15))
        amendment = (
            self.env["internal.sla.amendment.wizard"]
            .with_context(default_agreement_id=self.agreement.id)
            .create({"note": "Quarterly review: faster resolution"})
        )
        self.assertEqual(len(amendment.line_ids), 3)
        amendment.line_ids.filtered(lambda line: line.metric == "resolution").write(
            {"duration_type": "hours", "duration": 8}
        )
        action = amendment.action_simulate()
        simulation = self.env["internal.sla.simulation"].browse(action["res_id"])
        self.assertEqual(simulation.amendment_id, amendment)
        self.assertEqual(simulation.source_agreement_id, self.agreement)
        self.assertEqual(
            simulation.targets_tried,
            "The targets of the amendment being prepared, effective "
            f"{format_date(self.env, amendment.date_effective)}.",
        )
        simulation.write({"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31)})
        with freeze_time(msk(2026, 3, 31, 12, 0)):
            simulation.action_run()
        rows = simulation.line_ids.filtered(
            lambda r: r.ticket_id == solved and r.metric == "resolution"
        )
        self.assertEqual(rows.projected_target_hours, 8.0)
        self.assertEqual(rows.projected_state, "met")
        # never answered: 1 working hour of first response was long gone
        first = simulation.line_ids.filtered(lambda r: r.metric == "first_response")
        self.assertEqual(first.projected_state, "breached")

    def test_an_amendment_decided_for_later_is_what_the_agreement_tries(self):
        """An agreement's target list is its latest version's: with an amendment decided
        for a later date, simulating the agreement tries the amendment, and says so."""
        solved = self.past_ticket(msk(2026, 3, 2, 10, 0), closed=msk(2026, 3, 2, 15))
        self.assertEqual(self.draft_simulation_text(), "The targets of this draft.")
        with freeze_time(msk(2026, 3, 31, 11, 0)):
            self.assertEqual(
                self.draft_simulation_text(self.agreement), "The targets in force (version 1)."
            )
            amendment = (
                self.env["internal.sla.amendment.wizard"]
                .with_context(default_agreement_id=self.agreement.id)
                .create({"date_effective": "2026-04-01", "note": "Faster from April"})
            )
            amendment.line_ids.filtered(lambda line: line.metric == "resolution").write(
                {"duration_type": "hours", "duration": 8}
            )
            amendment.action_confirm()
            self.agreement.invalidate_recordset()
            self.assertEqual(
                self.draft_simulation_text(self.agreement),
                "The targets of version 2, decided to take effect on 04/01/2026 (not those "
                "in force today).",
            )
        simulation = self.simulate(self.agreement)
        row = simulation.line_ids.filtered(
            lambda r: r.ticket_id == solved and r.metric == "resolution"
        )
        self.assertEqual(row.projected_target_hours, 8.0)
        # or, ticked, the targets in force: the replay gives back what happened
        in_force = self.simulate(self.agreement, use_targets_in_force=True)
        row = in_force.line_ids.filtered(
            lambda r: r.ticket_id == solved and r.metric == "resolution"
        )
        self.assertNotEqual(row.projected_target_hours, 8.0)
        self.assertEqual((row.projected_state, row.change), (row.actual_state, "same"))
        with freeze_time(msk(2026, 3, 31, 12, 0)):
            in_force.invalidate_recordset()
            self.assertEqual(in_force.targets_tried, "The targets in force (version 1).")

    def draft_simulation_text(self, agreement=None):
        """What a new simulation of ``agreement`` says it tries (the draft's by default)."""
        simulation = self.env["internal.sla.simulation"].new(
            {"agreement_id": (agreement or self.draft).id}
        )
        return simulation.targets_tried

    def test_a_reopened_request_is_not_measured_while_it_stood_closed(self):
        """Solved Monday in one working hour, reopened Thursday and solved again in one:
        two working hours, as the engine counts them, not the three days between."""
        ticket = self.past_ticket(
            msk(2026, 3, 2, 10, 0), answered=msk(2026, 3, 2, 10, 30), closed=msk(2026, 3, 2, 11)
        )
        self.at(msk(2026, 3, 5, 10, 0), ticket, stage_id=self.stage_progress.id)
        self.at(msk(2026, 3, 5, 11, 0), ticket, stage_id=self.stage_done.id)
        self.assertEqual(ticket.sla_reopen_count, 1)
        self.assertEqual(self.line(ticket).consumed_seconds, 2 * HOUR)

        row = self.simulate().line_ids.filtered(lambda r: r.metric == "resolution")
        self.assertAlmostEqual(row.projected_hours, 2.0)
        self.assertEqual(row.projected_deadline, msk(2026, 3, 5, 11, 0))
        self.assertEqual(row.projected_state, "met")
        # 1.5 h at 10:30 on Thursday; 2 h is the solving instant itself
        self.assertEqual(row.projected_level, 1)

    def test_queries_do_not_grow_with_the_tickets(self):
        self.past_ticket(msk(2026, 3, 2, 10, 0), closed=msk(2026, 3, 2, 15))
        self.simulate()  # warm caches

        def count():
            simulation = self.env["internal.sla.simulation"].create(
                {
                    "agreement_id": self.draft.id,
                    "date_from": date(2026, 3, 1),
                    "date_to": date(2026, 3, 31),
                }
            )
            self.env.flush_all()
            before = self.cr.sql_log_count
            with freeze_time(msk(2026, 3, 31, 12, 0)):
                simulation.action_run()
            self.env.flush_all()
            return self.cr.sql_log_count - before, simulation.ticket_count

        few, replayed = count()
        self.assertEqual(replayed, 1)
        for day in (3, 4, 5):
            self.past_ticket(msk(2026, 3, day, 10, 0), closed=msk(2026, 3, day, 12))
        many, replayed = count()
        self.assertEqual(replayed, 4)
        self.assertEqual(many, few)

    def test_bad_input_is_refused_with_what_to_fix(self):
        with self.assertRaisesRegex(ValidationError, "swap From and To"):
            self.env["internal.sla.simulation"].create(
                {
                    "agreement_id": self.draft.id,
                    "date_from": date(2026, 3, 31),
                    "date_to": date(2026, 3, 1),
                }
            )
        lonely = self.create_agreement(
            activate=False,
            name="HR for everyone",
            provider_department_id=self.hr.id,
            customer_department_id=False,
            customer_scope="all",
        )
        simulation = self.env["internal.sla.simulation"].create({"agreement_id": lonely.id})
        self.assertFalse(simulation.source_agreement_id)
        with self.assertRaisesRegex(UserError, "Replay tickets of"):
            simulation.action_run()

    def test_only_managers_simulate(self):
        with self.assertRaises(AccessError):
            self.env["internal.sla.simulation"].with_user(self.agent).create(
                {"agreement_id": self.draft.id}
            )
        simulation = (
            self.env["internal.sla.simulation"]
            .with_user(self.it_head)
            .create({"agreement_id": self.draft.id})
        )
        with freeze_time(msk(2026, 3, 31, 12, 0)):
            simulation.action_run()
        self.assertEqual(simulation.state, "done")
