from datetime import time, timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import float_repr, format_date, format_datetime

from odoo.addons.base.models.ir_actions_report import _wkhtml

from ..models.res_config_settings import min_respondents

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
        agreements.check_access("read")
        Scorecard = self.env["internal.sla.scorecard"]
        # the scorecard prints its own period; the recent months (Settings) by default
        data = data or {}
        start, end = self.env["internal.sla.kpi"]._period(
            fields.Date.to_date(data.get("date_from")), fields.Date.to_date(data.get("date_to"))
        )
        # the card prints what the reader may read: the agreement's own definition and the
        # figures of its scorecard, read as superuser once the agreement is readable
        sudo_agreements = agreements.sudo()
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
                    for row in Scorecard._rows(agreement, start, end)
                    # the card's Feedback table gives the response rate per survey
                    if row["key"] != "response_rate"
                ]
                for agreement in agreements
            },
            "feedback": self._feedback(agreements, start, end),
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

    def _feedback(self, agreements, start, end):
        """{agreement id: {kind: figures}} of the NPS and CSAT answers given in the period
        (``_stats`` hides a kind answered by fewer than the anonymity minimum), with the
        response rate of the invitations sent in it."""
        Invitation = self.env["internal.sla.feedback.invitation"]
        scope = Domain("agreement_id", "in", agreements.ids)
        answered = (
            scope & Domain("date_answered", ">=", start) & Domain("date_answered", "<", end)
        )
        sent = scope & Domain("date_sent", ">=", start) & Domain("date_sent", "<", end)
        Kpi = self.env["internal.sla.kpi"]
        result = {agreement.id: {} for agreement in agreements}
        for kind, key, unit in (("nps", "nps", "points"), ("csat", "csat", "percent")):
            stats = Invitation._stats(answered & Domain("kind", "=", kind), ["agreement_id"])
            rates = Invitation._response_rates(
                sent & Domain("kind", "=", kind), ["agreement_id"]
            )
            for agreement in agreements:
                figures = stats.get((agreement,)) or {"respondents": 0, "answers": 0}
                rate = rates.get((agreement,))
                result[agreement.id][kind] = dict(
                    figures,
                    result=Kpi._display(figures.get(key), unit),
                    rate=None if rate is None else Kpi._display(rate, "percent"),
                )
        return result
