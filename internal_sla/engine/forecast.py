"""Breach forecast (B12) and surge detection (B11) in plain Python.

A forecast answers "will this open request miss its nearest target?" from what happened to
the closed requests of the same bucket (metric, team, priority, category) and from how
loaded the team is now. The history of a bucket is a histogram of the share of their target
the reached clocks used (``consumed / target`` in bins of 5 %), with the number of breaches
per bin. For an open clock that has already used a share ``e`` of its target, the
probability of a breach is the breach rate among the historic clocks that got at least as
far (``breaches(≥ e) / survivors(≥ e)``): the nearer the deadline, the fewer the survivors
and the more of them are breaches, so the remaining working time enters the score.

A bucket with few requests borrows from the coarser one (the team's priority, the team,
the metric, and at the root the share of the target used): each level is smoothed towards
its parent with the weight of ``SMOOTHING`` virtual requests. The result is then shifted by
the team's load: the odds are multiplied by ``(backlog / average backlog) ** LOAD_WEIGHT``
(bounded), so a team with twice its usual backlog has ~1.4× the odds of breaching.

Everything is integer counting and float arithmetic in a fixed order: the same history
gives the same scores, run after run.
"""

from dataclasses import dataclass, field

BINS = 20  # histogram bins per target (5 % each)
MAX_BIN = 2 * BINS  # clocks that used twice their target or more share the last bin
SMOOTHING = 5.0  # weight of the parent bucket, in requests
LOAD_WEIGHT = 0.5
LOAD_BOUNDS = (0.5, 3.0)
AVERAGE_DAYS = 28  # a team's usual backlog: its daily backlog over four weeks (the
# default of Settings; the models pass the days set there)


def ratio_bin(consumed_seconds, target_seconds):
    """Histogram bin of a clock that used ``consumed_seconds`` of ``target_seconds``."""
    if target_seconds <= 0:
        return MAX_BIN
    return max(0, min(MAX_BIN, int(consumed_seconds * BINS // target_seconds)))


@dataclass
class Histogram:
    """Reached clocks of one bucket: count and breaches per bin."""

    counts: list = field(default_factory=lambda: [0] * (MAX_BIN + 1))
    breaches: list = field(default_factory=lambda: [0] * (MAX_BIN + 1))

    def add(self, bin_, breached, count=1):
        self.counts[bin_] += count
        if breached:
            self.breaches[bin_] += count

    def survivors(self, elapsed_ratio):
        """(clocks that used at least ``elapsed_ratio`` of their target, breaches among
        them), at the histogram's resolution."""
        first = ratio_bin(elapsed_ratio, 1.0) if elapsed_ratio > 0 else 0
        return sum(self.counts[first:]), sum(self.breaches[first:])


def bucket_keys(metric, team_id, priority, category_id):
    """Bucket keys of a request, coarsest first."""
    return (
        (metric,),
        (metric, team_id),
        (metric, team_id, priority),
        (metric, team_id, priority, category_id),
    )


@dataclass
class History:
    """Histograms of every bucket level (see :func:`bucket_keys`)."""

    buckets: dict = field(default_factory=dict)

    def add(self, metric, team_id, priority, category_id, bin_, breached, count=1):
        for key in bucket_keys(metric, team_id, priority, category_id):
            self.buckets.setdefault(key, Histogram()).add(bin_, breached, count)

    def probability(self, metric, team_id, priority, category_id, elapsed_ratio):
        """Probability that a clock of this bucket that used ``elapsed_ratio`` of its
        target ends breached, smoothed from the coarsest bucket to the finest."""
        probability = min(1.0, max(0.0, elapsed_ratio))  # nothing known: share used
        for key in bucket_keys(metric, team_id, priority, category_id):
            histogram = self.buckets.get(key)
            if histogram is None:
                break  # a finer bucket of an unknown one is unknown too
            survivors, breaches = histogram.survivors(elapsed_ratio)
            probability = (breaches + SMOOTHING * probability) / (survivors + SMOOTHING)
        return probability


def load_factor(backlog, average_backlog):
    """The team's backlog against its usual one, bounded (1.0 when nothing is known)."""
    if not average_backlog or average_backlog <= 0:
        return 1.0
    low, high = LOAD_BOUNDS
    return min(high, max(low, backlog / average_backlog))


def risk_score(probability, load=1.0):
    """0–100 score from a breach probability shifted by the team's load (odds ratio)."""
    if probability >= 1.0:
        return 100
    if probability <= 0.0:
        return 0
    odds = probability / (1.0 - probability) * load**LOAD_WEIGHT
    return round(100.0 * odds / (1.0 + odds))


def score(
    history,
    metric,
    team_id,
    priority,
    category_id,
    consumed_seconds,
    target_seconds,
    backlog=0,
    average_backlog=0,
):
    """Breach risk (0–100) of an open clock that used ``consumed_seconds`` of its
    ``target_seconds`` (a clock already past its target scores 100)."""
    if target_seconds <= 0 or consumed_seconds >= target_seconds:
        return 100
    elapsed = max(0.0, consumed_seconds / target_seconds)
    probability = history.probability(metric, team_id, priority, category_id, elapsed)
    return risk_score(probability, load_factor(backlog, average_backlog))


def precision_recall(predictions):
    """(precision, recall) in % of ``(predicted, actual)`` booleans; None without data."""
    true_positive = sum(1 for predicted, actual in predictions if predicted and actual)
    predicted = sum(1 for predicted, _actual in predictions if predicted)
    actual = sum(1 for _predicted, actual in predictions if actual)
    return precision_recall_counts(true_positive, predicted, actual)


def precision_recall_counts(true_positive, predicted, actual):
    """(precision, recall) in % from counts: ``true_positive`` of the ``predicted``
    breaches happened, of the ``actual`` ones; None where a denominator is 0."""
    precision = 100.0 * true_positive / predicted if predicted else None
    recall = 100.0 * true_positive / actual if actual else None
    return precision, recall


# -- surge (B11) ------------------------------------------------------------------------------


def surge_due(backlog, average_backlog, threshold=0, percent_above=0.0, condition="any"):
    """Whether a team with ``backlog`` open requests (usually ``average_backlog``) is in a
    surge: above ``threshold`` requests and/or ``percent_above`` % above its average
    (a condition left at 0 is not used; without any condition there is no surge)."""
    checks = []
    if threshold > 0:
        checks.append(backlog > threshold)
    if percent_above > 0:
        checks.append(
            average_backlog > 0 and backlog > average_backlog * (1.0 + percent_above / 100.0)
        )
    if not checks:
        return False
    return all(checks) if condition == "all" else any(checks)


# -- profiles: what a new request is scored from, stored per team --------------------------


def profiles(history, team_ids):
    """``{team id: profile}``: the buckets of ``history`` a request of each team is scored
    from (the metrics' roots and the team's own), as JSON-ready ``[key, [[bin, count,
    breaches], …]]`` pairs in a fixed order, in one pass over the history. Stored on the
    teams by the forecast cron, so that a new request gets its score without reading the
    history."""
    roots, own = [], {team_id: [] for team_id in team_ids}
    for key in sorted(history.buckets, key=lambda key: tuple(str(value) for value in key)):
        if len(key) > 1 and key[1] not in own:
            continue
        histogram = history.buckets[key]
        entry = [
            list(key),
            [
                [bin_, count, histogram.breaches[bin_]]
                for bin_, count in enumerate(histogram.counts)
                if count
            ],
        ]
        (roots if len(key) == 1 else own[key[1]]).append(entry)
    return {team_id: roots + entries for team_id, entries in own.items()}


def history_from_profiles(profiles):
    """A :class:`History` holding the buckets of team ``profiles`` (see :func:`profile`);
    the roots, present in every profile, are taken once."""
    history = History()
    for entries in profiles:
        for key, bins in entries or ():
            key = tuple(key)
            if key in history.buckets:
                continue
            histogram = history.buckets[key] = Histogram()
            for bin_, count, breaches in bins:
                histogram.counts[bin_] = count
                histogram.breaches[bin_] = breaches
    return history
