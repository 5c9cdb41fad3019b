from datetime import time, timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import float_repr, format_date, format_datetime

from odoo.addons.base.models.ir_actions_report import _wkhtml

from ..models.res_config_settings import min_respondents
from .internal_sla_scorecard_xlsx import check_scorecard_access

# the benchmark comparisons as a manager reads them
COMPARISONS = {">=": "≥", "<=": "≤"}


class InternalSlaAgreementCard(models.AbstractModel):
    """PDF agreement card (F5): parties, targets, commitments, empowerment frames,
    rituals, current KPIs against the benchmarks (F3) and the feedback, on two pages."""

    _name = "report.internal_sla.agreement_card"
    _description = "Agreement Card"

    @api.model
    def _get_report_values(self, docids, data=None):
        agreements = self.env["internal.sla.agreement"].browse(docids)
        # the card prints the scorecard's figures: for those who may open it
        check_scorecard_access(agreements)
        Scorecard = self.env["internal.sla.scorecard"]
        # the scorecard prints its own period; the recent months (Settings) by default
        data = data or {}
        start, end = self.env["internal.sla.kpi"]._period(
            fields.Date.to_date(data.get("date_from")), fields.Date.to_date(data.get("date_to"))
        )
        # the card prints what the reader may read: the agreement's own definition and the
        # figures of its scorecard, read as superuser once the agreement is readable
        sudo_agreements = agreements.sudo()
        # one KPI set per agreement: the KPI rows and the feedback table read the same one
        kpis = {
            agreement.id: Scorecard._kpis_of(agreement, start, end) for agreement in agreements
        }
        return {
            "doc_ids": docids,
            "doc_model": "internal.sla.agreement",
            "docs": agreements,
            "period": (start, end),
            "period_display": self._period_display(start, end),
            "printed": format_datetime(self.env, fields.Datetime.now(), dt_format="short"),
            "hours": self._hours,
            # Debian's wkhtmltopdf (unpatched Qt) ignores the header and footer of a PDF:
            # the card then prints its letterhead in the page, under a narrow top margin
            "page_headers": data.get("report_type") != "pdf" or _wkhtml().is_patched_qt,
            # field labels (ir.model.fields is not readable by every user)
            "required": {
                agreement.id: agreement.required_field_ids.mapped("field_description")
                for agreement in sudo_agreements
            },
            "frames": {agreement.id: agreement.frame_ids for agreement in sudo_agreements},
            "rituals": {agreement.id: agreement.ritual_ids for agreement in sudo_agreements},
            "scorecards": {
                agreement.id: [
                    dict(row, target=self._readable_target(row["target"]))
                    for row in Scorecard._rows(agreement, start, end, kpis=kpis[agreement.id])
                    # the card's Feedback table gives the response rate per survey
                    if row["key"] != "response_rate"
                ]
                for agreement in agreements
            },
            "feedback": self._feedback(agreements, start, end, kpis),
            "min_respondents": min_respondents(self.env),
        }

    def _period_display(self, start, end):
        """[start, end) as the reader's first and last day."""
        last = end - timedelta(days=1) if end.time() == time.min else end
        return f"{format_date(self.env, start)} – {format_date(self.env, last)}"

    def _hours(self, hours):
        return self.env._("%s h", float_repr(hours, 2).rstrip("0").rstrip("."))

    def _readable_target(self, target):
        comparison, _space, rest = (target or "").partition(" ")
        return f"{COMPARISONS[comparison]} {rest}" if comparison in COMPARISONS else target

    def _feedback(self, agreements, start, end, kpis):
        """{agreement id: {kind: figures}}: the NPS and CSAT results of the agreement's
        KPI set ``kpis`` (F1: the very figures of the KPI rows, hidden below the anonymity
        minimum), with the answers, people and response rate counted on the same basis:
        internal NPS answers given in the period about the agreement and the invitations
        sent in it; CSAT answers on the agreement's requests created in the period and
        the invitations about them (the KPI service's response rate)."""
        Invitation = self.env["internal.sla.feedback.invitation"]
        nps = Domain("agreement_id", "in", agreements.ids) & Domain("kind", "=", "nps")
        nps_stats = Invitation._stats(
            nps & Domain("date_answered", ">=", start) & Domain("date_answered", "<", end),
            ["agreement_id"],
        )
        nps_rates = Invitation._response_rates(
            nps & Domain("date_sent", ">=", start) & Domain("date_sent", "<", end),
            ["agreement_id"],
        )
        Kpi = self.env["internal.sla.kpi"]
        result = {}
        for agreement in agreements:
            kpi_set = kpis[agreement.id]
            # the KPI service's CSAT scope: answers on the requests (active, as
            # helpdesk.ticket searches them) created in the period
            csat_stats = Invitation._stats(
                Domain("kind", "=", "csat")
                & Domain("ticket_id.sla_agreement_id", "=", agreement.id)
                & Domain("ticket_id.create_date", ">=", start)
                & Domain("ticket_id.create_date", "<", end)
            )
            nps_rate = nps_rates.get((agreement,))
            result[agreement.id] = {
                "nps": self._feedback_figures(
                    nps_stats.get((agreement,)),
                    Kpi._display(kpi_set["nps"], "points"),
                    kpi_set["nps_hidden"],
                    None if nps_rate is None else Kpi._display(nps_rate, "percent"),
                ),
                "csat": self._feedback_figures(
                    csat_stats.get(()),
                    Kpi._display(kpi_set["csat_percent"], "percent"),
                    kpi_set["csat_hidden"],
                    None
                    if kpi_set["response_rate"] is None
                    else Kpi._display(kpi_set["response_rate"], "percent"),
                ),
            }
        return result

    def _feedback_figures(self, stats, result, hidden, rate):
        """One row of the feedback table: answers and people of ``stats``, the KPI's
        ``result`` (or ``hidden``) and response ``rate``."""
        stats = stats or {}
        return {
            "answers": stats.get("answers", 0),
            "respondents": stats.get("respondents", 0),
            "hidden": hidden,
            "result": result,
            "rate": rate,
        }
