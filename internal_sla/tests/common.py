"""Shared fixtures: two departments with managers, a Moscow office calendar with the
Russian public holidays of 2026, an IT support team and the seed IT ↔ Marketing agreement.

All instants in tests are naive UTC; Moscow is UTC+3 all year (no DST), so 10:00 Moscow
is 07:00 UTC.
"""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import HttpCase, TransactionCase
from odoo.tests import common as odoo_test_common

# Odoo gives Chromium 10 s to open its debugging port, then skips the tour with a warning
# (which fails the test command); two pytest workers starting browsers on two busy cores
# have missed it: 30 s
odoo_test_common.CHECK_BROWSER_ITERATIONS = max(odoo_test_common.CHECK_BROWSER_ITERATIONS, 300)

# 2026 public holidays of the Russian production calendar (non-working days).
RUSSIAN_HOLIDAYS_2026 = [
    ("2026-01-01", "2026-01-08", "New Year holidays"),
    ("2026-02-23", "2026-02-23", "Defender of the Fatherland Day"),
    ("2026-03-09", "2026-03-09", "International Women's Day (moved)"),
    ("2026-05-01", "2026-05-01", "Spring and Labour Day"),
    ("2026-05-11", "2026-05-11", "Victory Day (moved)"),
    ("2026-06-12", "2026-06-12", "Russia Day"),
    ("2026-11-04", "2026-11-04", "Unity Day"),
    ("2026-12-31", "2026-12-31", "New Year's Eve (moved)"),
]


def msk(*args):
    """Moscow wall time -> naive UTC."""
    return datetime(*args) - timedelta(hours=3)


def office_attendances(hours=((9, 13), (14, 18)), lunch=(13, 14), days=range(5)):
    commands = []
    for day in days:
        for hour_from, hour_to in hours:
            commands.append(
                Command.create(
                    {
                        "name": f"{day} {hour_from}-{hour_to}",
                        "dayofweek": str(day),
                        "hour_from": hour_from,
                        "hour_to": hour_to,
                        "day_period": "morning" if hour_from < 12 else "afternoon",
                    }
                )
            )
        if lunch:
            commands.append(
                Command.create(
                    {
                        "name": f"{day} lunch",
                        "dayofweek": str(day),
                        "hour_from": lunch[0],
                        "hour_to": lunch[1],
                        "day_period": "lunch",
                    }
                )
            )
    return commands


def holiday_leaves(calendar, holidays, offset_hours=3):
    """Whole local days off as global leaves of ``calendar`` (UTC bounds)."""
    vals = []
    for first, last, name in holidays:
        start = datetime.fromisoformat(first)
        end = datetime.fromisoformat(last)
        vals.append(
            {
                "name": name,
                "calendar_id": calendar.id,
                "date_from": start - timedelta(hours=offset_hours),
                "date_to": end + timedelta(days=1, hours=-offset_hours),
                "time_type": "leave",
            }
        )
    return vals


# Public holidays of Berlin (Germany) in 2026.
BERLIN_HOLIDAYS_2026 = [
    ("2026-01-01", "2026-01-01", "Neujahr"),
    ("2026-03-08", "2026-03-08", "Frauentag"),
    ("2026-04-03", "2026-04-03", "Karfreitag"),
    ("2026-04-06", "2026-04-06", "Ostermontag"),
    ("2026-05-01", "2026-05-01", "Tag der Arbeit"),
    ("2026-05-14", "2026-05-14", "Christi Himmelfahrt"),
    ("2026-05-25", "2026-05-25", "Pfingstmontag"),
    ("2026-10-03", "2026-10-03", "Tag der Deutschen Einheit"),
    ("2026-12-25", "2026-12-26", "Weihnachten"),
]


def new_test_users(env, *specs):
    """Users from (login, name, comma-separated group xmlids) in one create, with what
    Odoo's ``new_test_user`` gives each (password = login padded to 8, an e-mail), past
    OdooBot's onboarding like the people of a company already running Odoo."""
    return env["res.users"].create(
        [
            {
                "login": login,
                "name": name,
                "password": login.ljust(8, "x"),
                "email": f"{login[0]}.{login[0]}@example.com",
                "group_ids": [Command.set([env.ref(xmlid).id for xmlid in groups.split(",")])],
                **past_onboarding(env),
            }
            for login, name, groups in specs
        ]
    )


def new_test_employees(env, *specs):
    """Users and their employees from (login, name, comma-separated group xmlids, employee's
    name, department) in one create each: (users, employees), in the order of ``specs``."""
    users = new_test_users(env, *(spec[:3] for spec in specs))
    employees = env["hr.employee"].create(
        [
            {"name": employee, "user_id": user.id, "department_id": department.id}
            for user, (*_user_spec, employee, department) in zip(users, specs, strict=True)
        ]
    )
    return users, employees


def past_onboarding(env):
    """Values of a user who has been through OdooBot's onboarding (when ``mail_bot`` is
    installed): otherwise the first page each browser tour opens creates a chat with
    OdooBot and its welcome message, which the web client then loads and shows."""
    return {"odoobot_state": "idle"} if "odoobot_state" in env["res.users"]._fields else {}


# The fixture's people: (login, user's name, groups, employee's name, department).
FIXTURE_PEOPLE = (
    (
        "it_head",
        "Ivan IT Head",
        "internal_sla.internal_sla_group_manager,helpdesk_mgmt.group_helpdesk_manager",
        "Ivan IT Head",
        "IT",
    ),
    (
        "mk_head",
        "Maria Marketing Head",
        "internal_sla.internal_sla_group_manager,helpdesk_mgmt.group_helpdesk_user",
        "Maria",
        "Marketing",
    ),
    (
        "it_agent",
        "Anton Agent",
        "internal_sla.internal_sla_group_user,helpdesk_mgmt.group_helpdesk_user",
        "Anton",
        "IT",
    ),
    (
        "mk_requester",
        "Roman Requester",
        "internal_sla.internal_sla_group_user,helpdesk_mgmt.group_helpdesk_user_own",
        "Roman",
        "Marketing",
    ),
    ("hr_user", "Olga Outsider", "internal_sla.internal_sla_group_user", "Olga", "HR"),
)
FIXTURE_DEPARTMENTS = ("IT", "Marketing", "HR")


def create_fixture_people(env):
    """The fixture's users, their departments (IT and Marketing headed by the first two)
    and employees, created as the test command prepares its database (see
    ``setup/pytest_harness.py``) or by the first fixture of a run without it."""
    departments = env["hr.department"].create([{"name": name} for name in FIXTURE_DEPARTMENTS])
    by_name = dict(zip(FIXTURE_DEPARTMENTS, departments, strict=True))
    users, employees = new_test_employees(
        env, *((*spec[:4], by_name[spec[4]]) for spec in FIXTURE_PEOPLE)
    )
    by_name["IT"].manager_id = employees[0]
    by_name["Marketing"].manager_id = employees[1]
    # the tours' administrator has met OdooBot too
    env.ref("base.user_admin").write(past_onboarding(env))
    return users, departments, employees


def fixture_people(env):
    """(users, departments, employees) of ``FIXTURE_PEOPLE``, in its order: those of the
    database when it has them (five users, five employees and three departments cost a
    test class 0.27 s to create), else created now."""
    logins = [spec[0] for spec in FIXTURE_PEOPLE]
    users = env["res.users"].search([("login", "in", logins)])
    if len(users) != len(logins):
        return create_fixture_people(env)
    by_login = {user.login: user for user in users}
    users = env["res.users"].concat(*(by_login[login] for login in logins))
    employees = env["hr.employee"].concat(*(user.employee_id for user in users))
    departments = env["hr.department"].concat(
        *(employees[index].department_id for index in (0, 1, 4))
    )
    return users, departments, employees


def employees(prefix, count):
    """Specs of ``count`` plain internal users for ``new_test_users``."""
    return [(f"{prefix}_{n}", f"{prefix}_{n}", "base.group_user") for n in range(count)]


def department_headed_by(env, name, user, employee_name):
    """A new department ``name`` whose manager is a new employee of ``user``."""
    head = env["hr.employee"].create({"name": employee_name, "user_id": user.id})
    return env["hr.department"].create({"name": name, "manager_id": head.id})


def moscow_calendar(env, name="Moscow office 40h"):
    """40 h/week in Europe/Moscow with the Russian public holidays of 2026."""
    calendar = env["resource.calendar"].create(
        {"name": name, "tz": "Europe/Moscow", "attendance_ids": office_attendances()}
    )
    env["resource.calendar.leaves"].create(holiday_leaves(calendar, RUSSIAN_HOLIDAYS_2026))
    return calendar


def berlin_two_shift_calendar(env, name="Berlin two shifts"):
    """Early and late shift on weekdays, a Sunday night maintenance shift across the
    02:00-03:00 DST switches, and Berlin's public holidays (local midnight bounds)."""
    attendances = office_attendances(hours=((6, 14), (14, 22)), lunch=None)
    attendances += office_attendances(hours=((0.5, 4.5),), lunch=None, days=[6])
    calendar = env["resource.calendar"].create(
        {"name": name, "tz": "Europe/Berlin", "attendance_ids": attendances}
    )
    leaves = []
    for first, last, holiday in BERLIN_HOLIDAYS_2026:
        # CET (+1) in winter, CEST (+2) from 29 March to 25 October
        offset = 2 if "2026-03-29" <= first < "2026-10-25" else 1
        leaves += holiday_leaves(calendar, [(first, last, holiday)], offset_hours=offset)
    env["resource.calendar.leaves"].create(leaves)
    return calendar


class InternalSlaFixture:
    """Departments, people, calendar, team and the seed agreement; mixed into test cases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # no_reset_password: the users' invitation e-mail was 40% of a fixture's setup
        cls.env = cls.env(
            context=dict(cls.env.context, tracking_disable=True, no_reset_password=True)
        )
        cls.company = cls.env.company
        # the tests own the agreements they see (the demo data's stay out of the way, their
        # requests untouched: not re-matched to the tests' agreements)
        cls.env["internal.sla.agreement"].with_context(internal_sla_defer_rematch=True).search(
            []
        ).active = False
        cls.calendar = moscow_calendar(cls.env)
        (
            (cls.it_head, cls.mk_head, cls.agent, cls.requester, cls.outsider),
            (cls.it, cls.marketing, cls.hr),
            (
                cls.it_head_employee,
                cls.mk_head_employee,
                cls.agent_employee,
                cls.requester_employee,
                cls.outsider_employee,
            ),
        ) = fixture_people(cls.env)
        cls.team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "IT Support",
                "department_id": cls.it.id,
                "user_ids": [Command.set([cls.agent.id, cls.it_head.id])],
                "user_id": cls.it_head.id,
            }
        )
        cls.stage_new = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        cls.stage_progress = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        cls.stage_waiting = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_awaiting")
        cls.stage_done = cls.env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cls.agreement = cls.create_agreement()

    @classmethod
    def create_agreement(cls, activate=True, **values):
        """The seed agreement: urgent within 2 working hours, the rest by end of day."""
        vals = {
            "name": "IT ↔ Marketing",
            "provider_department_id": cls.it.id,
            "customer_department_id": cls.marketing.id,
            "resource_calendar_id": cls.calendar.id,
            "date_start": "2026-01-01",
            "target_ids": [
                Command.create(
                    {
                        "name": "First response",
                        "metric": "first_response",
                        "duration_type": "hours",
                        "duration": 1,
                    }
                ),
                Command.create(
                    {
                        "name": "Urgent solved",
                        "metric": "resolution",
                        "priority": "3",
                        "duration_type": "hours",
                        "duration": 2,
                    }
                ),
                Command.create(
                    {
                        "name": "Solved by end of day",
                        "metric": "resolution",
                        "duration_type": "end_of_day",
                        "duration": 0,
                    }
                ),
            ],
        }
        vals.update(values)
        with freeze_time("2026-01-01 06:00:00"):
            agreement = cls.env["internal.sla.agreement"].create(vals)
            if activate:
                agreement.action_activate()
        return agreement

    @classmethod
    def create_frames_and_stage_rules(cls, agreements, category_name="Access"):
        """An empowerment frame and a one-hour stage rule (stage New) on each agreement."""
        category = cls.env["helpdesk.ticket.category"].create({"name": category_name})
        for agreement in agreements:
            cls.env["internal.sla.frame"].create(
                {"name": "Grant", "agreement_id": agreement.id, "category_id": category.id}
            )
            cls.env["internal.sla.stage.rule"].create(
                {"agreement_id": agreement.id, "stage_id": cls.stage_new.id, "duration": 1}
            )

    def create_ticket(self, when, priority="1", user=None, **values):
        """A Marketing request to IT Support created at ``when`` (naive UTC)."""
        vals = {
            "name": "Campaign landing page is down",
            "description": "<p>Please fix</p>",
            "team_id": self.team.id,
            "priority": priority,
            "partner_id": self.requester.partner_id.id,
            "stage_id": self.stage_new.id,
        }
        vals.update(values)
        with freeze_time(when):
            return self.env["helpdesk.ticket"].with_user(user or self.env.user).create(vals)

    def create_ticket_filed(self, when, **values):
        """``create_ticket`` with its creation date at ``when`` too: the ORM stamps the
        transaction's real time, which freezegun does not move, and KPI periods read it."""
        ticket = self.create_ticket(when, **values)
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", [when, ticket.id]
        )
        ticket.invalidate_recordset(["create_date"])
        return ticket

    def at(self, when, record, **vals):
        with freeze_time(when):
            record.write(vals)

    def line(self, ticket, metric="resolution"):
        return ticket.sla_line_ids.filtered(lambda line: line.metric == metric)


class InternalSlaCase(InternalSlaFixture, TransactionCase):
    pass


class InternalSlaHttpCase(InternalSlaFixture, HttpCase):
    pass
