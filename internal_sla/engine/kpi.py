"""The KPI catalogue (SPEC F1) in plain Python: every formula once, for every screen and export.

Inputs are plain numbers already measured by the models (working seconds with paused time
taken out, counts, survey scores); outputs are floats, percentages on a 0–100 scale.  A KPI
without data is ``None`` ("no data"), never 0: an agreement with no closed ticket has not
met 0% of its targets.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from math import ceil

PROMOTER_MIN = 9  # NPS / eNPS: 9–10 promoters, 7–8 passives, 0–6 detractors
DETRACTOR_MAX = 6
SATISFIED_MIN = 4  # CSAT: 4–5 of 1–5 are satisfied answers
FAST_RESPONSE_SECONDS = 4 * 3600  # "Response < 4 h", in working time


def percent(part: float, whole: float) -> float | None:
    """``part`` of ``whole`` in percent; ``None`` when there is no whole."""
    if not whole:
        return None
    return 100.0 * part / whole


def mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def percentile(values: Iterable[float], rank: float) -> float | None:
    """Nearest-rank percentile: the smallest value with at least ``rank``% of the values at
    or below it (P90 of 10 values is the 9th smallest). Always one of the values, so a P90
    of working times is a time some ticket really took."""
    if not 0 < rank <= 100:
        raise ValueError("a percentile rank is in (0, 100]")
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[ceil(rank / 100.0 * len(ordered)) - 1]


def time_kpi(working_seconds: Iterable[float]) -> dict:
    """First response time and resolution time: mean and P90 of working seconds (paused
    time already taken out by the SLA clock)."""
    values = list(working_seconds)
    return {"mean": mean(values), "p90": percentile(values, 90), "count": len(values)}


def sla_met_percent(met: int, breached: int) -> float | None:
    """Status lines met / (met + breached); open lines do not count yet."""
    return percent(met, met + breached)


def sla_met_percent_adjusted(met: int, breached: int, excused: int) -> float | None:
    """SLA met % counting breaches accepted as exceptions at a review (H5) as met."""
    return percent(met + min(excused, breached), met + breached)


def paused_share_percent(paused_seconds: float, held_seconds: float) -> float | None:
    """Share of the working time a team held requests that their clocks stood still (H8)."""
    return percent(paused_seconds, held_seconds)


def fast_response_percent(
    first_response_seconds: Iterable[float], limit: float = FAST_RESPONSE_SECONDS
) -> float | None:
    """Share of tickets whose first response took at most ``limit`` working seconds."""
    values = list(first_response_seconds)
    return percent(sum(1 for value in values if value <= limit), len(values))


def fcr_percent(first_contact_resolved: int, closed: int) -> float | None:
    return percent(first_contact_resolved, closed)


def repeat_percent(repeats: int, closed: int) -> float | None:
    return percent(repeats, closed)


def reopen_percent(reopened: int, closed: int) -> float | None:
    return percent(reopened, closed)


def bounce(transfers_per_ticket: Sequence[int]) -> dict:
    """Bounce rate: share of tickets transferred at least once; and mean transfers."""
    return bounce_from_totals(
        sum(1 for n in transfers_per_ticket if n > 0),
        sum(transfers_per_ticket),
        len(transfers_per_ticket),
    )


def bounce_from_totals(transferred: int, transfers: int, tickets: int) -> dict:
    """:func:`bounce` of counts aggregated where they are stored: tickets transferred at
    least once, transfers of all tickets, tickets."""
    return {
        "rate": percent(transferred, tickets),
        "mean_transfers": transfers / tickets if tickets else None,
    }


def empowerment_percent(decided_within_frame: int, requests_of_frame_categories: int):
    """Requests decided on the customer side within a frame (A4) / requests of the
    categories that have frames."""
    return percent(decided_within_frame, requests_of_frame_categories)


def _check_scale(scores: Sequence[int], low: int, high: int, name: str):
    wrong = [score for score in scores if not low <= score <= high]
    if wrong:
        raise ValueError(f"{name} scores are {low}–{high}; got {wrong[:5]}")


def csat_percent(scores: Sequence[int]) -> float | None:
    """Satisfaction index: answers 4–5 / all answers on the 1–5 scale."""
    _check_scale(scores, 1, 5, "CSAT")
    return percent(sum(1 for score in scores if score >= SATISFIED_MIN), len(scores))


def mean_score(score_sum: int, answers: int) -> float | None:
    """Mean answer of a survey scale from the sum of the answers and their count (E1: mean
    CSAT on the 1–5 scale); None without answers."""
    return score_sum / answers if answers else None


def nps_counts(scores: Sequence[int]) -> dict:
    """Promoters, passives and detractors of 0–10 answers."""
    _check_scale(scores, 0, 10, "NPS")
    promoters = sum(1 for score in scores if score >= PROMOTER_MIN)
    detractors = sum(1 for score in scores if score <= DETRACTOR_MAX)
    return {
        "promoters": promoters,
        "passives": len(scores) - promoters - detractors,
        "detractors": detractors,
        "answers": len(scores),
    }


def nps_from_counts(promoters: int, detractors: int, answers: int) -> float | None:
    """% promoters − % detractors, from −100 to +100 (NPS and eNPS alike)."""
    if not answers:
        return None
    return 100.0 * (promoters - detractors) / answers


def nps(scores: Sequence[int]) -> float | None:
    counts = nps_counts(scores)
    return nps_from_counts(counts["promoters"], counts["detractors"], counts["answers"])


def response_rate(answered: int, sent: int) -> float | None:
    """Answered invitations / sent invitations (C4)."""
    return percent(answered, sent)


def feedback_cycle_time(working_seconds: Iterable[float]) -> float | None:
    """Mean working time from a detractor's answer to the first follow-up action done."""
    return mean(working_seconds)


def feedback_cycle_time_from_totals(done: int, total_seconds: float) -> float | None:
    """:func:`feedback_cycle_time` of ``done`` follow-ups taking ``total_seconds``."""
    return total_seconds / done if done else None


def followed_up_in_time_percent(in_time: int, late: int, overdue: int) -> float | None:
    """Detractors followed up in time (H10): detractor follow-ups done by their target /
    detractor follow-ups done (``in_time`` + ``late``) or still open past their target
    (``overdue``).  A follow-up still open within its target is not late yet and does not
    count until it is done or overdue."""
    return percent(in_time, in_time + late + overdue)


def volume(created: Iterable[datetime], start: datetime, end: datetime) -> int:
    """Tickets created in [start, end)."""
    return sum(1 for when in created if start <= when < end)


def backlog(tickets: Iterable[tuple[datetime, datetime | None]], at: datetime) -> int:
    """Tickets open at ``at``: created before it and not closed by then.

    :param tickets: (created, closed or None) pairs
    """
    return sum(
        1 for created, closed in tickets if created < at and (closed is None or closed > at)
    )


def meeting_energy(ratings: Sequence[int]) -> float | None:
    """Mean rating (−2…+2) of a meeting series."""
    _check_scale(ratings, -2, 2, "Meeting energy")
    return mean(ratings)


def time_kpi_from_totals(count: int, total_seconds: float, p90: float | None) -> dict:
    """:func:`time_kpi` of values aggregated where they are stored: their number, their sum
    and their nearest-rank P90 (PostgreSQL's ``percentile_disc(0.9)`` is that very
    definition: the smallest value with at least 90% of the values at or below it)."""
    if not count:
        return {"mean": None, "p90": None, "count": 0}
    return {"mean": total_seconds / count, "p90": p90, "count": count}


# -- benchmarks (F3) ------------------------------------------------------------------------
# The methodology's targets, each as (KPI key, comparison, threshold, unit).  Percentages are
# on the 0–100 scale, times in working seconds.
BENCHMARKS = (
    ("nps", ">=", 50.0, "points"),
    ("first_response_mean", "<", float(FAST_RESPONSE_SECONDS), "seconds"),
    ("csat_percent", ">", 85.0, "percent"),
    ("empowerment_percent", ">", 80.0, "percent"),
    ("repeat_percent", "<", 5.0, "percent"),
)
_COMPARE = {
    ">=": lambda value, threshold: value >= threshold,
    ">": lambda value, threshold: value > threshold,
    "<": lambda value, threshold: value < threshold,
    "<=": lambda value, threshold: value <= threshold,
}


def benchmark_status(comparison: str, threshold: float, value: float | None) -> str | None:
    """``"met"`` or ``"missed"`` for an actual ``value`` against a benchmark; ``None`` (no
    data) when there is no actual to compare."""
    if value is None:
        return None
    return "met" if _COMPARE[comparison](value, threshold) else "missed"


def benchmarks(kpis: dict, thresholds: dict | None = None) -> list[dict]:
    """Every benchmark with its actual taken from a KPI set (``None`` when absent);
    ``thresholds`` overrides the methodology's values per KPI key (Settings)."""
    rows = []
    for key, comparison, default, unit in BENCHMARKS:
        threshold = (thresholds or {}).get(key, default)
        value = kpis.get(key)
        rows.append(
            {
                "key": key,
                "comparison": comparison,
                "threshold": threshold,
                "unit": unit,
                "value": value,
                "status": benchmark_status(comparison, threshold, value),
            }
        )
    return rows


# -- health (E2) ----------------------------------------------------------------------------
HEALTH_LEVELS = [("good", "Good"), ("watch", "Watch"), ("poor", "Poor"), ("no_data", "No data")]
HEALTH_GOOD = 90.0  # SLA met % from which a service is healthy
HEALTH_WATCH = 75.0  # … and below which it is poor


def health(
    sla_met: float | None, good: float = HEALTH_GOOD, watch: float = HEALTH_WATCH
) -> str:
    """A service's health from its SLA met %: good from ``good`` on, poor below
    ``watch``."""
    if sla_met is None:
        return "no_data"
    if sla_met >= good:
        return "good"
    return "watch" if sla_met >= watch else "poor"


# -- anonymity (H9) -------------------------------------------------------------------------
MIN_RESPONDENTS = 5  # breakdowns and comments over fewer respondents are hidden


def publishable_comments(rows: Sequence[dict], min_respondents: int = MIN_RESPONDENTS):
    """Survey comments that may be shown, survey kind by survey kind: those of a kind
    once at least ``min_respondents`` distinct people gave them, none before (a handful
    of comments would name their authors, and five CSAT comments do not make the NPS
    comments of two people anonymous). Rows carry a ``respondent`` key, dropped from
    what is returned, and a ``kind`` key (rows without one are one kind); the order of
    the rows is kept."""
    people = defaultdict(set)
    for row in rows:
        people[row.get("kind")].add(row["respondent"])
    return [
        {k: v for k, v in row.items() if k != "respondent"}
        for row in rows
        if len(people[row.get("kind")]) >= min_respondents
    ]


# -- display -------------------------------------------------------------------------------


def hours_minutes(seconds: float) -> tuple[int, int]:
    """Whole hours and the minutes left of ``seconds``, rounded to the minute."""
    return divmod(round(seconds / 60), 60)


def display(value: float | None, unit: str) -> str:
    """A KPI value as a manager reads it; "no data" when there is none."""
    if value is None:
        return "no data"
    if unit == "percent":
        return f"{value:.1f} %"
    if unit == "ratio":
        return f"{value:.2f}"
    if unit == "points":
        return f"{value:+.0f}"
    if unit == "score_of_5":
        return f"{value:.1f} / 5"
    if unit == "seconds":
        hours, minutes = hours_minutes(value)
        return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
    return f"{value:,.0f}".replace(",", " ")
