"""19.0.1.2.0 groups the agreement form's ten tabs into seven; the surge view's tab, placed
after the Escalations tab, becomes the Surge section of the Automation tab. The surge
view's previous arch points to the Escalations tab, which is gone."""

from odoo.addons.internal_sla.hooks import empty_view_arch

SURGE_FORM_VIEW = "internal_sla_agreement_view_form_surge"


def migrate(cr, version):
    if version:
        empty_view_arch(cr, SURGE_FORM_VIEW)
