from odoo import fields, models
from odoo.exceptions import UserError


class InternalSlaDecision(models.Model):
    """A decision recorded at a review meeting (SPEC D5); it may become an amendment of
    the agreement (H11 → H1)."""

    _name = "internal.sla.decision"
    _description = "Review Meeting Decision"
    _order = "event_id, sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Text(string="Decision", required=True)
    event_id = fields.Many2one("calendar.event", required=True, ondelete="cascade", index=True)
    agreement_id = fields.Many2one(
        "internal.sla.agreement",
        related="event_id.sla_agreement_id",
        store=True,
        index=True,
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    version_id = fields.Many2one(
        "internal.sla.agreement.version",
        string="Amendment",
        readonly=True,
        help="The agreement version this decision became.",
    )

    def action_amend(self):
        """Open the agreement's amendment wizard with the decision as its reason."""
        self.ensure_one()
        if self.version_id:
            raise UserError(
                self.env._(
                    "This decision already became amendment %s.", self.version_id.display_name
                )
            )
        if self.agreement_id.state not in ("active", "review"):
            raise UserError(
                self.env._(
                    "Only an agreement in force can be amended; %(agreement)s is not.",
                    agreement=self.agreement_id.display_name,
                )
            )
        action = self.agreement_id.action_amend()
        action["context"] = dict(
            action["context"], default_note=self.name, default_sla_decision_id=self.id
        )
        return action
