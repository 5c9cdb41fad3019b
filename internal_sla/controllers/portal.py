from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.myaccount import CustomerPortalHelpdesk


def _reader_tz():
    """The visitor's time zone: their user's, else their browser's (a visitor with a link)."""
    return request.env.user.tz or request.env.context.get("tz")


class InternalSlaPortal(CustomerPortalHelpdesk):
    """The requester's deadline and SLA state on the portal ticket list and page (G3)."""

    @http.route()
    def portal_my_tickets(self, *args, **kwargs):
        response = super().portal_my_tickets(*args, **kwargs)
        qcontext = getattr(response, "qcontext", None)
        if qcontext and qcontext.get("grouped_tickets"):
            tickets = request.env["helpdesk.ticket"].concat(*qcontext["grouped_tickets"])
            qcontext["internal_sla"] = tickets._sla_portal_values(_reader_tz())
        return response

    @http.route()
    def portal_my_ticket(self, ticket_id, access_token=None, **kw):
        """A ticket the visitor may not see is Not Found (404), like one that does not
        exist: the same answer for both, so the page tells nothing about other people's
        requests, and a wrong link says so instead of silently landing on /my (what
        helpdesk_mgmt does). The owner's session and a valid ``access_token`` open it."""
        try:
            self._document_check_access("helpdesk.ticket", ticket_id, access_token=access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None
        return super().portal_my_ticket(ticket_id, access_token=access_token, **kw)

    def _ticket_get_page_view_values(self, ticket, access_token, **kwargs):
        values = super()._ticket_get_page_view_values(ticket, access_token, **kwargs)
        # ``ticket`` comes from ``_document_check_access``: the user may see it
        values["internal_sla"] = ticket._sla_portal_values(_reader_tz())
        return values
