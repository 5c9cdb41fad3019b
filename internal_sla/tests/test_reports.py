from datetime import datetime
from unittest.mock import patch

from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..engine import kpi
from .common import InternalSlaCase, employees, msk, new_test_users
from .reports_common import MARCH, ReportFixture


@tagged("post_install", "-at_install")
class TestKpiService(ReportFixture, InternalSlaCase):
    def kpis(self, domain=None, **kwargs):
        return self.env["internal.sla.kpi"]._kpis(
            domain or [("sla_agreement_id", "=", self.agreement.id)], *MARCH, **kwargs
        )

    def test_fixture_clocks_are_as_computed_by_hand(self):
        # the table of reports_common.py, line by line
        self.assertEqual(self.line(self.t1, "first_response").consumed_seconds, 1800)
        self.assertEqual(self.line(self.t2, "first_response").state, "breached")
        self.assertEqual(self.line(self.t2).consumed_seconds, 12600)
        self.assertEqual(self.line(self.t3).consumed_seconds, 5400)
        self.assertEqual(self.line(self.t3).state, "met")
        # its resolution time runs to the first close, 11:00, kept through the reopen
        self.assertEqual(self.line(self.t3).first_reached_seconds, 3600)
        self.assertEqual(self.line(self.t3).first_reached_date, msk(2026, 3, 3, 11, 0))
        self.assertEqual(self.line(self.t4).state, "running")

    def test_kpi_set_of_an_agreement_for_march(self):
        kpis = self.kpis()
        self.assertEqual((kpis["volume"], kpis["closed"], kpis["backlog"]), (4, 3, 1))
        self.assertEqual((kpis["met"], kpis["breached"]), (4, 2))
        self.assertAlmostEqual(kpis["sla_met_percent"], 400 / 6)
        self.assertAlmostEqual(kpis["response_met_percent"], 200 / 3)
        self.assertAlmostEqual(kpis["resolution_met_percent"], 200 / 3)
        self.assertEqual(kpis["first_response"], {"mean": 2700.0, "p90": 5400, "count": 3})
        self.assertEqual(kpis["resolution"], {"mean": 7800.0, "p90": 12600, "count": 3})
        self.assertEqual(kpis["fast_response_percent"], 100.0)
        self.assertAlmostEqual(kpis["reopen_percent"], 100 / 3)
        # flow of the requests: T1 and T2 closed at first contact, T3 was reopened
        self.assertAlmostEqual(kpis["fcr_percent"], 200 / 3)
        self.assertEqual((kpis["repeat_percent"], kpis["bounce_rate"]), (0.0, 0.0))
        # no CSAT answers yet (and never under five people); NPS is per agreement, not per
        # ticket; empowerment frames are not built yet: no data, never 0
        for key in ("nps", "csat_percent", "empowerment_percent"):
            self.assertIsNone(kpis[key], key)

    def test_breach_exceptions_adjust_the_attainment(self):
        self.assertAlmostEqual(self.kpis()["sla_met_percent_adjusted"], 400 / 6)
        # T2 breached both targets: the resolution excused, the first response pending
        self.line(self.t2).exception_state = "accepted"
        self.line(self.t2, "first_response").exception_state = "requested"
        kpis = self.kpis()
        self.assertAlmostEqual(kpis["sla_met_percent"], 400 / 6)  # raw: 4 of 6
        self.assertAlmostEqual(kpis["sla_met_percent_adjusted"], 500 / 6)  # (4 + 1) / 6
        self.assertEqual((kpis["exceptions_accepted"], kpis["exceptions_pending"]), (1, 1))
        by_agreement = self.kpis(groupby="agreement")[self.agreement.id]
        self.assertAlmostEqual(by_agreement["sla_met_percent_adjusted"], 500 / 6)
        # the scorecard shows both
        scorecard = self.env["internal.sla.scorecard"].create(
            {"agreement_id": self.agreement.id, "date_from": MARCH[0], "date_to": MARCH[1]}
        )
        rows = {line.name: line.actual for line in scorecard.line_ids}
        self.assertEqual(rows["SLA met % (all targets)"], "66.7 %")
        self.assertEqual(
            rows["SLA met % adjusted (accepted exceptions count as met)"], "83.3 %"
        )

    def answer_csat(self, ticket, scores):
        Invitation = self.env["internal.sla.feedback.invitation"].sudo()
        survey = Invitation._survey_of("csat")
        for score in scores:
            login = f"csat{Invitation.search_count([])}"
            Invitation.create(
                {
                    "kind": "csat",
                    "survey_id": survey.id,
                    "user_id": new_test_user(self.env, login=login).id,
                    "ticket_id": ticket.id,
                    "agreement_id": self.agreement.id,
                    "state": "answered",
                    "score": score,
                    "category": "promoter" if score >= 4 else "detractor",
                }
            )

    def test_csat_of_the_requests_shown_from_five_respondents(self):
        self.answer_csat(self.t1, [5, 5, 4, 2])
        self.assertIsNone(self.kpis()["csat_percent"])  # four people: hidden
        self.answer_csat(self.t2, [5])
        kpis = self.kpis()
        self.assertEqual(kpis["csat_percent"], 80.0)
        self.assertIsNotNone(kpis["response_rate"])

    def test_sql_aggregates_agree_with_the_catalogue(self):
        """The P90 and means from SQL are the catalogue's formulas on the same values."""
        kpis = self.kpis()
        responses = [1800, 5400, 900]
        self.assertEqual(kpis["first_response"], kpi.time_kpi(responses))
        self.assertEqual(kpis["fast_response_percent"], kpi.fast_response_percent(responses))

    def test_grouped_by_agent_and_by_provider(self):
        by_agent = self.kpis(groupby="agent")
        self.assertEqual(set(by_agent), {self.agent.id, self.it_head.id})
        anton, ivan = by_agent[self.agent.id], by_agent[self.it_head.id]
        self.assertEqual((anton["volume"], anton["met"], anton["breached"]), (3, 4, 0))
        self.assertEqual(anton["sla_met_percent"], 100.0)
        self.assertEqual(anton["first_response"]["mean"], 1350.0)
        self.assertEqual((ivan["volume"], ivan["sla_met_percent"]), (1, 0.0))
        by_provider = self.kpis(
            [("provider_department_id", "=", self.it.id)], groupby="provider"
        )
        self.assertAlmostEqual(by_provider[self.it.id]["sla_met_percent"], 400 / 6)

    def test_february_and_empty_periods(self):
        february = self.env["internal.sla.kpi"]._kpis(
            [("sla_agreement_id", "=", self.agreement.id)],
            datetime(2026, 2, 1),
            datetime(2026, 3, 1),
        )
        self.assertEqual((february["volume"], february["met"]), (1, 2))
        nothing = self.env["internal.sla.kpi"]._kpis(
            [("sla_agreement_id", "=", self.agreement.id)],
            datetime(2025, 1, 1),
            datetime(2025, 2, 1),
        )
        self.assertEqual(nothing["volume"], 0)
        self.assertIsNone(nothing["sla_met_percent"])
        self.assertIsNone(nothing["first_response"]["mean"])

    def test_default_period_counts_a_request_filed_this_second(self):
        """The default period ends now, excluded: rounded up to the next whole second, so
        that a request filed a few microseconds ago (its creation date is the
        transaction's) is counted (it was not when the test ran within that second)."""
        start, end = self.env["internal.sla.kpi"]._period()
        self.assertGreater(end, datetime.now())
        self.assertEqual(end.microsecond, 0)
        # twelve months back (a leap day's year before is the 28th of February)
        self.assertEqual(start, end - relativedelta(months=12))

    def test_five_queries_whatever_the_grouping(self):
        service = self.env["internal.sla.kpi"]
        service._kpis([], *MARCH)  # warm up: the settings read (cached afterwards)
        self.env.flush_all()
        # dirty days, tickets and lines (facts + live days), exact P90s, backlog,
        # transfers/follow-ups/paused time (direct), NPS
        with self.assertQueryCount(6):
            service._kpis([], *MARCH)
        # NPS is not asked per agent: one query less
        with self.assertQueryCount(5):
            service._kpis([], *MARCH, groupby="agent")
        # the dashboard cards of every agreement: the same six queries
        other = self.create_agreement(
            name="IT ↔ HR", customer_department_id=self.hr.id, activate=False
        )
        agreements = self.agreement | other
        # warm-up: the health thresholds of Settings are read once, then cached
        agreements.mapped("kpi_health")
        self.env.flush_all()
        agreements.invalidate_recordset()
        with self.assertQueryCount(6):
            agreements.mapped("kpi_sla_met_display")


@tagged("post_install", "-at_install")
class TestSlaAnalysis(ReportFixture, InternalSlaCase):
    def march(self):
        return [("create_date", ">=", MARCH[0]), ("create_date", "<", MARCH[1])]

    def test_pair_matrix_and_met_percent_by_metric(self):
        Report = self.env["internal.sla.report"]
        matrix = Report._read_group(
            self.march(),
            ["provider_department_id", "customer_department_id"],
            ["met_percent:avg", "met_count:sum", "breached_count:sum", "__count"],
        )
        self.assertEqual(len(matrix), 1)
        provider, customer, met_percent, met, breached, count = matrix[0]
        self.assertEqual((provider, customer), (self.it, self.marketing))
        self.assertEqual((met, breached, count), (4, 2, 8))
        self.assertAlmostEqual(met_percent, kpi.sla_met_percent(4, 2))
        by_metric = dict(Report._read_group(self.march(), ["metric"], ["met_percent:avg"]))
        self.assertAlmostEqual(by_metric["first_response"], 200 / 3)
        # the mean time to the first reach per metric is the KPI set's (T3's resolution
        # to its first close, T4's open clocks not counted)
        times = dict(Report._read_group(self.march(), ["metric"], ["first_reach_hours:avg"]))
        kpis = self.env["internal.sla.kpi"]._kpis(
            [("sla_agreement_id", "=", self.agreement.id)], *MARCH
        )
        self.assertAlmostEqual(times["resolution"] * 3600, kpis["resolution_mean"])
        self.assertAlmostEqual(times["resolution"] * 3600, 7800)
        self.assertAlmostEqual(times["first_response"] * 3600, kpis["first_response_mean"])
        rows = Report.search(self.march() + [("reopened", "=", True)])
        self.assertEqual(rows.ticket_id, self.t3)
        self.assertEqual(
            Report.search(self.march() + [("ticket_id", "=", self.t1.id)]).mapped("pair"),
            ["IT → Marketing"] * 2,
        )

    def test_pair_labels_and_time_units_in_the_users_language(self):
        self.env["res.lang"]._activate_lang("ru_RU")
        self.env["ir.module.module"]._get("internal_sla")._update_translations(["ru_RU"])
        self.it.with_context(lang="ru_RU").name = "ИТ"
        self.marketing.with_context(lang="ru_RU").name = "Маркетинг"
        self.env.flush_all()
        Report = self.env["internal.sla.report"]
        for lang, label in (("ru_RU", "ИТ → Маркетинг"), ("en_US", "IT → Marketing")):
            groups = Report.with_context(lang=lang)._read_group(
                self.march(), ["pair"], ["__count"]
            )
            self.assertEqual(groups, [(label, 8)], lang)
            Report.invalidate_model(["pair"])  # one language per request
            line = Report.with_context(lang=lang).search(self.march(), limit=1)
            self.assertEqual(line.pair, label, lang)
            self.assertEqual(
                Report.with_context(lang=lang).search_count(
                    [*self.march(), ("pair", "=", label)]
                ),
                8,
            )
        # a Russian-speaking manager reads working times in Russian units
        self.it_head.lang = "ru_RU"
        russian = {"lang": self.it_head.lang}  # as a session of the user sets it
        Kpi = self.env["internal.sla.kpi"].with_user(self.it_head).with_context(**russian)
        self.assertEqual(Kpi._display(2700, "seconds"), "45 мин")
        self.assertEqual(Kpi._display(5400, "seconds"), "1 ч 30 мин")
        scorecard = (
            self.env["internal.sla.scorecard"]
            .with_user(self.it_head)
            .with_context(**russian)
            .create(
                {"agreement_id": self.agreement.id, "date_from": MARCH[0], "date_to": MARCH[1]}
            )
        )
        actuals = scorecard.line_ids.mapped("actual")
        self.assertIn("45 мин", actuals)  # first response, mean
        self.assertIn("2 ч 10 мин", actuals)  # resolution, mean

    def test_dashboard_colour_and_fast_response_label_follow_the_settings(self):
        Config = self.env["ir.config_parameter"].sudo()
        with freeze_time("2026-04-01 09:00:00"):
            # twelve months to 1 April: March 4 / 6 and February 2 / 2 met, 75 %
            self.assertEqual(self.agreement.kpi_health, "watch")
            Config.set_param("internal_sla.health_watch_percent", 80)
            self.agreement.invalidate_recordset(["kpi_health"])
            self.assertEqual(self.agreement.kpi_health, "poor")
            Config.set_param("internal_sla.health_good_percent", 70)
            Config.set_param("internal_sla.health_watch_percent", 50)
            self.agreement.invalidate_recordset(["kpi_health"])
            self.assertEqual(self.agreement.kpi_health, "good")
        Scorecard = self.env["internal.sla.scorecard"]
        period = (self.agreement, *MARCH)
        names = [row["name"] for row in Scorecard._rows(*period)]
        self.assertIn("Responses within 4 working hours", names)
        Config.set_param("internal_sla.benchmark_first_response_hours", 0.5)
        rows = {row["name"]: row for row in Scorecard._rows(*period)}
        # first responses of 30, 90 and 15 minutes: two within half an hour
        self.assertEqual(rows["Responses within 0.5 working hours"]["actual"], "66.7 %")

    def test_volume_by_hour_of_week_and_backlog_per_team(self):
        Volume = self.env["internal.sla.ticket.report"]
        peaks = Volume._read_group(self.march(), ["weekday", "hour"], ["__count"])
        # Monday 10:00 Moscow: T1 and T2; Tuesday and Wednesday 10:00: one each
        self.assertEqual(sorted(peaks), [("1", "10", 2), ("2", "10", 1), ("3", "10", 1)])
        backlog = Volume._read_group(
            [("is_open", "=", True), ("provider_department_id", "=", self.it.id)],
            ["team_id"],
            ["__count"],
        )
        self.assertEqual(backlog, [(self.team, 1)])

    def test_manager_sees_only_the_departments_they_manage(self):
        Report = self.env["internal.sla.report"]
        ours = [("team_id", "=", self.team.id)]  # the demo data's requests aside
        self.assertEqual(len(Report.search(ours)), 10)  # 5 tickets × 2 lines
        self.assertEqual(len(Report.with_user(self.it_head).search(ours)), 10)  # provider
        self.assertEqual(len(Report.with_user(self.mk_head).search(ours)), 10)  # customer
        hr_head = new_test_user(
            self.env, login="hr_head", groups="internal_sla.internal_sla_group_manager"
        )
        self.hr.manager_id = self.env["hr.employee"].create(
            {"name": "HR head", "user_id": hr_head.id, "department_id": self.hr.id}
        )
        self.assertFalse(Report.with_user(hr_head).search([]))
        self.assertFalse(self.env["internal.sla.ticket.report"].with_user(hr_head).search([]))
        # an agent sees their own figures only; a colleague of another department nothing
        own = Report.with_user(self.agent).search(ours)
        self.assertEqual(own.ticket_id, self.t1 | self.t3 | self.t4 | self.t5)
        self.assertFalse(Report.with_user(self.outsider).search([]))
        with self.assertRaises(AccessError):
            self.env["internal.sla.ticket.report"].with_user(self.agent).search([])

    def test_one_agents_figures_only_for_the_agent_and_their_managers(self):
        """E4 on the analysis: grouped by agent, or by anything one agent handled alone
        (urgent requests: T2, the IT head's; the others: the agent's), the figures are
        that person's own."""
        Report = self.env["internal.sla.report"]
        ours = self.march() + [("team_id", "=", self.team.id)]

        def figures(user, groupby):
            rows = Report.with_user(user)._read_group(
                ours, [groupby], ["met_percent:avg", "met_count:sum", "__count"]
            )
            return {key: tuple(values) for key, *values in rows}

        agents_seen_by_customer = figures(self.mk_head, "user_id")
        # the customer's head groups by no agent whose figures they may not read: both
        # agents' lines count together, the team's figures (test_reports_agents.py)
        nobody = self.env["res.users"]
        self.assertEqual(list(agents_seen_by_customer), [nobody])
        self.assertEqual(agents_seen_by_customer[nobody][1:], (4, 8))
        agents_seen_by_provider = figures(self.it_head, "user_id")  # manages both
        self.assertAlmostEqual(agents_seen_by_provider[self.agent][0], 100.0)
        self.assertEqual(agents_seen_by_provider[self.it_head][1:], (0, 2))
        self.assertEqual(figures(self.agent, "user_id"), {self.agent: (100.0, 4, 6)})
        # the whole team: two agents, everybody reads it; each priority: one agent
        self.assertAlmostEqual(figures(self.mk_head, "team_id")[self.team][0], 400 / 6)
        self.assertEqual(
            figures(self.mk_head, "priority"), {"1": (None, None, 6), "3": (None, None, 2)}
        )
        self.assertEqual(figures(self.it_head, "priority")["3"][1:], (0, 2))
        # the department-pair matrix by day: 2 March both agents, 3 March the agent alone
        Pairs = self.env["internal.sla.pair.report"]

        def pair_days(user):
            rows = Pairs.with_user(user)._read_group(
                [("date", ">=", "2026-03-02"), ("date", "<", "2026-03-04")],
                ["date:day"],
                ["met_percent:avg", "met_count:sum"],
            )
            return [tuple(values) for _day, *values in rows]

        self.assertEqual(pair_days(self.mk_head), [(50.0, 2), (None, None)])
        self.assertEqual(pair_days(self.it_head), [(50.0, 2), (100.0, 2)])
        # an administrator reads everything, and so does anyone when the anonymity
        # minimum is one
        admin = new_test_user(
            self.env, login="sla_admin", groups="internal_sla.internal_sla_group_admin"
        )
        self.assertEqual(figures(admin, "user_id")[self.it_head][1:], (0, 2))
        self.env["ir.config_parameter"].set_param("internal_sla.min_respondents", "1")
        self.assertEqual(figures(self.mk_head, "user_id")[self.it_head][1:], (0, 2))


@tagged("post_install", "-at_install")
class TestPeople(ReportFixture, InternalSlaCase):
    def public(self, user, employee):
        return self.env["hr.employee.public"].with_user(user).browse(employee.id)

    @freeze_time("2026-04-01 09:00:00")
    def test_employee_profile_for_the_person_and_managers_only(self):
        anton = self.env["hr.employee"].search([("user_id", "=", self.agent.id)])
        own = self.public(self.agent, anton)
        self.assertTrue(own.sla_profile_visible)
        self.assertEqual(own.sla_ticket_count, 4)  # T1, T3, T4 and February's T5
        self.assertEqual(own.sla_met_display, "100.0 %")
        self.assertEqual(own.sla_first_response_display, "18 min")  # (1800+900+600)/3 s
        self.assertEqual(own.sla_csat_display, "no data")
        manager = self.public(self.it_head, anton)
        self.assertTrue(manager.sla_profile_visible)
        self.assertEqual(manager.sla_met_display, "100.0 %")
        self.assertEqual(
            manager.action_open_sla_profile()["domain"], [("user_id", "=", self.agent.id)]
        )
        for stranger in (self.outsider, self.requester, self.mk_head):
            other = self.public(stranger, anton)
            self.assertFalse(other.sla_profile_visible, stranger.login)
            self.assertFalse(other.sla_met_display)
            self.assertEqual(other.sla_ticket_count, 0)
            with self.assertRaises(AccessError):
                other.action_open_sla_profile()

    @freeze_time("2026-04-01 09:00:00")
    def test_employee_profile_on_the_private_employee_form(self):
        """HR officers open the private employee form: the same profile, the same rule."""
        anton = self.env["hr.employee"].search([("user_id", "=", self.agent.id)])
        hr_officer = new_test_user(
            self.env,
            "hr.officer",
            groups="hr.group_hr_user,internal_sla.internal_sla_group_user",
        )
        seen = anton.with_user(hr_officer)
        self.assertFalse(seen.sla_profile_visible, "an HR officer is not the agent's manager")
        self.assertFalse(seen.sla_met_display)
        admin = new_test_user(
            self.env,
            "sla.admin",
            groups="hr.group_hr_user,internal_sla.internal_sla_group_admin",
        )
        seen = anton.with_user(admin)
        self.assertTrue(seen.sla_profile_visible)
        self.assertEqual(seen.sla_met_display, "100.0 %")
        self.assertEqual(seen.sla_ticket_count, 4)
        self.assertEqual(
            seen.action_open_sla_profile()["domain"], [("user_id", "=", self.agent.id)]
        )
        arch = anton.with_user(admin).get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn("action_open_sla_profile", arch)

    @freeze_time("2026-04-01 09:00:00")
    def test_department_kpis_team_first(self):
        it = self.it.with_user(self.it_head)
        # March 4 met / 2 breached and February 2 met: 6 / 8 = 75 %
        self.assertEqual(it.sla_kpi_met_display, "75.0 %")
        self.assertEqual(it.sla_health, "watch")
        self.assertEqual(it.sla_kpi_backlog, 1)
        self.assertEqual(self.hr.sla_health, "no_data")
        action = it.action_view_sla_analysis()
        self.assertEqual(action["domain"], [("provider_department_id", "=", self.it.id)])
        self.assertEqual(action["context"]["search_default_groupby_team"], 1)

    def team_goals(self, challenges):
        """Start the challenge templates on 20 March 2026 and return IT Support's goals
        (the challenges run per team, E3), updated."""
        with freeze_time("2026-03-20 09:00:00"):
            challenges.action_start()
            goals = self.env["gamification.goal"].search(
                [
                    ("challenge_id.sla_template_id", "in", challenges.ids),
                    ("sla_team_id", "=", self.team.id),
                ]
            )
            goals.update_goal()
        return goals

    def test_best_csat_challenge_ranks_the_agents_by_their_requests_answers(self):
        """E3: "best CSAT" reads each agent's satisfaction index (answers 4-5 of all)
        about the requests they handled, from five respondents (H9)."""
        people = new_test_users(self.env, *employees("csat_person", 5))
        survey = self.env["internal.sla.feedback.invitation"]._survey_of("csat")
        answers = {self.t1: [5, 5, 4, 4, 2], self.t2: [5, 5, 5, 5, 4]}  # Anton, Ivan
        self.env["internal.sla.feedback.invitation"].create(
            [
                {
                    "kind": "csat",
                    "survey_id": survey.id,
                    "user_id": person.id,
                    "ticket_id": ticket.id,
                    "agreement_id": self.agreement.id,
                    "state": "answered",
                    "score": score,
                    "category": "promoter" if score >= 4 else "detractor",
                }
                for ticket, scores in answers.items()
                for person, score in zip(people, scores, strict=True)
            ]
        )
        goals = self.team_goals(self.env.ref("internal_sla.internal_sla_challenge_best_csat"))
        current = {goal.user_id: goal.current for goal in goals}
        self.assertEqual(current, {self.agent: 80.0, self.it_head: 100.0})

    def test_goals_read_their_kpis_once_per_period(self):
        """Updating the goals of a team's challenges reads the KPI service once per period
        for all the participants, not once per goal, and gives each the figure a goal
        computed alone gets."""
        no_breach = self.env.ref("internal_sla.internal_sla_challenge_no_breach")
        fastest = self.env.ref("internal_sla.internal_sla_challenge_fastest_response")
        extra = new_test_users(self.env, *employees("goal_person", 3))
        self.team.user_ids = [Command.link(user.id) for user in extra]
        goals = self.team_goals(no_breach | fastest)
        self.assertEqual(len(goals), 10)  # five members, two challenges
        Kpi = self.env.registry["internal.sla.kpi"]
        with (
            freeze_time("2026-03-20 09:00:00"),
            patch.object(Kpi, "_kpis", autospec=True, side_effect=Kpi._kpis) as kpis,
        ):
            goals.update_goal()
            self.assertEqual(kpis.call_count, 1)
            alone = {goal: goal.current for goal in goals}
            for goal in goals:  # one by one: the figure of a goal computed alone
                goal.update_goal()
        self.assertEqual(kpis.call_count, 11)
        self.assertEqual({goal: goal.current for goal in goals}, alone)
        fastest_anton = goals.filtered(
            lambda g: g.challenge_id.sla_template_id == fastest and g.user_id == self.agent
        )
        self.assertAlmostEqual(alone[fastest_anton], 0.375)

    def test_month_without_breaches_and_fastest_response_challenges(self):
        no_breach = self.env.ref("internal_sla.internal_sla_challenge_no_breach")
        fastest = self.env.ref("internal_sla.internal_sla_challenge_fastest_response")
        challenges = no_breach | fastest
        idle = new_test_user(
            self.env, "idle.agent", groups="internal_sla.internal_sla_group_user"
        )
        # the challenges run per team (E3): IT Support's copies, among its members
        self.team.user_ids = [Command.link(idle.id)]
        goals = self.team_goals(challenges)
        self.assertEqual(goals.user_id, self.agent | self.it_head | idle)

        def goal(challenge, user):
            return goals.filtered(
                lambda g: g.challenge_id.sla_template_id == challenge and g.user_id == user
            )

        self.assertEqual(goal(no_breach, self.agent).current, 0)
        self.assertEqual(goal(no_breach, self.agent).state, "reached")
        self.assertEqual(goal(no_breach, self.it_head).current, 2)
        self.assertNotEqual(goal(no_breach, self.it_head).state, "reached")
        # nothing handled is no month without breaches, nor the fastest response
        self.assertNotEqual(goal(no_breach, idle).state, "reached")
        self.assertNotEqual(goal(fastest, idle).state, "reached")
        # Anton: (1800 + 900) / 2 s = 0.375 h; Ivan 1.5 h; both under the 4 h target
        self.assertAlmostEqual(goal(fastest, self.agent).current, 0.375)
        self.assertAlmostEqual(goal(fastest, self.it_head).current, 1.5)
        badges = self.env.ref("internal_sla.internal_sla_badge_fastest_response")
        self.assertEqual(badges.rule_auth, "nobody")
