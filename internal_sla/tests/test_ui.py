import base64
import logging
import os
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest.mock import patch

from odoo import Command, fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import ChromeBrowser
from odoo.tools import config

from .common import InternalSlaHttpCase
from .feedback_common import FeedbackMixin

_logger = logging.getLogger(__name__)


def wait_until_nothing_loads(browser, seconds=3):
    """A request the page sent after the tour's last step (the chatter, an avatar) shows
    Odoo's "Loading" badge: the picture waits for it to end."""
    for _attempt in range(int(seconds * 10)):
        answer = browser._websocket_request(
            "Runtime.evaluate",
            params={
                "expression": "!!document.querySelector('.o_loading_indicator')",
                "returnByValue": True,
            },
        )
        if not answer.get("result", {}).get("value"):
            return
        time.sleep(0.1)


@contextmanager
def screenshot_at_the_end(name):
    """Save what the browser shows when the tour ends, for people to look at
    (``<screenshots dir>/internal_sla/<name>.png``)."""
    original_stop = ChromeBrowser.stop
    path = Path(config["screenshots"]) / "internal_sla" / f"{name}.png"

    def stop(browser):
        shot = None
        if hasattr(browser, "ws"):
            wait_until_nothing_loads(browser)
            shot = browser._websocket_request("Page.captureScreenshot")
        if shot and shot.get("data"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(base64.b64decode(shot["data"]))
            _logger.info("screenshot saved to %s", path)
            # setup/screenshots: the README's pictures, regenerated from the tours
            docs = os.environ.get("INTERNAL_SLA_SCREENSHOTS")
            if docs:
                Path(docs).mkdir(parents=True, exist_ok=True)
                (Path(docs) / path.name).write_bytes(path.read_bytes())
        return original_stop(browser)

    with patch.object(ChromeBrowser, "stop", stop):
        yield path


@tagged("post_install", "-at_install")
class TestSettingsUi(HttpCase):
    def test_admin_changes_a_default_in_settings(self):
        self.start_tour("/odoo", "internal_sla_settings_tour", login="admin")
        self.assertEqual(
            self.env["ir.config_parameter"].sudo().get_param("internal_sla.at_risk_percent"),
            "80",
        )


@tagged("post_install", "-at_install")
class TestAgentUi(InternalSlaHttpCase):
    browser_size = "1440x1000"

    def breached_scenario(self):
        """An urgent request answered but not solved: 125% of its 2 working hours used,
        escalated twice (for ``_sla_replay``)."""
        return {
            "ago": 2.5,
            "vals": {
                "name": "Mail server disk failed",
                "description": "<p>Nobody can send e-mail</p>",
                "team_id": self.team.id,
                "partner_id": self.requester.partner_id.id,
                "user_id": self.agent.id,
                "priority": "3",
            },
            "steps": [(2.4, "reply", {"author": self.agent.id, "body": "On it"})],
        }

    def test_agent_reads_the_sla_panel_of_a_request_at_risk(self):
        requester = self.requester.partner_id.id
        tickets = self.env["helpdesk.ticket"]._sla_replay(
            self.calendar,
            [
                {
                    "ago": 1.75,  # 87% of the 2 working hours of an urgent request
                    "vals": {
                        "name": "Newsletter export times out",
                        "description": "<p>40 minutes, then a timeout</p>",
                        "team_id": self.team.id,
                        "partner_id": requester,
                        "user_id": self.agent.id,
                        "priority": "3",
                    },
                    "steps": [(1.5, "reply", {"author": self.agent.id, "body": "On it"})],
                },
                {
                    "ago": 0.6,
                    "vals": {
                        "name": "Paused request: dashboard access",
                        "description": "<p>Which role?</p>",
                        "team_id": self.team.id,
                        "partner_id": requester,
                        "user_id": self.agent.id,
                        # urgent: paused with 0.2 of its 2 working hours used at any hour
                        # (solved "by the end of the day", one filed 0.6 working hours
                        # before 09:33 was past yesterday's end when it paused today)
                        "priority": "3",
                    },
                    "steps": [
                        (0.5, "reply", {"author": self.agent.id, "body": "Viewer or editor?"}),
                        (0.4, "stage", self.stage_waiting.id),
                    ],
                },
                self.breached_scenario(),
            ],
        )
        self.env["internal.sla.line"]._cron_sweep()
        # the kanban cards' badges: at risk (orange), paused (grey), breached (red)
        self.assertEqual(tickets.mapped("sla_state"), ["at_risk", "paused", "breached"])
        # the demo data's history would push these three off the list's first page
        self.env["helpdesk.ticket"].search(
            [("name", "not in", tickets.mapped("name"))]
        ).active = False
        with screenshot_at_the_end("agent_ticket_sla_panel"):
            self.start_tour(
                "/odoo/helpdesk-tickets", "internal_sla_agent_ticket_tour", login="it_agent"
            )

    def test_agent_explains_an_escalated_breach(self):
        ticket = self.env["helpdesk.ticket"]._sla_replay(
            self.calendar,
            [self.breached_scenario()],
        )
        self.env["internal.sla.line"]._cron_sweep()
        self.assertEqual(ticket.sla_escalation_level, 2)
        with screenshot_at_the_end("agent_explains_breach"):
            self.start_tour(
                f"/odoo/helpdesk-tickets/{ticket.id}",
                "internal_sla_breach_tour",
                login="it_agent",
            )
        resolution = ticket.sla_line_ids.filtered(lambda line: line.metric == "resolution")
        self.assertEqual(resolution.exception_state, "requested")
        self.assertEqual(resolution.breach_cause, "third_party")

    def test_a_target_overdue_by_no_working_time_reads_overdue(self):
        """A deadline right before a closure (the end of a working day, a holiday): the
        line is breached with not one working second beyond its deadline, and its
        countdown still says overdue, in red, not "0h 00m left"."""
        ticket = self.env["helpdesk.ticket"]._sla_replay(
            self.calendar, [self.breached_scenario()]
        )
        resolution = ticket.sla_line_ids.filtered(lambda line: line.metric == "resolution")
        # the office closed from the deadline on for a month: no working time has passed
        self.env["resource.calendar.leaves"].create(
            {
                "name": "Office closed",
                "calendar_id": self.calendar.id,
                "date_from": resolution.deadline,
                "date_to": fields.Datetime.now() + timedelta(days=30),
            }
        )
        self.env["internal.sla.line"]._cron_sweep()
        resolution.invalidate_recordset()
        self.assertEqual(resolution.state, "breached")
        self.assertEqual((resolution.remaining_seconds, resolution.clock_ticking), (0, False))
        with screenshot_at_the_end("agent_breach_no_overrun"):
            self.start_tour(
                f"/odoo/helpdesk-tickets/{ticket.id}",
                "internal_sla_breach_no_overrun_tour",
                login="it_agent",
            )


@tagged("post_install", "-at_install")
class TestFeedbackUi(FeedbackMixin, InternalSlaHttpCase):
    browser_size = "1440x1000"

    def test_follow_up_a_detractor_and_read_the_nps_gauge(self):
        # as the administrator: the agreement form reads ir.model.fields
        # (required_field_ids), which department heads may not read yet
        people = self.make_people(10, self.marketing)
        now = fields.Datetime.now()
        answers = self.answered(people, [10, 9, 10, 9, 10, 9, 8, 7, 3, 5], now)
        critical = answers.filtered(lambda a: a.score == 3)
        critical.sudo().comment = "The fix took a week and nobody told us why."
        critical._open_followup(now)
        with screenshot_at_the_end("feedback_nps_gauge"):
            self.start_tour(
                f"/odoo/action-internal_sla.internal_sla_agreement_action/{self.agreement.id}",
                "internal_sla_feedback_tour",
                login="admin",
            )
        self.assertEqual(critical.followup_state, "done")
        self.assertTrue(critical.followup_in_time)
        self.assertEqual(critical.resurvey_ids.state, "sent")

    def test_agent_reads_the_csat_answer_on_the_ticket(self):
        ticket = self.create_ticket(
            fields.Datetime.now() - timedelta(hours=3),
            user_id=self.agent.id,
            name="Newsletter template broken",
        )
        ticket.stage_id = self.stage_done
        self.answer(ticket.feedback_invitation_ids, 4, comment="Quick and clear, thanks")
        with screenshot_at_the_end("ticket_csat"):
            self.start_tour(
                f"/odoo/helpdesk-tickets/{ticket.id}",
                "internal_sla_ticket_csat_tour",
                login="it_agent",
            )


@tagged("post_install", "-at_install")
class TestSimulationUi(InternalSlaHttpCase):
    browser_size = "1440x1000"

    def test_manager_simulates_a_draft_agreement(self):
        self.env["helpdesk.ticket"]._sla_replay(
            self.calendar,
            [
                {
                    "ago": 4,  # urgent, solved in half an hour: met in reality
                    "vals": {
                        "name": "Newsletter export times out",
                        "description": "<p>40 minutes, then a timeout</p>",
                        "team_id": self.team.id,
                        "partner_id": self.requester.partner_id.id,
                        "priority": "3",
                    },
                    "steps": [
                        (3.9, "reply", {"author": self.agent.id, "body": "On it"}),
                        (3.5, "stage", self.stage_done.id),
                    ],
                }
            ],
        )
        draft = self.create_agreement(
            activate=False,
            name="IT ↔ Marketing next year",
            date_start=fields.Date.today() + timedelta(days=400),
            target_ids=[
                Command.create(
                    {
                        "name": "Solved in 15 minutes",
                        "metric": "resolution",
                        "duration_type": "minutes",
                        "duration": 15,
                    }
                )
            ],
        )
        with screenshot_at_the_end("simulation_draft_agreement"):
            self.start_tour(
                f"/odoo/action-internal_sla.internal_sla_agreement_action/{draft.id}",
                "internal_sla_simulation_tour",
                login="admin",
            )
        simulation = self.env["internal.sla.simulation"].search([], order="id desc", limit=1)
        self.assertEqual(simulation.agreement_id, draft)
        self.assertEqual(simulation.worse_count, 1)


@tagged("post_install", "-at_install")
class TestHandoffUi(InternalSlaHttpCase):
    browser_size = "1440x1000"

    def test_agent_waits_on_another_department(self):
        hr_team = self.env["helpdesk.ticket.team"].create(
            {"name": "HR Desk", "department_id": self.hr.id}
        )
        self.create_agreement(
            name="HR ↔ IT",
            provider_department_id=self.hr.id,
            customer_department_id=self.it.id,
            target_ids=[
                Command.create(
                    {
                        "name": "Solved in 8 h",
                        "metric": "resolution",
                        "duration_type": "hours",
                        "duration": 8,
                    }
                )
            ],
        )
        ticket = self.env["helpdesk.ticket"].create(
            {
                "name": "Campaign landing page is down",
                "description": "<p>Please fix</p>",
                "team_id": self.team.id,
                "partner_id": self.requester.partner_id.id,
                "user_id": self.agent.id,
            }
        )
        with screenshot_at_the_end("handoff_chain"):
            self.start_tour(
                f"/odoo/helpdesk-tickets/{ticket.id}",
                "internal_sla_handoff_tour",
                login="it_agent",
            )
        child = ticket.sla_child_ids
        self.assertEqual(child.team_id, hr_team)
        self.assertEqual(ticket.sla_state, "paused")
