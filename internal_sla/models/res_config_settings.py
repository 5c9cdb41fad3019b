import functools

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

from ..engine import forecast, kpi
from ..engine.feedback import (
    CADENCES,
    DEFAULT_NEGATIVE_WORDS_EN,
    DEFAULT_NEGATIVE_WORDS_RU,
    MIN_RESPONDENTS,
)
from ..engine.limits import MAX_ESCALATION_PERCENT, MAX_MEETING_HOURS, MAX_SURGE_FACTOR

_lt = LazyTranslate(__name__)

MIN_AGENTS = 2  # a team of one shows that person's figures as the team's
WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]
# defaults of the positive settings read through ``positive_setting`` (whole numbers but
# the meetings' length, in hours)
POSITIVE_DEFAULTS = {
    "meeting_duration_hours": 1.0,  # new rituals' meetings and proposed reviews last
    "meeting_proposed_days": 2,  # an unscheduled review is proposed this many days ahead
    "energy_answer_days": 3,  # the meeting-energy survey is answered within
    "silent_after_answers": 2,  # answered in a row, then ignored: went silent
    "nps_milestone_days": 7,  # an amendment's NPS round is still sent this long after
    "forecast_history_days": 180,  # reached targets the forecast learns from
    "forecast_accuracy_days": 90,  # reached targets its accuracy is measured on
    "surge_average_days": forecast.AVERAGE_DAYS,  # a team's usual backlog over these days
    "kpi_window_months": 12,  # figures on records and the dashboard cover these months
}
# hours of the day (local to the agreement) of the settings read through ``hour_setting``
HOUR_DEFAULTS = {
    "ritual_sync_hour": 10.0,
    "ritual_review_hour": 11.0,
    "meeting_proposed_hour": 10.0,
}
# the values each numeric setting accepts, both ends included: beyond them a value is a typo
# (or, for windows of days, would ask the database for dates out of its range); settings
# not listed have their own checks (escalation levels, surge factor, health, hours)
SETTING_RANGES = {
    "at_risk_percent": (1, 100),
    "repeat_days": (1, 365),
    "pause_gaming_minutes": (0, 480),  # 0: no pause is suspicious
    "survey_cap": (0, 100),  # 0: no cap
    "answer_days": (1, 90),
    "followup_days": (1, 60),
    "energy_answer_days": (1, 90),
    "nps_milestone_days": (1, 90),
    "silent_after_answers": (1, 20),
    "meeting_backlog_growth": (1, 1000),
    "meeting_backlog_min": (0, 100000),
    "meeting_breach_count": (1, 100000),
    "meeting_agenda_lead_hours": (1, 720),
    "meeting_sla_goal": (0, 100),
    "meeting_fast_response_goal": (0, 100),
    "meeting_duration_hours": (0.25, MAX_MEETING_HOURS),
    "meeting_proposed_days": (1, 90),
    "surge_backlog_threshold": (0, 100000),
    "surge_average_percent": (0, 1000),
    "surge_average_days": (1, 365),
    "forecast_history_days": (1, 1825),
    "forecast_accuracy_days": (1, 1825),
    "forecast_threshold": (1, 100),
    "min_respondents": (1, 100),
    "benchmark_nps": (-100, 100),
    "benchmark_first_response_hours": (0.1, 2000),
    "benchmark_csat_percent": (0, 100),
    "benchmark_empowerment_percent": (0, 100),
    "benchmark_repeat_percent": (0, 100),
    "default_review_months": (1, 60),
    "kpi_window_months": (1, 60),
    "sweep_minutes": (1, 1440),
}
# who gets level-3 escalations, when a surge starts and the eNPS cadences: choices of the
# agreement and department fields whose defaults Settings sets
LEVEL3_RECIPIENTS = [
    ("top_manager", "Top manager"),
    ("customer_owner", "Customer-side owner"),
]
SURGE_CONDITIONS = [("any", "Either condition"), ("all", "Both conditions")]
ENPS_CADENCES = [c for c in CADENCES if c[0] != "milestone"]
# the survey each kind of feedback sends unless an agreement names its own (NPS)
SURVEY_KINDS = ("csat", "nps", "enps", "energy")

# weekdays (0 = Monday) of new rituals: the weekly sync on the next one, the monthly
# review on the first one of the next month
WEEKDAY_DEFAULTS = {"ritual_sync_weekday": 1, "ritual_review_weekday": 2}


def setting(env, key, default, cast=int):
    """The ``internal_sla.<key>`` setting, ``default`` when unset or unreadable."""
    value = env["ir.config_parameter"].sudo().get_param(f"internal_sla.{key}")
    if value in (None, False, ""):
        return default
    try:
        return cast(value)
    except ValueError:
        return default


def active_lang(env, lang):
    """``lang`` if it is an active language, else ``None`` (a person who left may keep a
    language deactivated since, and Odoo refuses an inactive one in a context)."""
    return lang if lang and env["res.lang"]._get_data(code=lang) else None


def automation_lang(env):
    """The language the product's scheduled jobs write their notes in (they run without
    one, which would be English): Settings, else the company's, else the job's user's
    (each read only when the one before is not set); ``None`` when none is active."""
    return (
        active_lang(env, setting(env, "automation_lang", "", str))
        or active_lang(env, env.company.partner_id.lang)
        or active_lang(env, env.user.lang)
    )


def with_automation_lang(records):
    """``records`` in ``automation_lang`` when they have no language (a scheduled job);
    records with one (a person's action, a screen) keep it."""
    lang = None if records.env.context.get("lang") else automation_lang(records.env)
    return records.with_context(lang=lang) if lang else records


def recipient_env(records, user):
    """The environment of ``records`` in ``user``'s language, for what is addressed to
    that person (an activity's summary): theirs, whoever or whatever writes it."""
    lang = active_lang(records.env, user.lang) if user else None
    return records.with_context(lang=lang).env if lang else records.env


def selection_label(records, field_name, value, env=None):
    """The label of ``value`` of the selection field ``field_name`` of ``records``, in the
    language of ``env`` (default: theirs), for texts that name it."""
    field = records._fields[field_name]
    return dict(field._description_selection(env or records.env)).get(value, value)


def in_automation_lang(method):
    """Run a scheduled job's method ``with_automation_lang``."""

    @functools.wraps(method)
    def in_lang(self, *args, **kwargs):
        return method(with_automation_lang(self), *args, **kwargs)

    return in_lang


def positive_setting(env, key):
    """A setting of ``POSITIVE_DEFAULTS`` (a number of days, answers, hours), of the type
    of its default; the default when unset or not positive (the Settings page refuses such
    values)."""
    default = POSITIVE_DEFAULTS[key]
    value = setting(env, key, default, type(default))
    return value if value > 0 else default


def hour_setting(env, key):
    """An hour of the day of ``HOUR_DEFAULTS`` (10.5 = 10:30), its default when unset or
    not within 0–24."""
    default = HOUR_DEFAULTS[key]
    value = setting(env, key, default, float)
    return value if 0 <= value < 24 else default


def weekday_setting(env, key):
    """A weekday of ``WEEKDAY_DEFAULTS`` (0 = Monday … 6 = Sunday)."""
    default = WEEKDAY_DEFAULTS[key]
    value = setting(env, key, default)
    return value if 0 <= value <= 6 else default


def min_respondents(env):
    """Anonymity minimum (H9): figures and comments over fewer respondents are hidden."""
    return max(1, setting(env, "min_respondents", MIN_RESPONDENTS))


def min_agents(env):
    """Fewest agents behind a team's or department's figures for everyone to read them
    (E4): below it they are one person's own figures. Two, or one (nobody hidden) when the
    anonymity minimum is set to one."""
    return min(MIN_AGENTS, min_respondents(env))


def fast_response_seconds(env):
    """The "first response < N h" benchmark, in working seconds."""
    return round(
        setting(env, "benchmark_first_response_hours", kpi.FAST_RESPONSE_SECONDS / 3600, float)
        * 3600
    )


# the F3 benchmarks as every screen names them
BENCHMARK_LABELS = {
    "nps": _lt("Internal NPS"),
    "first_response_mean": _lt("First response (mean)"),
    "csat_percent": _lt("Satisfaction index (CSAT)"),
    "empowerment_percent": _lt("Empowerment rate"),
    "repeat_percent": _lt("Repeat requests"),
}


def service_level_goals(env):
    """The goals (Settings) that agendas and scorecards hold the SLA met % and the share
    of fast first responses against, by KPI key."""
    sla_met = setting(env, "meeting_sla_goal", 90.0, float)
    return {
        "sla_met_percent": sla_met,
        "sla_met_percent_adjusted": sla_met,
        "response_met_percent": sla_met,
        "resolution_met_percent": sla_met,
        "stage_met_percent": sla_met,
        "target": sla_met,
        "fast_response_percent": setting(env, "meeting_fast_response_goal", 100.0, float),
    }


def benchmark_thresholds(env):
    """The F3 benchmarks as set in Settings, by KPI key (``kpi.benchmarks``)."""
    return {
        "nps": setting(env, "benchmark_nps", 50.0, float),
        "first_response_mean": float(fast_response_seconds(env)),
        "csat_percent": setting(env, "benchmark_csat_percent", 85.0, float),
        "empowerment_percent": setting(env, "benchmark_empowerment_percent", 80.0, float),
        "repeat_percent": setting(env, "benchmark_repeat_percent", 5.0, float),
    }


def health(env, sla_met):
    """``kpi.health`` with the thresholds of Settings."""
    return kpi.health(
        sla_met,
        setting(env, "health_good_percent", kpi.HEALTH_GOOD, float),
        setting(env, "health_watch_percent", kpi.HEALTH_WATCH, float),
    )


def _survey_setting(kind, string, help_text):
    """The survey a kind of feedback sends (``internal_sla.<kind>_survey_id``)."""
    return fields.Many2one(
        "survey.survey",
        string=string,
        config_parameter=f"internal_sla.{kind}_survey_id",
        domain=[("internal_sla_kind", "=", kind)],
        help=help_text,
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    internal_sla_at_risk_percent = fields.Integer(
        string="At-risk threshold (%)",
        config_parameter="internal_sla.at_risk_percent",
        default=75,
        help="Share of a target's working time after which a running SLA line is "
        "flagged as at risk, unless the target sets its own threshold.",
    )
    internal_sla_repeat_days = fields.Integer(
        string="Repeat window (days)",
        config_parameter="internal_sla.repeat_days",
        default=7,
        help="A request of the same requester and category within this many days of a "
        "closed one counts as a repeat.",
    )
    internal_sla_pause_gaming_minutes = fields.Integer(
        string="Suspicious pause window (minutes)",
        config_parameter="internal_sla.pause_gaming_minutes",
        default=10,
        help="A request put on hold as waiting on the requester within this many minutes "
        "of the requester's reply is flagged.",
    )
    internal_sla_automation_lang = fields.Selection(
        selection="_internal_sla_lang_selection",
        string="Language of automated notes",
        config_parameter="internal_sla.automation_lang",
        help="The language the scheduled jobs write the notes on requests, agreements and "
        "meetings in (a person's action writes in that person's language; an activity is "
        "in the language of the person it is for). Empty: the company's language.",
    )
    internal_sla_escalation_level1_percent = fields.Integer(
        string="Escalation level 1 (%)",
        config_parameter="internal_sla.escalation_level1_percent",
        default=75,
    )
    internal_sla_escalation_level2_percent = fields.Integer(
        string="Escalation level 2 (%)",
        config_parameter="internal_sla.escalation_level2_percent",
        default=100,
    )
    internal_sla_escalation_level3_percent = fields.Integer(
        string="Escalation level 3 (%)",
        config_parameter="internal_sla.escalation_level3_percent",
        default=150,
    )

    # defaults of new agreements' escalation chain, kept as ``ir.default`` of their fields
    default_escalation_enabled = fields.Boolean(
        string="Escalate",
        default_model="internal.sla.agreement",
        default=True,
        help="New agreements escalate requests that use up their targets, level by level.",
    )
    default_escalation_level3_to = fields.Selection(
        LEVEL3_RECIPIENTS,
        string="Level 3 goes to",
        default_model="internal.sla.agreement",
        default="top_manager",
    )
    default_escalation_top_user_id = fields.Many2one(
        "res.users",
        string="Top manager",
        default_model="internal.sla.agreement",
        domain=[("share", "=", False)],
        help="Receives the level 3 escalations of new agreements; empty: the manager of "
        "the provider's top-level department.",
    )

    @api.model
    def _internal_sla_lang_selection(self):
        return self.env["res.lang"].get_installed()

    @api.constrains("internal_sla_repeat_days")
    def _check_internal_sla_repeat_days(self):
        if any(settings.internal_sla_repeat_days < 1 for settings in self):
            raise ValidationError(self.env._("Repeat window (days): give at least 1 day."))

    @api.constrains(
        "internal_sla_escalation_level1_percent",
        "internal_sla_escalation_level2_percent",
        "internal_sla_escalation_level3_percent",
    )
    def _check_internal_sla_escalation_levels(self):
        for settings in self:
            levels = (
                settings.internal_sla_escalation_level1_percent,
                settings.internal_sla_escalation_level2_percent,
                settings.internal_sla_escalation_level3_percent,
            )
            if not 0 < levels[0] < levels[1] < levels[2] <= MAX_ESCALATION_PERCENT:
                raise ValidationError(
                    self.env._(
                        "Escalation levels: level 1 must be above 0%%, each next level "
                        "higher than the one before and level 3 at most %s%% (e.g. 75, "
                        "100, 150).",
                        MAX_ESCALATION_PERCENT,
                    )
                )

    # -- feedback loop (C1–C5, H9, H10) ----------------------------------------------------
    internal_sla_survey_cap = fields.Integer(
        string="Surveys per person",
        config_parameter="internal_sla.survey_cap",
        default=4,
        help="At most this many feedback invitations (CSAT, NPS, eNPS) per person and "
        "period; beyond it people are sampled out, and the CSAT of people with more "
        "requests than that is sampled over the period. Meeting energy is not counted. "
        "0 = no cap.",
    )
    internal_sla_survey_cap_period = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter")],
        string="Survey budget period",
        config_parameter="internal_sla.survey_cap_period",
        default="month",
    )
    internal_sla_answer_days = fields.Integer(
        string="Answer within (days)",
        config_parameter="internal_sla.answer_days",
        default=5,
        help="An invitation not answered within this many days expires.",
    )
    internal_sla_followup_days = fields.Float(
        string="Follow up within (working days)",
        config_parameter="internal_sla.followup_days",
        default=2,
        help="Target of the follow-up of a detractor answer, in working days of the "
        "agreement's calendar.",
    )
    internal_sla_thank_promoters = fields.Boolean(
        string="Thank promoters",
        config_parameter="internal_sla.thank_promoters",
    )
    internal_sla_negative_words_en = fields.Char(
        string="Negative words (English)",
        config_parameter="internal_sla.negative_words_en",
        default=lambda self: DEFAULT_NEGATIVE_WORDS_EN,
        help="Comma-separated words or stems: a passive answer whose comment contains one "
        "gets a follow-up.",
    )
    internal_sla_negative_words_ru = fields.Char(
        string="Negative words (Russian)",
        config_parameter="internal_sla.negative_words_ru",
        default=lambda self: DEFAULT_NEGATIVE_WORDS_RU,
    )

    internal_sla_energy_answer_days = fields.Integer(
        string="Meeting energy answer within (days)",
        config_parameter="internal_sla.energy_answer_days",
        default=POSITIVE_DEFAULTS["energy_answer_days"],
        help="The attendees of a review meeting answer its energy survey within this many "
        "days; then the invitation expires.",
    )
    internal_sla_nps_milestone_days = fields.Integer(
        string="Amendment NPS round within (days)",
        config_parameter="internal_sla.nps_milestone_days",
        default=POSITIVE_DEFAULTS["nps_milestone_days"],
        help="An agreement with NPS 'At milestones' asks its NPS when an amendment comes "
        "into force: the daily job still sends that round this many days after the "
        "amendment's effective date (when it did not run on the day itself).",
    )
    internal_sla_silent_after_answers = fields.Integer(
        string="Went silent after (answers)",
        config_parameter="internal_sla.silent_after_answers",
        default=POSITIVE_DEFAULTS["silent_after_answers"],
        help="Who answered this many invitations of the same survey in a row and lets the "
        "next one expire went silent: the agreement owner gets an activity.",
    )

    default_enps_cadence = fields.Selection(
        ENPS_CADENCES,
        string="eNPS cadence of new departments",
        default_model="hr.department",
        default="none",
        help="How often new departments ask their own employees for their eNPS; each "
        "department sets its own on its form.",
    )
    internal_sla_csat_survey_id = _survey_setting(
        "csat",
        "CSAT survey",
        "Sent when a request closes. Empty: the first active CSAT survey.",
    )
    internal_sla_nps_survey_id = _survey_setting(
        "nps",
        "NPS survey",
        "Sent by agreements that do not name their own. Empty: the first active "
        "internal NPS survey.",
    )
    internal_sla_enps_survey_id = _survey_setting(
        "enps", "eNPS survey", "Empty: the first active eNPS survey."
    )
    internal_sla_energy_survey_id = _survey_setting(
        "energy",
        "Meeting energy survey",
        "Sent to the attendees after a review meeting. Empty: the first active "
        "meeting energy survey.",
    )

    @api.constrains(*(f"internal_sla_{kind}_survey_id" for kind in SURVEY_KINDS))
    def _check_feedback_surveys(self):
        kinds = dict(self.env["survey.survey"]._fields["internal_sla_kind"].selection)
        for settings in self:
            for kind in SURVEY_KINDS:
                name = f"internal_sla_{kind}_survey_id"
                survey = settings[name]
                if survey and survey.sudo().internal_sla_kind != kind:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s: choose a survey marked '%(kind)s' in its "
                            "'Internal SLA feedback' field (Surveys app); '%(survey)s' is not.",
                            setting=self._fields[name]._description_string(self.env),
                            kind=kinds[kind],
                            survey=survey.sudo().display_name,
                        )
                    )

    @api.constrains("internal_sla_survey_cap", "internal_sla_followup_days")
    def _check_feedback_settings(self):
        for settings in self:
            if settings.internal_sla_survey_cap < 0:
                raise ValidationError(
                    self.env._("Surveys per person: enter 0 (no cap) or a positive number.")
                )
            if settings.internal_sla_followup_days <= 0:
                raise ValidationError(
                    self.env._("Follow up within: enter a positive number of working days.")
                )

    # -- review meetings (SPEC D2, D3) -------------------------------------------------------
    internal_sla_meeting_backlog_growth = fields.Integer(
        string="Backlog growth trigger (%)",
        config_parameter="internal_sla.meeting_backlog_growth",
        default=20,
        help="Propose an unscheduled review when an agreement's open requests grew by more "
        "than this share week over week.",
    )
    internal_sla_meeting_backlog_min = fields.Integer(
        string="Minimum backlog",
        config_parameter="internal_sla.meeting_backlog_min",
        default=5,
        help="Backlog growth only counts from this many open requests.",
    )
    internal_sla_meeting_breach_count = fields.Integer(
        string="Breaches trigger",
        config_parameter="internal_sla.meeting_breach_count",
        default=5,
        help="Propose an unscheduled review after this many breached targets in the period.",
    )
    internal_sla_meeting_breach_period = fields.Selection(
        [("week", "Week"), ("month", "Month")],
        string="Breaches counted per",
        config_parameter="internal_sla.meeting_breach_period",
        default="week",
    )
    internal_sla_meeting_agenda_lead_hours = fields.Integer(
        string="Agenda lead time (hours)",
        config_parameter="internal_sla.meeting_agenda_lead_hours",
        default=24,
        help="The agenda is written into the meeting this many hours before it starts.",
    )
    internal_sla_meeting_sla_goal = fields.Integer(
        string="SLA met goal (%)",
        config_parameter="internal_sla.meeting_sla_goal",
        default=90,
        help="Goal against which agendas and scorecards show the SLA met %.",
    )
    internal_sla_meeting_fast_response_goal = fields.Integer(
        string="Fast responses goal (%)",
        config_parameter="internal_sla.meeting_fast_response_goal",
        default=100,
        help="Goal against which agendas and scorecards show the share of first responses "
        "within the first-response benchmark.",
    )

    @api.constrains("internal_sla_meeting_sla_goal", "internal_sla_meeting_fast_response_goal")
    def _check_internal_sla_meeting_goals(self):
        for settings in self:
            for goal in (
                settings.internal_sla_meeting_sla_goal,
                settings.internal_sla_meeting_fast_response_goal,
            ):
                if not 0 <= goal <= 100:
                    raise ValidationError(
                        self.env._("Agenda goals: give a percentage from 0 to 100.")
                    )

    internal_sla_ritual_sync_weekday = fields.Selection(
        WEEKDAYS,
        string="Weekly sync on",
        config_parameter="internal_sla.ritual_sync_weekday",
        default=str(WEEKDAY_DEFAULTS["ritual_sync_weekday"]),
        help="New weekly syncs meet on this day, from the next one on.",
    )
    internal_sla_ritual_sync_hour = fields.Float(
        string="Weekly sync at",
        config_parameter="internal_sla.ritual_sync_hour",
        default=HOUR_DEFAULTS["ritual_sync_hour"],
        help="Hour of new weekly syncs, in the agreement's time zone.",
    )
    internal_sla_ritual_review_weekday = fields.Selection(
        WEEKDAYS,
        string="Three-level review on",
        config_parameter="internal_sla.ritual_review_weekday",
        default=str(WEEKDAY_DEFAULTS["ritual_review_weekday"]),
        help="A new three-level review first meets on the first such day of next month, "
        "then on the same date every month (or quarter).",
    )
    internal_sla_ritual_review_hour = fields.Float(
        string="Three-level review at",
        config_parameter="internal_sla.ritual_review_hour",
        default=HOUR_DEFAULTS["ritual_review_hour"],
        help="Hour of new three-level reviews, in the agreement's time zone.",
    )
    internal_sla_meeting_duration_hours = fields.Float(
        string="Review meetings last (hours)",
        config_parameter="internal_sla.meeting_duration_hours",
        default=POSITIVE_DEFAULTS["meeting_duration_hours"],
        help="Length of the meetings of new rituals and of proposed unscheduled reviews.",
    )
    internal_sla_meeting_proposed_days = fields.Integer(
        string="Propose unscheduled reviews in (days)",
        config_parameter="internal_sla.meeting_proposed_days",
        default=POSITIVE_DEFAULTS["meeting_proposed_days"],
        help="An unscheduled review is proposed this many days after its cause, at the "
        "hour below, moved to the next working time of the agreement's calendar.",
    )
    internal_sla_meeting_proposed_hour = fields.Float(
        string="Propose unscheduled reviews at",
        config_parameter="internal_sla.meeting_proposed_hour",
        default=HOUR_DEFAULTS["meeting_proposed_hour"],
        help="Hour of a proposed unscheduled review, in the agreement's time zone.",
    )

    # -- load-adaptive targets (B11) and breach forecast (B12) -------------------------------
    internal_sla_surge_enabled = fields.Boolean(
        string="Relax targets in a surge",
        config_parameter="internal_sla.surge_enabled",
        help="Default of new agreements: relax the targets of requests filed while a "
        "provider team's backlog is abnormally high.",
    )
    internal_sla_surge_backlog_threshold = fields.Integer(
        string="Surge above (open requests)",
        config_parameter="internal_sla.surge_backlog_threshold",
        default=0,
    )
    internal_sla_surge_average_percent = fields.Integer(
        string="Surge above the average backlog (%)",
        config_parameter="internal_sla.surge_average_percent",
        default=50,
    )
    default_surge_condition = fields.Selection(
        SURGE_CONDITIONS,
        string="Surge when",
        default_model="internal.sla.agreement",
        default="any",
        help="New agreements: a surge needs either threshold or both.",
    )
    internal_sla_surge_factor = fields.Float(
        string="Relax targets by (×)",
        config_parameter="internal_sla.surge_factor",
        default=1.5,
    )
    internal_sla_forecast_threshold = fields.Integer(
        string="Likely to breach from (risk)",
        config_parameter="internal_sla.forecast_threshold",
        default=60,
        help="Open requests whose breach risk (0–100) reaches this value are listed by the "
        "'Likely to breach' filter.",
    )

    internal_sla_surge_average_days = fields.Integer(
        string="Average backlog over (days)",
        config_parameter="internal_sla.surge_average_days",
        default=POSITIVE_DEFAULTS["surge_average_days"],
        help="A team's usual backlog, which surge rules and the breach forecast compare "
        "its open requests with: the mean of its daily backlog over this many days "
        "(28 = the four weeks of the method).",
    )
    internal_sla_forecast_history_days = fields.Integer(
        string="Forecast history (days)",
        config_parameter="internal_sla.forecast_history_days",
        default=POSITIVE_DEFAULTS["forecast_history_days"],
        help="The breach forecast learns from the targets reached in this many days.",
    )
    internal_sla_forecast_accuracy_days = fields.Integer(
        string="Forecast accuracy over (days)",
        config_parameter="internal_sla.forecast_accuracy_days",
        default=POSITIVE_DEFAULTS["forecast_accuracy_days"],
        help="The forecast's precision and recall are measured on the targets reached in "
        "this many days; 'Measure on past requests' replays the forecast over them.",
    )

    internal_sla_forecast_accuracy = fields.Char(
        string="Forecast accuracy",
        compute="_compute_internal_sla_forecast_accuracy",
        help="How the forecast did on the targets reached lately: precision (flagged "
        "targets that breached) and recall (breaches that had been flagged).",
    )

    def _compute_internal_sla_forecast_accuracy(self):
        Ticket = self.env["helpdesk.ticket"].sudo()
        accuracy = Ticket._sla_forecast_accuracy(fields.Datetime.now())
        for settings in self:
            settings.internal_sla_forecast_accuracy = Ticket._sla_forecast_accuracy_text(
                accuracy[None]
            )

    def action_internal_sla_forecast_backtest(self):
        """Measure the forecast on the requests of its accuracy window as if it had run
        then."""
        Ticket = self.env["helpdesk.ticket"].sudo()
        Ticket._sla_forecast_backtest()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": Ticket._sla_forecast_accuracy_text(
                    Ticket._sla_forecast_accuracy(fields.Datetime.now())[None]
                ),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    @api.constrains(
        "internal_sla_surge_backlog_threshold",
        "internal_sla_surge_average_percent",
        "internal_sla_surge_factor",
        "internal_sla_forecast_threshold",
    )
    def _check_internal_sla_surge(self):
        for settings in self:
            if not 1.0 < settings.internal_sla_surge_factor <= MAX_SURGE_FACTOR:
                raise ValidationError(
                    self.env._(
                        "Relax targets by (×): give a factor above 1 and at most %s "
                        "(e.g. 1.5).",
                        MAX_SURGE_FACTOR,
                    )
                )
            if (
                settings.internal_sla_surge_backlog_threshold < 0
                or settings.internal_sla_surge_average_percent < 0
            ):
                raise ValidationError(
                    self.env._("Surge thresholds: give 0 (not used) or a positive number.")
                )
            if not 1 <= settings.internal_sla_forecast_threshold <= 100:
                raise ValidationError(
                    self.env._("Likely to breach from (risk): give a value from 1 to 100.")
                )

    # -- reports, benchmarks, anonymity (SPEC F3, E2, H9) ------------------------------------
    internal_sla_min_respondents = fields.Integer(
        string="Anonymity minimum (respondents)",
        config_parameter="internal_sla.min_respondents",
        default=MIN_RESPONDENTS,
        help="Survey figures (NPS, CSAT, eNPS) and comments of a group answered by fewer "
        "people than this are hidden everywhere. Team and department figures of requests "
        "handled by one agent only are hidden too, except from that agent and their "
        "managers (set 1 to show them).",
    )
    internal_sla_kpi_window_months = fields.Integer(
        string="Figures cover (months)",
        config_parameter="internal_sla.kpi_window_months",
        default=POSITIVE_DEFAULTS["kpi_window_months"],
        help="The figures shown on agreements, departments, teams, people and the "
        "dashboard cover this many months up to today; reports, scorecards and exports "
        "start there too unless you choose another period.",
    )
    internal_sla_health_good_percent = fields.Float(
        string="Healthy from (SLA met %)",
        config_parameter="internal_sla.health_good_percent",
        default=kpi.HEALTH_GOOD,
        help="A department's service is healthy from this SLA met % on.",
    )
    internal_sla_health_watch_percent = fields.Float(
        string="Poor below (SLA met %)",
        config_parameter="internal_sla.health_watch_percent",
        default=kpi.HEALTH_WATCH,
        help="Between this and the healthy threshold a service is to watch; below, poor.",
    )
    internal_sla_benchmark_nps = fields.Float(
        string="Internal NPS benchmark",
        config_parameter="internal_sla.benchmark_nps",
        default=50.0,
        help="Scorecards compare the internal NPS against this (met at or above it).",
    )
    internal_sla_benchmark_first_response_hours = fields.Float(
        string="First response benchmark (working hours)",
        config_parameter="internal_sla.benchmark_first_response_hours",
        default=kpi.FAST_RESPONSE_SECONDS / 3600,
        help="Mean first response below this is met; the 'response < N h' share of "
        "reports and agendas counts the answers within it.",
    )
    internal_sla_benchmark_csat_percent = fields.Float(
        string="Satisfaction index benchmark (%)",
        config_parameter="internal_sla.benchmark_csat_percent",
        default=85.0,
    )
    internal_sla_benchmark_empowerment_percent = fields.Float(
        string="Empowerment benchmark (%)",
        config_parameter="internal_sla.benchmark_empowerment_percent",
        default=80.0,
        help="Share of requests decided by the customer side inside agreed frames.",
    )
    internal_sla_benchmark_repeat_percent = fields.Float(
        string="Repeat requests benchmark (%)",
        config_parameter="internal_sla.benchmark_repeat_percent",
        default=5.0,
        help="Repeat requests below this share are met.",
    )

    # -- defaults of new agreements (A1, B5, C2) and the sweep's cadence ---------------------
    internal_sla_default_review_months = fields.Integer(
        string="Review every (months)",
        config_parameter="internal_sla.default_review_months",
        default=6,
        help="Review interval proposed for new agreements.",
    )
    internal_sla_default_first_response_mode = fields.Selection(
        [
            ("message", "First reply to the requester"),
            ("stage", "First move out of the initial stage"),
        ],
        string="First response counts at",
        config_parameter="internal_sla.default_first_response_mode",
        default="message",
        help="How new agreements measure the first response.",
    )
    internal_sla_default_nps_cadence = fields.Selection(
        CADENCES,
        string="NPS cadence of new agreements",
        config_parameter="internal_sla.default_nps_cadence",
        default="quarterly",
    )
    internal_sla_sweep_minutes = fields.Integer(
        string="Check SLA clocks every (minutes)",
        default=5,
        help="How often the scheduled action flags at-risk and breached lines and escalates.",
    )

    @api.model
    def get_values(self):
        res = super().get_values()
        cron = self.env.ref("internal_sla.ir_cron_internal_sla_sweep", raise_if_not_found=False)
        if cron and cron.interval_type == "minutes":
            res["internal_sla_sweep_minutes"] = cron.interval_number
        elif cron:
            res["internal_sla_sweep_minutes"] = round(
                cron.interval_number * {"hours": 60, "days": 1440}.get(cron.interval_type, 1)
            )
        return res

    def set_values(self):
        fast_before = fast_response_seconds(self.env)
        res = super().set_values()
        self._internal_sla_store_zeros()
        if fast_response_seconds(self.env) != fast_before:
            # the KPI facts count fast responses against the benchmark: rebuilt soon
            facts = self.env.ref(
                "internal_sla.ir_cron_internal_sla_kpi_facts", raise_if_not_found=False
            )
            if facts:
                facts.sudo()._trigger()
        cron = self.env.ref("internal_sla.ir_cron_internal_sla_sweep", raise_if_not_found=False)
        if cron and (
            cron.interval_type != "minutes"
            or cron.interval_number != self.internal_sla_sweep_minutes
        ):
            cron.sudo().write(
                {"interval_type": "minutes", "interval_number": self.internal_sla_sweep_minutes}
            )
        return res

    def _internal_sla_store_zeros(self):
        """Keep the numeric settings saved as 0. Odoo deletes an integer or float
        parameter saved as 0, and its readers then fall back to their default: a survey cap
        of 0 (no cap) became 4, a minimum backlog of 0 became 5, a meeting at 0:00 was
        moved to 10:00. The checks above refuse 0 where it means nothing, so a 0 that
        reaches here is a value."""
        self.ensure_one()
        parameters = self.env["ir.config_parameter"].sudo()
        for name, field in self._fields.items():
            if (
                name.startswith("internal_sla_")
                and field.type in ("integer", "float")
                and getattr(field, "config_parameter", None)
                and self[name] == 0
            ):
                parameters.set_param(field.config_parameter, repr(self[name]))

    @api.constrains(
        "internal_sla_min_respondents",
        "internal_sla_health_good_percent",
        "internal_sla_health_watch_percent",
        "internal_sla_benchmark_first_response_hours",
        "internal_sla_default_review_months",
        "internal_sla_sweep_minutes",
    )
    def _check_report_settings(self):
        for settings in self:
            if settings.internal_sla_min_respondents < 1:
                raise ValidationError(
                    self.env._("Anonymity minimum: enter at least 1 respondent.")
                )
            if not (
                0
                <= settings.internal_sla_health_watch_percent
                < settings.internal_sla_health_good_percent
                <= 100
            ):
                raise ValidationError(
                    self.env._(
                        "Service health: 'Poor below' must be lower than 'Healthy from', "
                        "both between 0 and 100 (e.g. 75 and 90)."
                    )
                )
            if settings.internal_sla_benchmark_first_response_hours <= 0:
                raise ValidationError(
                    self.env._("First response benchmark: enter a positive number of hours.")
                )
            if settings.internal_sla_default_review_months < 1:
                raise ValidationError(self.env._("Review every: enter at least 1 month."))
            if settings.internal_sla_sweep_minutes < 1:
                raise ValidationError(
                    self.env._("Check SLA clocks every: enter at least 1 minute.")
                )

    @api.constrains(*(f"internal_sla_{key}" for key in POSITIVE_DEFAULTS))
    def _check_positive_settings(self):
        for settings in self:
            for key in POSITIVE_DEFAULTS:
                name = f"internal_sla_{key}"
                if settings[name] <= 0:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s: enter a number above 0.",
                            setting=self._fields[name]._description_string(self.env),
                        )
                    )

    @api.constrains(*(f"internal_sla_{key}" for key in SETTING_RANGES))
    def _check_setting_ranges(self):
        for settings in self:
            for key, (lowest, highest) in SETTING_RANGES.items():
                name = f"internal_sla_{key}"
                if not lowest <= settings[name] <= highest:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s: enter a value from %(lowest)s to %(highest)s "
                            "(got %(value)s).",
                            setting=self._fields[name]._description_string(self.env),
                            lowest=f"{lowest:g}",
                            highest=f"{highest:g}",
                            value=f"{settings[name]:g}",
                        )
                    )

    @api.constrains(*(f"internal_sla_{key}" for key in HOUR_DEFAULTS))
    def _check_hour_settings(self):
        for settings in self:
            for key in HOUR_DEFAULTS:
                name = f"internal_sla_{key}"
                if not 0 <= settings[name] < 24:
                    raise ValidationError(
                        self.env._(
                            "%(setting)s: enter an hour of the day from 00:00 to 23:59.",
                            setting=self._fields[name]._description_string(self.env),
                        )
                    )
