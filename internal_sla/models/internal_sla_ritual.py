from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError

from ..engine.limits import MAX_MEETING_HOURS
from .res_config_settings import positive_setting

KINDS = [("sync", "Weekly sync"), ("review", "Three-level review")]
CADENCES = [("weekly", "Weekly"), ("monthly", "Monthly"), ("quarterly", "Quarterly")]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class InternalSlaRitual(models.Model):
    """A recurring review meeting of an agreement (SPEC D1), kept in Odoo's calendar as a
    recurrence whose attendees are resolved from roles, not typed in."""

    _name = "internal.sla.ritual"
    _description = "Agreement Review Ritual"
    _order = "agreement_id, kind desc, id"

    agreement_id = fields.Many2one(
        "internal.sla.agreement", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="agreement_id.company_id", store=True)
    kind = fields.Selection(KINDS, required=True, default="sync")
    purpose = fields.Char(
        help="What the meetings are for, e.g. IT ideas for marketing, a review of the "
        "difficult cases, coaching: it names them in the calendar.",
    )
    cadence = fields.Selection(
        CADENCES,
        required=True,
        compute="_compute_cadence",
        store=True,
        readonly=False,
        precompute=True,
    )
    max_level = fields.Selection(
        [("1", "Managers"), ("2", "Up to heads of department"), ("3", "Up to top management")],
        string="Levels",
        required=True,
        compute="_compute_max_level",
        store=True,
        readonly=False,
        precompute=True,
        help="Attendees on both sides: level 1 the agreement owners (managers), level 2 "
        "the managers of their parent departments, level 3 top management.",
    )
    date_first = fields.Datetime(
        string="First meeting",
        required=True,
        compute="_compute_date_first",
        store=True,
        readonly=False,
        precompute=True,
        help="Default: the weekday and hour of Settings for this kind of ritual.",
    )
    duration = fields.Float(
        default=lambda self: positive_setting(self.env, "meeting_duration_hours"),
        help="Hours (default: the meetings' length of Settings).",
    )
    date_until = fields.Date(
        string="Repeat until",
        compute="_compute_date_until",
        store=True,
        readonly=False,
        precompute=True,
        help="Default: the end of the agreement, or one year after the first meeting.",
    )
    event_id = fields.Many2one(
        "calendar.event", string="First event", readonly=True, ondelete="set null"
    )
    recurrence_id = fields.Many2one(related="event_id.recurrence_id")
    event_ids = fields.One2many("calendar.event", "sla_ritual_id", string="Meetings")
    next_date = fields.Datetime(compute="_compute_next_date", string="Next meeting")

    _check_duration = models.Constraint(
        f"CHECK(duration > 0 AND duration <= {MAX_MEETING_HOURS})",
        "A ritual meeting lasts a positive number of hours, at most 24.",
    )

    @api.depends("kind")
    def _compute_cadence(self):
        for ritual in self:
            if ritual.kind == "sync":
                ritual.cadence = "weekly"
            elif ritual.cadence in (False, "weekly"):
                ritual.cadence = "monthly"

    @api.depends("kind", "agreement_id")
    def _compute_date_first(self):
        """A ritual being created gets its first meeting from Settings (G1), following its
        kind; a saved one keeps its date."""
        for ritual in self:
            if ritual.agreement_id and ritual.kind and not ritual._origin.id:
                ritual.date_first = ritual.agreement_id._sla_ritual_first_date(ritual.kind)

    @api.depends("kind")
    def _compute_max_level(self):
        for ritual in self:
            ritual.max_level = "3" if ritual.kind == "review" else "1"

    @api.depends("date_first", "agreement_id.date_end")
    def _compute_date_until(self):
        for ritual in self:
            if ritual.date_first and not ritual.date_until:
                ritual.date_until = ritual.agreement_id.date_end or (
                    ritual.date_first.date() + relativedelta(years=1)
                )

    def _compute_next_date(self):
        now = fields.Datetime.now()
        upcoming = self.env["calendar.event"]._read_group(
            [("sla_ritual_id", "in", self.ids), ("start", ">=", now)],
            ["sla_ritual_id"],
            ["start:min"],
        )
        first = dict(upcoming)
        for ritual in self:
            ritual.next_date = first.get(ritual, False)

    @api.depends("agreement_id.name", "kind", "cadence", "purpose")
    def _compute_display_name(self):
        cadences = dict(CADENCES)
        for ritual in self:
            if ritual.kind == "sync":
                what = self.env._("%s sync", cadences.get(ritual.cadence, "").lower())
            else:
                what = self.env._("%s review", cadences.get(ritual.cadence, "").lower())
            purpose = f" — {ritual.purpose}" if ritual.purpose else ""
            ritual.display_name = f"{ritual.agreement_id.name}: {what}{purpose}"

    @api.constrains("kind", "cadence")
    def _check_review_cadence(self):
        """The three-level review is monthly or quarterly (D1): weekly is the sync's."""
        for ritual in self:
            if ritual.kind == "review" and ritual.cadence == "weekly":
                raise ValidationError(
                    self.env._(
                        "%(ritual)s: a three-level review is held monthly or quarterly; "
                        "choose one of them as its Cadence, or make it a weekly sync.",
                        ritual=ritual.display_name,
                    )
                )

    @api.constrains("date_first", "date_until")
    def _check_dates(self):
        for ritual in self:
            if ritual.date_until and ritual.date_until < ritual.date_first.date():
                raise ValidationError(
                    self.env._(
                        "%(ritual)s: 'Repeat until' is before the first meeting; choose a "
                        "later date.",
                        ritual=ritual.display_name,
                    )
                )

    # -- calendar ---------------------------------------------------------------------------

    def _recurrence_values(self):
        """Odoo recurrence fields of ``calendar.event`` for this cadence."""
        self.ensure_one()
        tz = self.agreement_id.tz or "UTC"
        local_start = fields.Datetime.context_timestamp(
            self.with_context(tz=tz), self.date_first
        )
        values = {
            "recurrency": True,
            "event_tz": tz,
            "end_type": "end_date",
            "until": self.date_until,
            "interval": 1,
        }
        if self.cadence == "weekly":
            values["rrule_type"] = "weekly"
            values.update(
                {day: index == local_start.weekday() for index, day in enumerate(WEEKDAYS)}
            )
        else:
            # on the weekday of the month of the first meeting ("the first Wednesday", as
            # Settings place a review), not on its date: the 4th falls on any weekday;
            # a weekday in the fifth week of its month is the last one of each month
            week = (local_start.day - 1) // 7 + 1
            values.update(
                {
                    "rrule_type": "monthly",
                    "interval": 3 if self.cadence == "quarterly" else 1,
                    "month_by": "day",
                    "byday": str(week) if week <= 4 else "-1",
                    "weekday": WEEKDAYS[local_start.weekday()].upper(),
                }
            )
        return values

    def action_schedule(self):
        """Put each ritual in the calendar: one recurring event with role attendees.

        Once scheduled, the series is an ordinary Odoo recurrence: moving it or changing
        its rule is done on the meetings ("this and following events"), whose copies keep
        the ritual, so their attendees still follow the roles."""
        Event = self.env["calendar.event"].with_context(
            no_mail_to_attendees=True, mail_create_nolog=True, skip_contact_description=True
        )
        for ritual in self.filtered(lambda r: not r.event_id):
            agreement = ritual.agreement_id
            users, vacant = agreement._sla_attendees(int(ritual.max_level))
            organizer = (
                agreement.provider_owner_id or agreement.customer_owner_id or self.env.user
            )
            event = Event.create(
                dict(
                    ritual._recurrence_values(),
                    name=ritual.display_name,
                    start=ritual.date_first,
                    stop=ritual.date_first + timedelta(hours=ritual.duration),
                    user_id=organizer.id,
                    partner_ids=[Command.set(users.partner_id.ids)],
                    sla_agreement_id=agreement.id,
                    sla_ritual_id=ritual.id,
                    sla_kind=ritual.kind,
                )
            )
            ritual.event_id = event
            agreement._sla_note_vacant_roles(vacant, ritual.display_name)
        return True

    def write(self, vals):
        result = super().write(vals)
        if "max_level" in vals:
            self.filtered("event_id")._sync_attendees()
        return result

    def _future_events(self):
        return self.env["calendar.event"].search(
            [("sla_ritual_id", "in", self.ids), ("start", ">=", fields.Datetime.now())]
        )

    def _sync_attendees(self):
        """Future meetings of these rituals get the people now in the roles; people who
        left a role leave the future meetings, past meetings keep who attended."""
        events = self._future_events()
        for ritual in self:
            users, vacant = ritual.agreement_id._sla_attendees(int(ritual.max_level))
            mine = events.filtered(lambda e, r=ritual: e.sla_ritual_id == r)
            stale = mine.filtered(
                lambda e, u=users: set(e.partner_ids.ids) != set(u.partner_id.ids)
            )
            if stale:
                stale.with_context(no_mail_to_attendees=True).write(
                    {"partner_ids": [Command.set(users.partner_id.ids)]}
                )
                ritual.agreement_id.message_post(
                    body=self.env._(
                        "%(ritual)s: attendees of %(count)s future meetings updated to "
                        "%(people)s.",
                        ritual=ritual.display_name,
                        count=len(stale),
                        people=", ".join(users.mapped("name")) or "-",
                    ),
                    subtype_xmlid="mail.mt_note",
                )
                ritual.agreement_id._sla_note_vacant_roles(vacant, ritual.display_name)
