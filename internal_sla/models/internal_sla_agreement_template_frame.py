from odoo import fields, models
from odoo.fields import Domain


class InternalSlaAgreementTemplateFrame(models.Model):
    """An empowerment frame a template proposes (A4, A5): copied into the agreements
    created from the template, its helpdesk category found by name or created."""

    _name = "internal.sla.agreement.template.frame"
    _inherit = ["internal.sla.frame.conditions.mixin"]
    _description = "Agreement Template Frame"
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "internal.sla.agreement.template", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    category_name = fields.Char(
        string="Helpdesk category",
        required=True,
        translate=True,
        help="Requests of the helpdesk category of this name may be decided within the "
        "frame; an agreement created from the template uses the category of this name, "
        "or creates it.",
    )
    conditions = fields.Text(translate=True)

    def _frame_values(self):
        """Values of the agreement frames these template frames become (categories found
        by name, case-insensitive, or created: one search for all of them)."""
        Category = self.env["helpdesk.ticket.category"]
        names = {frame.category_name.strip() for frame in self}
        existing = {}
        if names:
            domain = Domain.OR([("name", "=ilike", name)] for name in sorted(names))
            for category in Category.search(domain, order="id"):
                existing.setdefault(category.name.strip().lower(), category)
        values = []
        for frame in self:
            key = frame.category_name.strip().lower()
            if key not in existing:
                # the manager creating the agreement may not manage helpdesk categories
                existing[key] = Category.sudo().create({"name": frame.category_name.strip()})
            values.append(
                {
                    "sequence": frame.sequence,
                    "name": frame.name,
                    "category_id": existing[key].id,
                    "max_amount": frame.max_amount,
                    "conditions": frame.conditions,
                    "condition_domain": frame.condition_domain,
                }
            )
        return values
