from markupsafe import Markup

from odoo import api, models

from .internal_sla_agreement import ACTIVE_STATES


class InternalSlaAgreementPartMixin(models.AbstractModel):
    """A part of an agreement editable while it is in force (frames, stage rules): each
    change leaves a note in the agreement's chatter, so that every change of an agreement
    in force stays visible (A1) even where no amendment is asked for."""

    _name = "internal.sla.agreement.part.mixin"
    _description = "Part of an agreement, logged on it while in force"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._sla_log_on_agreement(self.env._("added"))
        return records

    def write(self, vals):
        logged = self.filtered(lambda part: part.agreement_id.state in ACTIVE_STATES)
        before = {part.id: part.display_name for part in logged}
        res = super().write(vals)
        labels = [
            self._fields[name].get_description(self.env)["string"]
            for name in vals
            if name in self._fields and name != "sequence"  # a drag in the list
        ]
        for part in logged if labels else ():
            part._sla_log_on_agreement(
                self.env._("changed (%s)", ", ".join(labels)), name=before[part.id]
            )
        return res

    def unlink(self):
        self._sla_log_on_agreement(self.env._("removed"))
        return super().unlink()

    def _sla_log_on_agreement(self, what, name=None):
        for part in self.filtered(lambda part: part.agreement_id.state in ACTIVE_STATES):
            part.agreement_id.sudo().message_post(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "%(kind)s “%(name)s” %(what)s by %(user)s.",
                    kind=self._description,
                    name=name or part.display_name,
                    what=what,
                    user=self.env.user.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
