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
        records._sla_log_on_agreement("added")
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
            part._sla_log_on_agreement("changed", before[part.id], ", ".join(labels))
        return res

    def unlink(self):
        self._sla_log_on_agreement("removed")
        return super().unlink()

    def _sla_log_on_agreement(self, action, name=None, changed=""):
        """Note ``action`` (added, changed, removed) of these parts on their agreements in
        force; ``changed``: the labels of the fields changed."""
        # the model's name in the reader's language (``_description`` is the English one)
        kind = self.env["ir.model"]._get(self._name).name
        for part in self.filtered(lambda part: part.agreement_id.state in ACTIVE_STATES):
            values = {
                "kind": kind,
                "name": name or part.display_name,
                "user": self.env.user.name,
                "fields": changed,
            }
            if action == "added":
                text = self.env._("%(kind)s “%(name)s” added by %(user)s.", **values)
            elif action == "changed":
                text = self.env._(
                    "%(kind)s “%(name)s” changed by %(user)s: %(fields)s.", **values
                )
            else:
                text = self.env._("%(kind)s “%(name)s” removed by %(user)s.", **values)
            part.agreement_id.sudo().message_post(
                body=Markup("<p>%s</p>") % text, subtype_xmlid="mail.mt_note"
            )
