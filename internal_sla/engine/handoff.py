"""End-to-end figures of a chain of handoffs (H7), in plain Python.

A request waiting on another department opens a linked request there and its clocks pause
until that request is closed; the linked request may itself wait on a third department.
The chain is measured on one working calendar (the first request's: what its requester
lives through): its total elapsed working time, and each hop's own time, i.e. the time the
hop was open and not waiting on a request further down the chain.
"""

from dataclasses import dataclass
from datetime import datetime

from .two_clocks import elapsed_excluding


@dataclass(frozen=True)
class Hop:
    id: int
    start: datetime
    end: datetime | None  # None while open
    waits: tuple = ()  # (start, end or None) of its waits on linked requests


def hop_seconds(working_time, hop, now):
    """Working seconds ``hop`` was open, and of those, not waiting on another hop."""
    end = hop.end or now
    return (
        elapsed_excluding(working_time, hop.start, end),
        elapsed_excluding(working_time, hop.start, end, hop.waits),
    )


def chain_figures(working_time, root_id, hops, now):
    """(total elapsed seconds of the chain, {hop id: (own seconds, share in %)}).

    The total is the first request's open time; a hop's share is its own time over it
    (``None`` when the chain has not consumed any working time yet).
    """
    by_id = {hop.id: hop for hop in hops}
    total, _own = hop_seconds(working_time, by_id[root_id], now)
    figures = {}
    for hop in hops:
        _open, own = hop_seconds(working_time, hop, now)
        figures[hop.id] = (own, 100.0 * own / total if total else None)
    return total, figures
