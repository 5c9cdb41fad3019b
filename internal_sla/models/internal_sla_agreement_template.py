from odoo import fields, models


class InternalSlaAgreementTemplate(models.Model):
    """A ready-made agreement (A5): the seed agreements and common internal services."""

    _name = "internal.sla.agreement.template"
    _description = "Agreement Template"
    _order = "sequence, name"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True, translate=True)
    active = fields.Boolean(default=True)
    description = fields.Html(translate=True)
    provider_hint = fields.Char(
        string="Typical provider", translate=True, help="e.g. IT, HR, Finance."
    )
    customer_hint = fields.Char(string="Typical customer", translate=True)
    customer_scope = fields.Selection(
        [("department", "One department"), ("all", "All departments")],
        string="Customer scope",
        default="department",
        required=True,
    )
    review_interval_months = fields.Integer(default=6)
    sync_purpose = fields.Char(
        string="Weekly sync for",
        translate=True,
        help="What the agreement's weekly sync is for (D1), e.g. IT ideas for marketing.",
    )
    review_cadence = fields.Selection(
        [("monthly", "Monthly"), ("quarterly", "Quarterly")],
        string="Three-level review",
        default="monthly",
        required=True,
    )
    nps_survey_id = fields.Many2one(
        "survey.survey",
        string="NPS survey",
        domain=[("internal_sla_kind", "=", "nps")],
        help="The NPS survey whose reasons fit this kind of service.",
    )
    first_response_mode = fields.Selection(
        [
            ("message", "First reply visible to the requester"),
            ("stage", "First move out of the initial stage"),
        ],
        default="message",
        required=True,
    )
    commitments = fields.Html(string="Customer commitments", translate=True)

    _check_interval = models.Constraint(
        "CHECK(review_interval_months BETWEEN 1 AND 60)",
        "The review interval must be between 1 and 60 months.",
    )
    required_field_ids = fields.Many2many(
        "ir.model.fields",
        string="Required from the requester",
        domain=[("model", "=", "helpdesk.ticket"), ("store", "=", True)],
    )
    target_ids = fields.One2many("internal.sla.agreement.template.target", "template_id")
    frame_ids = fields.One2many(
        "internal.sla.agreement.template.frame", "template_id", string="Empowerment frames"
    )
