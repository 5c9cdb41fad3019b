from odoo import api, models


class InternalSlaAgreementCard(models.AbstractModel):
    """PDF agreement card (F5): parties, targets, commitments, rituals and current KPIs."""

    _name = "report.internal_sla.agreement_card"
    _description = "Agreement Card"

    @api.model
    def _get_report_values(self, docids, data=None):
        agreements = self.env["internal.sla.agreement"].browse(docids)
        agreements.check_access("read")
        Scorecard = self.env["internal.sla.scorecard"]
        start, end = self.env["internal.sla.kpi"]._period()
        return {
            "doc_ids": docids,
            "doc_model": "internal.sla.agreement",
            "docs": agreements,
            "period": (start, end),
            # field labels (ir.model.fields is not readable by every user)
            "required": {
                agreement.id: agreement.sudo().required_field_ids.mapped("field_description")
                for agreement in agreements
            },
            "scorecards": {
                agreement.id: Scorecard._rows(agreement, start, end) for agreement in agreements
            },
        }
