from odoo import fields, models


class InternalSlaFrame(models.Model):
    """An empowerment frame (A4): requests of a category within agreed conditions that the
    customer side decides itself, without waiting for the provider (seed example: Sales
    grants special conditions up to an amount agreed with Finance)."""

    _name = "internal.sla.frame"
    _inherit = [
        "internal.sla.frame.conditions.mixin",
        "internal.sla.agreement.part.mixin",
    ]
    _description = "Empowerment Frame"
    _order = "agreement_id, sequence, id"

    name = fields.Char(required=True, help="e.g. Discount up to 10% for existing clients")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    agreement_id = fields.Many2one(
        "internal.sla.agreement", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    category_id = fields.Many2one(
        "helpdesk.ticket.category",
        required=True,
        help="Requests of this category may be decided within the frame.",
    )
    conditions = fields.Text(help="The other conditions of the frame, as agreed.")

    def _covers(self, ticket):
        """Whether ``ticket`` falls inside this frame."""
        self.ensure_one()
        if ticket.category_id != self.category_id:
            return False
        if self.max_amount and not 0 <= ticket.sla_request_amount <= self.max_amount:
            return False
        domain = self._ticket_domain()
        # the frame decides, not what the person asking may read of the request
        return domain.is_true() or bool(ticket.sudo().filtered_domain(domain))
