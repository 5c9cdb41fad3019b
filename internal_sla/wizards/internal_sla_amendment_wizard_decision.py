from odoo import fields, models


class InternalSlaAmendmentWizard(models.TransientModel):
    """An amendment made from a meeting decision remembers it (H11)."""

    _inherit = "internal.sla.amendment.wizard"

    sla_decision_id = fields.Many2one("internal.sla.decision", string="From decision")

    def action_confirm(self):
        result = super().action_confirm()
        if self.sla_decision_id:
            version = self.agreement_id.version_ids.sorted("number")[-1:]
            self.sla_decision_id.version_id = version
        return result
