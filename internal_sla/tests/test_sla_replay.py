from datetime import timedelta

from .common import InternalSlaCase, msk

HOUR = 3600


class TestSlaReplay(InternalSlaCase):
    """Tickets replayed in working time (demo data, imports of past requests)."""

    def test_steps_happen_at_their_working_instants(self):
        now = msk(2026, 3, 3, 12, 0)  # Tuesday 12:00 Moscow
        tickets = self.env["helpdesk.ticket"]._sla_replay(
            self.calendar.id,
            [
                {
                    # filed 4 working hours ago: Monday 17:00 (Tuesday 09:00-12:00 + 1 h)
                    "ago": 4,
                    "vals": {
                        "name": "Urgent, answered and solved in time",
                        "description": "<p>Replayed</p>",
                        "team_id": self.team.id,
                        "partner_id": self.requester.partner_id.id,
                        "priority": "3",
                    },
                    "steps": [
                        (3.5, "reply", {"author": self.agent.id, "body": "On it"}),
                        (3, "stage", self.stage_done.id),
                    ],
                },
                {
                    "ago": 2.5,
                    "vals": {
                        "name": "Urgent, never answered",
                        "description": "<p>Replayed</p>",
                        "team_id": self.team.id,
                        "partner_id": self.requester.partner_id.id,
                        "priority": "3",
                    },
                },
            ],
            now=now,
        )
        solved, forgotten = tickets
        self.assertEqual(solved.create_date, msk(2026, 3, 2, 17, 0))
        first_response = self.line(solved, "first_response")
        self.assertEqual(first_response.reached_date, msk(2026, 3, 2, 17, 30))
        self.assertEqual(first_response.state, "met")
        resolution = self.line(solved)
        # Monday 17:00 -> 18:00, then Tuesday 09:00: one working hour of two
        self.assertEqual(resolution.reached_date, msk(2026, 3, 3, 9, 0))
        self.assertEqual(resolution.state, "met")
        self.assertEqual(solved.sla_state, "met")
        self.assertIn("On it", solved.message_ids.mapped("body")[0])
        self.assertEqual(solved.message_ids[0].date, msk(2026, 3, 2, 17, 30))

        self.assertEqual(forgotten.create_date, msk(2026, 3, 3, 9, 30))
        self.assertEqual(self.line(forgotten).deadline, msk(2026, 3, 3, 11, 30))
        self.env["internal.sla.line"].with_context(internal_sla_now=now)._cron_sweep()
        self.assertEqual(forgotten.sla_state, "breached")

    def test_escalations_replayed_at_the_instants_they_were_crossed(self):
        """With ``escalate``, each level a target crossed is raised when it was crossed,
        as the sweep did then, and closed when the target was reached; whatever a step
        posts is dated at the step's instant, not on the day of the replay."""
        now = msk(2026, 3, 3, 12, 0)  # Tuesday 12:00 Moscow
        ticket = self.env["helpdesk.ticket"]._sla_replay(
            self.calendar,
            [
                {
                    "ago": 4,  # Monday 17:00: 2 working hours end Tuesday 10:00
                    "vals": {
                        "name": "Urgent, solved an hour and a half late",
                        "description": "<p>Replayed</p>",
                        "team_id": self.team.id,
                        "partner_id": self.requester.partner_id.id,
                        "user_id": self.agent.id,
                        "priority": "3",
                    },
                    "steps": [
                        (3.5, "reply", {"author": self.agent.id, "body": "On it"}),
                        (0.5, "stage", self.stage_done.id),  # Tuesday 11:30
                    ],
                }
            ],
            now=now,
            sweep=True,
        )
        resolution = self.line(ticket)
        self.assertEqual((resolution.state, resolution.escalation_level), ("breached", 3))
        # answered after half of its hour: below the first level
        self.assertEqual(self.line(ticket, "first_response").escalation_level, 0)
        notes = ticket.message_ids.filtered(lambda m: "Escalated to level" in m.body)
        # 75%, 100% and 150% of the 2 working hours
        self.assertEqual(
            sorted(notes.mapped("date")),
            [msk(2026, 3, 3, 9, 30), msk(2026, 3, 3, 10, 0), msk(2026, 3, 3, 11, 0)],
        )
        activities = (
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search([("internal_sla_line_id", "=", resolution.id)])
        )
        self.assertEqual(sorted(activities.mapped("internal_sla_escalation_level")), [1, 2, 3])
        self.assertEqual(activities[0].user_id, self.agent)
        # done when the request was solved, on that day
        self.assertEqual(set(activities.mapped("active")), {False})
        self.assertEqual(set(activities.mapped("date_done")), {msk(2026, 3, 3, 11, 30).date()})
        self.assertEqual(max(ticket.message_ids.mapped("date")), msk(2026, 3, 3, 11, 30))
        # the sweep that follows finds nothing left to raise
        breach_prompt = self.env.ref("internal_sla.mail_activity_type_breach_reason")
        self.env["internal.sla.line"].with_context(internal_sla_now=now)._cron_sweep()
        self.assertEqual(
            self.env["mail.activity"]
            .with_context(active_test=False)
            .search_count(
                [
                    ("res_model", "=", "helpdesk.ticket"),
                    ("res_id", "=", ticket.id),
                    ("activity_type_id", "!=", breach_prompt.id),
                ]
            ),
            3,
        )
        # the late solution asked its agent why, once (H5)
        self.assertEqual(ticket.activity_ids.activity_type_id, breach_prompt)
        self.assertEqual(ticket.activity_ids.user_id, self.agent)

    def test_a_step_at_the_instant_a_level_comes_due_happens_first(self):
        """A request solved the very second its first level came due was solved before
        the level: the sweep, which runs now and then, raises a level only once it is
        past (the simulator counts the same, H2); a level due at the replay's ``now``
        is raised, as the sweep running then would."""
        now = msk(2026, 3, 3, 12, 0)  # Tuesday 12:00 Moscow
        urgent = {
            "description": "<p>Replayed</p>",
            "team_id": self.team.id,
            "partner_id": self.requester.partner_id.id,
            "user_id": self.agent.id,
            "priority": "3",
        }
        solved, waiting, running = self.env["helpdesk.ticket"]._sla_replay(
            self.calendar,
            [
                {
                    # Monday 17:00: 75% of its 2 working hours is Tuesday 09:30
                    "ago": 4,
                    "vals": dict(urgent, name="Solved as the first level came due"),
                    "steps": [(2.5, "stage", self.stage_done.id)],
                },
                {
                    "ago": 4,
                    "vals": dict(urgent, name="Waiting from the first level's instant"),
                    "steps": [(2.5, "stage", self.stage_waiting.id)],
                },
                {
                    # Tuesday 10:30: 75% of 2 working hours is 12:00, the replay's now
                    "ago": 1.5,
                    "vals": dict(urgent, name="Running into its first level now"),
                },
            ],
            now=now,
            sweep=True,
        )
        tie = msk(2026, 3, 3, 9, 30)
        self.assertEqual(self.line(solved).escalation1_date, tie)
        self.assertEqual(self.line(solved).reached_date, tie)
        self.assertEqual(self.line(solved).escalation_level, 0)
        self.assertEqual(
            self.env["internal.sla.pause"].search([("ticket_id", "=", waiting.id)]).date_start,
            tie,
        )
        self.assertEqual(self.line(waiting).escalation_level, 0)
        self.assertEqual(self.line(running).escalation_level, 1)
        simulation = self.env["internal.sla.simulation"].create(
            {
                "agreement_id": self.agreement.id,
                "date_from": now.date() - timedelta(days=1),
                "date_to": now.date(),
            }
        )
        simulation.with_context(internal_sla_now=now).action_run()
        projected = {
            (line.ticket_id, line.metric): line.projected_level for line in simulation.line_ids
        }
        self.assertEqual(projected[solved, "resolution"], 0)
        self.assertEqual(projected[waiting, "resolution"], 0)
        self.assertEqual(projected[running, "resolution"], 1)
        self.assertEqual(
            simulation.line_ids.mapped("projected_level"),
            simulation.line_ids.mapped("actual_level"),
        )

    def test_stage_rules_replayed_at_the_instant_they_came_due(self):
        """With ``sweep``, a timed stage rule fires when it came due between the steps:
        the request left waiting is closed then, not on the day of the replay."""
        self.env["internal.sla.stage.rule"].create(
            {
                "agreement_id": self.agreement.id,
                "stage_id": self.stage_waiting.id,
                "duration": 1,
                "duration_unit": "days",
                "action": "close",
                "action_stage_id": self.stage_done.id,
                "message": "Closed: we did not hear back from you.",
            }
        )
        now = msk(2026, 3, 4, 12, 0)  # Wednesday 12:00 Moscow
        # a change tracked before the replay keeps its own date
        # (a record of the database: changes of records created in the same transaction
        # are not tracked)
        administration = self.env.ref("hr.dep_administration")
        administration.with_context(tracking_disable=False).manager_id = self.it_head_employee
        # (with the chatter's tracking, which the other tests leave out)
        Ticket = self.env["helpdesk.ticket"].with_context(tracking_disable=False)
        ticket = Ticket._sla_replay(
            self.calendar,
            [
                {
                    "ago": 18,  # Monday 10:00 (Tuesday's 8 hours, Wednesday's 3)
                    "vals": {
                        "name": "Waiting for a screenshot",
                        "description": "<p>Replayed</p>",
                        "team_id": self.team.id,
                        "partner_id": self.requester.partner_id.id,
                        "user_id": self.agent.id,
                    },
                    "steps": [
                        (17.5, "reply", {"author": self.agent.id, "body": "A screenshot?"}),
                        (17, "stage", self.stage_waiting.id),  # Monday 11:00
                    ],
                }
            ],
            now=now,
            sweep=True,
        )
        # one working day of 8 hours after Monday 11:00: Tuesday 11:00
        closed = msk(2026, 3, 3, 11, 0)
        self.assertEqual(ticket.stage_id, self.stage_done)
        self.assertEqual((ticket.closed_date, ticket.last_stage_update), (closed, closed))
        # assigned when filed, not on the day of the replay
        self.assertEqual(ticket.assigned_date, msk(2026, 3, 2, 10, 0))
        # the status bar's time in each stage: an hour in New, a day waiting
        durations = ticket.duration_tracking
        self.assertEqual(durations[str(self.stage_new.id)], HOUR)
        self.assertEqual(durations[str(self.stage_waiting.id)], 24 * HOUR)
        self.assertEqual(self.line(ticket).reached_date, closed)
        notice = ticket.message_ids.filtered(lambda m: "did not hear back" in (m.body or ""))
        self.assertEqual(notice.date, closed)
        self.assertFalse(ticket.sla_stage_rule_date)
        # the creation log and the stage changes tracked are dated with the rest
        messages = ticket.message_ids
        tracked = messages.filtered("tracking_value_ids")
        self.assertEqual(
            sorted(tracked.mapped("date")), [msk(2026, 3, 2, 11, 0), closed], tracked
        )
        self.assertEqual(min(messages.mapped("date")), msk(2026, 3, 2, 10, 0))
        self.assertEqual(max(messages.mapped("date")), closed)
        tracked = administration.message_ids.filtered("tracking_value_ids")
        self.assertEqual(len(tracked), 1)
        self.assertGreater(tracked.date, now)

    def test_unknown_step_is_refused(self):
        with self.assertRaisesRegex(ValueError, "unknown replay action 'fly'"):
            self.env["helpdesk.ticket"]._sla_replay(
                self.calendar,
                [
                    {
                        "ago": 1,
                        "vals": {
                            "name": "x",
                            "description": "<p>x</p>",
                            "team_id": self.team.id,
                        },
                        "steps": [(0.5, "fly", None)],
                    }
                ],
                now=msk(2026, 3, 3, 12, 0),
            )


class TestSlaDemo(InternalSlaCase):
    def test_demo_requests_show_every_state(self):
        agreement = self.env.ref("internal_sla.demo_agreement_it_marketing", False)
        if not agreement:
            self.skipTest("demo data not installed")
        demo_agreements = agreement | self.env.ref("internal_sla.demo_agreement_hr_managers")
        demo_agreements |= self.env.ref("internal_sla.demo_agreement_finance_sales")
        self.assertEqual(set(demo_agreements.mapped("state")), {"active"})
        tickets = self.env["helpdesk.ticket"].search(
            [("sla_agreement_id", "in", demo_agreements.ids)]
        )
        self.assertEqual(
            set(tickets.mapped("sla_state")),
            {"running", "at_risk", "paused", "met", "breached"},
        )
        # B6: left waiting without an answer, a request was closed by the stage rule
        # when its 5 working days ran out, with a word to the requester
        silent = tickets.filtered(lambda t: t.name == "Newsletter looks broken on phones")
        self.assertTrue(silent.stage_id.closed)
        rule = self.env.ref("internal_sla.demo_stage_rule_silence_close")
        waiting = self.env["internal.sla.pause"].search([("ticket_id", "=", silent.id)])
        self.assertEqual(
            waiting.date_end, agreement._working_time().add(waiting.date_start, 5 * 8 * 3600)
        )
        self.assertEqual(silent.closed_date, waiting.date_end)
        notice = silent.message_ids.filtered(lambda m: rule.message in (m.body or ""))
        self.assertEqual(notice.date, silent.closed_date)
        self.assertIn(silent.partner_id, notice.partner_ids)
        # its chatter (tracking and the closing e-mail included) as it happened
        self.assertEqual(min(silent.message_ids.mapped("date")), silent.create_date)
        self.assertEqual(max(silent.message_ids.mapped("date")), silent.closed_date)
        # the agreements measure in the Moscow calendar with its public holidays
        calendar = self.env.ref("internal_sla.demo_calendar_moscow")
        self.assertEqual(agreement.resource_calendar_id, calendar)
        self.assertTrue(calendar.leave_ids.filtered(lambda leave: leave.name == "Unity Day"))
