from odoo import fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL


def check_scorecard_access(agreements):
    """Refuse what opening the scorecard of ``agreements`` refuses: the exports of its
    figures (the XLSX scorecard, the agreement card) are read as superuser, for those
    who may create a scorecard (Internal SLA users) of agreements they read."""
    env = agreements.env
    if not env["internal.sla.scorecard"].has_access("create"):
        raise AccessError(
            env._(
                "Only Internal SLA users open an agreement's scorecard, and print it as "
                "the XLSX scorecard or the agreement card: ask an Internal SLA "
                "administrator for access."
            )
        )
    agreements.check_access("read")


class InternalSlaScorecardXlsx(models.AbstractModel):
    """Agreement scorecard (F4): KPIs against targets and benchmarks, the breached
    requests of the period, and the survey comments (shown from five respondents, H9)."""

    _name = "report.internal_sla.scorecard_xlsx"
    _inherit = ["report.report_xlsx.abstract", "internal.sla.xlsx.sheets"]
    _description = "Agreement Scorecard (XLSX)"

    def create_xlsx_report(self, docids, data):
        agreements = self._get_objs_for_report(docids, data)
        check_scorecard_access(agreements)
        rows = self._breached_count(
            self._breaches_of(agreements.ids, *self._export_period(data))
        )
        report = self.with_context(internal_sla_xlsx_rows=rows)
        return super(InternalSlaScorecardXlsx, report).create_xlsx_report(docids, data)

    def get_workbook_options(self):
        return self._workbook_options_for(self.env.context.get("internal_sla_xlsx_rows"))

    def _export_period(self, data):
        data = data or {}
        return self.env["internal.sla.kpi"]._period(
            fields.Date.to_date(data.get("date_from")), fields.Date.to_date(data.get("date_to"))
        )

    def _breaches_of(self, agreement_ids, start, end):
        """The scorecard's breached requests: those of the agreements created in the
        period (SQL condition of ``_breached_rows``)."""
        return SQL(
            "ticket.sla_agreement_id = ANY(%s) "
            "AND ticket.create_date >= %s AND ticket.create_date < %s",
            list(agreement_ids),
            start,
            end,
        )

    def generate_xlsx_report(self, workbook, data, agreements):
        Scorecard = self.env["internal.sla.scorecard"]
        start, end = self._export_period(data)
        formats = self._formats(workbook)
        comments = agreements._scorecard_comments(start, end)
        for agreement in agreements:
            rows = Scorecard._rows(agreement, start, end)
            prefix = f"{agreement.id} " if len(agreements) > 1 else ""
            self._write_scorecard(workbook, formats, agreement, rows, start, end, prefix)
            self._write_breaches(
                workbook,
                formats,
                self._sheet_name(prefix, self.env._("Breached requests")),
                self._breached_rows(self._breaches_of(agreement.ids, start, end)),
            )
            self._write_comments(
                workbook,
                formats,
                self._sheet_name(prefix, self.env._("Survey comments")),
                [(agreement, comments[agreement.id])],
            )

    def _write_scorecard(self, workbook, formats, agreement, rows, start, end, prefix):
        sheet = workbook.add_worksheet(self._sheet_name(prefix, self.env._("Scorecard")))
        sheet.write(0, 0, agreement.name, formats["title"])
        customer = (
            agreement.customer_department_id.name
            if agreement.customer_scope == "department"
            else self.env._("All departments")
        )
        sheet.write(1, 0, self.env._("Provider"))
        sheet.write(1, 1, agreement.provider_department_id.name)
        sheet.write(2, 0, self.env._("Customer"))
        sheet.write(2, 1, customer)
        sheet.write(3, 0, self.env._("Period"))
        sheet.write(3, 1, f"{start:%Y-%m-%d} – {end:%Y-%m-%d}")
        self._write_kpi_header(sheet, formats, 5)
        self._write_kpi_rows(sheet, formats, 6, rows)
