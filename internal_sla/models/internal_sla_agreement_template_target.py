from odoo import fields, models


class InternalSlaAgreementTemplateTarget(models.Model):
    _name = "internal.sla.agreement.template.target"
    _description = "Agreement Template Target"
    _inherit = "internal.sla.target.values.mixin"

    template_id = fields.Many2one(
        "internal.sla.agreement.template", required=True, ondelete="cascade"
    )
    category_ids = fields.Many2many(
        relation="internal_sla_template_target_category_rel",
        column1="target_id",
        column2="category_id",
    )

    def _values_owner(self):
        return self.env._(
            "Target '%(target)s' of template %(template)s",
            target=self.name,
            template=self.template_id.name,
        )
