from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain

CONDITION_DOMAIN_HELP = (
    "Conditions on the request itself, as a filter (e.g. only normal priority, only "
    "requests of a given client): a request must match it to be decided within the frame. "
    "Empty: no condition."
)


def check_max_amount(frames):
    """Refuse a negative amount on agreement or template frames."""
    for frame in frames.filtered(lambda frame: frame.max_amount < 0):
        raise ValidationError(
            frames.env._(
                "Frame %s: Up to amount must be zero (no amount condition) or positive.",
                frame.name,
            )
        )


def ticket_domain(frame):
    """The frame's conditions on the request as a domain (empty: none); a text that is not a
    filter on requests raises a ValidationError naming the frame and the field."""
    text = (frame.condition_domain or "").strip() or "[]"
    try:
        domain = Domain(literal_eval(text))
        # checks the fields and operators against the request model without running it
        frame.env["helpdesk.ticket"].sudo()._search(domain)
    except (ValueError, SyntaxError, TypeError, KeyError) as error:
        raise ValidationError(
            frame.env._(
                "Frame %(frame)s: Ticket conditions must be a filter on requests, such as "
                "[('priority', 'in', ['0', '1'])] (%(error)s).",
                frame=frame.name,
                error=error,
            )
        ) from error
    return domain


def check_ticket_domains(frames):
    """Refuse conditions that are not a filter on requests, on agreement or template frames."""
    for frame in frames:
        ticket_domain(frame)


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
    condition_domain = fields.Char(
        string="Ticket conditions", default="[]", help=CONDITION_DOMAIN_HELP
    )

    @api.constrains("max_amount")
    def _check_max_amount(self):
        check_max_amount(self)

    @api.constrains("condition_domain")
    def _check_condition_domain(self):
        check_ticket_domains(self)

    def _covers(self, ticket):
        """Whether ``ticket`` falls inside this frame."""
        self.ensure_one()
        if ticket.category_id != self.category_id:
            return False
        if self.max_amount and not 0 <= ticket.sla_request_amount <= self.max_amount:
            return False
        domain = ticket_domain(self)
        # the frame decides, not what the person asking may read of the request
        return domain.is_true() or bool(ticket.sudo().filtered_domain(domain))
