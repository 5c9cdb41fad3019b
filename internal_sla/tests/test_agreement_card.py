"""The printable agreement card (F5): what it says, checked against the fixture's own
records and figures, and the real PDF when wkhtmltopdf is installed."""

import io
import os
import shutil
import subprocess
import tempfile
import warnings
from datetime import date
from pathlib import Path

from freezegun import freeze_time
from lxml import html as lxml_html
from PIL import Image

from odoo.tests import tagged
from odoo.tools import config, format_date
from odoo.tools.pdf import PdfFileReader

from odoo.addons.base.models.ir_actions_report import _wkhtml

from ..engine import kpi
from ..engine.feedback import classify
from .common import InternalSlaCase, InternalSlaHttpCase, employees, msk, new_test_users
from .reports_common import MARCH, ReportFixture, answer_nps

CARD = "internal_sla.agreement_card"
# the scorecard's period: March 2026 (the fixture's month)
PERIOD = {"date_from": "2026-03-01", "date_to": "2026-04-01"}


class CardFixture(ReportFixture):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        agreement = cls.agreement
        agreement.commitments = "<p>Marketing states the business impact of a request.</p>"
        agreement.required_field_ids = cls.env["ir.model.fields"]._get(
            "helpdesk.ticket", "business_impact"
        )
        cls.category = cls.env["helpdesk.ticket.category"].create({"name": "Campaign budget"})
        cls.frame = cls.env["internal.sla.frame"].create(
            {
                "name": "Reallocate up to 5 000 between campaigns",
                "agreement_id": agreement.id,
                "category_id": cls.category.id,
                "max_amount": 5000,
                "conditions": "Within the quarter's approved budget.",
            }
        )
        cls.ritual = cls.env["internal.sla.ritual"].create(
            {
                "agreement_id": agreement.id,
                "kind": "sync",
                "date_first": msk(2027, 3, 2, 10, 0),
                "date_until": "2027-06-30",
            }
        )
        cls.ritual.action_schedule()
        cls.people = list(new_test_users(cls.env, *employees("card_person", 5)))

    def march_lines(self):
        return self.env["internal.sla.line"].search(
            [
                ("ticket_id.sla_agreement_id", "=", self.agreement.id),
                ("ticket_id.create_date", ">=", MARCH[0]),
                ("ticket_id.create_date", "<", MARCH[1]),
            ]
        )

    def expected_sla_met(self):
        """SLA met % of March from the fixture's own clock lines."""
        lines = self.march_lines()
        met = len(lines.filtered(lambda line: line.state == "met"))
        breached = len(lines.filtered(lambda line: line.state == "breached"))
        self.assertEqual(met + breached, 6)  # the fixture: T1–T3, two targets each
        return kpi.display(kpi.sla_met_percent(met, breached), "percent")

    def answer(self, count, scores):
        answer_nps(self.env, self.agreement, self.people[:count], scores, msk(2026, 3, 20, 12))
        return kpi.display(
            kpi.nps_from_counts(
                sum(score >= 9 for score in scores),
                sum(score <= 6 for score in scores),
                len(scores),
            ),
            "points",
        )


@tagged("post_install", "-at_install")
class TestAgreementCardContent(CardFixture, InternalSlaCase):
    def render(self, user):
        report = self.env["ir.actions.report"].with_user(user)
        content, _kind = report._render_qweb_html(CARD, self.agreement.ids, data=dict(PERIOD))
        return lxml_html.fromstring(content)

    def section(self, page, title):
        """Text of the elements following the heading ``title`` up to the next heading."""
        heading = page.xpath(f"//h3[starts-with(normalize-space(), '{title}')]")
        self.assertEqual(len(heading), 1, title)
        texts = []
        for node in heading[0].itersiblings():
            if node.tag == "h3":
                break
            texts.append(" ".join(node.text_content().split()))
        return " ".join(texts)

    def row(self, page, label, table="//"):
        """The cells of the last row whose first cell is ``label``."""
        rows = page.xpath(f"{table}tr[td[1][normalize-space()='{label}']]")
        self.assertTrue(rows, label)
        return [" ".join(cell.text_content().split()) for cell in rows[-1].xpath("td")]

    def kpi_row(self, page, label):
        return self.row(page, label, table="//table[contains(@class, 'o_card_kpis')]//")

    @freeze_time("2026-04-01 09:00:00")
    def test_card_shows_every_section_from_the_agreement(self):
        agreement = self.agreement
        page = self.render(self.mk_head)  # the customer's owner prints it
        title = " ".join(
            page.xpath("//div[contains(@class, 'o_internal_sla_card')]")[0]
            .text_content()
            .split()
        )
        self.assertIn(agreement.name, title)
        self.assertIn(f"version {agreement.current_version_id.number}", title)
        self.assertIn(f"Valid from {format_date(self.env, agreement.date_start)}", title)
        parties = self.section(page, "Parties")
        for party in (
            agreement.provider_department_id.name,
            agreement.provider_owner_id.name,
            agreement.customer_department_id.name,
            agreement.customer_owner_id.name,
            agreement.resource_calendar_id.name,
        ):
            self.assertIn(party, parties)
        self.assertEqual(len(agreement.target_ids), 3)
        for target in agreement.target_ids:
            cells = self.row(page, target.name)
            self.assertEqual(cells[3], target.duration_display)
            self.assertEqual(cells[2], "Very High" if target.priority == "3" else "Any")
            self.assertEqual(cells[4], f"{round(target.at_risk_percent)} % elapsed")
        commitments = self.section(page, "Requester commitments")
        self.assertIn("Marketing states the business impact of a request.", commitments)
        self.assertIn("Every request carries: Business Impact", commitments)
        self.assertEqual(
            self.row(page, self.frame.name),
            [
                self.frame.name,
                "Campaign budget",
                "5,000",
                "Within the quarter's approved budget.",
            ],
        )
        rituals = self.section(page, "Rituals")
        self.assertEqual(
            self.row(page, "Weekly sync")[:4], ["Weekly sync", "Weekly", "Managers", "1 h"]
        )
        self.assertTrue(self.ritual.next_date)
        self.assertIn(f"every {agreement.review_interval_months} months", rituals)
        kpis = self.section(page, "Current KPIs")
        period = " ".join(page.xpath("//h3/small")[0].text_content().split())
        last_day = date(2026, 3, 31)
        self.assertEqual(
            period, f"{format_date(self.env, MARCH[0])} – {format_date(self.env, last_day)}"
        )
        self.assertEqual(self.row(page, "SLA met % (all targets)")[1], self.expected_sla_met())
        volume = len(self.march_lines().ticket_id)
        self.assertEqual(self.row(page, "Requests created")[1], str(volume))
        self.assertIn("Benchmarks", kpis)
        self.assertEqual(self.row(page, "Satisfaction index (CSAT)")[2], "> 85.0 %")
        self.assertEqual(self.kpi_row(page, "Internal NPS")[1:3], ["no data", "≥ +50"])

    @freeze_time("2026-04-01 09:00:00")
    def test_nps_of_fewer_than_five_people_is_hidden(self):
        self.answer(4, [10, 9, 3, 8, 10, 10, 2, 9])  # 8 answers, 4 people
        page = self.render(self.mk_head)
        feedback = self.row(page, "Internal NPS")  # the last one: the feedback table
        self.assertEqual(feedback[1], "hidden: fewer than 5 people answered")
        self.assertEqual(self.row(page, "Satisfaction (CSAT)")[1], "no answer in the period")
        self.assertEqual(self.kpi_row(page, "Internal NPS")[1], "no data")

    @freeze_time("2026-04-01 09:00:00")
    def test_nps_of_five_people_is_shown_against_its_benchmark(self):
        scores = [10, 9, 3, 8, 10, 10, 2, 9, 6, 10]
        nps = self.answer(5, scores)
        page = self.render(self.mk_head)
        self.assertEqual(self.kpi_row(page, "Internal NPS")[1:], [nps, "≥ +50", "missed"])
        self.assertEqual(
            self.row(page, "Internal NPS")[1:3], [nps, f"{len(scores)} answers from 5 people"]
        )

    def csat(self, ticket, scores, when, state="answered"):
        """CSAT invitations about ``ticket`` of the card's people in turn, at ``when``."""
        Invitation = self.env["internal.sla.feedback.invitation"].sudo()
        Invitation.create(
            [
                {
                    "kind": "csat",
                    "survey_id": Invitation._survey_of("csat").id,
                    "user_id": self.people[index].id,
                    "agreement_id": self.agreement.id,
                    "provider_department_id": self.it.id,
                    "customer_department_id": self.marketing.id,
                    "ticket_id": ticket.id,
                    "state": state,
                    "date_sent": when,
                    "date_answered": when if state == "answered" else False,
                    "score": score if state == "answered" else False,
                    "category": classify("csat", score) if state == "answered" else False,
                }
                for index, score in enumerate(scores)
            ]
        )

    @freeze_time("2026-04-05 09:00:00")
    def test_card_csat_is_the_kpi_services(self):
        """F1: the feedback table's CSAT is the KPI row's, on the requests created in the
        period: the answers of 2 April on T1 (March) count, those of 5 March on T5
        (February) do not; the response rate is of the invitations about the period's
        requests: 5 answered of 9, with a sixth person not answering about T2 and the
        requester's invitations at the closing of T1, T2 and T3, not answered)."""
        sent = self.env["internal.sla.feedback.invitation"].search_count(
            [("ticket_id", "in", (self.t1 | self.t2 | self.t3).ids), ("state", "=", "sent")]
        )
        self.assertEqual(sent, 3)
        self.csat(self.t1, [5, 5, 4, 3, 2], msk(2026, 4, 2, 10))  # 3 satisfied of 5
        self.csat(self.t5, [5, 5, 5, 5, 5], msk(2026, 3, 5, 10))
        self.csat(self.t2, [None], msk(2026, 4, 2, 10), state="sent")
        page = self.render(self.mk_head)
        sixty = kpi.display(60.0, "percent")
        self.assertEqual(self.kpi_row(page, "Satisfaction index (CSAT)")[1], sixty)
        self.assertEqual(
            self.row(page, "Satisfaction (CSAT)")[1:],
            [sixty, "5 answers from 5 people", kpi.display(100.0 * 5 / 9, "percent")],
        )
        self.assertIn("requests created in the period", self.section(page, "Feedback"))
        # the agreement form's feedback figures count every answer, and say so
        form = self.agreement.with_user(self.it_head).get_views([(False, "form")])
        arch = form["views"]["form"]["arch"]
        for label in (
            "Response rate (all time)",
            "CSAT % (all time)",
            "NPS answers (all time)",
        ):
            self.assertIn(label, arch)

    def test_scorecard_prints_its_own_period(self):
        scorecard = self.env["internal.sla.scorecard"].create(
            {
                "agreement_id": self.agreement.id,
                "date_from": date(2026, 3, 1),
                "date_to": date(2026, 4, 1),
            }
        )
        # (discard_logo_check: no "configure your document layout" step first)
        action = scorecard.with_context(discard_logo_check=True).action_print_card()
        self.assertEqual(action["report_name"], CARD)
        self.assertEqual({key: action["data"][key] for key in PERIOD}, PERIOD)


@tagged("post_install", "-at_install")
class TestAgreementCardPdf(CardFixture, InternalSlaHttpCase):
    def setUp(self):
        super().setUp()
        state = self.env["ir.actions.report"].get_wkhtmltopdf_state()
        if state != "ok":
            self.skipTest(
                f"wkhtmltopdf is not usable here (state {state!r}): install it "
                "(apt-get install wkhtmltopdf, done by setup/bootstrap as root)"
            )

    def save_pages(self, pdf, name):
        """Both pages side by side as ``<screenshots dir>/internal_sla/<name>.png`` to
        look at (and in docs/screenshots/ under setup/screenshots)."""
        if not shutil.which("pdftoppm"):
            return
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run(
                ["pdftoppm", "-png", "-r", "80", "-", f"{folder}/page"], input=pdf, check=True
            )
            pages = [Image.open(path) for path in sorted(Path(folder).glob("page-*.png"))]
            sheet = Image.new(
                "RGB",
                (
                    sum(page.width for page in pages) + 12 * (len(pages) + 1),
                    pages[0].height + 24,
                ),
                "#d8d8d8",
            )
            left = 12
            for page in pages:
                sheet.paste(page, (left, 12))
                left += page.width + 12
            path = Path(config["screenshots"]) / "internal_sla" / f"{name}.png"
            path.parent.mkdir(parents=True, exist_ok=True)
            sheet.save(path)
        docs = os.environ.get("INTERNAL_SLA_SCREENSHOTS")
        if docs:
            shutil.copy(path, Path(docs) / path.name)

    def test_pdf_card_has_two_pages_with_the_agreement(self):
        nps = self.answer(5, [10, 9, 3, 8, 10, 10, 2, 9, 6, 10])
        report = self.env["ir.actions.report"].with_user(self.mk_head)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            CARD, self.agreement.ids, data=dict(PERIOD)
        )
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"), pdf[:20])
        self.save_pages(pdf, "agreement_card_pdf")  # first: to look at when the count fails
        # page 1: the agreement; page 2: its figures
        self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 2)
        if not shutil.which("pdftotext"):
            return  # the content is checked on the HTML by TestAgreementCardContent
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        first, second = text.split("\f")[:2]
        if not _wkhtml().is_patched_qt:  # no page header: the letterhead is in the page
            self.assertIn(f"{self.agreement.company_id.name} · Agreement card", first)
        urgent = self.agreement.target_ids.filtered(lambda target: target.priority == "3")
        for expected in (
            self.agreement.name,
            self.it_head.name,
            self.mk_head.name,
            urgent.name,
            urgent.duration_display,
            "Business Impact",
            self.frame.name,
            "Weekly sync",
        ):
            self.assertIn(expected, first)
        for expected in (
            "Current KPIs",
            "SLA met % (all targets)",
            self.expected_sla_met(),
            nps,
        ):
            self.assertIn(expected, second)

    def test_several_agreements_in_one_pdf(self):
        """Printing several agreements at once gives two pages each, also with Debian's
        wkhtmltopdf, which converts only one document per run."""
        other = self.agreement.copy({"name": "IT ↔ Marketing, next year"})
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        with warnings.catch_warnings():
            # Odoo's own splitting of a multi-record PDF still calls PyPDF2's numPages
            warnings.filterwarnings(
                "ignore", "reader.numPages is deprecated", PendingDeprecationWarning
            )
            pdf, _kind = report._render_qweb_pdf(CARD, (self.agreement | other).ids)
        self.assertEqual(len(PdfFileReader(io.BytesIO(pdf)).pages), 4)
        if shutil.which("pdftotext"):
            text = subprocess.run(
                ["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True
            ).stdout.decode()
            pages = text.split("\f")
            self.assertIn(self.agreement.name, pages[0])
            self.assertIn(other.name, pages[2])
