from odoo import api, models, tools
from odoo.fields import Domain
from odoo.tools import config


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    @tools.conditional(
        "xml" not in config["dev_mode"],
        tools.ormcache(
            "self.env.uid",
            "self.env.su",
            "model_name",
            "mode",
            "tuple(self._compute_domain_context_values())",
        ),
    )
    def _compute_domain(self, model_name, mode="read"):
        """Records that belong to one helpdesk request (its SLA lines, clock events and
        timeline rows, G2) are read by exactly those who read the request: the request's
        own record rules for the current user, whatever groups and modules define them,
        are applied through the record's ticket field, as Odoo applies the rules of an
        ``_inherits`` parent. Writing such a record asks the request's write rules.

        A model opts in with ``_internal_sla_ticket_field = "ticket_id"``; one that also
        names ``_internal_sla_agreement_field`` is read, besides, by the Internal SLA
        Managers who may change the record's agreement (the heads who review its breaches
        and exceptions without working the requests). Superuser and ``sudo()`` paths
        (ticket creation, the sweep, the crons, the SQL reports) are not concerned: no rule
        is computed for them."""
        domain = super()._compute_domain(model_name, mode)
        model = self.env[model_name]
        field = getattr(model, "_internal_sla_ticket_field", None)
        if not field:
            return domain
        ticket_domain = self._compute_domain(
            "helpdesk.ticket", "read" if mode == "read" else "write"
        )
        if ticket_domain.is_true():
            return domain
        readers = Domain(field, "any", ticket_domain)
        agreement_field = getattr(model, "_internal_sla_agreement_field", None)
        if (
            mode == "read"
            and agreement_field
            and self.env.user.has_group("internal_sla.internal_sla_group_manager")
        ):
            agreement_domain = self._compute_domain("internal.sla.agreement", "write")
            readers |= Domain(agreement_field, "any", agreement_domain)
        return (domain & readers).optimize(model)
