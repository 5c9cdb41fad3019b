"""Another moment for Odoo: a clock started at ``INTERNAL_SLA_FAKE_NOW`` that ticks on.

The demo history is written relative to the moment internal_sla is installed, in working
hours, so a test or a demo story may hold at one hour of the day and not at another.
``setup/test-at`` installs and tests under this clock to find them:

- as a pytest plugin (``-p fake_clock``), it starts the clock when pytest loads it;
- as a script (``fake_clock.py MOMENT odoo-bin arguments…``), it runs Odoo under it.

Python's clock (freezegun, ticking) and the cursor's ``now()`` follow it, so that the
records' creation dates agree with the history (a test's own ``freeze_time`` moves the
first, not the second, as with Odoo's real cursor); PostgreSQL's own ``now()`` and the
browser's clock do not (tours may show other relative times).
"""

import datetime
import os
import runpy
import sys
import time

import freezegun
from freezegun.api import real_datetime, real_time

MOMENT = "INTERNAL_SLA_FAKE_NOW"
EPOCH = real_datetime(1970, 1, 1)


def start(moment):
    freezegun.freeze_time(moment, tick=True).start()
    # the transaction's time is PostgreSQL's in Odoo, which a test's own freeze_time does
    # not move: here it follows the moment's clock alone, from the real time elapsed
    fake_epoch, real_epoch = time.time(), real_time()
    from odoo import sql_db

    def now(cursor):
        if cursor._now is None:
            elapsed = real_time() - real_epoch
            cursor._now = EPOCH + datetime.timedelta(seconds=fake_epoch + elapsed)
        return cursor._now

    sql_db.BaseCursor.now = now


if __name__ == "__main__":
    start(sys.argv[1])
    odoo_bin = sys.argv[2]
    sys.argv = [odoo_bin, *sys.argv[3:]]
    runpy.run_path(odoo_bin, run_name="__main__")
elif os.environ.get(MOMENT):
    start(os.environ[MOMENT])
