from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.translate import LazyTranslate

from ..engine import kpi
from ..models.res_config_settings import (
    BENCHMARK_LABELS,
    benchmark_thresholds,
    fast_response_seconds,
    service_level_goals,
)

_lt = LazyTranslate(__name__)
STATUSES = [("met", "Met"), ("missed", "Missed"), ("no_data", "No data")]
# the KPI rows of a scorecard: (key in the KPI set, label, unit)
SLA_ROWS = (
    ("sla_met_percent", _lt("SLA met % (all targets)"), "percent"),
    (
        "sla_met_percent_adjusted",
        _lt("SLA met % adjusted (accepted exceptions count as met)"),
        "percent",
    ),
    ("response_met_percent", _lt("First response targets met %"), "percent"),
    ("resolution_met_percent", _lt("Resolution targets met %"), "percent"),
    ("stage_met_percent", _lt("Time-in-stage targets met %"), "percent"),
    ("first_response_mean", _lt("First response, mean"), "seconds"),
    ("first_response_p90", _lt("First response, P90"), "seconds"),
    ("resolution_mean", _lt("Resolution, mean"), "seconds"),
    ("resolution_p90", _lt("Resolution, P90"), "seconds"),
    # labelled with the first-response benchmark of Settings (``_fast_response_label``)
    ("fast_response_percent", None, "percent"),
    ("reopen_percent", _lt("Reopened %"), "percent"),
    ("fcr_percent", _lt("First contact resolution %"), "percent"),
    ("volume", _lt("Requests created"), "count"),
    ("backlog", _lt("Open at period end (backlog)"), "count"),
)
# rows of targets few agreements have: shown only when such targets were measured
ROWS_OF_MEASURED_TARGETS_ONLY = {"stage_met_percent"}
# feedback follow-ups (H10), transfers (B8) and the surveys' response rate (C4):
# (key in the KPI set, label, unit)
FOLLOWUP_ROWS = (
    ("followed_up_in_time_percent", _lt("Detractors followed up in time"), "percent"),
    ("feedback_cycle_time", _lt("Feedback cycle time, mean"), "seconds"),
    ("bounce_rate", _lt("Bounce rate (transferred at least once)"), "percent"),
    ("mean_transfers", _lt("Transfers per request, mean"), "ratio"),
    ("paused_share_percent", _lt("Paused share of resolution time"), "percent"),
    ("response_rate", _lt("Survey response rate"), "percent"),
)


class InternalSlaScorecard(models.TransientModel):
    """An agreement's KPIs against its targets and the methodology's benchmarks (F3) for a
    period; the XLSX and PDF exports print the same rows."""

    _name = "internal.sla.scorecard"
    _description = "Agreement Scorecard"

    agreement_id = fields.Many2one("internal.sla.agreement", required=True, ondelete="cascade")
    date_from = fields.Date(
        required=True,
        default=lambda self: (
            fields.Date.context_today(self) - self.env["internal.sla.kpi"]._window()
        ),
    )
    date_to = fields.Date(
        required=True,
        default=lambda self: fields.Date.context_today(self) + relativedelta(days=1),
        help="Tickets created before this day count.",
    )
    line_ids = fields.One2many(
        "internal.sla.scorecard.line",
        "scorecard_id",
        compute="_compute_line_ids",
        store=True,
        readonly=True,
        # computed as the user: only the figures of an agreement they can read
        compute_sudo=False,
    )

    @api.model_create_multi
    def create(self, vals_list):
        """A scorecard only of an agreement the user can read (its figures are read as
        superuser)."""
        self.env["internal.sla.agreement"].browse(
            [vals["agreement_id"] for vals in vals_list if vals.get("agreement_id")]
        ).check_access("read")
        return super().create(vals_list)

    @api.depends("agreement_id")
    def _compute_display_name(self):
        for scorecard in self:
            scorecard.display_name = self.env._(
                "Scorecard: %s", scorecard.agreement_id.display_name or ""
            )

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for scorecard in self:
            if scorecard.date_from >= scorecard.date_to:
                raise ValidationError(
                    self.env._(
                        "The period starts (%(start)s) on or after its end (%(end)s, "
                        "excluded): choose an 'until' day after the start.",
                        start=scorecard.date_from,
                        end=scorecard.date_to,
                    )
                )

    @api.depends("agreement_id", "date_from", "date_to")
    def _compute_line_ids(self):
        for scorecard in self:
            rows = (
                scorecard._rows(scorecard.agreement_id, scorecard.date_from, scorecard.date_to)
                if scorecard.agreement_id and scorecard.date_from and scorecard.date_to
                else []
            )
            scorecard.line_ids = [Command.clear()] + [
                Command.create(
                    {
                        "sequence": index,
                        "section": row["section"],
                        "name": row["name"],
                        "actual": row["actual"],
                        "target": row["target"],
                        "status": row["status"],
                    }
                )
                for index, row in enumerate(rows)
            ]

    @api.model
    def _kpis_of(self, agreement, date_from, date_to):
        """The KPI set of one agreement's tickets (the caller can read the agreement)."""
        agreement.check_access("read")
        return self.env["internal.sla.kpi"]._kpis(
            [("sla_agreement_id", "=", agreement.id)], date_from, date_to
        )

    @api.model
    def _rows(self, agreement, date_from, date_to, kpis=None):
        """Scorecard rows: the agreement's own targets (met % of each), the SLA KPIs and
        the benchmarks, each ``{section, key, name, value, unit, actual, target, status}``."""
        kpis = kpis or self._kpis_of(agreement, date_from, date_to)
        kpis = dict(
            kpis,
            first_response_p90=kpis["first_response"]["p90"],
            resolution_p90=kpis["resolution"]["p90"],
        )
        rows = []
        start, end = self.env["internal.sla.kpi"]._period(date_from, date_to)
        by_target = (
            self.env["internal.sla.report"]
            .sudo()
            ._read_group(
                [
                    ("agreement_id", "=", agreement.id),
                    ("create_date", ">=", start),
                    ("create_date", "<", end),
                ],
                ["name"],
                ["met_count:sum", "breached_count:sum"],
            )
        )
        durations = {
            target.name: target.duration_display
            for target in agreement.sudo()._targets_in_force()
        }
        goals = service_level_goals(self.env)
        Kpi = self.env["internal.sla.kpi"]

        def against_goal(key, value, before=""):
            """(target text, status) of a KPI held against its goal (Settings)."""
            if key not in goals:
                return before, None
            goal = f">= {Kpi._display(goals[key], 'percent')}"
            return (
                f"{before} · {goal}" if before else goal,
                kpi.benchmark_status(">=", goals[key], value),
            )

        for name, met, breached in by_target:
            value = kpi.sla_met_percent(met, breached)
            rows.append(
                self._row(
                    self.env._("Agreement targets"),
                    "target",
                    self.env._(
                        "%(target)s (%(met)s met, %(breached)s breached)",
                        target=name,
                        met=met,
                        breached=breached,
                    ),
                    value,
                    "percent",
                    *against_goal("target", value, durations.get(name) or ""),
                )
            )
        for key, label, unit in SLA_ROWS:
            if key in ROWS_OF_MEASURED_TARGETS_ONLY and kpis[key] is None:
                continue
            rows.append(
                self._row(
                    self.env._("Service levels"),
                    key,
                    str(label) if label else self._fast_response_label(),
                    kpis[key],
                    unit,
                    *against_goal(key, kpis[key]),
                )
            )
        for key, label, unit in FOLLOWUP_ROWS:
            rows.append(
                self._row(
                    self.env._("Follow-ups and transfers"),
                    key,
                    str(label),
                    kpis[key],
                    unit,
                    "",
                    None,
                )
            )
        rows += self._team_rows(agreement, date_from, date_to)
        for bench in kpi.benchmarks(kpis, benchmark_thresholds(self.env)):
            threshold = self.env["internal.sla.kpi"]._display(bench["threshold"], bench["unit"])
            rows.append(
                self._row(
                    self.env._("Benchmarks"),
                    bench["key"],
                    str(BENCHMARK_LABELS[bench["key"]]),
                    bench["value"],
                    bench["unit"],
                    f"{bench['comparison']} {threshold}",
                    bench["status"],
                )
            )
        return rows

    @api.model
    def _fast_response_label(self):
        """ "Responses within N working hours", N the first-response benchmark (F3)."""
        return self.env._(
            "Responses within %s working hours", f"{fast_response_seconds(self.env) / 3600:g}"
        )

    @api.model
    def _team_rows(self, agreement, date_from, date_to):
        """Per team of the agreement's requests: the share of the resolution clocks'
        working time that they stood still (H8), through ``kpi.paused_share_percent``."""
        agreement.check_access("read")  # the figures below are read as superuser
        by_team = self.env["internal.sla.kpi"]._kpis(
            [("sla_agreement_id", "=", agreement.id)], date_from, date_to, groupby="team"
        )
        teams = (
            self.env["helpdesk.ticket.team"]
            .sudo()
            .browse([team_id for team_id in by_team if team_id])
        )
        rows = []
        for team in teams.sorted("name"):
            kpis = by_team[team.id]
            rows.append(
                self._row(
                    self.env._("Paused time per team"),
                    f"paused_share_percent:{team.id}",
                    self.env._("%(team)s: paused share of resolution time", team=team.name),
                    kpis["paused_share_percent"],
                    "percent",
                    "",
                    None,
                )
            )
        return rows

    def _row(self, section, key, name, value, unit, target, status):
        return {
            "section": section,
            "key": key,
            "name": name,
            "value": value,
            "unit": unit,
            "actual": self.env["internal.sla.kpi"]._display(value, unit),
            "target": target,
            "status": status or ("no_data" if value is None else False),
        }

    def action_print_xlsx(self):
        self.ensure_one()
        return self.env.ref("internal_sla.internal_sla_scorecard_xlsx_report").report_action(
            self.agreement_id, data=self._period_data()
        )

    def _period_data(self):
        """The scorecard's period, as the XLSX and the PDF card read it."""
        return {
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
        }

    def action_print_card(self):
        self.ensure_one()
        return self.env.ref("internal_sla.internal_sla_agreement_card_report").report_action(
            self.agreement_id, data=self._period_data()
        )


class InternalSlaScorecardLine(models.TransientModel):
    _name = "internal.sla.scorecard.line"
    _description = "Agreement Scorecard Row"
    _order = "sequence, id"

    scorecard_id = fields.Many2one("internal.sla.scorecard", required=True, ondelete="cascade")
    sequence = fields.Integer()
    section = fields.Char()
    name = fields.Char(string="KPI")
    actual = fields.Char()
    target = fields.Char()
    status = fields.Selection(STATUSES)
