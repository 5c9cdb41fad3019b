from datetime import timedelta

from odoo import fields, models
from odoo.tools import SQL

from ..engine import kpi
from ..models.res_config_settings import benchmark_thresholds, min_respondents


class InternalSlaAnalysisXlsx(models.AbstractModel):
    """SLA analysis export (F4): the department-pair matrix of SLA met %, a summary per
    pair, per agreement of the selection its KPIs against its targets and the benchmarks
    and its internal NPS, the breached requests of the selection, the survey comments
    (anonymity rule, H9) and the selected lines. The KPIs come from the KPI service over
    the period the lines span (or ``date_from`` / ``date_to`` of ``data``), as the
    scorecards show them."""

    _name = "report.internal_sla.analysis_xlsx"
    _inherit = ["report.report_xlsx.abstract", "internal.sla.xlsx.sheets"]
    _description = "SLA Analysis (XLSX)"

    def create_xlsx_report(self, docids, data):
        # the Lines sheet is the largest: one row per selected line
        lines = self._get_objs_for_report(docids, data)
        report = self.with_context(internal_sla_xlsx_rows=len(lines))
        return super(InternalSlaAnalysisXlsx, report).create_xlsx_report(docids, data)

    def get_workbook_options(self):
        return self._workbook_options_for(self.env.context.get("internal_sla_xlsx_rows"))

    def generate_xlsx_report(self, workbook, data, lines):
        formats = self._formats(workbook)
        header, percent, muted = formats["header"], formats["percent"], formats["muted"]
        when = formats["datetime"]
        groups = lines._read_group(
            [("id", "in", lines.ids)],
            ["provider_department_id", "customer_department_id"],
            ["met_count:sum", "breached_count:sum", "__count"],
        )
        providers = sorted({g[0] for g in groups}, key=lambda d: d.display_name or "")
        customers = sorted({g[1] for g in groups}, key=lambda d: d.display_name or "")
        # a pair one agent served alone reads empty for those who may not read that
        # agent's figures (E4)
        one_person = self.env["internal.sla.kpi"]._display_people_hidden()
        cells = {
            (g[0], g[1]): one_person if g[2] is None else kpi.sla_met_percent(g[2], g[3])
            for g in groups
        }

        matrix = workbook.add_worksheet(self.env._("Pair matrix"))
        matrix.set_column(0, len(customers), 20)
        matrix.write(0, 0, self.env._("SLA met %: provider ↓ / customer →"), header)
        for column, customer in enumerate(customers, start=1):
            matrix.write(0, column, customer.display_name or self.env._("None"), header)
        for row, provider in enumerate(providers, start=1):
            matrix.write(row, 0, provider.display_name or self.env._("None"), header)
            for column, customer in enumerate(customers, start=1):
                value = cells.get((provider, customer))
                if isinstance(value, float):
                    matrix.write_number(row, column, value, percent)
                else:  # no measured line, or one person's figure
                    matrix.write(row, column, value or self.env._("no data"), muted)

        summary = workbook.add_worksheet(self.env._("Pairs"))
        self._write_header(
            summary,
            formats,
            0,
            [
                (self.env._("Provider"), 22),
                (self.env._("Customer"), 22),
                (self.env._("Lines"), 12),
                (self.env._("Met"), 12),
                (self.env._("Breached"), 12),
                (self.env._("SLA met %"), 12),
            ],
        )
        for row, (provider, customer, met, breached, count) in enumerate(groups, start=1):
            summary.write(row, 0, provider.display_name or "")
            summary.write(row, 1, customer.display_name or "")
            summary.write_number(row, 2, count)
            if met is None:
                for column in (3, 4, 5):
                    summary.write(row, column, one_person, muted)
                continue
            summary.write_number(row, 3, met)
            summary.write_number(row, 4, breached)
            value = kpi.sla_met_percent(met, breached)
            if value is None:
                summary.write(row, 5, self.env._("no data"), muted)
            else:
                summary.write_number(row, 5, value, percent)

        self._write_agreement_sheets(workbook, formats, data or {}, lines)

        sheet = workbook.add_worksheet(self.env._("Lines"))
        columns = [
            ("ticket_id", 34),
            ("agreement_id", 24),
            ("provider_department_id", 16),
            ("customer_department_id", 16),
            ("team_id", 16),
            ("user_id", 18),
            ("priority", 10),
            ("name", 22),
            ("state", 10),
            ("create_date", 17),
            ("consumed_hours", 12),
        ]
        self._write_header(
            sheet,
            formats,
            0,
            [
                (lines._fields[name].get_description(self.env)["string"], width)
                for name, width in columns
            ],
        )
        for row, line in enumerate(lines, start=1):
            for index, (name, _width) in enumerate(columns):
                field = lines._fields[name]
                value = line[name]
                if field.type == "many2one":
                    # named as the analysis list names them (as superuser): a manager
                    # reads the lines of the agreements they manage without always
                    # reading the request itself
                    sheet.write_string(row, index, value.sudo().display_name or "")
                elif field.type == "selection":
                    labels = dict(field._description_selection(self.env))
                    sheet.write_string(row, index, labels.get(value, ""))
                elif field.type == "datetime":
                    sheet.write_datetime(row, index, value, when)
                elif field.type == "char":
                    sheet.write_string(row, index, value or "")
                else:
                    sheet.write_number(row, index, value or 0)

    def _analysed_period(self, data, lines):
        """[start, end) of the export: ``date_from`` / ``date_to`` of ``data``, else the
        whole days the lines were created in."""
        created = lines.mapped("create_date")
        date_from = fields.Date.to_date(data.get("date_from")) or min(created).date()
        date_to = fields.Date.to_date(data.get("date_to")) or (
            max(created).date() + timedelta(days=1)
        )
        return self.env["internal.sla.kpi"]._period(date_from, date_to)

    def _write_agreement_sheets(self, workbook, formats, data, lines):
        """Per agreement of the lines the user may read: KPIs against targets, NPS,
        breached requests of the selection, survey comments."""
        agreements = lines.agreement_id._filtered_access("read").sorted("name")
        if not agreements:
            return
        start, end = self._analysed_period(data, lines)
        Kpi = self.env["internal.sla.kpi"]
        scope = [("sla_agreement_id", "in", agreements.ids)]
        by_agreement = Kpi._kpis(scope, start, end, groupby="agreement")
        empty = Kpi._kpi_set({}, {}, {})
        period = self.env._(
            "Period: %(start)s – %(end)s", start=f"{start:%Y-%m-%d}", end=f"{end:%Y-%m-%d}"
        )

        sheet = workbook.add_worksheet(self.env._("KPIs vs targets"))
        sheet.write(0, 0, period, formats["muted"])
        self._write_kpi_header(sheet, formats, 1, with_agreement=True)
        row_number = 2
        for agreement in agreements:
            rows = self.env["internal.sla.scorecard"]._rows(
                agreement, start, end, kpis=by_agreement.get(agreement.id, empty)
            )
            row_number = self._write_kpi_rows(sheet, formats, row_number, rows, agreement)

        self._write_nps(
            workbook, formats, period, agreements, by_agreement, Kpi._kpis(scope, start, end)
        )
        selected = lines.filtered(lambda line: line.state == "breached")
        self._write_breaches(
            workbook,
            formats,
            self.env._("Breached requests"),
            self._breached_rows(
                SQL(
                    "line.id = ANY(%s) AND line.agreement_id = ANY(%s)",
                    selected.ids,
                    agreements.ids,
                )
            ),
            with_agreement=True,
        )
        comments = agreements._scorecard_comments(start, end)
        self._write_comments(
            workbook,
            formats,
            self.env._("Survey comments"),
            [(agreement, comments[agreement.id]) for agreement in agreements],
            with_agreement=True,
        )

    def _write_nps(self, workbook, formats, period, agreements, by_agreement, overall):
        """Internal NPS per agreement and of them all against the NPS benchmark (F3),
        with the satisfaction index and the survey response rate; groups answered by
        fewer people than the anonymity minimum show no figure (H9)."""
        sheet = workbook.add_worksheet(self.env._("NPS"))
        sheet.write(0, 0, period, formats["muted"])
        self._write_header(
            sheet,
            formats,
            1,
            [
                (self.env._("Provider"), 24),
                (self.env._("Customer"), 24),
                (self.env._("Internal NPS"), 16),
                (self.env._("Benchmark"), 16),
                (self.env._("Status"), 16),
                (self.env._("Satisfaction index (CSAT) %"), 16),
                (self.env._("Response rate %"), 16),
            ],
            with_agreement=True,
        )
        Kpi = self.env["internal.sla.kpi"]
        labels = dict(
            self.env["internal.sla.scorecard.line"]
            ._fields["status"]
            ._description_selection(self.env)
        )
        thresholds = benchmark_thresholds(self.env)
        empty = Kpi._kpi_set({}, {}, {})
        groups = [
            (
                agreement.name,
                agreement.provider_department_id.name,
                agreement.customer_department_id.name
                if agreement.customer_scope == "department"
                else self.env._("All departments"),
                by_agreement.get(agreement.id, empty),
            )
            for agreement in agreements
        ]
        groups.append((self.env._("All agreements of the selection"), "", "", overall))
        row_number = 2
        for name, provider, customer, kpis in groups:
            bench = next(row for row in kpi.benchmarks(kpis, thresholds) if row["key"] == "nps")
            sheet.write_string(row_number, 0, name)
            sheet.write_string(row_number, 1, provider or "")
            sheet.write_string(row_number, 2, customer or "")
            for column, key in ((3, "nps"), (6, "csat_percent"), (7, "response_rate")):
                if kpis[key] is None:
                    sheet.write(row_number, column, Kpi._display(None, ""), formats["muted"])
                else:
                    sheet.write_number(row_number, column, kpis[key], formats["percent"])
            sheet.write(
                row_number,
                4,
                f"{bench['comparison']} {Kpi._display(bench['threshold'], bench['unit'])}",
            )
            status = bench["status"] or "no_data"
            sheet.write(row_number, 5, labels[status], formats.get(status, formats["muted"]))
            row_number += 1
        sheet.write(
            row_number + 1,
            0,
            self.env._(
                "Survey figures of fewer than %(count)s respondents are hidden (anonymity "
                "rule).",
                count=min_respondents(self.env),
            ),
            formats["muted"],
        )
