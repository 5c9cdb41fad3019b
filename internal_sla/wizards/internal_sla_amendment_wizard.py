from odoo import Command, api, fields, models
from odoo.exceptions import UserError


class InternalSlaAmendmentWizard(models.TransientModel):
    """Change the targets of an agreement in force: a new version from a date (H1)."""

    _name = "internal.sla.amendment.wizard"
    _description = "Amend an Agreement"

    agreement_id = fields.Many2one("internal.sla.agreement", required=True)
    date_effective = fields.Date(
        string="Effective from", required=True, default=fields.Date.context_today
    )
    note = fields.Text(string="Reason", required=True)
    line_ids = fields.One2many("internal.sla.amendment.wizard.line", "wizard_id")

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        agreement = self.env["internal.sla.agreement"].browse(res.get("agreement_id"))
        if agreement and "line_ids" in fields_list:
            res["line_ids"] = [
                Command.create(
                    {k: v for k, v in t._copy_values().items() if k != "name"}
                    | {"name": t.name}
                )
                for t in agreement.target_ids
            ]
        return res

    def action_confirm(self):
        self.ensure_one()
        agreement = self.agreement_id
        today = fields.Date.context_today(self)
        if self.date_effective < today:
            raise UserError(
                self.env._(
                    "Effective from (%(date)s) is in the past: an amendment takes effect "
                    "today or later, history is never rewritten.",
                    date=self.date_effective,
                )
            )
        if agreement.state not in ("active", "review"):
            raise UserError(
                self.env._(
                    "Only agreements in force are amended; "
                    "edit the targets of a draft directly."
                )
            )
        if not self.line_ids:
            raise UserError(self.env._("An amendment needs at least one target."))
        # the targets amended are the latest version's: in force from a date before an
        # already scheduled version, the amendment would take that version's targets
        # early and be undone on its date
        latest = agreement.version_ids.sorted(lambda v: (v.date_effective, v.number))[-1:]
        if latest and self.date_effective < latest.date_effective:
            raise UserError(
                self.env._(
                    "Version %(number)s is already scheduled from %(scheduled)s and this "
                    "amendment starts from its targets: set Effective from to %(scheduled)s "
                    "or later.",
                    number=latest.number,
                    scheduled=latest.date_effective,
                )
            )
        Target = self.env["internal.sla.target"].with_context(internal_sla_amendment=True)
        old_targets = agreement.target_ids
        old_summary = old_targets._summary()
        new_targets = Target.create(
            [dict(line._target_values(), agreement_id=agreement.id) for line in self.line_ids]
        )
        version = agreement.with_context(internal_sla_amendment=True)._create_version(
            self.date_effective, self.note, new_targets
        )
        old_targets.with_context(internal_sla_amendment=True).unlink()
        agreement._check_no_overlap()
        agreement.message_post(
            body=self.env._(
                "Amended: version %(number)s effective from %(date)s. Reason: %(note)s\n"
                "Before: %(before)s\nAfter: %(after)s",
                number=version.number,
                date=self.date_effective,
                note=self.note,
                before=old_summary,
                after=new_targets._summary(),
            ),
            subtype_xmlid="mail.mt_note",
        )
        # in force from today: its NPS milestone now, not at the next daily run
        version.sudo()._send_nps_in_force(today)
        return {"type": "ir.actions.act_window_close"}

    def action_simulate(self):
        """Replay past tickets against the targets of this amendment (H2)."""
        self.ensure_one()
        simulation = self.env["internal.sla.simulation"].create(
            {"agreement_id": self.agreement_id.id, "amendment_id": self.id}
        )
        return simulation._reopen()


class InternalSlaAmendmentWizardLine(models.TransientModel):
    _name = "internal.sla.amendment.wizard.line"
    _description = "Amended Target"
    _inherit = "internal.sla.target.values.mixin"

    wizard_id = fields.Many2one(
        "internal.sla.amendment.wizard", required=True, ondelete="cascade"
    )
    category_ids = fields.Many2many(
        relation="internal_sla_amendment_line_category_rel",
        column1="line_id",
        column2="category_id",
    )

    def _values_owner(self):
        return self.env._(
            "Target '%(target)s' of the amendment of %(agreement)s",
            target=self.name,
            agreement=self.wizard_id.agreement_id.name,
        )
