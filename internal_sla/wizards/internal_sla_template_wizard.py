from odoo import Command, api, fields, models


class InternalSlaTemplateWizard(models.TransientModel):
    """Create a draft agreement from a template (A5)."""

    _name = "internal.sla.template.wizard"
    _description = "Create an Agreement from a Template"

    template_id = fields.Many2one("internal.sla.agreement.template", required=True)
    name = fields.Char(
        compute="_compute_name", store=True, readonly=False, required=True, precompute=True
    )
    provider_department_id = fields.Many2one("hr.department", string="Provider", required=True)
    customer_scope = fields.Selection(
        [("department", "One department"), ("all", "All departments")],
        string="Customer scope",
        compute="_compute_customer_scope",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
    )
    customer_department_id = fields.Many2one("hr.department", string="Customer")
    team_ids = fields.Many2many("helpdesk.ticket.team", string="Helpdesk teams")
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working calendar",
        required=True,
        default=lambda self: self.env.company.resource_calendar_id,
    )
    date_start = fields.Date(
        string="Valid from", required=True, default=fields.Date.context_today
    )

    @api.depends("template_id", "provider_department_id", "customer_department_id")
    def _compute_name(self):
        for wizard in self:
            parties = " ↔ ".join(
                name
                for name in (
                    wizard.provider_department_id.name,
                    wizard.customer_department_id.name
                    if wizard.customer_scope == "department"
                    else self.env._("all departments"),
                )
                if name
            )
            wizard.name = (
                f"{wizard.template_id.name}: {parties}" if parties else wizard.template_id.name
            )

    @api.depends("template_id")
    def _compute_customer_scope(self):
        for wizard in self:
            wizard.customer_scope = wizard.template_id.customer_scope or "department"

    def action_create(self):
        self.ensure_one()
        template = self.template_id
        agreement = self.env["internal.sla.agreement"].create(
            {
                "name": self.name,
                "provider_department_id": self.provider_department_id.id,
                "customer_scope": self.customer_scope,
                "customer_department_id": self.customer_department_id.id
                if self.customer_scope == "department"
                else False,
                "team_ids": [Command.set(self.team_ids.ids)],
                "resource_calendar_id": self.resource_calendar_id.id,
                "date_start": self.date_start,
                "review_interval_months": template.review_interval_months,
                "first_response_mode": template.first_response_mode,
                "nps_survey_id": template.nps_survey_id.id,
                "commitments": template.commitments,
                "description": template.description,
                "required_field_ids": [Command.set(template.required_field_ids.ids)],
                "target_ids": [Command.create(t._target_values()) for t in template.target_ids],
                "frame_ids": [
                    Command.create(values) for values in template.frame_ids._frame_values()
                ],
                # the rituals of the method (D1), put in the calendar from the agreement
                "ritual_ids": [
                    Command.create({"kind": "sync", "purpose": template.sync_purpose}),
                    Command.create({"kind": "review", "cadence": template.review_cadence}),
                ],
            }
        )
        agreement.message_post(
            body=self.env._("Created from template %s.", template.name),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "internal.sla.agreement",
            "res_id": agreement.id,
            "view_mode": "form",
            "target": "current",
        }
