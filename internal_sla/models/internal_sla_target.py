from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .internal_sla_target_values_mixin import METRICS, PRIORITIES


class InternalSlaTarget(models.Model):
    _name = "internal.sla.target"
    _description = "Agreement Target"
    _inherit = "internal.sla.target.values.mixin"
    _order = "sequence, id"

    agreement_id = fields.Many2one(
        "internal.sla.agreement", required=True, ondelete="cascade", index=True
    )
    version_id = fields.Many2one(
        "internal.sla.agreement.version",
        ondelete="cascade",
        index=True,
        help="Empty on the agreement's working definition; set on the frozen copies "
        "that versions keep.",
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    name = fields.Char(
        compute="_compute_name", store=True, readonly=False, required=True, precompute=True
    )

    @api.depends("metric", "priority", "duration_type", "duration", "stage_id")
    def _compute_name(self):
        for target in self:
            metric = dict(METRICS)[target.metric or "resolution"]
            if target.metric == "stage" and target.stage_id:
                metric = self.env._("Time in %s", target.stage_id.name)
            priority = (
                dict(PRIORITIES)[target.priority] if target.priority else self.env._("any")
            )
            target.name = self.env._(
                "%(metric)s (%(priority)s priority)", metric=metric, priority=priority
            )

    # -- validation (A6) ----------------------------------------------------------------------

    @api.constrains("duration", "duration_type", "at_risk_percent", "metric", "stage_id")
    def _check_values(self):
        for target in self:
            where = self.env._(
                "Target '%(target)s' of agreement %(agreement)s",
                target=target.name,
                agreement=target.agreement_id.name,
            )
            if target.duration_type not in ("end_of_day", "end_of_next_day") and (
                target.duration <= 0
            ):
                raise ValidationError(
                    self.env._(
                        "%(where)s: the duration must be a positive number of working "
                        "%(unit)s (got %(value)s).",
                        where=where,
                        unit=target.duration_type,
                        value=target.duration,
                    )
                )
            if not 0 < target.at_risk_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "%(where)s: 'At risk at (%%)' must be between 1 and 100.",
                        where=where,
                    )
                )
            if target.metric == "stage" and not target.stage_id:
                raise ValidationError(
                    self.env._(
                        "%(where)s: choose the Stage whose time is limited.",
                        where=where,
                    )
                )

    # -- immutability: targets in force change only through an amendment (H1) ------------------

    def _check_editable(self):
        if self.env.context.get("internal_sla_amendment"):
            return
        for target in self:
            if target.version_id or target.agreement_id.state != "draft":
                raise UserError(
                    self.env._(
                        "Agreement %(agreement)s is in force: its targets change only "
                        "through an amendment (Amend button), effective from a date.",
                        agreement=target.agreement_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        targets = super().create(vals_list)
        targets.filtered(lambda t: not t.version_id)._check_editable()
        self.env["internal.sla.agreement"]._sla_index_changed()
        return targets

    def write(self, vals):
        self._check_editable()
        res = super().write(vals)
        self.env["internal.sla.agreement"]._sla_index_changed()
        return res

    def unlink(self):
        self.filtered(lambda t: t.agreement_id.exists())._check_editable()
        res = super().unlink()
        self.env["internal.sla.agreement"]._sla_index_changed()
        return res

    # -- arithmetic -------------------------------------------------------------------------

    def _target_seconds(self, start, working_time):
        """Working seconds this target allows for a request started at ``start``."""
        self.ensure_one()
        return self._info().seconds(
            start, working_time, self.agreement_id.resource_calendar_id.hours_per_day
        )

    def _first_clash(self, others):
        """Describe the first (metric, priority, category) both target sets cover."""
        for mine in self:
            for other in others:
                if mine.metric != other.metric or mine.stage_id != other.stage_id:
                    continue
                if mine.priority and other.priority and mine.priority != other.priority:
                    continue
                if (
                    mine.category_ids
                    and other.category_ids
                    and not (mine.category_ids & other.category_ids)
                ):
                    continue
                return self.env._(
                    "%(metric)s targets for %(priority)s priority",
                    metric=dict(METRICS)[mine.metric],
                    priority=dict(PRIORITIES).get(mine.priority or other.priority)
                    or self.env._("any"),
                )
        return False

    def _copy_values(self):
        return self._target_values()
