from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..engine import kpi
from .internal_sla_agreement import refuse_unlink_used_by_agreements
from .res_config_settings import ENPS_CADENCES, health


class HrDepartment(models.Model):
    _inherit = "hr.department"

    sla_provided_ids = fields.One2many(
        "internal.sla.agreement", "provider_department_id", string="Agreements provided"
    )
    sla_provided_count = fields.Integer(compute="_compute_sla_counts")
    sla_consumed_count = fields.Integer(compute="_compute_sla_counts")
    # who manages the department directly or through a parent department: the record
    # rules of managers follow it, so that heads above a department (levels 2 and 3 of
    # its reviews) see its agreements, reports and meetings too
    sla_manager_user_ids = fields.Many2many(
        "res.users",
        "internal_sla_department_manager_user_rel",
        "department_id",
        "user_id",
        string="Managers, with the parent departments'",
        compute="_compute_sla_manager_user_ids",
        store=True,
        recursive=True,
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_agreement_party(self):
        refuse_unlink_used_by_agreements(
            self, "provider_department_id", "customer_department_id"
        )

    def _sla_head(self):
        """The user who heads the department now: its manager's, none when the manager
        left (archived employee or user), or for no department."""
        manager = self[:1].manager_id
        user = manager.user_id
        return user if manager.active and user.active else self.env["res.users"]

    @api.depends("manager_id.user_id", "parent_id.sla_manager_user_ids")
    def _compute_sla_manager_user_ids(self):
        for department in self:
            department.sla_manager_user_ids = (
                department.manager_id.user_id | department.parent_id.sla_manager_user_ids
            )

    def _compute_sla_counts(self):
        Agreement = self.env["internal.sla.agreement"]
        provided = dict(
            Agreement._read_group(
                [("provider_department_id", "in", self.ids)],
                ["provider_department_id"],
                ["__count"],
            )
        )
        consumed = dict(
            Agreement._read_group(
                [("customer_department_id", "in", self.ids)],
                ["customer_department_id"],
                ["__count"],
            )
        )
        everyone = Agreement.search_count([("customer_scope", "=", "all")])
        for department in self:
            department.sla_provided_count = provided.get(department, 0)
            department.sla_consumed_count = consumed.get(department, 0) + everyone

    def _sla_action(self, domain):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Agreements"),
            "res_model": "internal.sla.agreement",
            "view_mode": "kanban,list,form",
            "domain": domain,
        }

    def action_view_sla_provided(self):
        self.ensure_one()
        action = self._sla_action([("provider_department_id", "=", self.id)])
        action["context"] = {"default_provider_department_id": self.id}
        return action

    def action_view_sla_consumed(self):
        self.ensure_one()
        action = self._sla_action(
            [
                "|",
                ("customer_department_id", "=", self.id),
                ("customer_scope", "=", "all"),
            ]
        )
        action["context"] = {"default_customer_department_id": self.id}
        return action

    # -- eNPS of the department's own people on its own cadence (C3) ------------------

    enps_cadence = fields.Selection(
        ENPS_CADENCES,
        string="eNPS cadence",
        default="none",
        required=True,
    )
    enps_next_date = fields.Date(string="Next eNPS survey", copy=False)

    def action_send_enps(self):
        """Send the eNPS survey of these departments to their people now (out of
        cadence): for the departments' managers and Internal SLA administrators."""
        self._check_enps_sender()
        Invitation = self.env["internal.sla.feedback.invitation"]
        invitations = Invitation
        for department in self:
            employees = (
                self.env["hr.employee"].sudo().search([("department_id", "=", department.id)])
            )
            invitations |= Invitation._invite(
                "enps",
                employees.user_id,
                values={
                    "provider_department_id": department.id,
                    "company_id": department.company_id.id or self.env.company.id,
                },
            )
        return invitations

    def _check_enps_sender(self):
        """The invitations are created as superuser: only an Internal SLA Manager who
        manages the department (directly or from a department above) or an Internal SLA
        administrator sends them."""
        user = self.env.user
        if self.env.su or user.has_group("internal_sla.internal_sla_group_admin"):
            return
        if not user.has_group("internal_sla.internal_sla_group_manager"):
            raise AccessError(
                self.env._(
                    "Only Internal SLA managers and administrators send eNPS surveys: ask "
                    "the head of the department or an Internal SLA administrator."
                )
            )
        others = self.filtered(
            lambda department: user not in department.sudo().sla_manager_user_ids
        )
        if others:
            raise AccessError(
                self.env._(
                    "You do not manage %(departments)s: the eNPS survey of a department is "
                    "sent by its managers or an Internal SLA administrator.",
                    departments=", ".join(others.sudo().mapped("display_name")),
                )
            )

    @api.model
    def _cron_send_enps(self, now):
        today = now.date()
        due = self.search(
            [
                ("enps_cadence", "in", ("monthly", "quarterly")),
                "|",
                ("enps_next_date", "=", False),
                ("enps_next_date", "<=", today),
            ]
        )
        Invitation = self.env["internal.sla.feedback.invitation"]
        for department in due:
            department.action_send_enps()
            department.enps_next_date = Invitation._next_date(today, department.enps_cadence)

    # -- review meetings: attendees follow the people in the roles (D1) ----------------------

    def write(self, vals):
        result = super().write(vals)
        if {"manager_id", "parent_id"} & set(vals):
            self._sla_resync_meetings()
        return result

    def _sla_resync_meetings(self):
        """Future ritual meetings of the agreements of these departments, or of
        departments below them (whose level 2 and 3 they hold), get the new people."""
        below = self.search([("id", "child_of", self.ids)])
        self.env["internal.sla.agreement"].sudo().search(
            [
                "|",
                ("provider_department_id", "in", below.ids),
                ("customer_department_id", "in", below.ids),
            ]
        )._sla_resync_rituals()

    # -- service KPIs as a provider (E2), team first (E4) ---------------------------------

    sla_kpi_visible = fields.Boolean(
        string="Figures readable",
        compute="_compute_sla_kpi_visible",
        groups="internal_sla.internal_sla_group_user",
        help="Its service figures are read by its managers (those of the departments "
        "above included), its own people and Internal SLA administrators.",
    )
    sla_kpi_met_display = fields.Char(
        string="SLA met",
        compute="_compute_sla_kpis",
        groups="internal_sla.internal_sla_group_user",
    )
    sla_kpi_first_response_display = fields.Char(
        string="Mean first response",
        compute="_compute_sla_kpis",
        groups="internal_sla.internal_sla_group_user",
    )
    sla_kpi_backlog = fields.Integer(
        string="Open requests",
        compute="_compute_sla_kpis",
        groups="internal_sla.internal_sla_group_user",
    )
    sla_health = fields.Selection(
        kpi.HEALTH_LEVELS,
        string="Service health",
        compute="_compute_sla_kpis",
        groups="internal_sla.internal_sla_group_user",
        help="From the SLA met % of the recent months (Settings), against the service health "
        "thresholds of Settings (healthy from, poor below).",
    )

    # feedback as a provider, eNPS of its own people, and the department as a customer
    sla_kpi_nps_display = fields.Char(
        string="Internal NPS",
        compute="_compute_sla_kpis",
        groups="internal_sla.internal_sla_group_user",
        help="What the customer departments answered about its agreements, recent months.",
    )
    sla_kpi_csat_display = fields.Char(
        string="Satisfaction index",
        compute="_compute_sla_kpis",
        groups="internal_sla.internal_sla_group_user",
        help="CSAT: answers 4–5 of 5 about its requests, recent months.",
    )
    sla_kpi_enps_display = fields.Char(
        string="eNPS",
        compute="_compute_sla_enps",
        groups="internal_sla.internal_sla_group_user",
        help="What its own employees answered, recent months.",
    )
    sla_kpi_people_hidden = fields.Boolean(
        string="Figures of one person",
        compute="_compute_sla_kpis",
        groups="internal_sla.internal_sla_group_user",
        help="The requests it served in the recent months were handled by one agent "
        "only: its SLA met, first response, open requests, health and satisfaction are "
        "that person's, shown only to them, their managers, the department's managers "
        'and administrators (E4). Others read "not enough people". The anonymity '
        "minimum of Settings set to 1 shows them to everyone.",
    )
    sla_customer_met_display = fields.Char(
        string="SLA met on its requests",
        compute="_compute_sla_customer_kpis",
        groups="internal_sla.internal_sla_group_user",
        help="Targets met on the requests it filed to other departments, recent months.",
    )
    sla_customer_volume = fields.Integer(
        string="Requests filed",
        compute="_compute_sla_customer_kpis",
        groups="internal_sla.internal_sla_group_user",
    )
    sla_customer_nps_display = fields.Char(
        string="NPS given",
        compute="_compute_sla_customer_kpis",
        groups="internal_sla.internal_sla_group_user",
        help="What its people answered about the departments serving it, recent months.",
    )

    def _sla_kpi_readable(self):
        """Those of these departments whose figures the user reads (E2, G2): all for an
        Internal SLA administrator; for others the departments they manage (with those
        below them) and their own."""
        user = self.env.user
        if user.has_group("internal_sla.internal_sla_group_admin"):
            return self
        own = user.sudo().employee_ids.department_id
        return self.filtered(
            lambda department: (
                department in own or user in department.sudo().sla_manager_user_ids
            )
        )

    @api.depends_context("uid")
    def _compute_sla_kpi_visible(self):
        readable = self._sla_kpi_readable()
        for department in self:
            department.sla_kpi_visible = department in readable

    @api.depends_context("uid")
    def _compute_sla_kpis(self):
        """The department's KPI set as a provider, for all the departments at once (E2),
        from the KPI service; survey figures of fewer respondents than the anonymity
        minimum are hidden, and so are the figures of a department whose requests one
        agent handled from those who may not read that person's (E4)."""
        Kpi = self.env["internal.sla.kpi"]
        real = self._sla_kpi_readable().filtered("id")
        managers = {
            department.id: department.sudo().sla_manager_user_ids for department in real
        }
        figures_by_department = Kpi._service_figures(
            "provider_department_id", real.ids, "provider", managers
        )
        empty = (Kpi._kpi_set({}, {}, {}), {})
        (self - real).update(
            dict.fromkeys(
                (
                    "sla_kpi_people_hidden",
                    "sla_kpi_met_display",
                    "sla_kpi_first_response_display",
                    "sla_kpi_csat_display",
                    "sla_kpi_backlog",
                    "sla_health",
                    "sla_kpi_nps_display",
                ),
                False,
            )
        )
        for department in real:
            kpis, figures = figures_by_department.get(department.id, empty)
            hidden = figures.get("hidden", False)
            department.update(
                {
                    "sla_kpi_people_hidden": hidden,
                    "sla_kpi_met_display": figures.get("met", False),
                    "sla_kpi_first_response_display": figures.get("first_response", False),
                    "sla_kpi_csat_display": figures.get("csat", False),
                    "sla_kpi_backlog": figures.get("backlog", 0),
                    # one person's health is theirs too; internal NPS is answered about
                    # the agreements, not about a person: kept
                    "sla_health": False
                    if hidden
                    else health(self.env, kpis["sla_met_percent"]),
                    "sla_kpi_nps_display": Kpi._display_answers(
                        kpis["nps"], kpis["nps_hidden"]
                    ),
                }
            )

    @api.depends_context("uid")
    def _compute_sla_customer_kpis(self):
        """The department as a customer (E2): the KPI set of the requests it filed and the
        NPS its people gave, for all the departments at once."""
        Kpi = self.env["internal.sla.kpi"]
        real = self._sla_kpi_readable().filtered("id")
        by_department = (
            Kpi._kpis([("requester_department_id", "in", real.ids)], groupby="customer")
            if real
            else {}
        )
        empty = Kpi._kpi_set({}, {}, {})
        (self - real).update(
            dict.fromkeys(
                ("sla_customer_met_display", "sla_customer_volume", "sla_customer_nps_display"),
                False,
            )
        )
        for department in real:
            kpis = by_department.get(department.id, empty)
            department.sla_customer_met_display = Kpi._display(
                kpis["sla_met_percent"], "percent"
            )
            department.sla_customer_volume = kpis["volume"]
            department.sla_customer_nps_display = Kpi._display_answers(
                kpis["nps"], kpis["nps_hidden"]
            )

    @api.depends_context("uid")
    def _compute_sla_enps(self):
        """The eNPS of the department's own people over the KPI period (C3), from the
        feedback figures, hidden below the anonymity minimum; two queries for all."""
        Kpi = self.env["internal.sla.kpi"]
        real = self._sla_kpi_readable().filtered("id")
        figures = {}
        if real:
            start, end = Kpi._period()
            figures = self.env["internal.sla.feedback.invitation"]._stats(
                [
                    ("kind", "=", "enps"),
                    ("provider_department_id", "in", real.ids),
                    ("date_answered", ">=", start),
                    ("date_answered", "<", end),
                ],
                ["provider_department_id"],
            )
        (self - real).sla_kpi_enps_display = False
        for department in real:
            staff = figures.get((department,), {})
            department.sla_kpi_enps_display = Kpi._display_answers(
                staff.get("enps"), staff.get("hidden")
            )

    def action_view_sla_analysis(self):
        """The SLA analysis of the requests this department serves, by team first (E4)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "internal_sla.internal_sla_report_action"
        )
        action["domain"] = [("provider_department_id", "=", self.id)]
        action["context"] = {
            "search_default_filter_last_year": 1,
            "search_default_groupby_team": 1,
        }
        return action
