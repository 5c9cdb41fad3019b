from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine.working_time import NoWorkingTime
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

    def _values_owner(self):
        return self.env._(
            "Target '%(target)s' of agreement %(agreement)s",
            target=self.name,
            agreement=self.agreement_id.name,
        )

    @api.constrains("duration", "duration_type")
    def _check_reachable(self):
        """Refuse a target whose latest instant (its deadline relaxed in a surge, then its
        last escalation level) lies beyond the working time the engine plans ahead on the
        agreement's calendar: every request under it would fail to get a deadline."""
        self._check_values()  # out-of-range values first, whichever check Odoo runs first
        now = fields.Datetime.now()
        for target in self.filtered(lambda t: t.agreement_id.resource_calendar_id):
            agreement = target.agreement_id
            working_time = agreement._working_time()
            if not working_time.has_attendance:
                continue  # the agreement's calendar check says what to fix
            factor = agreement.surge_factor if agreement.surge_enabled else 1.0
            if agreement.escalation_enabled:
                factor *= max(100.0, agreement.escalation_level3_percent) / 100.0
            try:
                seconds = target._target_seconds(now, working_time)
                working_time.add(now, round(seconds * max(factor, 1.0)))
            except NoWorkingTime as error:
                raise ValidationError(
                    self.env._(
                        "%(where)s: %(target)s, relaxed in a surge and followed by the last "
                        "escalation level, ends beyond the four years of working time "
                        "planned on calendar %(calendar)s. Shorten the target, lower "
                        "'Level 3 at (%%)' or 'Relax targets by (×)', or add working hours "
                        "to the calendar.",
                        where=target._values_owner(),
                        target=target.duration_display,
                        calendar=agreement.resource_calendar_id.name,
                    )
                ) from error

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
