from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import format_duration

from ..engine.limits import MAX_DURATION, MIN_DURATION
from ..engine.matching import END_OF_DAY, TargetInfo

PRIORITIES = [("0", "Low"), ("1", "Medium"), ("2", "High"), ("3", "Very High")]
DURATION_TYPES = [
    ("minutes", "Working minutes"),
    ("hours", "Working hours"),
    ("days", "Working days"),
    ("end_of_day", "End of the working day"),
    ("end_of_next_day", "End of the next working day"),
]
METRICS = [
    ("first_response", "First response"),
    ("resolution", "Resolution"),
    ("stage", "Time in a stage"),
]


class InternalSlaTargetValuesMixin(models.AbstractModel):
    """What a target says: shared by targets, template targets and amendment lines."""

    _name = "internal.sla.target.values.mixin"
    _description = "Target Definition"
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    name = fields.Char(required=True)
    metric = fields.Selection(METRICS, required=True, default="resolution")
    stage_id = fields.Many2one(
        "helpdesk.ticket.stage",
        help="For 'Time in a stage': the stage whose duration is limited.",
    )
    priority = fields.Selection(
        PRIORITIES, help="Applies to requests of this priority; empty = any priority."
    )
    category_ids = fields.Many2many(
        "helpdesk.ticket.category",
        string="Categories",
        help="Applies to requests of these categories; empty = any category.",
    )
    duration_type = fields.Selection(
        DURATION_TYPES, string="Unit", required=True, default="hours"
    )
    duration = fields.Float(default=8.0, help="Number of working minutes, hours or days.")
    cutoff_time = fields.Float(
        string="Cut-off",
        help="For 'End of the working day' and 'End of the next working day': a request "
        "reaching the team at or after this hour (the calendar's time zone) counts from the "
        "next working day. Empty: no cut-off.",
    )
    at_risk_percent = fields.Float(
        string="At risk at (%)",
        default=lambda self: float(
            self.env["ir.config_parameter"].sudo().get_param("internal_sla.at_risk_percent", 75)
        ),
        help="Share of the target after which a running line is flagged as at risk.",
    )
    duration_display = fields.Char(compute="_compute_duration_display", string="Target")

    @api.depends("duration_type", "duration", "cutoff_time")
    def _compute_duration_display(self):
        env = self.env
        units = {
            # (one, several): "1 working hour", "2 working hours"
            "minutes": (env._("working minute"), env._("working minutes")),
            "hours": (env._("working hour"), env._("working hours")),
            "days": (env._("working day"), env._("working days")),
        }
        labels = dict(self._fields["duration_type"]._description_selection(self.env))
        for target in self:
            if target.duration_type in units:
                one, several = units[target.duration_type]
                unit = one if target.duration == 1 else several
                target.duration_display = f"{target.duration:g} {unit}"
            else:
                target.duration_display = labels.get(target.duration_type, "")
                if target.cutoff_time:
                    target.duration_display = env._(
                        "%(label)s (from %(hour)s: one day later)",
                        label=target.duration_display,
                        hour=format_duration(target.cutoff_time),
                    )

    @api.onchange("duration_type")
    def _onchange_duration_type_cutoff(self):
        """A cut-off only means something for the end-of-day units."""
        for target in self:
            if target.duration_type not in END_OF_DAY:
                target.cutoff_time = 0.0

    # -- validation (A6) ----------------------------------------------------------------------

    def _values_owner(self):
        """How an error names these values: "Target 'X' of agreement Y" and the like."""
        return self.env._("Target '%s'", self.name)

    @api.constrains(
        "duration", "duration_type", "at_risk_percent", "metric", "stage_id", "cutoff_time"
    )
    def _check_values(self):
        for target in self:
            where = target._values_owner()
            longest = MAX_DURATION.get(target.duration_type)
            if longest and not 0 < target.duration <= longest:
                raise ValidationError(
                    self.env._(
                        "%(where)s: the duration must be a positive number of %(unit)s, "
                        "at most %(longest)s (got %(value)s).",
                        where=where,
                        unit=dict(
                            self._fields["duration_type"]._description_selection(self.env)
                        )[target.duration_type].lower(),
                        longest=longest,
                        value=target.duration,
                    )
                )
            shortest = MIN_DURATION.get(target.duration_type)
            if shortest and 0 < target.duration < shortest - 1e-9:
                raise ValidationError(
                    self.env._(
                        "%(where)s: a target of less than a minute (got %(value)s) is no "
                        "time at all; give it at least one minute.",
                        where=where,
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
            if target.cutoff_time and (
                target.duration_type not in END_OF_DAY or not 0 < target.cutoff_time < 24
            ):
                raise ValidationError(
                    self.env._(
                        "%(where)s: a Cut-off is an hour between 00:00 and 24:00 and applies "
                        "to 'End of the working day' and 'End of the next working day' "
                        "targets only.",
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

    def _info(self):
        """This target as the engine's ``TargetInfo`` (matching, clocks, simulation)."""
        self.ensure_one()
        return TargetInfo(
            id=self.id,
            name=self.name,
            metric=self.metric,
            stage_id=self.stage_id.id or None,
            priority=self.priority or None,
            category_ids=frozenset(self.category_ids.ids),
            duration_type=self.duration_type,
            duration=self.duration,
            at_risk_percent=self.at_risk_percent,
            sequence=self.sequence,
            cutoff_hour=self.cutoff_time or None,
        )

    def _target_values(self):
        self.ensure_one()
        return {
            "sequence": self.sequence,
            "name": self.name,
            "metric": self.metric,
            "stage_id": self.stage_id.id,
            "priority": self.priority,
            "category_ids": [fields.Command.set(self.category_ids.ids)],
            "duration_type": self.duration_type,
            "duration": self.duration,
            "cutoff_time": self.cutoff_time,
            "at_risk_percent": self.at_risk_percent,
        }

    def _summary(self):
        return "; ".join(f"{t.name}: {t.duration_display}" for t in self) or "-"
