from odoo import Command

from .common import InternalSlaCase


class TestSlaQueryCount(InternalSlaCase):
    """Queries of a single ticket create (bench/run create compares the same create with
    plain helpdesk_mgmt in its own database: +3)."""

    def _count_create(self, vals):
        Ticket = self.env["helpdesk.ticket"]
        for _i in range(2):  # warm the ormcache, sequences and prefetch
            Ticket.create(dict(vals))
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        ticket = Ticket.create(dict(vals))
        self.env.flush_all()
        return ticket, self.cr.sql_log_count - before

    def test_single_create_adds_at_most_four_queries(self):
        vals = {
            "name": "Printer jammed",
            "description": "<p>Please help</p>",
            "partner_id": self.requester.partner_id.id,
        }
        # same request to a team no agreement covers: what helpdesk_mgmt itself costs
        facilities = self.env["helpdesk.ticket.team"].create(
            {"name": "Facilities", "user_ids": [Command.set([self.agent.id])]}
        )
        unmatched, plain_queries = self._count_create(dict(vals, team_id=facilities.id))
        self.assertFalse(unmatched.sla_line_ids)
        matched, sla_queries = self._count_create(dict(vals, team_id=self.team.id))
        self.assertEqual(len(matched.sla_line_ids), 2)
        self.assertLessEqual(sla_queries - plain_queries, 4)
        # the absolute figure (plain helpdesk_mgmt: 10), so that any new query on this hot
        # path fails here: requester department 1, lines and their start events 1
        self.env.invalidate_all()
        with self.assertQueryCount(12):
            self.env["helpdesk.ticket"].create(dict(vals, team_id=self.team.id))
