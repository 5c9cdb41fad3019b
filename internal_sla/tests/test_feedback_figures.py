"""NPS math per agreement, department pair and period (C6), meeting energy (C7) and the
anonymity threshold (H9) — on the agreement and in the feedback analysis."""

import unittest

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..engine import feedback
from .common import InternalSlaCase, msk
from .feedback_common import FeedbackMixin

# the seed example: 100 answers, 60 promoters, 20 passives, 20 detractors -> NPS +40
SEED_SCORES = [10] * 30 + [9] * 30 + [8] * 12 + [7] * 8 + [6] * 10 + [3] * 9 + [0]


@tagged("post_install", "-at_install")
class TestFeedbackFigures(FeedbackMixin, InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.people = cls.make_people(10, cls.marketing)
        cls.Report = cls.env["internal.sla.feedback.report"]

    def test_seed_example_nps_is_40_on_the_agreement(self):
        self.assertFalse(self.agreement.feedback_has_data)
        self.answered(self.people, SEED_SCORES, msk(2026, 3, 10, 10))
        self.agreement.invalidate_recordset()
        self.assertTrue(self.agreement.feedback_has_data)
        self.assertFalse(self.agreement.feedback_hidden)
        self.assertEqual(self.agreement.feedback_nps, 40.0)
        self.assertEqual(self.agreement.feedback_nps_answers, 100)
        stats = self.Invitation._stats([("agreement_id", "=", self.agreement.id)])
        self.assertEqual(
            {k: stats[()][k] for k in ("promoters", "passives", "detractors", "respondents")},
            {"promoters": 60, "passives": 20, "detractors": 20, "respondents": 10},
        )

    def test_csat_answers_alone_show_no_nps(self):
        """C6: answers to the CSAT survey only make no NPS of 0 on the agreement's gauge."""
        self.answered(self.people[:5], [5, 5, 4, 2, 5], msk(2026, 3, 10, 10), kind="csat")
        self.agreement.invalidate_recordset()
        self.assertTrue(self.agreement.feedback_has_data)
        self.assertFalse(self.agreement.feedback_has_nps)
        self.assertFalse(self.agreement.feedback_hidden)
        self.assertEqual(self.agreement.feedback_csat, 80.0)
        # two NPS answers: there is an NPS, hidden below the anonymity minimum
        self.answered(self.people[:2], [0, 10], msk(2026, 3, 10, 11))
        self.agreement.invalidate_recordset()
        self.assertTrue(self.agreement.feedback_has_nps)
        self.assertTrue(self.agreement.feedback_hidden)
        self.assertEqual(
            self.agreement.feedback_hidden_note,
            "Fewer than 5 people answered: the figures stay hidden to keep answers anonymous.",
        )
        # the note gives the minimum of Settings; at 2 the NPS of the two shows
        self.set_param("min_respondents", 3)
        self.agreement.invalidate_recordset()
        self.assertIn("Fewer than 3 people answered", self.agreement.feedback_hidden_note)
        self.set_param("min_respondents", 2)
        self.agreement.invalidate_recordset()
        self.assertFalse(self.agreement.feedback_hidden)
        self.assertTrue(self.agreement.feedback_has_nps)
        self.assertEqual(
            (self.agreement.feedback_nps, self.agreement.feedback_nps_answers), (0.0, 2)
        )

    def test_each_kind_is_hidden_on_its_own_respondents(self):
        """Five people answered CSAT, two of them NPS: the CSAT shows, the NPS of two
        people does not, on the agreement and in the meeting agenda (comments included)."""
        self.answered(self.people[:5], [5, 5, 4, 2, 5], msk(2026, 3, 10, 10), kind="csat")
        self.answered(
            self.people[:2], [0, 10], msk(2026, 3, 10, 11), comment="Never answers the phone"
        )
        stats = self.Invitation._stats([("agreement_id", "=", self.agreement.id)])[()]
        self.assertEqual(stats["hidden_kinds"], {"nps"})
        self.assertFalse(stats["hidden"])
        self.assertEqual((stats["nps"], stats["promoters"], stats["detractors"]), (None,) * 3)
        self.assertEqual((stats["csat"], stats["csat_answers"]), (80.0, 5))
        self.agreement.invalidate_recordset()
        self.assertTrue(self.agreement.feedback_hidden)
        self.assertEqual(
            (self.agreement.feedback_nps, self.agreement.feedback_nps_answers), (0.0, 0)
        )
        self.assertEqual(self.agreement.feedback_csat, 80.0)
        agenda = str(
            self.agreement._agenda_feedback_section(msk(2026, 3, 1, 0), msk(2026, 4, 1, 0))
        )
        self.assertIn("Satisfaction (CSAT): 80", agenda)
        self.assertIn("fewer than 5 people answered", agenda)
        self.assertIn("Internal NPS: fewer than 5 people answered", agenda)
        self.assertNotIn("promoters", agenda)
        self.assertNotIn("Never answers the phone", agenda)

    def test_nobody_goes_silent_on_the_anonymous_enps(self):
        """An employee who answered the last two eNPS and ignores the third is not named
        to the head of department (C4 applies to the surveys about an agreement)."""
        employee = self.people[0]
        values = {"agreement_id": False, "customer_department_id": False}
        self.answered([employee], [9], msk(2026, 1, 10, 10), kind="enps", **values)
        self.answered([employee], [9], msk(2026, 2, 10, 10), kind="enps", **values)
        ignored = self.answered(
            [employee],
            [0],
            msk(2026, 3, 10, 10),
            kind="enps",
            state="sent",
            score=False,
            category=False,
            date_answered=False,
            deadline=msk(2026, 3, 17, 10),
            **values,
        )
        self.Invitation._expire(msk(2026, 3, 20, 10))
        self.assertEqual(ignored.state, "expired")
        self.assertFalse(ignored.silent)
        self.assertFalse(ignored.activity_ids)

    def test_analysis_hides_each_survey_on_its_own_respondents(self):
        """In the feedback analysis too: five CSAT answers show, the NPS of two people does
        not, and eNPS answers never count in the internal NPS."""
        self.answered(self.people[:5], [5, 5, 4, 2, 5], msk(2026, 3, 10, 10), kind="csat")
        self.answered(self.people[:2], [0, 10], msk(2026, 3, 10, 11))
        self.answered(self.people[:5], [10] * 5, msk(2026, 3, 10, 12), kind="enps")
        [(nps, enps, csat)] = self.Report._read_group(
            [("agreement_id", "=", self.agreement.id)], [], ["nps:avg", "enps:avg", "csat:avg"]
        )
        self.assertEqual((nps, enps, csat), (None, 100.0, 80.0))
        self.answered(self.people[2:5], [10, 10, 9], msk(2026, 3, 11, 10))
        [(nps,)] = self.Report._read_group(
            [("agreement_id", "=", self.agreement.id)], [], ["nps:avg"]
        )
        self.assertEqual(nps, 60.0)  # 4 promoters, 1 detractor of 5: the eNPS stays out

    def test_seed_example_nps_is_40_in_the_analysis(self):
        self.answered(self.people, SEED_SCORES, msk(2026, 3, 10, 10))
        [(nps, count)] = self.Report._read_group(
            [("agreement_id", "=", self.agreement.id)], [], ["nps:avg", "__count"]
        )
        self.assertEqual((nps, count), (40.0, 100))

    def test_trend_by_month_quarter_year_and_department_pair(self):
        # January: 5 promoters; February: 3 promoters, 2 detractors; other pair: 5 detractors
        self.answered(self.people[:5], [10] * 5, msk(2026, 1, 20, 10))
        self.answered(self.people[5:], [9, 9, 9, 2, 5], msk(2026, 2, 20, 10))
        other = self.create_agreement(
            name="HR ↔ Marketing",
            provider_department_id=self.hr.id,
            customer_department_id=self.marketing.id,
        )
        self.answered(self.people[:5], [0] * 5, msk(2026, 2, 20, 10), agreement=other)
        by_month = dict(
            self.Report._read_group(
                [("agreement_id", "=", self.agreement.id)], ["date_answered:month"], ["nps:avg"]
            )
        )
        self.assertEqual(sorted(by_month.values()), [20.0, 100.0])
        [(_quarter, nps)] = self.Report._read_group(
            [("agreement_id", "=", self.agreement.id)], ["date_answered:quarter"], ["nps:avg"]
        )
        self.assertEqual(nps, 60.0)  # 8 promoters, 2 detractors of 10
        [(_year, nps)] = self.Report._read_group(
            [("agreement_id", "=", self.agreement.id)], ["date_answered:year"], ["nps:avg"]
        )
        self.assertEqual(nps, 60.0)
        pairs = {
            (provider, customer): nps
            for provider, customer, nps in self.Report._read_group(
                [("customer_department_id", "=", self.marketing.id)],
                ["provider_department_id", "customer_department_id"],
                ["nps:avg"],
            )
        }
        self.assertEqual(
            pairs, {(self.it, self.marketing): 60.0, (self.hr, self.marketing): -100.0}
        )
        stats = self.Invitation._stats(
            [("customer_department_id", "=", self.marketing.id)],
            ["provider_department_id", "date_answered:month"],
        )
        self.assertEqual([v["nps"] for k, v in stats.items() if k[0] == self.hr], [-100.0])
        self.assertEqual(
            sorted(v["nps"] for k, v in stats.items() if k[0] == self.it), [20.0, 100.0]
        )

    def test_csat_and_meeting_energy_per_series(self):
        self.answered(self.people[:5], [5, 4, 4, 3, 1], msk(2026, 3, 2, 10), kind="csat")
        [(csat,)] = self.Report._read_group(
            [("kind", "=", "csat"), ("agreement_id", "=", self.agreement.id)], [], ["csat:avg"]
        )
        self.assertEqual(csat, 60.0)
        self.answered(
            self.people[:5],
            [2, 1, 1, 0, -1],
            msk(2026, 3, 2, 10),
            kind="energy",
            meeting_series="Monthly review",
        )
        self.answered(
            self.people[5:],
            [-2, -2, -1, -1, 0],
            msk(2026, 3, 2, 10),
            kind="energy",
            meeting_series="Weekly sync",
        )
        series = dict(self.Report._read_group([], ["meeting_series"], ["energy:avg"]))
        self.assertEqual(series["Monthly review"], 0.6)
        self.assertEqual(series["Weekly sync"], -1.2)
        stats = self.Invitation._stats([("kind", "=", "energy")], ["meeting_series"])
        self.assertEqual(stats[("Monthly review",)]["energy"], 0.6)

    def test_fewer_than_five_respondents_are_hidden_everywhere(self):
        # 4 people, 8 answers: hidden; a fifth person: shown
        self.answered(self.people[:4], [10, 9, 0, 3, 10, 9, 0, 3], msk(2026, 3, 2, 10))
        self.agreement.invalidate_recordset()
        self.assertTrue(self.agreement.feedback_hidden)
        self.assertEqual(self.agreement.feedback_nps, 0.0)
        self.assertEqual(self.agreement.feedback_nps_answers, 0)
        [(nps, count)] = self.Report._read_group(
            [("agreement_id", "=", self.agreement.id)], [], ["nps:avg", "__count"]
        )
        self.assertIsNone(nps)
        self.assertEqual(count, 8, "how many answers is no individual figure")
        stats = self.Invitation._stats([("agreement_id", "=", self.agreement.id)])
        self.assertTrue(stats[()]["hidden"])
        self.assertIsNone(stats[()]["promoters"])
        # a breakdown per person is refused, whatever the total
        self.answered(self.people[4:5], [10], msk(2026, 3, 2, 10))
        self.agreement.invalidate_recordset()
        self.assertFalse(self.agreement.feedback_hidden)
        self.assertEqual(self.agreement.feedback_nps, 100 * (5 - 4) / 9)
        with self.assertRaisesRegex(UserError, "nobody's answer can be singled out"):
            self.Report._read_group(
                [("agreement_id", "=", self.agreement.id)], ["respondent_id"], ["nps:avg"]
            )
        # the graph's and the pivot's paths too
        with self.assertRaisesRegex(UserError, "nobody's answer can be singled out"):
            self.Report.formatted_read_group(
                [("agreement_id", "=", self.agreement.id)], ["respondent_id"], ["nps:avg"]
            )
        with self.assertRaisesRegex(UserError, "nobody's answer can be singled out"):
            self.Report.formatted_read_grouping_sets(
                [("agreement_id", "=", self.agreement.id)], [["respondent_id"]], ["nps:avg"]
            )
        # individual rows and their exports are refused
        with self.assertRaisesRegex(UserError, "grouped figures only"):
            self.Report.search_read([], ["nps"])
        with self.assertRaisesRegex(UserError, "grouped figures only"):
            self.Report.search([]).export_data(["nps", "respondent_id"])

    def test_analysis_rows_of_other_departments_stay_out(self):
        user_hr = new_test_user(
            self.env, login="hr_analyst", groups="internal_sla.internal_sla_group_user"
        )
        self.env["hr.employee"].create(
            {"name": "HR analyst", "user_id": user_hr.id, "department_id": self.hr.id}
        )
        self.answered(self.people, SEED_SCORES[:20], msk(2026, 3, 2, 10))
        # (the demo data's HR ↔ all departments answers are everybody's)
        mine = [("agreement_id", "=", self.agreement.id)]
        self.assertEqual(
            self.Report.with_user(user_hr)._read_group(mine, [], ["__count"]), [(0,)]
        )
        self.assertEqual(
            self.Report.with_user(self.requester)._read_group(mine, [], ["__count"]), [(20,)]
        )
        portal = new_test_user(self.env, login="portal_fb", groups="base.group_portal")
        with self.assertRaises(AccessError):
            self.Report.with_user(portal)._read_group([], [], ["__count"])


class TestFeedbackRules(unittest.TestCase):
    """Pure rules of engine.feedback (no database)."""

    def test_classify(self):
        self.assertEqual(feedback.classify("nps", 9), "promoter")
        self.assertEqual(feedback.classify("nps", 7), "passive")
        self.assertEqual(feedback.classify("enps", 6), "detractor")
        self.assertEqual(feedback.classify("csat", 4), "promoter")
        self.assertEqual(feedback.classify("csat", 3), "passive")
        self.assertEqual(feedback.classify("csat", 2), "detractor")
        self.assertIs(feedback.classify("energy", 2), False)

    def test_negative_words(self):
        words = feedback.word_list("Slow,  медленн\nrude;")
        self.assertEqual(words, ["slow", "медленн", "rude"])
        self.assertTrue(feedback.is_negative("Очень МЕДЛЕННО", words))
        self.assertFalse(feedback.is_negative("Quick and clear", words))
        self.assertFalse(feedback.is_negative("", words))

    def test_sampling_rate_spreads_the_budget(self):
        self.assertEqual(feedback.sampling_rate(4, 3), 1.0)
        self.assertEqual(feedback.sampling_rate(4, 4), 1.0)
        self.assertEqual(feedback.sampling_rate(4, 16), 0.25)
        self.assertEqual(feedback.sampling_rate(0, 100), 1.0)  # no cap

    def test_sample_draw_is_reproducible_and_uniform(self):
        draws = [
            feedback.sample_draw(7, "csat", ticket, "2026-03-02") for ticket in range(4000)
        ]
        self.assertEqual(
            draws[:3], [feedback.sample_draw(7, "csat", t, "2026-03-02") for t in range(3)]
        )
        self.assertTrue(all(0.0 <= draw < 1.0 for draw in draws))
        # about a quarter of them under 0.25 (binomial: ± 4 standard deviations)
        below = sum(1 for draw in draws if draw < 0.25)
        self.assertLess(abs(below - 1000), 4 * (4000 * 0.25 * 0.75) ** 0.5)


@tagged("post_install", "-at_install")
class TestGroupedLists(FeedbackMixin, InternalSlaCase):
    """Grouped lists total each numeric column with its field's aggregator, as the web
    client asks for it: scores are averaged, escalation levels give the highest."""

    def grouped(self, records, field, groupby):
        aggregator = records.fields_get([field], ["aggregator"])[field]["aggregator"]
        spec = f"{field}:{aggregator}"
        groups = records.formatted_read_group([("id", "in", records.ids)], [groupby], [spec])
        return aggregator, [group[spec] for group in groups]

    def test_invitation_scores_are_averaged(self):
        people = self.make_people(3, self.marketing)
        answered = self.answered(people, [10, 9, 2], msk(2026, 3, 10, 10))
        unanswered = self.send_nps(msk(2026, 3, 11, 10))  # no score: out of the average
        self.assertEqual(self.grouped(answered | unanswered, "score", "kind"), ("avg", [7.0]))

    def test_line_escalation_levels_take_the_highest(self):
        tickets = self.create_ticket(msk(2026, 3, 2, 10)) | self.create_ticket(
            msk(2026, 3, 2, 11)
        )
        lines = tickets.sla_line_ids
        lines.sudo().write({"escalation_level": 1})
        lines[:1].sudo().write({"escalation_level": 3})
        self.assertEqual(self.grouped(lines, "escalation_level", "agreement_id"), ("max", [3]))
