"""19.0.1.3.0 makes a request's SLA internals (chain, transfers, risk...) fields for
employees only: the handoff view's previous arch shows the chain's page and button to
whoever sees the ticket form, which Odoo reports when it checks the forms loaded before
that view's own file."""

from odoo.addons.internal_sla.hooks import empty_view_arch


def migrate(cr, version):
    if version:
        empty_view_arch(cr, "helpdesk_ticket_view_form_handoff")
