from odoo import api, fields, models
from odoo.exceptions import ValidationError


def check_max_amount(frames):
    """Refuse a negative amount on agreement or template frames."""
    for frame in frames.filtered(lambda frame: frame.max_amount < 0):
        raise ValidationError(
            frames.env._(
                "Frame %s: Up to amount must be zero (no amount condition) or positive.",
                frame.name,
            )
        )


class InternalSlaFrame(models.Model):
    """An empowerment frame (A4): requests of a category within agreed conditions that the
    customer side decides itself, without waiting for the provider (seed example: Sales
    grants special conditions up to an amount agreed with Finance)."""

    _name = "internal.sla.frame"
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
    max_amount = fields.Float(
        string="Up to amount",
        help="Largest amount the customer side decides alone (0: no amount condition).",
    )
    conditions = fields.Text(help="The other conditions of the frame, as agreed.")

    @api.constrains("max_amount")
    def _check_max_amount(self):
        check_max_amount(self)

    def _covers(self, ticket):
        """Whether ``ticket`` falls inside this frame."""
        self.ensure_one()
        return ticket.category_id == self.category_id and (
            not self.max_amount or 0 <= ticket.sla_request_amount <= self.max_amount
        )
