from odoo import SUPERUSER_ID, api

from odoo.addons.internal_sla.hooks import refresh_records_loaded_once


def migrate(cr, version):
    """19.0.1.3.0 keeps meeting-energy answers from the department heads, as eNPS ones
    (C7, H9): their record rule is loaded once, so an update would keep the previous one."""
    if not version:
        return
    refresh_records_loaded_once(api.Environment(cr, SUPERUSER_ID, {}))
