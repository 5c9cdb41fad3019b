from odoo import api, fields, models
from odoo.exceptions import UserError


class InternalSlaHandoffWizard(models.TransientModel):
    """ "Waiting on another department" (H7): a linked request under that department's
    agreement; the request waits (its clocks paused) until the linked one is closed."""

    _name = "internal.sla.handoff.wizard"
    _description = "Wait on Another Department"

    ticket_id = fields.Many2one("helpdesk.ticket", required=True, readonly=True)
    provider_department_id = fields.Many2one(related="ticket_id.provider_department_id")
    department_id = fields.Many2one(
        "hr.department",
        required=True,
        domain="[('id', '!=', provider_department_id)]",
        help="The department whose work this request waits on.",
    )
    agreement_id = fields.Many2one(
        "internal.sla.agreement",
        string="Under agreement",
        compute="_compute_agreement",
        store=True,
        precompute=True,
        readonly=False,
        domain="[('provider_department_id', '=', department_id),"
        " ('state', 'in', ('active', 'review')),"
        " '|', ('customer_scope', '=', 'all'),"
        " ('customer_department_id', '=', provider_department_id)]",
        help="The agreement of that department serving yours: the linked request is "
        "measured against it.",
    )
    team_id = fields.Many2one(
        "helpdesk.ticket.team",
        compute="_compute_team",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        domain="[('department_id', '=', department_id)]",
    )
    name = fields.Char(string="Subject", required=True)
    description = fields.Html()

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        ticket = self.env["helpdesk.ticket"].browse(res.get("ticket_id"))
        if ticket and "name" in fields_list:
            res.setdefault("name", self.env._("For %(ticket)s", ticket=ticket.display_name))
        return res

    @api.depends("department_id", "ticket_id")
    def _compute_agreement(self):
        Agreement = self.env["internal.sla.agreement"]
        for wizard in self:
            customer = wizard.ticket_id.provider_department_id
            candidates = (
                Agreement.search(
                    [
                        ("provider_department_id", "=", wizard.department_id.id),
                        ("state", "in", ("active", "review")),
                        "|",
                        ("customer_scope", "=", "all"),
                        ("customer_department_id", "=", customer.id),
                    ]
                )
                if wizard.department_id
                else Agreement
            )
            # the department-specific agreement wins over one serving everyone
            wizard.agreement_id = candidates.sorted(
                lambda a: (a.customer_scope != "department", a.id)
            )[:1]

    @api.depends("department_id", "agreement_id")
    def _compute_team(self):
        Team = self.env["helpdesk.ticket.team"].sudo()
        for wizard in self:
            teams = (
                wizard.agreement_id.sudo().team_ids
                or Team.search([("department_id", "=", wizard.department_id.id)])
                if wizard.department_id
                else Team
            )
            wizard.team_id = teams[:1]

    def action_confirm(self):
        self.ensure_one()
        if not self.team_id:
            raise UserError(
                self.env._(
                    "%(department)s has no helpdesk team: choose a Team to send the linked "
                    "request to.",
                    department=self.department_id.display_name,
                )
            )
        child = self.ticket_id._sla_hand_off(
            self.team_id.sudo(), self.agreement_id, self.name, self.description
        )
        # the agent who asked follows the linked request (as its requester)
        return {
            "type": "ir.actions.act_window",
            "res_model": "helpdesk.ticket",
            "res_id": child.id,
            "view_mode": "form",
            "target": "current",
        }
