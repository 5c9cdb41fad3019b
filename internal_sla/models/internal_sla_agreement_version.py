from odoo import api, fields, models
from odoo.exceptions import UserError


class InternalSlaAgreementVersion(models.Model):
    _name = "internal.sla.agreement.version"
    _description = "Agreement Version"
    _order = "agreement_id, number desc"

    agreement_id = fields.Many2one(
        "internal.sla.agreement", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    number = fields.Integer(required=True, readonly=True)
    date_effective = fields.Date(
        string="Effective from",
        required=True,
        readonly=True,
        help="Tickets created from this day on are measured against this version.",
    )
    note = fields.Text(string="Reason / changes", readonly=True)
    target_ids = fields.One2many("internal.sla.target", "version_id", readonly=True)
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    nps_milestone_sent = fields.Boolean(
        string="NPS sent at this milestone",
        readonly=True,
        copy=False,
        help="An amendment of an agreement with NPS 'At milestones': its NPS survey went "
        "out when it came into force (once).",
    )
    status = fields.Selection(
        [
            ("scheduled", "Scheduled"),
            ("current", "In force"),
            ("superseded", "Superseded"),
        ],
        compute="_compute_status",
    )

    _number_unique = models.Constraint(
        "UNIQUE(agreement_id, number)", "Version numbers are unique per agreement."
    )

    @api.depends("agreement_id.name", "number")
    def _compute_display_name(self):
        for version in self:
            version.display_name = self.env._(
                "%(agreement)s v%(number)s",
                agreement=version.agreement_id.name,
                number=version.number,
            )

    def _compute_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [("sla_version_id", "in", self.ids)], ["sla_version_id"], ["__count"]
            )
        )
        for version in self:
            version.ticket_count = counts.get(version, 0)

    @api.depends("date_effective", "agreement_id.version_ids.date_effective")
    def _compute_status(self):
        today = fields.Date.context_today(self)
        for version in self:
            current = version.agreement_id._version_at(today)
            if version == current:
                version.status = "current"
            elif version.date_effective > today:
                version.status = "scheduled"
            else:
                version.status = "superseded"

    def _send_nps_in_force(self, today):
        """The NPS milestone of the amendments among these versions that are in force on
        ``today`` and have not had it yet: one round each, never twice."""
        due = self.filtered(
            lambda v: (
                v.number > 1
                and not v.nps_milestone_sent
                and v.date_effective <= today
                and v.agreement_id._nps_at_milestones()
            )
        )
        for version in due:
            version.agreement_id._send_nps(
                milestone=self.env._("amendment v%(number)s in force", number=version.number)
            )
        due.nps_milestone_sent = True
        return due

    @api.model_create_multi
    def create(self, vals_list):
        versions = super().create(vals_list)
        self.env["internal.sla.agreement"]._sla_index_changed()
        return versions

    @api.ondelete(at_uninstall=False)
    def _unlink_except_used(self):
        if (
            self.env["helpdesk.ticket"]
            .sudo()
            .search_count([("sla_version_id", "in", self.ids)], limit=1)
        ):
            raise UserError(
                self.env._("A version that measured tickets is history: it cannot be deleted.")
            )

    def unlink(self):
        res = super().unlink()
        self.env["internal.sla.agreement"]._sla_index_changed()
        return res
