from odoo import fields, models
from odoo.tools import SQL

from ..engine import kpi
from ..models.res_config_settings import min_respondents


class InternalSlaScorecardXlsx(models.AbstractModel):
    """Agreement scorecard (F4): KPIs against targets and benchmarks, the breached
    requests of the period, and the survey comments (shown from five respondents, H9)."""

    _name = "report.internal_sla.scorecard_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Agreement Scorecard (XLSX)"

    def get_workbook_options(self):
        # rows are written in order: keep memory flat for large breach lists
        return {"constant_memory": True}

    def _formats(self, workbook):
        return {
            "title": workbook.add_format({"bold": True, "font_size": 14}),
            "header": workbook.add_format(
                {"bold": True, "bg_color": "#E8EEF4", "border": 1, "text_wrap": True}
            ),
            "section": workbook.add_format({"bold": True, "bg_color": "#F5F5F5"}),
            "met": workbook.add_format({"font_color": "#1E7B34", "bold": True}),
            "missed": workbook.add_format({"font_color": "#B42318", "bold": True}),
            "muted": workbook.add_format({"font_color": "#777777", "italic": True}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "hours": workbook.add_format({"num_format": "0.00"}),
        }

    def generate_xlsx_report(self, workbook, data, agreements):
        data = data or {}
        Scorecard = self.env["internal.sla.scorecard"]
        start, end = self.env["internal.sla.kpi"]._period(
            fields.Date.to_date(data.get("date_from")), fields.Date.to_date(data.get("date_to"))
        )
        formats = self._formats(workbook)
        for agreement in agreements:
            rows = Scorecard._rows(agreement, start, end)
            prefix = f"{agreement.id} " if len(agreements) > 1 else ""
            self._write_scorecard(workbook, formats, agreement, rows, start, end, prefix)
            self._write_breaches(workbook, formats, agreement, start, end, prefix)
            self._write_comments(workbook, formats, agreement, start, end, prefix)

    def _write_scorecard(self, workbook, formats, agreement, rows, start, end, prefix):
        sheet = workbook.add_worksheet(f"{prefix}{self.env._('Scorecard')}"[:31])
        sheet.set_column(0, 0, 22)
        sheet.set_column(1, 1, 48)
        sheet.set_column(2, 4, 18)
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
        header = [
            self.env._("Section"),
            self.env._("KPI"),
            self.env._("Actual"),
            self.env._("Target"),
            self.env._("Status"),
        ]
        labels = dict(
            self.env["internal.sla.scorecard.line"]
            ._fields["status"]
            ._description_selection(self.env)
        )
        sheet.write_row(5, 0, header, formats["header"])
        for index, row in enumerate(rows, start=6):
            sheet.write(index, 0, row["section"])
            sheet.write(index, 1, row["name"])
            sheet.write(
                index, 2, row["actual"], formats["muted"] if row["value"] is None else None
            )
            sheet.write(index, 3, row["target"])
            status = row["status"]
            if status:
                sheet.write(index, 4, labels[status], formats.get(status, formats["muted"]))

    def _breached_rows(self, agreement, start, end):
        """The breached lines of the period, one SQL query whatever their number."""
        lang = self.env.lang or "en_US"

        def name(alias):
            return SQL(
                "COALESCE(%s->>%s, %s->>'en_US')",
                SQL.identifier(alias, "name"),
                lang,
                SQL.identifier(alias, "name"),
            )

        return self.env.execute_query(
            SQL(
                """SELECT ticket.number, ticket.name, ticket.priority, %(team)s, partner.name,
                          ticket.create_date, line.name, line.deadline, line.reached_date,
                          line.overrun_seconds / 3600.0
                     FROM internal_sla_line line
                     JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
                LEFT JOIN helpdesk_ticket_team team ON team.id = ticket.team_id
                LEFT JOIN res_users agent ON agent.id = ticket.user_id
                LEFT JOIN res_partner partner ON partner.id = agent.partner_id
                    WHERE ticket.sla_agreement_id = %(agreement)s
                      AND line.state = 'breached'
                      AND ticket.create_date >= %(start)s AND ticket.create_date < %(end)s
                 ORDER BY ticket.create_date, line.id""",
                team=name("team"),
                agreement=agreement.id,
                start=start,
                end=end,
            )
        )

    def _write_breaches(self, workbook, formats, agreement, start, end, prefix):
        sheet = workbook.add_worksheet(f"{prefix}{self.env._('Breached requests')}"[:31])
        header = [
            self.env._("Number"),
            self.env._("Request"),
            self.env._("Priority"),
            self.env._("Team"),
            self.env._("Agent"),
            self.env._("Created on (UTC)"),
            self.env._("Target"),
            self.env._("Deadline (UTC)"),
            self.env._("Reached at (UTC)"),
            self.env._("Overrun (working hours)"),
        ]
        widths = [12, 40, 9, 18, 20, 17, 22, 17, 17, 12]
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        sheet.write_row(0, 0, header, formats["header"])
        priorities = dict(self.env["helpdesk.ticket"]._fields["priority"].selection)
        row_number = 0
        for row_number, row in enumerate(self._breached_rows(agreement, start, end), start=1):
            number, title, priority, team, agent, created, target, deadline, reached, over = row
            sheet.write_string(row_number, 0, number or "")
            sheet.write_string(row_number, 1, title or "")
            sheet.write_string(row_number, 2, priorities.get(priority, priority or ""))
            sheet.write_string(row_number, 3, team or "")
            sheet.write_string(row_number, 4, agent or "")
            sheet.write_datetime(row_number, 5, created, formats["datetime"])
            sheet.write_string(row_number, 6, target or "")
            if deadline:
                sheet.write_datetime(row_number, 7, deadline, formats["datetime"])
            if reached:
                sheet.write_datetime(row_number, 8, reached, formats["datetime"])
            sheet.write_number(row_number, 9, float(over or 0), formats["hours"])
        if row_number:
            sheet.autofilter(0, 0, row_number, len(header) - 1)
        else:
            sheet.write(
                1, 0, self.env._("No breached request in the period."), formats["muted"]
            )

    def _write_comments(self, workbook, formats, agreement, start, end, prefix):
        sheet = workbook.add_worksheet(f"{prefix}{self.env._('Survey comments')}"[:31])
        sheet.set_column(0, 0, 17)
        sheet.set_column(1, 2, 12)
        sheet.set_column(3, 3, 80)
        sheet.write_row(
            0,
            0,
            [
                self.env._("Date"),
                self.env._("Survey"),
                self.env._("Score"),
                self.env._("Comment"),
            ],
            formats["header"],
        )
        rows = agreement._scorecard_comments(start, end)
        minimum = min_respondents(self.env)
        shown = kpi.publishable_comments(rows, minimum)
        if not rows:
            sheet.write(
                1, 0, self.env._("No survey answers in the period (no data)."), formats["muted"]
            )
        elif not shown:
            sheet.write(
                1,
                0,
                self.env._(
                    "Comments are shown from %(count)s respondents on (anonymity rule).",
                    count=minimum,
                ),
                formats["muted"],
            )
        for index, row in enumerate(shown, start=1):
            sheet.write_datetime(index, 0, row["date"], formats["datetime"])
            sheet.write_string(index, 1, row.get("survey") or "")
            sheet.write(index, 2, row.get("score"))
            sheet.write_string(index, 3, row.get("comment") or "")
