"""Feedback-loop rules in plain Python (SPEC C5, H9): who is a promoter, passive or
detractor, which comments are negative, and the anonymity threshold."""

import re

from . import kpi

CADENCES = [
    ("none", "No survey"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("milestone", "At milestones"),
]

# anonymity (H9): a breakdown over fewer respondents than this is hidden everywhere
MIN_RESPONDENTS = 5
DEFAULT_NEGATIVE_WORDS_EN = (
    "slow, late, bad, poor, ignored, rude, chase, still waiting, broken, unclear, "
    "worse, disappoint, unhelpful"
)
DEFAULT_NEGATIVE_WORDS_RU = (
    "медленн, долго, плох, ужасн, опозд, игнор, груб, не отвеча, ждал, "
    "непонятн, хуже, разочар, бесполезн"
)


def classify(kind, score):
    """Promoter, passive or detractor for a score of ``kind`` (SPEC C5, with the F1
    thresholds). CSAT: 4–5 satisfied (promoter side), 3 passive, 1–2 detractor side.
    Meeting energy has no loop."""
    if kind in ("nps", "enps"):
        if score >= kpi.PROMOTER_MIN:
            return "promoter"
        return "detractor" if score <= kpi.DETRACTOR_MAX else "passive"
    if kind == "csat":
        if score >= kpi.SATISFIED_MIN:
            return "promoter"
        return "detractor" if score <= 2 else "passive"
    return False


def word_list(text):
    """Comma- or line-separated words of a setting, lower case, blanks dropped."""
    return [w.strip().lower() for w in re.split(r"[,\n;]", text or "") if w.strip()]


def is_negative(comment, words):
    """A comment is negative when it contains one of ``words`` (stems are fine: "медленн"
    catches "медленно" and "медленный")."""
    text = (comment or "").lower()
    return bool(text) and any(word in text for word in words)
