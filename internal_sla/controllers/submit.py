from odoo import http
from odoo.exceptions import UserError, ValidationError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


class InternalSlaSubmitTicket(HelpdeskTicketController):
    """The portal's "new ticket" form asks for the business impact when an agreement
    requires it (A3), and a request refused for a missing commitment shows the form
    again with the reason, not an error page."""

    def _get_create_new_ticket_values(self, **kw):
        values = super()._get_create_new_ticket_values(**kw)
        required = request.env["internal.sla.agreement"].sudo()._sla_index().required_fields
        values["internal_sla_ask_impact"] = "business_impact" in required
        values["internal_sla_error"] = kw.get("internal_sla_error")
        return values

    def _prepare_submit_ticket_vals(self, **kw):
        vals = super()._prepare_submit_ticket_vals(**kw)
        if kw.get("business_impact"):
            vals["business_impact"] = kw["business_impact"]
        return vals

    @http.route()
    def submit_ticket(self, **kw):
        try:
            with request.env.cr.savepoint():
                return super().submit_ticket(**kw)
        except (UserError, ValidationError) as error:
            values = self._get_create_new_ticket_values(
                **dict(kw, internal_sla_error=error.args[0])
            )
            return request.render("helpdesk_mgmt.portal_create_ticket", values)
