from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

from ..engine.matching import utc_start_of_day


class InternalSlaRecomputeWizard(models.TransientModel):
    """Recompute the SLA lines of the tickets of a period on demand (B13)."""

    _name = "internal.sla.recompute.wizard"
    _description = "Recompute SLAs"

    date_from = fields.Date(string="Clocks started from", required=True)
    date_to = fields.Date(string="to", required=True, default=fields.Date.context_today)
    agreement_ids = fields.Many2many(
        "internal.sla.agreement", string="Agreements", help="Empty = all agreements."
    )
    include_closed = fields.Boolean(
        string="Include met and breached lines",
        help="Also re-judge lines already reached (e.g. after a holiday was added late).",
    )
    result = fields.Text(readonly=True)

    def action_recompute(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("'to' must be on or after 'Clocks started from'."))
        # the days of the person asking: from the start of the first to the end of the last
        tz = self.env.user.tz or self.env.context.get("tz") or "UTC"
        domain = [
            ("date_start", ">=", utc_start_of_day(self.date_from, tz)),
            ("date_start", "<", utc_start_of_day(self.date_to + timedelta(days=1), tz)),
        ]
        # lines stopped because their ticket left the agreement stay stopped
        domain.append(("state", "!=", "cancelled"))
        if self.agreement_ids:
            domain.append(("agreement_id", "in", self.agreement_ids.ids))
        if not self.include_closed:
            domain.append(("reached_date", "=", False))
        lines = self.env["internal.sla.line"].sudo().search(domain)
        before = {line.id: line.state for line in lines}
        lines._recompute(self.env._("Recompute wizard"), include_reached=self.include_closed)
        changed = sum(1 for line in lines if before[line.id] != line.state)
        self.result = self.env._(
            "%(count)s lines recomputed, %(changed)s changed state.",
            count=len(lines),
            changed=changed,
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
        }
