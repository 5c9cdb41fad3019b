from odoo import models

from ..engine import kpi


class InternalSlaAnalysisXlsx(models.AbstractModel):
    """SLA analysis export (F4): the department-pair matrix of SLA met %, a summary per
    pair and the selected lines."""

    _name = "report.internal_sla.analysis_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "SLA Analysis (XLSX)"

    def get_workbook_options(self):
        return {"constant_memory": True}

    def generate_xlsx_report(self, workbook, data, lines):
        header = workbook.add_format({"bold": True, "bg_color": "#E8EEF4", "border": 1})
        percent = workbook.add_format({"num_format": "0.0"})
        muted = workbook.add_format({"font_color": "#777777", "italic": True})
        when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
        groups = lines._read_group(
            [("id", "in", lines.ids)],
            ["provider_department_id", "customer_department_id"],
            ["met_count:sum", "breached_count:sum", "__count"],
        )
        providers = sorted({g[0] for g in groups}, key=lambda d: d.display_name or "")
        customers = sorted({g[1] for g in groups}, key=lambda d: d.display_name or "")
        cells = {(g[0], g[1]): kpi.sla_met_percent(g[2], g[3]) for g in groups}

        matrix = workbook.add_worksheet(self.env._("Pair matrix"))
        matrix.set_column(0, len(customers), 20)
        matrix.write(0, 0, self.env._("SLA met %: provider ↓ / customer →"), header)
        for column, customer in enumerate(customers, start=1):
            matrix.write(0, column, customer.display_name or self.env._("None"), header)
        for row, provider in enumerate(providers, start=1):
            matrix.write(row, 0, provider.display_name or self.env._("None"), header)
            for column, customer in enumerate(customers, start=1):
                value = cells.get((provider, customer))
                if value is None:
                    matrix.write(row, column, self.env._("no data"), muted)
                else:
                    matrix.write_number(row, column, value, percent)

        summary = workbook.add_worksheet(self.env._("Pairs"))
        summary.set_column(0, 1, 22)
        summary.set_column(2, 5, 12)
        summary.write_row(
            0,
            0,
            [
                self.env._("Provider"),
                self.env._("Customer"),
                self.env._("Lines"),
                self.env._("Met"),
                self.env._("Breached"),
                self.env._("SLA met %"),
            ],
            header,
        )
        for row, (provider, customer, met, breached, count) in enumerate(groups, start=1):
            summary.write(row, 0, provider.display_name or "")
            summary.write(row, 1, customer.display_name or "")
            summary.write_number(row, 2, count)
            summary.write_number(row, 3, met)
            summary.write_number(row, 4, breached)
            value = kpi.sla_met_percent(met, breached)
            if value is None:
                summary.write(row, 5, self.env._("no data"), muted)
            else:
                summary.write_number(row, 5, value, percent)

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
        for index, (name, width) in enumerate(columns):
            sheet.set_column(index, index, width)
            sheet.write(
                0, index, lines._fields[name].get_description(self.env)["string"], header
            )
        for row, line in enumerate(lines, start=1):
            for index, (name, _width) in enumerate(columns):
                field = lines._fields[name]
                value = line[name]
                if field.type == "many2one":
                    sheet.write_string(row, index, value.display_name or "")
                elif field.type == "selection":
                    labels = dict(field._description_selection(self.env))
                    sheet.write_string(row, index, labels.get(value, ""))
                elif field.type == "datetime":
                    sheet.write_datetime(row, index, value, when)
                elif field.type == "char":
                    sheet.write_string(row, index, value or "")
                else:
                    sheet.write_number(row, index, value or 0)
