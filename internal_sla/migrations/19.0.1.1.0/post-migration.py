from odoo import SUPERUSER_ID, api

from odoo.addons.internal_sla.hooks import refresh_records_loaded_once


def migrate(cr, version):
    """Databases installed with 19.0.1.0.0 get the record rules, one-answer surveys and
    per-team challenges of this version (they are loaded once, so an update skips them)."""
    if not version:
        return
    refresh_records_loaded_once(api.Environment(cr, SUPERUSER_ID, {}))
