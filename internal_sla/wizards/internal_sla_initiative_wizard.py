import re

from odoo import fields, models
from odoo.exceptions import UserError


class InternalSlaInitiativeWizard(models.TransientModel):
    """Flag a new initiative that needs both sides at the table (SPEC D2)."""

    _name = "internal.sla.initiative.wizard"
    _description = "Flag a New Initiative"

    agreement_id = fields.Many2one("internal.sla.agreement", required=True)
    name = fields.Char(string="Initiative", required=True)

    def action_confirm(self):
        self.ensure_one()
        key = re.sub(r"\W+", "-", self.name.strip().lower()).strip("-")
        if not key:
            raise UserError(self.env._("Name the initiative."))
        name = self.name.strip()
        self.agreement_id._propose_meeting(
            f"initiative:{key}", lambda env: env._("new initiative: %s", name)
        )
        return self.agreement_id.action_view_meetings()
