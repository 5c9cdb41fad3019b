"""Current KPIs on the agreement (dashboard cards, scorecard button), kept apart from the
agreement's definition in ``internal_sla_agreement.py``."""

from odoo import fields, models


class InternalSlaAgreement(models.Model):
    _inherit = "internal.sla.agreement"

    kpi_sla_met_percent = fields.Float(
        string="SLA met % (12 months)", compute="_compute_kpis", digits=(16, 1)
    )
    kpi_sla_met_display = fields.Char(string="SLA met", compute="_compute_kpis")
    kpi_first_response_display = fields.Char(
        string="Mean first response", compute="_compute_kpis"
    )
    kpi_volume = fields.Integer(string="Requests (12 months)", compute="_compute_kpis")
    kpi_backlog = fields.Integer(string="Open requests", compute="_compute_kpis")
    kpi_breached = fields.Integer(string="Breaches (12 months)", compute="_compute_kpis")

    def _compute_kpis(self):
        """Two queries for all the agreements shown, whatever their number."""
        real = self.filtered("id")
        by_agreement = (
            self.env["internal.sla.kpi"]._kpis(
                [("sla_agreement_id", "in", real.ids)], groupby="agreement"
            )
            if real
            else {}
        )
        empty = self.env["internal.sla.kpi"]._kpi_set({}, {}, {})
        for agreement in self:
            kpis = by_agreement.get(agreement.id, empty)
            agreement.kpi_sla_met_percent = kpis["sla_met_percent"] or 0.0
            agreement.kpi_sla_met_display = self.env["internal.sla.kpi"]._display(
                kpis["sla_met_percent"], "percent"
            )
            agreement.kpi_first_response_display = self.env["internal.sla.kpi"]._display(
                kpis["first_response_mean"], "seconds"
            )
            agreement.kpi_volume = kpis["volume"]
            agreement.kpi_backlog = kpis["backlog"]
            agreement.kpi_breached = kpis["breached"]

    def _scorecard_comments(self, start, end):
        """Survey comments of the period for the scorecard export: the one place the
        feedback part plugs its answers in (override and extend the list).

        :return: dicts ``{respondent, date, survey, score, comment}``; the export shows them
            only from five distinct respondents on (``kpi.publishable_comments``)
        """
        self.ensure_one()
        return []

    def action_open_scorecard(self):
        self.ensure_one()
        self.check_access("read")
        scorecard = self.env["internal.sla.scorecard"].create({"agreement_id": self.id})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Scorecard: %s", self.name),
            "res_model": "internal.sla.scorecard",
            "res_id": scorecard.id,
            "view_mode": "form",
            "target": "current",
        }

    def action_open_analysis(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "internal_sla.internal_sla_report_action"
        )
        action["domain"] = [("agreement_id", "=", self.id)]
        action["context"] = {"search_default_filter_last_year": 1}
        return action
