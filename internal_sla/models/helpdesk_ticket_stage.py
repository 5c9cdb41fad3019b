from odoo import api, fields, models
from odoo.exceptions import UserError


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    sla_pause = fields.Boolean(
        string="Pauses the SLA clock",
        help="Tickets in this stage wait on the requester (or on something the provider "
        "does not control): their SLA clocks stop and deadlines move by the paused "
        "working time.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        stages = super().create(vals_list)
        if any(vals.get("sla_pause") for vals in vals_list):
            self.env["internal.sla.agreement"]._sla_index_changed()
        return stages

    def write(self, vals):
        res = super().write(vals)
        if "sla_pause" in vals:
            self.env["internal.sla.agreement"]._sla_index_changed()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used_by_stage_rules(self):
        """A deleted stage would silently drop the rules watching it (or break those moving
        tickets into it): make the admin change the rules first."""
        rules = (
            self.env["internal.sla.stage.rule"]
            .sudo()
            .with_context(active_test=False)
            .search(["|", ("stage_id", "in", self.ids), ("action_stage_id", "in", self.ids)])
        )
        if rules:
            raise UserError(
                self.env._(
                    "These stages are used by SLA stage rules: %(rules)s. Change or delete "
                    "those rules (on their agreement or team) before deleting the stages.",
                    rules=", ".join(rules.mapped("display_name")),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_measured_by_targets(self):
        """A "time in a stage" target, of a version in force or of the history, measures
        its stage: deleting it would leave targets measuring nothing and lines without
        their stage. Archiving keeps them."""
        targets = (
            self.env["internal.sla.target"]
            .sudo()
            .with_context(active_test=False)
            .search([("metric", "=", "stage"), ("stage_id", "in", self.ids)])
        )
        if targets:
            raise UserError(
                self.env._(
                    "These stages are measured by SLA targets of %(agreements)s: archive "
                    "the stages instead of deleting them (the agreements' history keeps "
                    "its targets).",
                    agreements=", ".join(
                        sorted(set(targets.mapped(lambda t: t.agreement_id.display_name)))
                    ),
                )
            )
