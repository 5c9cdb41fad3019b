import io
import zipfile
from datetime import date
from unittest.mock import patch

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo.exceptions import AccessError
from odoo.tests import tagged

from ..report import internal_sla_xlsx_sheets
from .common import InternalSlaCase, employees, msk, new_test_users
from .reports_common import MARCH, ReportFixture, answer_nps


@tagged("post_install", "-at_install")
class TestScorecardAndExports(ReportFixture, InternalSlaCase):
    def scorecard(self, user=None):
        Scorecard = self.env["internal.sla.scorecard"].with_user(user or self.env.user)
        return Scorecard.create(
            {
                "agreement_id": self.agreement.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 4, 1),
            }
        )

    def rows(self, scorecard):
        return {line.name: line for line in scorecard.line_ids}

    def test_scorecard_kpis_targets_and_benchmarks(self):
        rows = self.rows(self.scorecard(self.mk_head))  # the customer's owner reads it
        self.assertEqual(rows["SLA met % (all targets)"].actual, "66.7 %")
        self.assertEqual(rows["First response, mean"].actual, "45 min")
        self.assertEqual(rows["First response, P90"].actual, "1 h 30 min")
        self.assertEqual(rows["Resolution, mean"].actual, "2 h 10 min")
        self.assertEqual(rows["Open at period end (backlog)"].actual, "1")
        # T1 and T2 solved with one reply, T3 reopened: 2 of 3 closed at first contact
        self.assertEqual(rows["First contact resolution %"].actual, "66.7 %")
        # three CSAT invitations sent on closing, none answered yet
        self.assertEqual(rows["Survey response rate"].actual, "0.0 %")
        # per agreement target: urgent T2 breached its 2 h
        self.assertEqual(rows["Urgent solved (0 met, 1 breached)"].actual, "0.0 %")
        # each target and the SLA met rows held against the goal of Settings (90 %)
        urgent = rows["Urgent solved (0 met, 1 breached)"]
        self.assertEqual(
            (urgent.target, urgent.status), ("2 working hours · >= 90.0 %", "missed")
        )
        self.assertEqual(rows["First response (2 met, 1 breached)"].actual, "66.7 %")
        sla_met = rows["SLA met % (all targets)"]
        self.assertEqual((sla_met.target, sla_met.status), (">= 90.0 %", "missed"))
        fast = rows["Responses within 4 working hours"]
        self.assertEqual(
            (fast.actual, fast.target, fast.status), ("100.0 %", ">= 100.0 %", "met")
        )
        self.assertEqual(rows["Resolution, mean"].status, False)  # no goal: nothing to judge
        self.env["ir.config_parameter"].sudo().set_param("internal_sla.meeting_sla_goal", 60)
        rows = self.rows(self.scorecard(self.mk_head))
        sla_met = rows["SLA met % (all targets)"]
        self.assertEqual((sla_met.target, sla_met.status), (">= 60.0 %", "met"))
        self.env["ir.config_parameter"].sudo().set_param("internal_sla.meeting_sla_goal", 90)
        # benchmarks: 45 min < 4 h met; survey-based ones without data
        benchmark = rows["First response (mean)"]
        self.assertEqual((benchmark.status, benchmark.target), ("met", "< 4 h 00 min"))
        self.assertEqual(rows["Internal NPS"].status, "no_data")
        self.assertEqual(rows["Internal NPS"].actual, "no data")
        self.assertEqual(rows["Internal NPS"].target, ">= +50")
        self.assertEqual(rows["Satisfaction index (CSAT)"].target, "> 85.0 %")

    def test_scorecard_follows_the_period(self):
        scorecard = self.scorecard()
        scorecard.write({"date_from": date(2026, 2, 1), "date_to": date(2026, 3, 1)})
        rows = self.rows(scorecard)
        self.assertEqual(rows["SLA met % (all targets)"].actual, "100.0 %")
        self.assertEqual(rows["Requests created"].actual, "1")

    def test_no_scorecard_or_card_of_an_agreement_one_cannot_read(self):
        self.assertFalse(self.agreement.with_user(self.outsider).has_access("read"))
        with self.assertRaises(AccessError):
            self.scorecard(self.outsider)  # HR reads no IT ↔ Marketing figure
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.outsider)._render_qweb_html(
                "internal_sla.agreement_card", self.agreement.ids
            )

    def test_agreement_opens_its_scorecard(self):
        action = self.agreement.with_user(self.it_head).action_open_scorecard()
        scorecard = self.env["internal.sla.scorecard"].browse(action["res_id"])
        self.assertEqual(scorecard.agreement_id, self.agreement)
        self.assertTrue(scorecard.line_ids)

    def test_xlsx_scorecard_opens_with_kpis_and_breached_requests(self):
        report = self.env.ref("internal_sla.internal_sla_scorecard_xlsx_report")
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(self.it_head)
            ._render(
                report,
                self.agreement.ids,
                {"date_from": "2026-03-01", "date_to": "2026-04-01"},
            )
        )
        self.assertEqual(kind, "xlsx")
        book = load_workbook(io.BytesIO(content))
        self.assertEqual(book.sheetnames, ["Scorecard", "Breached requests", "Survey comments"])
        card = book["Scorecard"]
        self.assertEqual(card["A1"].value, "IT ↔ Marketing")
        self.assertEqual(card["B2"].value, "IT")
        self.assertEqual(card["B3"].value, "Marketing")
        values = {row[1]: row[2:5] for row in card.iter_rows(min_row=7, values_only=True)}
        self.assertEqual(values["SLA met % (all targets)"][0], "66.7 %")
        self.assertEqual(values["First response (mean)"], ("45 min", "< 4 h 00 min", "Met"))
        self.assertEqual(values["Internal NPS"], ("no data", ">= +50", "No data"))
        breaches = list(book["Breached requests"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(len(breaches), 2)  # T2: first response and resolution
        self.assertEqual({row[0] for row in breaches}, {self.t2.number})
        self.assertEqual(
            sorted((row[6], row[9]) for row in breaches),
            [("First response", 0.5), ("Urgent solved", 1.5)],
        )
        self.assertEqual({row[4] for row in breaches}, {"Ivan IT Head"})  # its head: named
        comments = book["Survey comments"]
        self.assertIn("no data", comments["A2"].value)
        # the customer's head reads the breaches, not who handled them (E4)
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.mk_head)
            ._render(
                report, self.agreement.ids, {"date_from": "2026-03-01", "date_to": "2026-04-01"}
            )
        )
        breaches = list(
            load_workbook(io.BytesIO(content))["Breached requests"].iter_rows(
                min_row=2, values_only=True
            )
        )
        self.assertEqual(len(breaches), 2)
        self.assertEqual({row[4] for row in breaches}, {None})

    def test_xlsx_breaches_leave_out_archived_requests(self):
        """The KPI service and the SLA analysis count active requests only: archived,
        T2 takes its two breaches out of the figures and out of the breached sheet."""
        self.t2.active = False
        report = self.env.ref("internal_sla.internal_sla_scorecard_xlsx_report")
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.it_head)
            ._render(
                report, self.agreement.ids, {"date_from": "2026-03-01", "date_to": "2026-04-01"}
            )
        )
        book = load_workbook(io.BytesIO(content))
        values = {row[1]: row[2:5] for row in book["Scorecard"].iter_rows(values_only=True)}
        # T1 and T3: four targets met of four
        self.assertEqual(values["SLA met % (all targets)"][0], "100.0 %")
        breaches = list(book["Breached requests"].iter_rows(min_row=2, values_only=True))
        self.assertEqual([row[0] for row in breaches], ["No breached request in the period."])

    def test_large_exports_are_streamed_with_the_same_cells(self):
        """Up to the row threshold the workbooks share their strings; beyond it they are
        streamed (constant memory, text in line). Both read back cell for cell alike."""

        def render(report_xmlid, ids, data, threshold):
            report = self.env.ref(report_xmlid)
            with patch.object(internal_sla_xlsx_sheets, "STREAMED_FROM_ROWS", threshold):
                content, _kind = (
                    self.env["ir.actions.report"]
                    .with_user(self.it_head)
                    ._render(report, ids, data)
                )
            shared = "xl/sharedStrings.xml" in zipfile.ZipFile(io.BytesIO(content)).namelist()
            book = load_workbook(io.BytesIO(content))
            return shared, {
                name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames
            }

        lines = self.env["internal.sla.report"].search(
            [("agreement_id", "=", self.agreement.id)]
        )
        march = {"date_from": "2026-03-01", "date_to": "2026-04-01"}
        exports = [
            # the scorecard's largest sheet: its two breached lines
            ("internal_sla.internal_sla_scorecard_xlsx_report", self.agreement.ids, march, 2),
            # the analysis's: one row per selected line
            ("internal_sla.internal_sla_analysis_xlsx_report", lines.ids, {}, len(lines)),
        ]
        for xmlid, ids, data, rows in exports:
            with self.subTest(report=xmlid):
                shared, kept = render(xmlid, ids, data, rows)
                streamed, cells = render(xmlid, ids, data, rows - 1)
                self.assertEqual((shared, streamed), (True, False))
                self.assertEqual(cells, kept)
                self.assertTrue(cells["Breached requests"][1])

    def test_xlsx_analysis_has_the_pair_matrix(self):
        book = self.analysis_book()
        matrix = book["Pair matrix"]
        self.assertEqual(matrix["B1"].value, "Marketing")
        self.assertEqual(matrix["A2"].value, "IT")
        self.assertAlmostEqual(matrix["B2"].value, 400 / 6)
        pairs = list(book["Pairs"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(pairs[0][:5], ("IT", "Marketing", 8, 4, 2))
        self.assertEqual(book["Lines"].max_row, 9)

    def analysis_book(self, user=None, domain=()):
        """The SLA analysis XLSX of the agreement's March lines, read back."""
        lines = self.env["internal.sla.report"].search(
            [
                ("agreement_id", "=", self.agreement.id),
                ("create_date", ">=", MARCH[0]),
                ("create_date", "<", MARCH[1]),
                *domain,
            ]
        )
        report = self.env.ref("internal_sla.internal_sla_analysis_xlsx_report")
        content, _kind = (
            self.env["ir.actions.report"]
            .with_user(user or self.it_head)
            ._render(report, lines.ids, {})
        )
        return load_workbook(io.BytesIO(content))

    def test_xlsx_analysis_of_one_agents_requests_for_the_customer(self):
        """E4: the agent's own March requests, exported by the customer's head, show
        the lines but not that agent's met %; the agent's manager reads it."""
        mine = [("user_id", "=", self.agent.id)]
        book = self.analysis_book(self.mk_head, mine)
        self.assertEqual(book["Pair matrix"]["B2"].value, "not enough people")
        pairs = list(book["Pairs"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(pairs[0][:6], ("IT", "Marketing", 6, *["not enough people"] * 3))
        self.assertEqual(book["Lines"].max_row, 7)
        pairs = list(
            self.analysis_book(self.it_head, mine)["Pairs"].iter_rows(
                min_row=2, values_only=True
            )
        )
        self.assertEqual(pairs[0][:5], ("IT", "Marketing", 6, 4, 0))

    def test_xlsx_analysis_has_kpis_breaches_comments_and_nps(self):
        # T2's breaches: the resolution excused at a review, the first response pending
        self.line(self.t2).write({"breach_cause": "capacity", "exception_state": "accepted"})
        self.line(self.t2, "first_response").exception_state = "requested"
        people = list(new_test_users(self.env, *employees("analysis_person", 5)))
        # four people answer within the lines' days (2–4 March): under the anonymity
        # minimum of five, neither their NPS nor their comments show
        answer_nps(
            self.env,
            self.agreement,
            people[:4],
            [10, 9, 3, 8],
            msk(2026, 3, 3, 12, 0),
            comments=["Quick and kind", "Fine", "VPN again", "Ok"],
        )
        book = self.analysis_book()
        self.assertEqual(
            book.sheetnames,
            [
                "Pair matrix",
                "Pairs",
                "KPIs vs targets",
                "NPS",
                "Breached requests",
                "Survey comments",
                "Lines",
            ],
        )
        # the lines span 2–4 March: the period of the KPIs
        self.assertEqual(book["KPIs vs targets"]["A1"].value, "Period: 2026-03-02 – 2026-03-05")
        kpis = {
            row[2]: row[3:6]
            for row in book["KPIs vs targets"].iter_rows(min_row=3, values_only=True)
            if row[0] == "IT ↔ Marketing"
        }
        self.assertEqual(kpis["SLA met % (all targets)"][0], "66.7 %")  # 4 of 6
        # one of the two breaches accepted as an exception: (4 + 1) / 6
        self.assertEqual(
            kpis["SLA met % adjusted (accepted exceptions count as met)"][0], "83.3 %"
        )
        self.assertEqual(
            kpis["Urgent solved (0 met, 1 breached)"][:2],
            ("0.0 %", "2 working hours · >= 90.0 %"),
        )
        self.assertEqual(kpis["First response (mean)"], ("45 min", "< 4 h 00 min", "Met"))
        self.assertEqual(kpis["Internal NPS"], ("no data", ">= +50", "No data"))
        breaches = list(book["Breached requests"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            sorted((row[0], row[1], row[7], row[11]) for row in breaches),
            [
                ("IT ↔ Marketing", self.t2.number, "First response", "Exception requested"),
                ("IT ↔ Marketing", self.t2.number, "Urgent solved", "Exception accepted"),
            ],
        )
        comments = book["Survey comments"]
        self.assertEqual(comments["A2"].value, "IT ↔ Marketing")
        self.assertIn("shown from 5 respondents on", comments["B2"].value)
        self.assertEqual(comments.max_row, 2)
        nps = list(book["NPS"].iter_rows(min_row=3, max_row=4, values_only=True))
        self.assertEqual(
            nps[0],
            # no CSAT answer; three CSAT invitations sent on closing, none answered
            ("IT ↔ Marketing", "IT", "Marketing", "no data", ">= +50", "No data", "no data", 0),
        )
        # a fifth respondent: 3 promoters and 1 detractor of 5 answers, +40
        answer_nps(
            self.env,
            self.agreement,
            people[4:],
            [10],
            msk(2026, 3, 4, 12, 0),
            comments=["Thanks"],
        )
        book = self.analysis_book()
        nps = list(book["NPS"].iter_rows(min_row=3, max_row=4, values_only=True))
        self.assertEqual(nps[0][3:6], (40.0, ">= +50", "Missed"))
        self.assertEqual(nps[1][:4], ("All agreements of the selection", "", "", 40.0))
        kpis = {
            row[2]: row[3:6]
            for row in book["KPIs vs targets"].iter_rows(min_row=3, values_only=True)
        }
        self.assertEqual(kpis["Internal NPS"], ("+40", ">= +50", "Missed"))
        shown = list(book["Survey comments"].iter_rows(min_row=2, values_only=True))
        self.assertEqual(
            sorted(row[4] for row in shown),
            ["Fine", "Ok", "Quick and kind", "Thanks", "VPN again"],
        )
        self.assertEqual({row[0] for row in shown}, {"IT ↔ Marketing"})

    @freeze_time("2026-04-01 09:00:00")
    def test_pdf_agreement_card_content(self):
        self.agreement.commitments = "<p>Marketing states the business impact.</p>"
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.mk_head)
            ._render_qweb_html("internal_sla.agreement_card", self.agreement.ids)
        )
        html = html.decode()
        for expected in (
            "IT ↔ Marketing",
            "Parties",
            "Urgent solved",
            "Marketing states the business impact.",
            "Rituals",
            "Current KPIs",
            "SLA met % (all targets)",
            "75.0 %",  # twelve months to 1 April: March 4/6 and February 2/2
            "Internal NPS",
            "no data",
        ):
            self.assertIn(expected, html)
