from datetime import date, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import InternalSlaHttpCase, msk
from .test_ui import screenshot_at_the_end


@tagged("post_install", "-at_install")
class TestSimulationStagesUi(InternalSlaHttpCase):
    browser_size = "1440x1000"

    def test_manager_simulates_a_triage_target(self):
        # last week's Tuesday, Moscow: filed 10:00, in progress 11:00, solved 11:30
        tuesday = date.today() - timedelta(days=date.today().weekday() + 6)
        day = (tuesday.year, tuesday.month, tuesday.day)
        tracked = self.env(context=dict(self.env.context, tracking_disable=False))
        with freeze_time(msk(*day, 10)):
            ticket = (
                self.env["helpdesk.ticket"]
                .with_env(tracked)
                .create(
                    {
                        "name": "Printer offline",
                        "description": "<p>Third floor</p>",
                        "team_id": self.team.id,
                        "partner_id": self.requester.partner_id.id,
                        "stage_id": self.stage_new.id,
                    }
                )
            )
            self.env.cr.flush()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s",
            [msk(*day, 10), ticket.id],
        )
        for hour, minute, stage in ((11, 0, self.stage_progress), (11, 30, self.stage_done)):
            with freeze_time(msk(*day, hour, minute)):
                ticket.with_env(tracked).write({"stage_id": stage.id})
                self.env.cr.flush()
        draft = self.create_agreement(
            activate=False,
            name="IT ↔ Marketing, triage",
            date_start=date.today() + timedelta(days=400),
            target_ids=[
                Command.create(
                    {
                        "name": "Triaged within 15 minutes",
                        "metric": "stage",
                        "stage_id": self.stage_new.id,
                        "duration_type": "minutes",
                        "duration": 15,
                    }
                )
            ],
        )
        with screenshot_at_the_end("simulation_stage_targets"):
            self.start_tour(
                f"/odoo/action-internal_sla.internal_sla_agreement_action/{draft.id}",
                "internal_sla_simulation_stage_tour",
                login="admin",
            )
        simulation = self.env["internal.sla.simulation"].search([], order="id desc", limit=1)
        row = simulation.line_ids.filtered(lambda line: line.metric == "stage")
        self.assertEqual((row.ticket_id, row.stage_id), (ticket, self.stage_new))
        self.assertEqual(
            (row.projected_state, round(row.projected_hours * 60)), ("breached", 60)
        )
