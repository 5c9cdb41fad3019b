from odoo import api, fields, models


class InternalSlaMeetingCause(models.Model):
    """Why an unscheduled review was proposed (SPEC D2): one row per agreement and cause.

    The unique key is what makes a trigger fire once per cause however often the
    backlog/breach cron, a survey answer or a user raises it again.
    """

    _name = "internal.sla.meeting.cause"
    _description = "Unscheduled Review Cause"
    _order = "date desc, id desc"

    agreement_id = fields.Many2one(
        "internal.sla.agreement", required=True, ondelete="cascade", index=True, readonly=True
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    cause = fields.Char(
        required=True,
        readonly=True,
        help="Stable key of the trigger, e.g. 'backlog:2026-W10' or 'detractor:42'.",
    )
    reason = fields.Char(required=True, readonly=True)
    kind = fields.Selection(
        [
            ("backlog", "Backlog growth"),
            ("breaches", "Breaches"),
            ("detractor", "Detractor answer"),
            ("initiative", "New initiative"),
            ("other", "Other"),
        ],
        compute="_compute_kind",
        store=True,
    )
    date = fields.Datetime(default=fields.Datetime.now, readonly=True)
    event_id = fields.Many2one("calendar.event", string="Proposed meeting", ondelete="set null")
    activity_id = fields.Many2one("mail.activity", ondelete="set null", readonly=True)

    _cause_unique = models.Constraint(
        "UNIQUE(agreement_id, cause)",
        "A meeting is proposed once per cause and agreement.",
    )

    @api.depends("cause")
    def _compute_kind(self):
        known = dict(self._fields["kind"].selection)
        for cause in self:
            prefix = (cause.cause or "").split(":", 1)[0]
            cause.kind = prefix if prefix in known else "other"
