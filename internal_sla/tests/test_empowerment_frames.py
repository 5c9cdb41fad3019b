"""Empowerment frames (A4): the customer side decides requests inside agreed frames
without waiting for the provider; the empowerment rate counts them."""

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import InternalSlaCase, msk


@tagged("post_install", "-at_install")
class TestEmpowermentFrames(InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Category = cls.env["helpdesk.ticket.category"]
        cls.discount = Category.create({"name": "Special discount"})
        cls.other = Category.create({"name": "Other request"})
        cls.frame = cls.env["internal.sla.frame"].create(
            {
                "name": "Discount up to 10% for existing clients",
                "agreement_id": cls.agreement.id,
                "category_id": cls.discount.id,
                "max_amount": 10,
            }
        )

    def request(self, amount, category=None):
        return self.create_ticket(
            msk(2026, 3, 2, 10, 0),
            category_id=(category or self.discount).id,
            sla_request_amount=amount,
        )

    def test_customer_side_decides_inside_the_frame(self):
        ticket = self.request(8)
        with freeze_time(msk(2026, 3, 2, 10, 30)):
            ticket.with_user(self.requester).action_decide_within_frame()
        self.assertTrue(ticket.sla_decided_within_frame)
        self.assertEqual(ticket.sla_frame_id, self.frame)
        self.assertTrue(ticket.stage_id.closed)
        self.assertIn("Decided within the frame", ticket.message_ids[0].body)
        # the provider served nothing: its clocks stop uncounted, not met
        self.assertEqual(set(ticket.sla_line_ids.mapped("state")), {"cancelled"})
        # the requester's side served itself: no satisfaction survey about the provider,
        # whereas the same request closed by the provider asks for one (C1)
        self.assertFalse(ticket.sudo().feedback_invitation_ids)
        served = self.request(8)
        served.stage_id = self.stage_done
        self.assertEqual(served.sudo().feedback_invitation_ids.kind, "csat")

    def test_decided_requests_close_in_a_stage_of_their_team(self):
        closed_for_team = self.env["helpdesk.ticket.stage"].create(
            {
                "name": "Settled by the customer",
                "closed": True,
                "sequence": 0,
                "team_ids": [(6, 0, self.team.ids)],
            }
        )
        self.env["helpdesk.ticket.stage"].create(
            {
                "name": "Another team's close",
                "closed": True,
                "sequence": -1,
                "team_ids": [
                    (6, 0, self.env["helpdesk.ticket.team"].create({"name": "Other"}).ids)
                ],
            }
        )
        ticket = self.request(8)
        ticket.with_user(self.requester).action_decide_within_frame()
        self.assertEqual(ticket.stage_id, closed_for_team)

    def test_requests_decided_within_the_frame_are_no_repeats(self):
        """A repeat (B9) says the provider's answer did not hold: a request the customer
        side decided itself neither repeats one nor is repeated."""
        first = self.request(8)
        first.with_user(self.requester).action_decide_within_frame()
        with_frame = self.create_ticket(
            msk(2026, 3, 3, 10, 0), category_id=self.discount.id, sla_request_amount=50
        )
        self.assertFalse(with_frame.sla_repeat_of_id)
        # served by the provider, then the same requester asks again: a repeat, until the
        # second request turns out to be one the customer side decides
        self.at(msk(2026, 3, 3, 12, 0), with_frame, stage_id=self.stage_done.id)
        again = self.create_ticket(
            msk(2026, 3, 4, 10, 0), category_id=self.discount.id, sla_request_amount=5
        )
        self.assertEqual(again.sla_repeat_of_id, with_frame)
        self.assertTrue(again.sla_is_repeat)
        again.with_user(self.requester).action_decide_within_frame()
        self.assertFalse(again.sla_repeat_of_id)
        self.assertFalse(again.sla_is_repeat)

    def test_outside_the_frame_or_the_customer_side_is_refused(self):
        too_big = self.request(15)
        with self.assertRaisesRegex(UserError, "outside every frame"):
            too_big.with_user(self.requester).action_decide_within_frame()
        wrong_category = self.request(5, self.other)
        with self.assertRaisesRegex(UserError, "outside every frame"):
            wrong_category.with_user(self.requester).action_decide_within_frame()
        inside = self.request(5)
        # the provider's agent is not the customer side
        with self.assertRaisesRegex(UserError, "Only the customer side"):
            inside.with_user(self.agent).action_decide_within_frame()
        self.assertFalse(inside.sla_decided_within_frame)

    def test_negative_amount_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Up to amount"):
            self.frame.max_amount = -1

    def test_empowerment_rate(self):
        decided = self.request(5)
        decided.with_user(self.requester).action_decide_within_frame()
        self.request(50)  # of a frame category, but too big: the provider decides
        self.request(2)  # inside, not yet decided
        self.request(1, self.other)  # no frame for this category: not counted
        # the last twelve months (rows carry the transaction's creation time)
        kpis = self.env["internal.sla.kpi"]._kpis(
            [("sla_agreement_id", "=", self.agreement.id)]
        )
        # 1 decided within frame of 3 requests of frame categories
        self.assertAlmostEqual(kpis["empowerment_percent"], 100 / 3)

    def test_ticket_conditions_narrow_the_frame(self):
        """A frame's ticket conditions (a filter on the request): only a normal or low
        priority request may be decided by the customer side; an urgent one of the same
        category and amount goes to the provider."""
        self.frame.condition_domain = "[('priority', 'in', ['0', '1'])]"
        normal = self.request(5)
        normal.priority = "1"
        urgent = self.request(5)
        urgent.priority = "3"
        with self.assertRaisesRegex(UserError, "outside every frame"):
            urgent.with_user(self.requester).action_decide_within_frame()
        self.assertFalse(urgent.sla_decided_within_frame)
        normal.with_user(self.requester).action_decide_within_frame()
        self.assertEqual(normal.sla_frame_id, self.frame)
        # the conditions count on top of the amount
        too_big = self.request(15)
        too_big.priority = "0"
        with self.assertRaisesRegex(UserError, "outside every frame"):
            too_big.with_user(self.requester).action_decide_within_frame()

    def test_conditions_that_are_no_filter_on_requests_are_refused(self):
        for text in (
            "priority is low",
            "[('no_such_field', '=', 1)]",
            "[('priority', '~', 1)]",
        ):
            with (
                self.subTest(text=text),
                self.assertRaisesRegex(ValidationError, "Ticket conditions"),
            ):
                self.frame.condition_domain = text
                self.frame.flush_recordset()
        # an empty filter is no condition
        self.frame.condition_domain = ""
        self.assertEqual(self.frame._covers(self.request(3)), True)

    def test_template_frame_conditions_reach_the_agreement(self):
        template_frame = self.env.ref("internal_sla.template_finance_sales").frame_ids[:1]
        template_frame.condition_domain = "[('priority', '!=', '3')]"
        values = template_frame._frame_values()
        self.assertEqual(values[0]["condition_domain"], "[('priority', '!=', '3')]")
        with self.assertRaisesRegex(ValidationError, "Ticket conditions"):
            template_frame.condition_domain = "[('nothing', '=', 1)]"
            template_frame.flush_recordset()

    def test_replayed_decision(self):
        """A decision within a frame replayed in the past is closed at its own instant."""
        ticket = self.env["helpdesk.ticket"]._sla_replay(
            self.calendar,
            [
                {
                    "ago": 2,  # Tuesday 10:00 Moscow
                    "vals": {
                        "name": "Discount of 5%",
                        "description": "<p>Loyal client.</p>",
                        "team_id": self.team.id,
                        "partner_id": self.requester.partner_id.id,
                        "category_id": self.discount.id,
                        "sla_request_amount": 5,
                    },
                    "steps": [(1.5, "decide", self.requester.id)],  # Tuesday 10:30
                }
            ],
            now=msk(2026, 3, 3, 12, 0),
        )
        self.assertEqual(ticket.sla_frame_id, self.frame)
        self.assertEqual(ticket.closed_date, msk(2026, 3, 3, 10, 30))
        self.assertEqual(ticket.last_stage_update, msk(2026, 3, 3, 10, 30))
        # the provider's clock stops there, uncounted
        self.assertEqual(self.line(ticket).state, "cancelled")
        cancel = ticket.sla_event_ids.filtered(
            lambda e: e.event_type == "cancel" and e.line_id == self.line(ticket)
        )
        self.assertEqual(cancel.date, msk(2026, 3, 3, 10, 30))
