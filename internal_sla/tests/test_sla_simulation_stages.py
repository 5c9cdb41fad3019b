"""What-if simulator (H2) on time-in-stage targets: the draft's stage targets are replayed
on every stay of the period's tickets in their stages, read from the stage changes their
chatter tracked, next to the stage clocks that really ran."""

from datetime import date

from freezegun import freeze_time

from odoo import Command

from ..engine.simulation import ReplayTicket, replay, stays
from .common import InternalSlaCase, msk

MONDAY, TUESDAY = (2026, 3, 2), (2026, 3, 3)


def stage_target(name, stage, hours):
    return Command.create(
        {
            "name": name,
            "metric": "stage",
            "stage_id": stage.id,
            "duration_type": "hours",
            "duration": hours,
        }
    )


class TestSimulationStages(InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the stage changes are tracked in the chatter, as in production
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.draft = cls.create_agreement(
            activate=False, name="IT ↔ Marketing, stage targets", date_start="2027-01-01"
        )
        cls.draft.write(
            {
                "target_ids": [
                    stage_target("Triaged within 1 h", cls.stage_new, 1),
                    stage_target("Worked on within 2 h", cls.stage_progress, 2),
                ]
            }
        )

    @classmethod
    def create_agreement(cls, activate=True, **values):
        """The agreement in force also limits triage (time in New) to 2 working hours."""
        agreement = super().create_agreement(activate=False, **values)
        if activate:
            new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
            agreement.write({"target_ids": [stage_target("Triaged within 2 h", new, 2)]})
            with freeze_time("2026-01-01 06:00:00"):
                agreement.action_activate()
        return agreement

    def past_ticket(self, created, moves):
        """A request created at ``created`` in New, moved to each stage at its instant;
        the chatter logs every move at that instant."""
        ticket = self.create_ticket(created)
        self.env.cr.flush()  # the creation ends its transaction, as in production
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", [created, ticket.id]
        )
        ticket.invalidate_recordset(["create_date"])
        for when, stage in moves:
            with freeze_time(when):
                ticket.write({"stage_id": stage.id})
                self.env.cr.flush()  # the tracking is written at this instant
        return ticket

    def replay_march(self):
        """The draft replayed on March 2026, run at its end."""
        simulation = self.env["internal.sla.simulation"].create(
            {
                "agreement_id": self.draft.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 3, 31),
            }
        )
        with freeze_time(msk(2026, 3, 31, 12)):
            simulation.action_run()
        return simulation

    def test_stage_targets_are_replayed_on_the_tracked_stays(self):
        # A: 45 min in New, 1 h 15 in progress, closed at noon
        quick = self.past_ticket(
            msk(*MONDAY, 10),
            [(msk(*MONDAY, 10, 45), self.stage_progress), (msk(*MONDAY, 12), self.stage_done)],
        )
        # B: 1 h 30 in New (met under 2 h, breached under 1 h), in progress 12:30-13:00
        # and 14:00-14:30 (1 h), waiting on the requester until Tuesday 10:00, in progress
        # again for 3 h (breached under 2 h: due Tuesday 12:00), closed Tuesday 13:00
        slow = self.past_ticket(
            msk(*MONDAY, 11),
            [
                (msk(*MONDAY, 12, 30), self.stage_progress),
                (msk(*MONDAY, 14, 30), self.stage_waiting),
                (msk(*TUESDAY, 10), self.stage_progress),
                (msk(*TUESDAY, 13), self.stage_done),
            ],
        )
        triage = quick.sla_line_ids.filtered(lambda line: line.metric == "stage")
        self.assertEqual((triage.state, triage.consumed_seconds), ("met", 2700))
        self.assertEqual(
            slow.sla_line_ids.filtered(lambda line: line.metric == "stage").mapped("state"),
            ["met"],
        )
        simulation = self.replay_march()
        self.assertEqual(simulation.source_agreement_id, self.agreement)
        rows = simulation.line_ids.filtered(lambda row: row.metric == "stage")
        got = [
            (
                row.ticket_id,
                row.stage_id,
                row.actual_state or None,
                row.projected_state,
                round(row.projected_hours * 60),
                row.change,
            )
            for row in rows
        ]
        self.assertEqual(
            got,
            [
                (quick, self.stage_new, "met", "met", 45, "same"),
                (quick, self.stage_progress, None, "met", 75, "new"),
                (slow, self.stage_new, "met", "breached", 90, "worse"),
                (slow, self.stage_progress, None, "met", 60, "new"),
                (slow, self.stage_progress, None, "breached", 180, "new"),
            ],
        )
        self.assertEqual(rows[-1].projected_deadline, msk(*TUESDAY, 12))
        self.assertEqual(rows[2].projected_deadline, msk(*MONDAY, 12))
        # 75 / 100 / 150 % of 2 h from Tuesday 10:00: 11:30, 12:00, 13:00 (not before the
        # 13:00 exit): two levels
        self.assertEqual(rows[-1].projected_level, 2)
        # by hand: projected 3 met of 5 stays measured (60 %), 2 breaches; in reality the
        # two triage clocks, both met
        summary = simulation.summary_ids.filtered(lambda s: s.metric == "stage")
        self.assertEqual(
            (
                summary.projected_met,
                summary.projected_breached,
                summary.projected_met_percent,
                summary.actual_met,
                summary.actual_breached,
                summary.actual_met_percent,
            ),
            (3, 2, 60.0, 2, 0, 100.0),
        )
        # first response and resolution are replayed as before, unchanged by the draft
        self.assertEqual(simulation.worse_count, 1)
        self.assertEqual(simulation.better_count, 0)
        self.assertEqual(
            set(simulation.summary_ids.mapped("metric")),
            {"first_response", "resolution", "stage"},
        )

    def test_untracked_stage_changes_fall_back_on_the_stage_clocks(self):
        untracked = self.env(context=dict(self.env.context, tracking_disable=True))
        ticket = self.past_ticket(msk(*MONDAY, 10), [])
        with freeze_time(msk(*MONDAY, 11, 30)):
            ticket.with_env(untracked).write({"stage_id": self.stage_progress.id})
        with freeze_time(msk(*MONDAY, 12)):
            ticket.with_env(untracked).write({"stage_id": self.stage_done.id})
        # still in progress since 10:30 (its last stage change): due 12:30, open for weeks
        still_open = self.past_ticket(msk(*TUESDAY, 10), [])
        with freeze_time(msk(*TUESDAY, 10, 30)):
            still_open.with_env(untracked).write({"stage_id": self.stage_progress.id})
        simulation = self.replay_march()
        rows = simulation.line_ids.filtered(lambda row: row.metric == "stage")
        # the first request: only its triage stay is known (its clock ran 10:00-11:30,
        # 1 h 30 > 1 h); its time in progress is not; its last stay is in a closed stage.
        # The second: triaged in 30 min, then in progress since 10:30 (due 12:30)
        self.assertEqual(
            [(r.ticket_id, r.stage_id, r.actual_state, r.projected_state) for r in rows],
            [
                (ticket, self.stage_new, "met", "breached"),
                (still_open, self.stage_new, "met", "met"),
                (still_open, self.stage_progress, False, "breached"),
            ],
        )
        self.assertEqual(rows[-1].projected_deadline, msk(*TUESDAY, 12, 30))


class TestStageReplayEngine(InternalSlaCase):
    def test_stays_from_moves(self):
        start = msk(*MONDAY, 10)
        self.assertEqual(stays(start, 5, ()), ((5, start, None),))
        moves = [(msk(*MONDAY, 11), 1, 2), (msk(*MONDAY, 12), 2, 3)]
        self.assertEqual(
            stays(start, 3, moves),
            (
                (1, start, msk(*MONDAY, 11)),
                (2, msk(*MONDAY, 11), msk(*MONDAY, 12)),
                (3, msk(*MONDAY, 12), None),
            ),
        )

    def test_open_stay_is_evaluated_now(self):
        targets = [target._info() for target in self.draft_targets()]
        ticket = ReplayTicket(
            id=1,
            priority="1",
            category_id=None,
            start=msk(*MONDAY, 10),
            stays=((self.stage_new.id, msk(*MONDAY, 10), None),),
        )
        working_time = self.agreement._working_time()
        # 10:00 + 1 working hour = 11:00: still running at 10:30, breached at 11:30
        for now, state in (
            (msk(*MONDAY, 10, 30), "running"),
            (msk(*MONDAY, 11, 30), "breached"),
        ):
            (projection,) = [
                p
                for p in replay(working_time, targets, 8, (), [ticket], now)
                if p.metric == "stage"
            ]
            self.assertEqual((projection.state, projection.deadline), (state, msk(*MONDAY, 11)))
            self.assertEqual(projection.stage_id, self.stage_new.id)

    def draft_targets(self):
        return self.env["internal.sla.target"].create(
            [
                {
                    "agreement_id": self.create_agreement(
                        activate=False, name="Draft", date_start="2027-01-01"
                    ).id,
                    "name": "Triaged within 1 h",
                    "metric": "stage",
                    "stage_id": self.stage_new.id,
                    "duration_type": "hours",
                    "duration": 1,
                }
            ]
        )
