from odoo import fields, models
from odoo.exceptions import UserError


class InternalSlaBreachWizard(models.TransientModel):
    """Why a target was missed (H5): a cause, an explanation, and optionally a request to
    excuse the breach at the next review."""

    _name = "internal.sla.breach.wizard"
    _description = "Explain an SLA Breach"

    line_ids = fields.Many2many("internal.sla.line", string="Breached targets", required=True)
    breach_cause = fields.Selection(
        lambda self: self.env["internal.sla.line"]._fields["breach_cause"].selection,
        string="Cause",
        required=True,
    )
    breach_reason = fields.Text(string="What happened", required=True)
    request_exception = fields.Boolean(
        string="Ask to excuse it",
        help="The review meeting accepts or rejects the exception; accepted ones count as "
        "met in the adjusted attainment.",
    )

    def action_confirm(self):
        self.ensure_one()
        lines = self.line_ids
        not_breached = lines.filtered(lambda line: line.state != "breached")
        if not_breached:
            raise UserError(
                self.env._(
                    "Only breached targets get a breach reason: %s is not breached.",
                    ", ".join(not_breached.mapped("name")),
                )
            )
        # whoever may edit the request explains its breaches
        lines.ticket_id.check_access("write")
        lines.sudo().write(
            {
                "breach_cause": self.breach_cause,
                "breach_reason": self.breach_reason,
                "exception_state": "requested" if self.request_exception else False,
            }
        )
        causes = dict(self._fields["breach_cause"]._description_selection(self.env))
        lines._close_breach_prompts(f"{causes[self.breach_cause]}: {self.breach_reason}")
        for ticket in lines.ticket_id:
            ticket.sudo().message_post(
                body=self.env._(
                    "Breach explained (%(targets)s): %(cause)s. %(reason)s%(exception)s",
                    targets=", ".join(
                        lines.filtered(lambda line, t=ticket: line.ticket_id == t).mapped(
                            "name"
                        )
                    ),
                    cause=causes[self.breach_cause],
                    reason=self.breach_reason,
                    exception=self.env._(" An exception is requested.")
                    if self.request_exception
                    else "",
                ),
                subtype_xmlid="mail.mt_note",
                author_id=self.env.user.partner_id.id,
            )
        return {"type": "ir.actions.act_window_close"}
