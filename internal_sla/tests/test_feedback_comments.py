"""Survey comments: published survey kind by survey kind (H9), and negative from the start
of a word (C5)."""

import unittest

from odoo.tests import tagged

from ..engine import feedback
from .common import InternalSlaCase, msk
from .feedback_common import FeedbackMixin
from .reports_common import render_report, xlsx_rows


@tagged("post_install", "-at_install")
class TestCommentsPerSurvey(FeedbackMixin, InternalSlaCase):
    def test_nps_comments_of_too_few_people_stay_out_of_the_exports(self):
        people = self.make_people(5, self.marketing, prefix="commenter")
        self.answered(people, [5] * 5, msk(2026, 3, 10, 10), kind="csat", comment="Quick fix")
        self.answered(people[:2], [0, 3], msk(2026, 3, 10, 11), comment="Never answers")
        content, _kind = render_report(
            self.env,
            self.it_head,
            "internal_sla.internal_sla_scorecard_xlsx_report",
            self.agreement.ids,
            {"date_from": "2026-03-01", "date_to": "2026-04-01"},
        )
        rows = xlsx_rows(content, "Survey comments")[1:]
        texts = [value for row in rows for value in row if isinstance(value, str)]
        self.assertEqual(texts.count("Quick fix"), 5)
        self.assertNotIn("Never answers", texts)
        self.assertTrue(any("anonymity rule" in text for text in texts))


class TestNegativeWordsAtWordStart(unittest.TestCase):
    """Pure rule of engine.feedback (no database)."""

    def test_stems_match_at_the_start_of_a_word_only(self):
        words = feedback.word_list(
            feedback.DEFAULT_NEGATIVE_WORDS_EN + "," + feedback.DEFAULT_NEGATIVE_WORDS_RU
        )
        for comment in (
            "Purchase order went through",
            "Translated on time",
            "Got my badge today",
            "Everything escalated nicely",
            "Отличная работа, всё подождали",
        ):
            with self.subTest(comment=comment):
                self.assertFalse(feedback.is_negative(comment, words))
        for comment in (
            "Slowly, but it works",
            "Late again.",
            "(bad) experience",
            "I had to chase them",
            "Kept chasing them",
            "Deeply disappointed",
            "Очень МЕДЛЕННО",
            "Мне не отвечали два дня",
            "Письмо проигнорировали",
        ):
            with self.subTest(comment=comment):
                self.assertTrue(feedback.is_negative(comment, words))
