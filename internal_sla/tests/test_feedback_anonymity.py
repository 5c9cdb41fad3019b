"""Nobody's answer can be singled out (H9): the feedback analysis groups and filters by
dimensions only, in the pivot and the graph alike; a CSAT answer hidden from the reader of
a request reads as hidden."""

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import InternalSlaCase, msk
from .feedback_common import FeedbackMixin

SINGLED_OUT = "so that nobody's answer can be singled out"


@tagged("post_install", "-at_install")
class TestFeedbackAnalysisAnonymity(FeedbackMixin, InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.people = cls.make_people(6, cls.marketing, prefix="privacy")
        cls.Report = cls.env["internal.sla.feedback.report"]

    def setUp(self):
        super().setUp()
        # six eNPS answers of IT's people (one detractor), six NPS answers about IT
        self.answered(
            self.people,
            [10, 9, 9, 10, 8, 0],
            msk(2026, 3, 10, 10),
            kind="enps",
            agreement_id=False,
            customer_department_id=False,
        )
        self.answered(self.people, [10, 9, 3, 8, 10, 0], msk(2026, 3, 11, 10))
        self.report = self.Report.with_user(self.agent)  # any Internal SLA user

    def test_no_grouping_by_who_answered_or_what(self):
        detractor = self.people[5]
        cases = [
            ([("kind", "=", "enps")], ["enps_respondent_id", "enps"]),
            ([("kind", "=", "nps")], ["respondent_id"]),
            ([], ["nps_respondent_id"]),
            ([], ["promoters"]),
            ([], ["id"]),
            ([], ["date_answered:hour"]),
            ([], ["date_answered:minute_number"]),
        ]
        for domain, groupby in cases:
            with self.subTest(groupby=groupby), self.assertRaisesRegex(UserError, SINGLED_OUT):
                self.report.formatted_read_group(domain, groupby, ["__count"])
        with self.assertRaisesRegex(UserError, SINGLED_OUT):
            self.report._read_group(
                [("kind", "=", "nps"), ("nps", "=", -100)], ["respondent_id"], ["__count"]
            )
        # nor a count or a figure of what a filter on a person or an answer leaves
        for domain in (
            [("enps_respondent_id", "=", detractor.id), ("enps", "=", -100)],
            [("respondent_id", "=", detractor.id)],
            [("kind", "=", "enps"), ("enps_detractors", "=", 1)],
            [("id", "=", 1)],
        ):
            with self.subTest(domain=domain), self.assertRaisesRegex(UserError, SINGLED_OUT):
                self.report.search_count(domain)
            with self.subTest(domain=domain), self.assertRaisesRegex(UserError, SINGLED_OUT):
                self.report.formatted_read_group(domain, ["kind"], ["enps:avg"])
        # the answers in a list, a filter or an order on the figures
        with self.assertRaisesRegex(UserError, SINGLED_OUT):
            self.report.formatted_read_group([], ["kind"], ["energy:array_agg"])
        with self.assertRaisesRegex(UserError, SINGLED_OUT):
            self.report.formatted_read_group([], ["kind"], ["enps:min"])
        with self.assertRaisesRegex(UserError, SINGLED_OUT):
            self.report.formatted_read_group(
                [], ["date_answered:day"], ["__count"], having=[("enps:avg", "=", -100)]
            )
        with self.assertRaisesRegex(UserError, SINGLED_OUT):
            self.report.formatted_read_group(
                [], ["date_answered:day"], ["__count"], order="enps:avg"
            )

    def test_pivot_and_graph_show_grouped_figures_hidden_under_the_minimum(self):
        """The pivot asks with grouping sets, the graph with one grouping: both by the
        views' dimensions and measures, both hiding a kind answered by fewer people than
        the minimum."""
        mine = [("provider_department_id", "=", self.it.id)]
        measures = ["nps:avg", "enps:avg", "csat:avg", "__count"]
        total, by_pair, by_quarter = self.report.formatted_read_grouping_sets(
            mine,
            [
                [],
                ["provider_department_id", "customer_department_id"],
                ["date_answered:quarter"],
            ],
            measures,
        )
        self.assertEqual(
            [(row["nps:avg"], row["enps:avg"], row["__count"]) for row in total],
            [(100 * (3 - 2) / 6, 100 * (4 - 1) / 6, 12)],
        )
        pairs = {
            (row["customer_department_id"] or [False])[0]: row["nps:avg"] for row in by_pair
        }
        self.assertAlmostEqual(pairs[self.marketing.id], 100 / 6)
        self.assertEqual([row["__count"] for row in by_quarter], [12])
        [month] = self.report.formatted_read_group(mine, ["date_answered:month"], ["nps:avg"])
        self.assertAlmostEqual(month["nps:avg"], 100 / 6)
        # two more NPS answers on another day: hidden in the pivot as in the graph
        self.answered(self.people[:2], [0, 0], msk(2026, 3, 20, 10))
        days = self.report.formatted_read_grouping_sets(
            mine + [("kind", "=", "nps")], [["date_answered:day"]], ["nps:avg", "__count"]
        )[0]
        self.assertEqual([(d["nps:avg"], d["__count"]) for d in days][-1], (None, 2))
        days = self.report.formatted_read_group(
            mine + [("kind", "=", "nps")], ["date_answered:day"], ["nps:avg"]
        )
        self.assertIsNone(days[-1]["nps:avg"])

    def test_enps_counts_are_hidden_on_the_enps_respondents(self):
        """Five NPS respondents do not make the eNPS answers of two people anonymous."""
        self.answered(
            self.people[:2],
            [0, 10],
            msk(2026, 3, 10, 10),
            kind="enps",
            agreement_id=False,
            provider_department_id=self.hr.id,
            customer_department_id=False,
        )
        self.answered(
            self.people[:5],
            [10] * 5,
            msk(2026, 3, 10, 10),
            agreement_id=False,
            provider_department_id=self.hr.id,
            customer_department_id=False,
        )
        [(promoters, detractors, answers, nps)] = self.Report._read_group(
            [("provider_department_id", "=", self.hr.id)],
            [],
            ["enps_promoters:sum", "enps_detractors:sum", "enps_answers:sum", "nps:avg"],
        )
        self.assertEqual((promoters, detractors, answers, nps), (None, None, None, 100.0))

    def test_the_views_and_actions_of_the_analysis_still_open(self):
        """What the addon itself asks of the analysis: its pivot, graph and search views,
        and the agreement's trend button."""
        views = self.report.get_views([(False, "pivot"), (False, "graph"), (False, "search")])
        self.assertEqual(set(views["views"]), {"pivot", "graph", "search"})
        action = self.agreement.with_user(self.it_head).action_view_feedback_trend()
        groups = self.Report.with_user(self.it_head).formatted_read_group(
            action["domain"] + [("kind", "=", "nps")], ["date_answered:month"], ["nps:avg"]
        )
        self.assertAlmostEqual(groups[0]["nps:avg"], 100 / 6)
        for name in ("group_agreement", "group_series", "group_year"):
            with self.subTest(filter=name):
                spec = {
                    "group_agreement": "agreement_id",
                    "group_series": "meeting_series",
                    "group_year": "date_answered:year",
                }[name]
                self.assertTrue(self.report.formatted_read_group([], [spec], ["__count"]))


@tagged("post_install", "-at_install")
class TestHiddenCsat(FeedbackMixin, InternalSlaCase):
    def test_a_csat_hidden_from_the_reader_reads_as_hidden(self):
        ticket = self.create_ticket(msk(2026, 3, 2, 10), user_id=self.agent.id)
        self.close(ticket, msk(2026, 3, 2, 15))
        self.answer(ticket.feedback_invitation_ids, 4, comment="Quick and clear")
        finance_head = new_test_user(
            self.env,
            login="privacy_finance_head",
            groups="internal_sla.internal_sla_group_manager,helpdesk_mgmt.group_helpdesk_user",
        )
        # read by the requester first: the next reader gets their own value, not a cache
        fields_ = ["csat_state", "csat_score", "csat_display", "csat_comment"]
        self.assertEqual(
            [ticket.with_user(self.requester)[name] for name in fields_],
            ["answered", 4, "★★★★☆ 4 / 5", "Quick and clear"],
        )
        self.assertEqual(
            [ticket.with_user(finance_head)[name] for name in fields_],
            ["hidden", 0, False, False],
        )
        label = dict(ticket._fields["csat_state"]._description_selection(self.env))["hidden"]
        self.assertIn("not shown to you", label)
