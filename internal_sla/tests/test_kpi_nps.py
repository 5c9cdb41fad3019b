"""Internal NPS in the KPI set, the scorecard and the department-pair matrix (F1, F2,
C2, H9), with the seed example computed by hand: 100 answers, 60 promoters (9–10),
20 passives (7–8), 20 detractors (0–6) → NPS = 60 % − 20 % = +40."""

from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import InternalSlaCase, employees, new_test_users
from .reports_common import MARCH, ReportFixture, answer_nps


@tagged("post_install", "-at_install")
class TestKpiNps(ReportFixture, InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.people = list(new_test_users(cls.env, *employees("nps_person", 10)))
        cls.hr_head = new_test_user(
            cls.env, login="hr_head", groups="internal_sla.internal_sla_group_manager"
        )
        cls.hr.manager_id = cls.env["hr.employee"].create(
            {"name": "HR head", "user_id": cls.hr_head.id}
        )

    def answer(self, scores, people=None, when=datetime(2026, 3, 10, 9, 0), agreement=None):
        answer_nps(self.env, agreement or self.agreement, people or self.people, scores, when)

    def seed_answers(self):
        # 100 answers of ten people: 60 × 9–10, 20 × 7–8, 20 × 0–6
        self.answer([10, 9] * 30 + [8, 7] * 10 + [6, 0, 3, 5] * 5)

    def kpis(self, domain=None, **kwargs):
        return self.env["internal.sla.kpi"]._kpis(
            domain or [("sla_agreement_id", "=", self.agreement.id)], *MARCH, **kwargs
        )

    def test_seed_example_nps_in_the_kpi_set(self):
        self.assertIsNone(self.kpis()["nps"])
        self.seed_answers()
        self.answer([0] * 7, when=datetime(2026, 2, 20))  # February: outside the period
        self.assertEqual(self.kpis()["nps"], 40.0)
        # the same through every grouping the survey carries, and from the facts
        self.env["internal.sla.kpi.fact"]._refresh()
        self.assertEqual(self.kpis()["nps"], 40.0)
        self.assertEqual(self.kpis(groupby="agreement")[self.agreement.id]["nps"], 40.0)
        self.assertEqual(self.kpis(groupby="provider")[self.it.id]["nps"], 40.0)
        self.assertEqual(self.kpis(groupby="customer")[self.marketing.id]["nps"], 40.0)
        # and the direct computation agrees
        direct = self.env["internal.sla.kpi"].with_context(internal_sla_kpi_direct=True)
        self.assertEqual(
            direct._kpis([("sla_agreement_id", "=", self.agreement.id)], *MARCH)["nps"], 40.0
        )
        # an agent or a priority is not what the NPS is asked about: no data
        self.assertIsNone(self.kpis(groupby="agent")[self.agent.id]["nps"])
        self.assertIsNone(self.kpis([("priority", "=", "1")])["nps"])

    def test_nps_hidden_under_five_respondents(self):
        self.answer([10, 10, 10, 10, 3, 3, 3, 3], people=self.people[:4])
        self.assertIsNone(self.kpis()["nps"])  # 8 answers, four people
        self.answer([9], people=self.people[4:5])
        self.assertAlmostEqual(self.kpis()["nps"], 100 * (5 - 4) / 9)

    def test_nps_of_an_agreement_without_requests_in_the_period(self):
        other = self.create_agreement(
            name="IT ↔ HR", customer_department_id=self.hr.id, activate=False
        )
        self.answer([10] * 5, agreement=other)
        by_agreement = self.kpis([("sla_agreement_id", "in", other.ids)], groupby="agreement")
        self.assertEqual(by_agreement[other.id]["nps"], 100.0)
        self.assertEqual(by_agreement[other.id]["volume"], 0)

    def test_scorecard_shows_the_nps_against_its_benchmark(self):
        self.seed_answers()
        Scorecard = self.env["internal.sla.scorecard"]
        rows = Scorecard._rows(self.agreement, *MARCH)
        nps = next(row for row in rows if row["key"] == "nps")
        self.assertEqual(nps["value"], 40.0)
        self.assertEqual(nps["status"], "missed")  # the benchmark is +50

    def test_pair_matrix_of_sla_met_and_nps(self):
        self.seed_answers()
        Pairs = self.env["internal.sla.pair.report"]
        domain = [("date", ">=", MARCH[0]), ("date", "<", MARCH[1])]
        rows = Pairs._read_group(
            domain,
            ["provider_department_id", "customer_department_id"],
            ["met_percent:avg", "nps:avg"],
        )
        self.assertEqual(
            rows, [(self.it, self.marketing, 400 / 6, 40.0)]
        )  # the hand-computed 4 met of 6 (reports_common) and +40
        # fewer than five people: the NPS of the pair is hidden, the SLA met % is not
        self.env["internal.sla.feedback.invitation"].search([("kind", "=", "nps")]).filtered(
            lambda i: i.user_id not in self.people[:4]
        ).unlink()
        rows = Pairs._read_group(
            domain,
            ["provider_department_id", "customer_department_id"],
            ["met_percent:avg", "nps:avg"],
        )
        self.assertEqual(rows, [(self.it, self.marketing, 400 / 6, None)])

    def test_pair_matrix_follows_the_minimum_set_in_settings(self):
        # five people answered: shown under the default minimum of 5 (+100), hidden once an
        # admin raises the minimum to 6 in Settings; lowering it shows it again
        self.answer([10] * 5, people=self.people[:5])
        Pairs = self.env["internal.sla.pair.report"]
        domain = [("date", ">=", MARCH[0]), ("date", "<", MARCH[1])]

        def matrix():
            return Pairs._read_group(
                domain,
                ["provider_department_id", "customer_department_id"],
                ["nps:avg", "promoters:sum"],
            )

        self.assertEqual(matrix(), [(self.it, self.marketing, 100.0, 5)])
        settings = self.env["res.config.settings"].create({"internal_sla_min_respondents": 6})
        settings.execute()
        self.assertEqual(matrix(), [(self.it, self.marketing, None, None)])
        self.env["res.config.settings"].create({"internal_sla_min_respondents": 5}).execute()
        self.assertEqual(matrix(), [(self.it, self.marketing, 100.0, 5)])

    def test_pair_matrix_access(self):
        self.seed_answers()
        Pairs = self.env["internal.sla.pair.report"]
        groupby = ["provider_department_id", "customer_department_id"]
        # IT's head and Marketing's head see their pair; HR's head sees no pair
        for user in (self.it_head, self.mk_head):
            rows = Pairs.with_user(user)._read_group([], groupby, ["nps:avg"])
            self.assertEqual(rows, [(self.it, self.marketing, 40.0)], user.login)
        self.assertEqual(
            Pairs.with_user(self.hr_head)._read_group([], groupby, ["nps:avg"]), []
        )
        # plain users have no matrix, and single rows are never read
        with self.assertRaises(AccessError):
            Pairs.with_user(self.agent)._read_group([], groupby, ["nps:avg"])
        with self.assertRaises(UserError):
            Pairs.search([], limit=1).read(["nps"])
