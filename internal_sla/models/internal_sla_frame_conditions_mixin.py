from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.fields import Domain


class InternalSlaFrameConditionsMixin(models.AbstractModel):
    """The conditions of an empowerment frame (A4) that a request must meet to be decided
    on the customer side: an amount limit and a filter on the request. Shared by the
    agreements' frames and the frames their templates propose, checked the same way."""

    _name = "internal.sla.frame.conditions.mixin"
    _description = "Empowerment Frame Conditions"

    max_amount = fields.Float(
        string="Up to amount",
        help="Largest amount the customer side decides alone (0: no amount condition).",
    )
    condition_domain = fields.Char(
        string="Ticket conditions",
        default="[]",
        help="Conditions on the request itself, as a filter (e.g. only normal priority, "
        "only requests of a given client): a request must match it to be decided within "
        "the frame. Empty: no condition.",
    )

    @api.constrains("max_amount")
    def _check_max_amount(self):
        for frame in self.filtered(lambda frame: frame.max_amount < 0):
            raise ValidationError(
                self.env._(
                    "Frame %s: Up to amount must be zero (no amount condition) or positive.",
                    frame.name,
                )
            )

    @api.constrains("condition_domain")
    def _check_condition_domain(self):
        for frame in self:
            frame._ticket_domain()

    def _ticket_domain(self):
        """The frame's conditions on the request as a domain (empty: none); a text that is
        not a filter on requests raises a ValidationError naming the frame and the field."""
        self.ensure_one()
        text = (self.condition_domain or "").strip() or "[]"
        try:
            domain = Domain(literal_eval(text))
            # checks the fields and operators against the request model without running it
            self.env["helpdesk.ticket"].sudo()._search(domain)
        except (ValueError, SyntaxError, TypeError, KeyError) as error:
            raise ValidationError(
                self.env._(
                    "Frame %(frame)s: Ticket conditions must be a filter on requests, such "
                    "as [('priority', 'in', ['0', '1'])] (%(error)s).",
                    frame=self.name,
                    error=error,
                )
            ) from error
        return domain
