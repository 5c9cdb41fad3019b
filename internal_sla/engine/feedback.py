"""Feedback-loop rules in plain Python (SPEC C5, H9): who is a promoter, passive or
detractor, which comments are negative, and the anonymity threshold."""

import hashlib
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
    "медленн, долго, плох, ужасн, опозд, игнор, проигнор, груб, не отвеча, ждал, "
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


# what may follow an English word or stem of the list in a comment: its inflections
# ("slow": "slowly", "slower"; "disappoint": "disappointed"), not the rest of another word
# that starts the same ("bad" is no "badge"); Russian stems take any ending
ENGLISH_ENDINGS = ("s", "es", "d", "ed", "ing", "ly", "er", "ers", "est", "ness", "ment")
# endings that replace a final "e" ("chase": "chasing")
ENGLISH_E_ENDINGS = ("ing", "ed", "er", "ers", "est", "ion")


def negative_pattern(word):
    """The regular expression of one negative word or stem: from the start of a word
    only ("purchase" is no "chase", "Translated" no "late")."""
    if not re.search(r"[a-z]", word):
        return re.compile(r"(?<!\w)" + re.escape(word))
    body = f"{re.escape(word)}(?:{'|'.join(ENGLISH_ENDINGS)})?"
    if word.endswith("e"):
        body = f"(?:{body}|{re.escape(word[:-1])}(?:{'|'.join(ENGLISH_E_ENDINGS)}))"
    return re.compile(rf"(?<!\w){body}(?!\w)")


def is_negative(comment, words):
    """A comment is negative when one of its words is one of ``words``: stems are fine,
    from the start of a word ("медленн" catches "медленно" and "медленный", "slow"
    catches "slowly"), English ones with their inflections only ("bad" is no "badge")."""
    text = (comment or "").lower()
    return bool(text) and any(negative_pattern(word).search(text) for word in words if word)


# -- survey budget (H9) -------------------------------------------------------------------


def sampling_rate(cap, expected):
    """Share of a person's survey triggers to invite so that a budget of ``cap`` per
    period stretches over the ``expected`` triggers of the period (1 when they fit, or
    without a cap): the budget is spread over the period instead of being spent on its
    first days."""
    if cap <= 0 or expected <= cap:
        return 1.0
    return cap / expected


def sample_draw(*key):
    """A number in [0, 1) that depends only on ``key``: the same trigger always draws the
    same, so sampling is reproducible and needs no stored state."""
    digest = hashlib.blake2b(repr(key).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") / 2**64
