"""Elapsed working time on a calendar with some periods left out (H6, H7), plain Python.

The provider's clock runs on the agreement's calendar; the requester lives through the same
wait on their own calendar (their working hours and holidays).  Both are the working time
between two instants minus the periods that do not count (the ticket waiting on the
requester, or a request waiting on another department's linked request).
"""


def elapsed_excluding(working_time, start, end, excluded=()):
    """Working seconds of ``working_time`` in [start, end] outside the ``excluded``
    (start, end or None = still running) periods, which must not overlap each other."""
    if end <= start:
        return 0
    total = working_time.working_seconds(start, end)
    for period_start, period_end in excluded:
        a = max(period_start, start)
        b = min(period_end or end, end)
        if b > a:
            total -= working_time.working_seconds(a, b)
    return max(0, total)
