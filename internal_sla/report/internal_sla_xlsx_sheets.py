from odoo import models
from odoo.tools import SQL

from ..engine import kpi
from ..models.res_config_settings import min_respondents

# Up to this many rows, text goes to the workbook's shared-strings table: each repeated name
# (priority, team, agent, target) is escaped and written once, which made the scorecard of
# 50,000 requests (33,000 breached rows) a fifth faster on a quiet machine. Beyond it, rows
# are streamed to the file as they are written (xlsxwriter's constant memory): the shared
# table keeps every cell in memory, about 1.5 kB a row.
STREAMED_FROM_ROWS = 100_000


class InternalSlaXlsxSheets(models.AbstractModel):
    """The sheets the XLSX exports share (F4): KPIs against targets and benchmarks, the
    breached requests, the survey comments under the anonymity rule (H9). The agreement
    scorecard writes them for one agreement, the SLA analysis for every agreement of the
    analysed lines, with an Agreement column first."""

    _name = "internal.sla.xlsx.sheets"
    _description = "Internal SLA XLSX sheets"

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
            "percent": workbook.add_format({"num_format": "0.0"}),
        }

    def _workbook_options_for(self, rows):
        """xlsxwriter's options for a workbook of about ``rows`` rows in its largest sheet
        (unknown: streamed)."""
        return {"constant_memory": rows is None or rows > STREAMED_FROM_ROWS}

    def _sheet_name(self, prefix, name):
        return f"{prefix}{name}"[:31]

    def _write_header(self, sheet, formats, row_number, columns, with_agreement=False):
        """A header row of ``columns`` ``[(label, width or None)]``, after an Agreement
        column when asked; returns the number of columns."""
        if with_agreement:
            columns = [(self.env._("Agreement"), 24), *columns]
        for index, (label, width) in enumerate(columns):
            if width:
                sheet.set_column(index, index, width)
            sheet.write(row_number, index, label, formats["header"])
        return len(columns)

    # -- KPIs against targets and benchmarks ---------------------------------------------

    def _write_kpi_header(self, sheet, formats, row_number, with_agreement=False):
        self._write_header(
            sheet,
            formats,
            row_number,
            [
                (self.env._("Section"), 22),
                (self.env._("KPI"), 48),
                (self.env._("Actual"), 18),
                (self.env._("Target"), 18),
                (self.env._("Status"), 18),
            ],
            with_agreement,
        )

    def _write_kpi_rows(self, sheet, formats, row_number, rows, agreement=None):
        """The scorecard rows (``internal.sla.scorecard._rows``) from ``row_number`` on,
        after the agreement's name when one is given; returns the next free row."""
        labels = dict(
            self.env["internal.sla.scorecard.line"]
            ._fields["status"]
            ._description_selection(self.env)
        )
        first = 1 if agreement else 0
        for row in rows:
            if agreement:
                sheet.write_string(row_number, 0, agreement.name)
            sheet.write(row_number, first, row["section"])
            sheet.write(row_number, first + 1, row["name"])
            sheet.write(
                row_number,
                first + 2,
                row["actual"],
                formats["muted"] if row["value"] is None else None,
            )
            sheet.write(row_number, first + 3, row["target"])
            status = row["status"]
            if status:
                sheet.write(
                    row_number,
                    first + 4,
                    labels[status],
                    formats.get(status, formats["muted"]),
                )
            row_number += 1
        return row_number

    # -- breached requests -----------------------------------------------------------------

    def _breached_count(self, condition):
        """How many breached lines meet ``condition`` (as ``_breached_rows``: of active
        requests)."""
        [(count,)] = self.env.execute_query(
            SQL(
                """SELECT count(*)
                     FROM internal_sla_line line
                     JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
                    WHERE line.state = 'breached' AND ticket.active AND %s""",
                condition,
            )
        )
        return count

    def _breached_rows(self, condition):
        """The breached lines meeting ``condition`` (SQL on ``line`` and ``ticket``), one
        query whatever their number.  Archived requests are left out, as by the KPI service
        and the SLA analysis: the sheet lists the breaches the figures count."""
        lang = self.env.lang or "en_US"

        def name(alias, column="name"):
            return SQL(
                "COALESCE(%s->>%s, %s->>'en_US')",
                SQL.identifier(alias, column),
                lang,
                SQL.identifier(alias, column),
            )

        # who handled a breached request is an individual figure (E4): named to the agent
        # themselves, the provider department's managers and administrators only
        everyone = self.env.user.has_group("internal_sla.internal_sla_group_admin")
        return self.env.execute_query(
            SQL(
                """SELECT agreement.name, ticket.number, ticket.name, ticket.priority,
                          %(team)s,
                          CASE WHEN %(everyone)s OR ticket.user_id = %(uid)s OR EXISTS (
                                    SELECT 1 FROM internal_sla_department_manager_user_rel m
                                     WHERE m.department_id = agreement.provider_department_id
                                       AND m.user_id = %(uid)s)
                               THEN partner.name END,
                          ticket.create_date, line.name,
                          line.deadline, line.reached_date, line.overrun_seconds / 3600.0,
                          line.exception_state
                     FROM internal_sla_line line
                     JOIN helpdesk_ticket ticket ON ticket.id = line.ticket_id
                     JOIN internal_sla_agreement agreement ON agreement.id = line.agreement_id
                LEFT JOIN helpdesk_ticket_team team ON team.id = ticket.team_id
                LEFT JOIN res_users agent ON agent.id = ticket.user_id
                LEFT JOIN res_partner partner ON partner.id = agent.partner_id
                    WHERE line.state = 'breached' AND ticket.active AND %(condition)s
                 ORDER BY agreement.name, ticket.create_date, line.id""",
                team=name("team"),
                everyone=everyone,
                uid=self.env.uid,
                condition=condition,
            )
        )

    def _write_breaches(self, workbook, formats, title, rows, with_agreement=False):
        """One sheet of breached requests (``_breached_rows``): number, request, priority,
        team, agent, dates, overrun and the exception asked for the breach (H5)."""
        sheet = workbook.add_worksheet(title[:31])
        width = self._write_header(
            sheet,
            formats,
            0,
            [
                (self.env._("Number"), 12),
                (self.env._("Request"), 40),
                (self.env._("Priority"), 9),
                (self.env._("Team"), 18),
                (self.env._("Agent"), 20),
                (self.env._("Created on (UTC)"), 17),
                (self.env._("Target"), 22),
                (self.env._("Deadline (UTC)"), 17),
                (self.env._("Reached at (UTC)"), 17),
                (self.env._("Overrun (working hours)"), 12),
                (self.env._("Exception"), 20),
            ],
            with_agreement,
        )
        priorities = dict(self.env["helpdesk.ticket"]._fields["priority"].selection)
        exceptions = dict(
            self.env["internal.sla.line"]
            ._fields["exception_state"]
            ._description_selection(self.env)
        )
        row_number = 0
        for row_number, row in enumerate(rows, start=1):
            agreement, number, title_, priority, team, agent, created, *rest = row
            target, deadline, reached, over, exception = rest
            column = 0
            if with_agreement:
                sheet.write_string(row_number, 0, agreement or "")
                column = 1
            sheet.write_string(row_number, column, number or "")
            sheet.write_string(row_number, column + 1, title_ or "")
            sheet.write_string(row_number, column + 2, priorities.get(priority, priority or ""))
            # empty cells are left unwritten (most breaches have no exception asked)
            if team:
                sheet.write_string(row_number, column + 3, team)
            if agent:
                sheet.write_string(row_number, column + 4, agent)
            sheet.write_datetime(row_number, column + 5, created, formats["datetime"])
            sheet.write_string(row_number, column + 6, target or "")
            if deadline:
                sheet.write_datetime(row_number, column + 7, deadline, formats["datetime"])
            if reached:
                sheet.write_datetime(row_number, column + 8, reached, formats["datetime"])
            sheet.write_number(row_number, column + 9, float(over or 0), formats["hours"])
            if exception:
                sheet.write_string(row_number, column + 10, exceptions[exception])
        if row_number:
            sheet.autofilter(0, 0, row_number, width - 1)
        else:
            sheet.write(
                1, 0, self.env._("No breached request in the period."), formats["muted"]
            )

    # -- survey comments (anonymity rule, H9) ----------------------------------------------

    def _write_comments(self, workbook, formats, title, groups, with_agreement=False):
        """One sheet of survey comments; ``groups`` is ``[(agreement, rows)]`` with the rows
        of ``internal.sla.agreement._scorecard_comments``. Each group's comments of a
        survey kind show only from the anonymity minimum of distinct respondents on
        (``kpi.publishable_comments``); comments left out leave one line saying so."""
        sheet = workbook.add_worksheet(title[:31])
        self._write_header(
            sheet,
            formats,
            0,
            [
                (self.env._("Date"), 17),
                (self.env._("Survey"), 12),
                (self.env._("Score"), 12),
                (self.env._("Comment"), 80),
            ],
            with_agreement,
        )
        first = 1 if with_agreement else 0
        minimum = min_respondents(self.env)
        row_number = 0
        for agreement, rows in groups:
            shown = kpi.publishable_comments(rows, minimum)
            if len(shown) < len(rows):
                row_number += 1
                if with_agreement:
                    sheet.write_string(row_number, 0, agreement.name)
                sheet.write(
                    row_number,
                    first,
                    self.env._(
                        "Comments are shown from %(count)s respondents on (anonymity rule).",
                        count=minimum,
                    ),
                    formats["muted"],
                )
            for row in shown:
                row_number += 1
                if with_agreement:
                    sheet.write_string(row_number, 0, agreement.name)
                sheet.write_datetime(row_number, first, row["date"], formats["datetime"])
                sheet.write_string(row_number, first + 1, row.get("survey") or "")
                sheet.write(row_number, first + 2, row.get("score"))
                sheet.write_string(row_number, first + 3, row.get("comment") or "")
        if not any(rows for _agreement, rows in groups):
            sheet.write(
                1, 0, self.env._("No survey answers in the period (no data)."), formats["muted"]
            )
