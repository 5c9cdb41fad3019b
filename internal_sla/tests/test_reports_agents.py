"""E4 on the SLA reports: agents whose own figures a user may not read are no dimension
for them — neither grouped, nor filtered, nor named on the rows — whatever the reading
(list rows, grouped figures, the pivot's grouping sets)."""

from odoo.tests import tagged

from .common import InternalSlaCase
from .reports_common import MARCH, ReportFixture


@tagged("post_install", "-at_install")
class TestReportAgents(ReportFixture, InternalSlaCase):
    def ours(self):
        """The fixture's March lines: the agent's six (T1, T3, T4), the IT head's two
        (T2, both breached)."""
        return [
            ("create_date", ">=", MARCH[0]),
            ("create_date", "<", MARCH[1]),
            ("team_id", "=", self.team.id),
        ]

    def by_agent(self, user, aggregates=("__count",)):
        Report = self.env["internal.sla.report"].with_user(user)
        return {
            agent: tuple(values)
            for agent, *values in Report._read_group(self.ours(), ["user_id"], aggregates)
        }

    def test_customer_head_neither_groups_nor_filters_by_an_agent(self):
        """The Marketing head reads the lines of Marketing's requests, not who handled
        them: grouped by agent, both agents' lines count as unassigned (two agents: the
        team's figures); filtered by one agent, nothing."""
        nobody = self.env["res.users"]
        self.assertEqual(self.by_agent(self.mk_head), {nobody: (8,)})
        self.assertEqual(
            self.by_agent(self.mk_head, ("breached_count:sum", "__count")), {nobody: (2, 8)}
        )
        Report = self.env["internal.sla.report"].with_user(self.mk_head)
        by_state = Report._read_group(self.ours(), ["user_id", "breached_count"], ["__count"])
        self.assertEqual(sorted(count for _agent, _breached, count in by_state), [2, 6])
        self.assertFalse({agent for agent, _breached, _count in by_state} - {nobody})
        for agent in (self.agent, self.it_head):
            mine = [*self.ours(), ("user_id", "=", agent.id)]
            self.assertEqual(Report.search_count(mine), 0)
            self.assertEqual(Report._read_group(mine, [], ["__count"]), [(0,)])
            self.assertFalse(Report.search([*self.ours(), ("user_id.name", "=", agent.name)]))
        rows = Report.search_read(self.ours(), ["user_id", "state"])
        self.assertEqual(len(rows), 8)
        self.assertEqual({row["user_id"] for row in rows}, {False})
        # the pivot reads its groupings together: the same figures
        pivot = Report.formatted_read_grouping_sets(
            self.ours(),
            [["user_id"], ["priority"], []],
            ["breached_count:sum", "met_percent:avg", "__count"],
        )
        self.assertEqual(
            [
                (group["user_id"], group["breached_count:sum"], group["__count"])
                for group in pivot[0]
            ],
            [(False, 2, 8)],
        )
        # each priority was handled by one agent alone: their figures stay hidden
        self.assertEqual(
            sorted(
                (group["priority"], group["breached_count:sum"], group["__count"])
                for group in pivot[1]
            ),
            [("1", None, 6), ("3", None, 2)],
        )
        self.assertEqual(pivot[2][0]["__count"], 8)

    def test_agents_and_their_managers_still_group_by_agent(self):
        self.assertEqual(
            self.by_agent(self.it_head, ("breached_count:sum", "__count")),
            {self.agent: (0, 6), self.it_head: (2, 2)},
        )
        self.assertEqual(self.by_agent(self.agent), {self.agent: (6,)})
        Report = self.env["internal.sla.report"].with_user(self.it_head)
        self.assertEqual(
            Report.search_count([*self.ours(), ("user_id", "=", self.agent.id)]), 6
        )
        pivot = Report.formatted_read_grouping_sets(
            self.ours(), [["user_id"]], ["breached_count:sum"]
        )
        self.assertEqual(
            sorted((group["user_id"][0], group["breached_count:sum"]) for group in pivot[0]),
            sorted([(self.agent.id, 0), (self.it_head.id, 2)]),
        )

    def test_department_pairs_by_agent(self):
        Pairs = self.env["internal.sla.pair.report"]
        march = [("date", ">=", MARCH[0]), ("date", "<", MARCH[1]), ("agent_id", "!=", False)]
        agents = {
            agent
            for agent, _count in Pairs.with_user(self.it_head)._read_group(
                march, ["agent_id"], ["__count"]
            )
        }
        self.assertEqual(agents, {self.agent.id, self.it_head.id})
        self.assertFalse(
            Pairs.with_user(self.mk_head)._read_group(march, ["agent_id"], ["__count"])
        )
        for agent in (self.agent, self.it_head):
            self.assertEqual(
                Pairs.with_user(self.mk_head).search_count(
                    [("agent_id", "=", agent.id), ("date", ">=", MARCH[0])]
                ),
                0,
            )
        # the pivot hides a day one agent served alone, as the grouped figures do
        days = Pairs.with_user(self.mk_head).formatted_read_grouping_sets(
            [("date", ">=", "2026-03-02"), ("date", "<", "2026-03-04")],
            [["date:day"]],
            ["met_percent:avg", "breached_count:sum"],
        )
        self.assertEqual(
            [(day["met_percent:avg"], day["breached_count:sum"]) for day in days[0]],
            [(50.0, 2), (None, None)],
        )
