"""People and teams (E2–E4): the department's figures as a provider, as a customer and of
its own people; challenges per team; individual figures for the person and their managers.

On 1 April 2026 the last twelve months hold the report fixture (reports_common.py): IT
serves Marketing, 6 targets met and 2 breached (75 %), five requests filed by Marketing.
"""

from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import InternalSlaCase, department_headed_by, msk
from .feedback_common import FeedbackMixin
from .reports_common import ReportFixture

MARCH_10 = datetime(2026, 3, 10, 9, 0)
CHALLENGES = (
    "internal_sla.internal_sla_challenge_no_breach",
    "internal_sla.internal_sla_challenge_fastest_response",
    "internal_sla.internal_sla_challenge_best_csat",
)


@tagged("post_install", "-at_install")
@freeze_time("2026-04-01 09:00:00")
class TestDepartmentFigures(ReportFixture, FeedbackMixin, InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.set_param("min_respondents", 5)
        cls.customers = cls.make_people(5, cls.marketing, prefix="customer")
        cls.staff = cls.make_people(5, cls.it, prefix="staff")

    def answer_all(self):
        # internal NPS about IT from five Marketing people: 3 promoters, 1 passive,
        # 1 detractor → (3 − 1) / 5 = +40
        self.answered(self.customers, [10, 9, 9, 7, 3], MARCH_10)
        # CSAT on T1 from five people: 5, 4, 4, 2, 5 → 4 satisfied of 5 = 80 %
        self.answered(
            self.customers, [5, 4, 4, 2, 5], MARCH_10, kind="csat", ticket_id=self.t1.id
        )
        # eNPS of IT's own people: 10, 9 promoters, 8, 7 passives, 6 detractor → +20
        self.answered(
            self.staff,
            [10, 9, 8, 7, 6],
            MARCH_10,
            kind="enps",
            agreement_id=False,
            customer_department_id=False,
        )

    def figures(self, department, user=None):
        department = department.with_user(user or self.it_head)
        department.invalidate_recordset()
        return {
            name: department[name]
            for name in (
                "sla_kpi_met_display",
                "sla_health",
                "sla_kpi_nps_display",
                "sla_kpi_csat_display",
                "sla_kpi_enps_display",
                "sla_customer_volume",
                "sla_customer_met_display",
                "sla_customer_nps_display",
            )
        }

    def test_provider_customer_and_staff_figures_computed_by_hand(self):
        self.answer_all()
        self.assertEqual(
            self.figures(self.it),
            {
                "sla_kpi_met_display": "75.0 %",
                "sla_health": "watch",
                "sla_kpi_nps_display": "+40",
                "sla_kpi_csat_display": "80.0 %",
                "sla_kpi_enps_display": "+20",
                # IT filed nothing to others and answered no NPS about them
                "sla_customer_volume": 0,
                "sla_customer_met_display": "no data",
                "sla_customer_nps_display": "no data",
            },
        )
        self.assertEqual(
            self.figures(self.marketing, self.mk_head),
            {
                "sla_kpi_met_display": "no data",
                "sla_health": "no_data",
                "sla_kpi_nps_display": "no data",
                "sla_kpi_csat_display": "no data",
                "sla_kpi_enps_display": "no data",
                # T1–T5, February's T5 included; their targets 6 met of 8
                "sla_customer_volume": 5,
                "sla_customer_met_display": "75.0 %",
                "sla_customer_nps_display": "+40",
            },
        )

    def test_figures_read_by_managers_own_people_and_administrators(self):
        """A manager reads the departments they manage (and those below them), an
        employee their own department, an administrator all (E2, G2)."""
        self.answer_all()
        blank = dict.fromkeys(self.figures(self.it), False)
        blank["sla_customer_volume"] = 0
        blank["sla_health"] = False
        # the head of IT does not read Marketing's figures, nor Marketing's head IT's
        self.assertEqual(self.figures(self.marketing, self.it_head), blank)
        self.assertEqual(self.figures(self.it, self.mk_head), blank)
        self.assertFalse(self.marketing.with_user(self.it_head).sla_kpi_visible)
        # a department below IT is IT's head's to read
        desk = self.env["hr.department"].create({"name": "IT Desk", "parent_id": self.it.id})
        self.assertTrue(desk.with_user(self.it_head).sla_kpi_visible)
        # an employee of Marketing reads Marketing's, not IT's
        self.assertEqual(
            self.figures(self.marketing, self.requester)["sla_customer_met_display"], "75.0 %"
        )
        self.assertEqual(self.figures(self.it, self.requester), blank)
        # an administrator reads every department's
        admin = new_test_user(
            self.env, "sla_admin_reader", groups="internal_sla.internal_sla_group_admin"
        )
        self.assertEqual(self.figures(self.marketing, admin)["sla_customer_volume"], 5)
        self.assertEqual(self.figures(self.it, admin)["sla_kpi_met_display"], "75.0 %")

    def test_fewer_respondents_than_the_minimum_say_not_enough_answers(self):
        few = self.customers[:3]
        self.answered(few, [10, 9, 3], MARCH_10)  # +33 from three people
        self.answered(few, [5, 5, 1], MARCH_10, kind="csat", ticket_id=self.t1.id)
        self.answered(
            self.staff[:2],
            [10, 2],
            MARCH_10,
            kind="enps",
            agreement_id=False,
            customer_department_id=False,
        )
        hidden = "not enough answers"
        figures = self.figures(self.it)
        self.assertEqual(figures["sla_kpi_nps_display"], hidden)
        self.assertEqual(figures["sla_kpi_csat_display"], hidden)
        self.assertEqual(figures["sla_kpi_enps_display"], hidden)
        self.assertEqual(
            self.figures(self.marketing, self.mk_head)["sla_customer_nps_display"], hidden
        )
        # the minimum comes from Settings: three answers are enough at three
        self.set_param("min_respondents", 3)
        figures = self.figures(self.it)
        self.assertEqual(figures["sla_kpi_nps_display"], "+33")
        self.assertEqual(figures["sla_kpi_csat_display"], "66.7 %")
        self.assertEqual(figures["sla_kpi_enps_display"], hidden)  # two people
        self.set_param("min_respondents", 2)
        self.assertEqual(self.figures(self.it)["sla_kpi_enps_display"], "+0")

    def test_read_for_many_departments_in_a_bounded_number_of_queries(self):
        self.answer_all()
        departments = self.it | self.marketing | self.hr
        extra = self.env["hr.department"].create(
            [{"name": f"Department {n}", "parent_id": self.it.id} for n in range(5)]
        )

        names = ("sla_kpi_nps_display", "sla_kpi_enps_display", "sla_customer_nps_display")

        def queries(records):
            records = records.with_user(self.it_head)
            records.read(names)  # warm the caches of settings and rules
            records.invalidate_recordset()
            before = self.cr.sql_log_count
            records.read(names)
            return self.cr.sql_log_count - before

        three = queries(departments)
        self.assertEqual(queries(departments | extra), three)
        self.assertLessEqual(three, 20)  # 15 when written: two KPI reads and the eNPS

    def test_department_card_and_form_show_the_figures(self):
        kanban = (
            self.env["hr.department"].with_user(self.it_head).get_views([(False, "kanban")])
        )
        arch = kanban["views"]["kanban"]["arch"]
        self.assertIn("sla_health", arch)
        self.assertIn("sla_kpi_nps_display", arch)
        form = self.env["hr.department"].with_user(self.it_head).get_views([(False, "form")])
        arch = form["views"]["form"]["arch"]
        for name in ("sla_kpi_enps_display", "sla_customer_met_display", "sla_customer_volume"):
            self.assertIn(name, arch)


@tagged("post_install", "-at_install")
class TestTeamChallenges(ReportFixture, FeedbackMixin, InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.templates = cls.env["gamification.challenge"].browse(
            [cls.env.ref(xmlid).id for xmlid in CHALLENGES]
        )
        cls.newcomer = new_test_user(
            cls.env,
            "newcomer",
            groups="internal_sla.internal_sla_group_user,helpdesk_mgmt.group_helpdesk_user",
        )
        cls.env["hr.employee"].create(
            {"name": "Nina", "user_id": cls.newcomer.id, "department_id": cls.it.id}
        )
        cls.mk_team = cls.env["helpdesk.ticket.team"].create(
            {
                "name": "Marketing Desk",
                "department_id": cls.marketing.id,
                "user_ids": [Command.set([cls.mk_head.id, cls.requester.id])],
            }
        )

    def copies(self, team):
        return self.env["gamification.challenge"].search(
            [("sla_team_id", "=", team.id), ("sla_template_id", "in", self.templates.ids)]
        )

    def test_one_challenge_per_team_among_its_members(self):
        self.assertFalse(self.templates.user_ids, "the templates rank nobody globally")
        it_copies = self.copies(self.team)
        self.assertEqual(it_copies.sla_template_id, self.templates)
        self.assertEqual(len(it_copies), 3)
        for copy in it_copies:
            self.assertEqual(copy.user_ids, self.agent | self.it_head)
            self.assertEqual(copy.visibility_mode, "personal")
            self.assertEqual(
                copy.line_ids.definition_id, copy.sla_template_id.line_ids.definition_id
            )
        for copy in self.copies(self.mk_team):
            self.assertEqual(copy.user_ids, self.mk_head | self.requester)
        # members change: the team's challenges follow, the other team's do not
        self.team.user_ids = [Command.link(self.newcomer.id), Command.unlink(self.it_head.id)]
        for copy in self.copies(self.team):
            self.assertEqual(copy.user_ids, self.agent | self.newcomer)
        for copy in self.copies(self.mk_team):
            self.assertEqual(copy.user_ids, self.mk_head | self.requester)
        # no leaderboard among teammates: that would show each other's figures (E4)
        with self.assertRaises(ValidationError):
            it_copies[0].visibility_mode = "ranking"
        # a team without a department is measured by no agreement: no challenge
        loose = self.env["helpdesk.ticket.team"].create({"name": "Loose"})
        self.assertFalse(self.copies(loose))
        loose.department_id = self.hr
        self.assertEqual(len(self.copies(loose)), 3)

    def test_team_leaderboard_follows_members_and_hides_individuals(self):
        fastest = self.env.ref("internal_sla.internal_sla_challenge_fastest_response")
        with freeze_time("2026-03-20 09:00:00"):
            fastest.action_start()
            it_fastest = self.copies(self.team).filtered(lambda c: c.sla_template_id == fastest)
            self.assertEqual(it_fastest.state, "inprogress")
            goals = self.env["gamification.goal"].search([("challenge_id", "=", it_fastest.id)])
            goals.update_goal()
        self.assertEqual(goals.user_id, self.agent | self.it_head)
        by_user = {goal.user_id: goal for goal in goals}
        # Anton: (1800 + 900) / 2 s = 0.375 h, rank 1; Ivan 5400 s = 1.5 h, rank 2
        self.assertAlmostEqual(by_user[self.agent].current, 0.375)
        self.assertAlmostEqual(by_user[self.it_head].current, 1.5)
        self.assertEqual(by_user[self.agent].sla_rank, 1)
        self.assertEqual(by_user[self.it_head].sla_rank, 2)
        # read in working time as everywhere else: 1350 s ≈ 22 min, 5400 s, target 4 h
        self.assertEqual(
            [
                (goal.sla_current_display, goal.sla_target_display, goal.sla_unit_display)
                for goal in (by_user[self.agent], by_user[self.it_head])
            ],
            [
                ("22 min", "4 h 00 min", "working time"),
                ("1 h 30 min", "4 h 00 min", "working time"),
            ],
        )
        # the agent reads their own goal and rank, not their colleague's
        Goal = self.env["gamification.goal"]
        seen = Goal.with_user(self.agent).search([("sla_team_id", "=", self.team.id)])
        self.assertEqual(seen, by_user[self.agent])
        self.assertEqual(seen.sla_rank, 1)
        with self.assertRaises(AccessError):
            by_user[self.it_head].with_user(self.agent).read(["current"])
        # the head of IT (a manager of the team's department) reads the whole ranking
        seen = Goal.with_user(self.it_head).search([("sla_team_id", "=", self.team.id)])
        self.assertEqual(seen, goals)
        # another department's manager does not
        seen = Goal.with_user(self.mk_head).search([("sla_team_id", "=", self.team.id)])
        self.assertFalse(seen)
        with self.assertRaises(AccessError):
            by_user[self.agent].with_user(self.mk_head).read(["current"])
        # a head above IT manages it through the parent department (G2)
        board = new_test_user(
            self.env, "board.head", groups="internal_sla.internal_sla_group_manager"
        )
        top = department_headed_by(self.env, "Board", board, "Boris")
        self.it.parent_id = top
        self.env.flush_all()
        seen = Goal.with_user(board).search([("sla_team_id", "=", self.team.id)])
        self.assertEqual(seen, goals)
        # a member leaves a running challenge: their goal goes with them, a newcomer gets one
        with freeze_time("2026-03-25 09:00:00"):
            self.team.user_ids = [
                Command.unlink(self.it_head.id),
                Command.link(self.newcomer.id),
            ]
        goals = Goal.search([("challenge_id", "=", it_fastest.id)])
        self.assertEqual(goals.user_id, self.agent | self.newcomer)
        with freeze_time("2026-03-25 09:00:00"):
            goals.update_goal()
        nina = goals.filtered(lambda goal: goal.user_id == self.newcomer)
        # Nina answered nothing yet: no value and no rank, not first with 0 h
        self.assertTrue(nina.sla_no_data)
        self.assertEqual((nina.sla_rank, nina.sla_current_display), (0, "no data"))
        self.assertEqual(
            ((goals - nina).sla_rank, (goals - nina).sla_current_display), (1, "22 min")
        )
        action = self.team.with_user(self.it_head).action_view_sla_leaderboard()
        self.assertEqual(action["domain"], [("sla_team_id", "=", self.team.id)])

    def badges(self, challenge):
        return {
            (badge_user.user_id, badge_user.badge_id)
            for badge_user in self.env["gamification.badge.user"].search(
                [("challenge_id", "=", challenge.id)]
            )
        }

    def start_team_copy(self, template):
        """Start ``template`` on 20 March with Nina joined to IT Support: IT Support's
        copy (Anton, then Ivan, then Nina) and its goals by person, updated."""
        self.team.user_ids = [Command.link(self.newcomer.id)]
        with freeze_time("2026-03-20 09:00:00"):
            template.action_start()
            copy = self.copies(self.team).filtered(lambda c: c.sla_template_id == template)
            self.assertEqual(copy.user_ids[:2], self.agent | self.it_head)
            goals = self.env["gamification.goal"].search([("challenge_id", "=", copy.id)])
            goals.update_goal()
        return copy, {goal.user_id: goal for goal in goals}

    def assert_ivan_ranks_before_anton(self, copy, by_user):
        """Both reached the goal, Ivan's value is the better, Nina has no data: Ivan
        first, Anton second though he comes first among the participants, Nina unranked."""
        self.assertEqual(
            (by_user[self.agent].state, by_user[self.it_head].state), ("reached", "reached")
        )
        self.assertTrue(by_user[self.newcomer].sla_no_data)
        self.assertEqual((by_user[self.it_head].sla_rank, by_user[self.agent].sla_rank), (1, 2))
        with freeze_time("2026-03-20 09:00:00"):
            self.assertEqual(copy._get_topN_users(3), (self.it_head, self.agent, False))

    def test_fastest_response_badge_goes_to_the_fastest(self):
        """E3: both reach the 4 h target, the badge goes to the lowest mean, not to the
        first participant (Anton, by name). Nina answered nothing: not ranked."""
        fastest = self.env.ref("internal_sla.internal_sla_challenge_fastest_response")
        # Thursday 5 March 9:00, answered at 13:00: 4 working hours (14400 s) for Anton
        self._worked(msk(2026, 3, 5, 9, 0), self.agent, "1", reply=(13, 0))
        it_fastest, by_user = self.start_team_copy(fastest)
        # Anton (1800 + 900 + 14400) / 3 = 5700 s = 1.5833 h; Ivan 5400 s = 1.5 h
        self.assertAlmostEqual(by_user[self.agent].current, 5700 / 3600)
        self.assertAlmostEqual(by_user[self.it_head].current, 1.5)
        self.assert_ivan_ranks_before_anton(it_fastest, by_user)
        with freeze_time("2026-03-20 09:00:00"):
            self.assertEqual(it_fastest._get_topN_users(1), (self.it_head,))
            # the administrator ends the month's challenge: its team copies close
            fastest.write({"state": "done"})
        self.assertEqual(it_fastest.state, "done")
        badge = self.env.ref("internal_sla.internal_sla_badge_fastest_response")
        self.assertEqual(self.badges(it_fastest), {(self.it_head, badge)})

    def test_best_satisfaction_badge_goes_to_the_highest_csat(self):
        """E3: both agents reach the 85 % goal; the badge goes to the highest
        satisfaction index, not to the first participant (Anton). Nina has no answers:
        not ranked."""
        best = self.env.ref("internal_sla.internal_sla_challenge_best_csat")
        self.set_param("min_respondents", 5)
        customers = self.make_people(5, self.marketing, prefix="customer")
        # Anton's T1: 9 satisfied answers of 10 (90 %); Ivan's T2: 5 of 5 (100 %)
        self.answered(
            customers,
            [5, 4, 4, 5, 5, 4, 5, 4, 2, 5],
            MARCH_10,
            kind="csat",
            ticket_id=self.t1.id,
        )
        self.answered(customers, [5, 4, 5, 5, 4], MARCH_10, kind="csat", ticket_id=self.t2.id)
        it_best, by_user = self.start_team_copy(best)
        self.assertAlmostEqual(by_user[self.agent].current, 90.0)
        self.assertAlmostEqual(by_user[self.it_head].current, 100.0)
        self.assert_ivan_ranks_before_anton(it_best, by_user)
        with freeze_time("2026-03-20 09:00:00"):
            best.write({"state": "done"})
        badge = self.env.ref("internal_sla.internal_sla_badge_best_csat")
        self.assertEqual(self.badges(it_best), {(self.it_head, badge)})

    def test_the_month_badges_are_given_when_the_month_is_over(self):
        """E3: the daily job gives March's badges on the first days of April, once,
        to March's best; the challenge goes on into April."""
        fastest = self.env.ref("internal_sla.internal_sla_challenge_fastest_response")
        self._worked(msk(2026, 3, 5, 9, 0), self.agent, "1", reply=(13, 0))
        with freeze_time("2026-03-20 09:00:00"):
            fastest.action_start()
            it_fastest = self.copies(self.team).filtered(lambda c: c.sla_template_id == fastest)
            self.env["gamification.goal"].search(
                [("challenge_id", "=", it_fastest.id)]
            ).update_goal()
            it_fastest._update_all()
        self.assertFalse(self.badges(it_fastest), "March is not over")
        badge = self.env.ref("internal_sla.internal_sla_badge_fastest_response")
        with freeze_time("2026-04-02 06:00:00"):
            it_fastest._update_all()
            it_fastest._update_all()
        self.assertEqual(self.badges(it_fastest), {(self.it_head, badge)})
        self.assertEqual(
            len(
                self.env["gamification.badge.user"].search(
                    [("challenge_id", "=", it_fastest.id)]
                )
            ),
            1,
        )
        self.assertEqual(it_fastest.state, "inprogress")
        self.assertEqual(it_fastest.sla_rewarded_until.isoformat(), "2026-03-31")
        note = it_fastest.message_ids[:1]
        self.assertIn("2026-03-01 – 2026-03-31", note.body)
        self.assertIn(f"{self.it_head.name}: {badge.name}", note.body)

    def test_month_without_breaches_lost_by_a_later_breach(self):
        """E3: Anton meets every target on Monday 6 April (reached), misses the first
        response on Tuesday: the goal is no longer reached and he earns no badge."""
        no_breach = self.env.ref("internal_sla.internal_sla_challenge_no_breach")
        self._worked(msk(2026, 4, 6, 10, 0), self.agent, "1", reply=(10, 30), close=(12, 0))
        with freeze_time("2026-04-06 12:00:00"):
            no_breach.action_start()
            it_copy = self.copies(self.team).filtered(lambda c: c.sla_template_id == no_breach)
            goal = self.env["gamification.goal"].search(
                [("challenge_id", "=", it_copy.id), ("user_id", "=", self.agent.id)]
            )
            goal.update_goal()
            self.assertEqual((goal.current, goal.state), (0, "reached"))
            ivan = self.env["gamification.goal"].search(
                [("challenge_id", "=", it_copy.id), ("user_id", "=", self.it_head.id)]
            )
            self.assertTrue(ivan.sla_no_data)
            self.assertEqual(ivan.state, "inprogress", "no request: no month without breach")
        # Tuesday 10:00, first answer at 12:00: 2 h for a 1 h target, breached
        self._worked(msk(2026, 4, 7, 10, 0), self.agent, "1", reply=(12, 0))
        with freeze_time("2026-04-07 12:00:00"):
            goal.update_goal()
            self.assertEqual((goal.current, goal.state), (1, "inprogress"))
            no_breach.write({"state": "done"})
        self.assertEqual(it_copy.state, "done")
        self.assertFalse(self.badges(it_copy))

    @freeze_time("2026-04-01 09:00:00")
    def test_team_kpis_visible_to_the_team(self):
        team = self.team.with_user(self.agent)
        # the fixture: 75 % met, first response (1800 + 5400 + 900 + 600) / 4 = 2175 s
        self.assertEqual(team.sla_team_met_display, "75.0 %")
        self.assertEqual(team.sla_team_first_response_display, "36 min")
        self.assertEqual(team.sla_team_volume, 5)
        self.assertEqual(team.sla_team_backlog, 1)  # T4
        self.assertEqual(team.sla_team_csat_display, "no data")

    @freeze_time("2026-04-01 09:00:00")
    def test_team_of_one_shows_its_figures_to_the_agent_and_managers_only(self):
        """E4: the figures of a team or department whose requests one agent handled are
        that person's: hidden from a teammate, a plain user and the manager of another
        department, shown to the agent, the head of the department and administrators.
        A team of two agents (the fixture: Anton and Ivan) is shown to every Internal SLA
        user; its department to its people and managers (E2)."""
        admin = new_test_user(
            self.env, "sla.admin", groups="internal_sla.internal_sla_group_admin"
        )

        def seen(user):
            self.env.invalidate_all()
            team = self.team.with_user(user)
            it = self.it.with_user(user)
            return (
                team.sla_team_met_display,
                team.sla_team_first_response_display,
                team.sla_team_volume,
                team.sla_team_kpis_hidden,
                it.sla_kpi_met_display,
                it.sla_health,
                it.sla_kpi_people_hidden,
            )

        # 6 of 8 met; first response (1800 + 5400 + 900 + 600) / 4 = 2175 s ≈ 36 min
        shown = ("75.0 %", "36 min", 5, False, "75.0 %", "watch", False)
        hidden = ("not enough people", "not enough people", 0, True, "not enough people")
        # IT's own figures are for its managers, its people and administrators (E2)
        not_theirs = (False, False, False)
        for user in (self.agent, self.it_head, self.newcomer, admin):
            self.assertEqual(seen(user), shown, f"two agents, read by {user.login}")
        for user in (self.outsider, self.mk_head):
            self.assertEqual(seen(user), shown[:4] + not_theirs, f"read by {user.login}")
        # Ivan's urgent T2 goes to Anton: every request of the team and of IT is his
        self.t2.user_id = self.agent
        self.assertEqual(seen(self.newcomer)[:5], hidden, "one agent, read by a teammate")
        self.assertFalse(seen(self.newcomer)[5], "no health of one person")
        for user in (self.outsider, self.mk_head):
            self.assertEqual(seen(user)[:4], hidden[:4], f"one agent, read by {user.login}")
            self.assertEqual(seen(user)[4:], not_theirs)
        for user in (self.agent, self.it_head, admin):
            self.assertEqual(seen(user), shown, f"one agent, read by {user.login}")
        # the anonymity minimum of Settings at 1 hides nothing
        self.env["ir.config_parameter"].sudo().set_param("internal_sla.min_respondents", 1)
        self.assertEqual(seen(self.newcomer), shown)

    @freeze_time("2026-04-01 09:00:00")
    def test_plain_employee_reads_own_profile_not_a_colleagues(self):
        """E1, E4 as a plain Internal SLA User sees them: Anton reads his own figures, not
        those of Nina (a teammate) nor of Ivan (his head); Nina, who manages nobody,
        does not read Anton's — on the form as the web client reads it, through the
        profile's analysis and in the SLA analysis. The team's figures are the team's."""
        self.team.user_ids = [Command.link(self.newcomer.id)]
        Public = self.env["hr.employee.public"]
        employee = {
            user: self.env["hr.employee"].search([("user_id", "=", user.id)])
            for user in (self.agent, self.it_head, self.newcomer)
        }
        profile = {
            "sla_profile_visible": {},
            "sla_ticket_count": {},
            "sla_met_display": {},
            "sla_first_response_display": {},
            "sla_csat_display": {},
            "sla_fcr_display": {},
            "sla_reopen_display": {},
        }
        own = Public.with_user(self.agent).browse(employee[self.agent].id)
        [values] = own.web_read(profile)
        # T1, T3, T4 and February's T5: 4 met of 4; (1800 + 900 + 600) / 3 s ≈ 18 min
        self.assertEqual(
            (
                values["sla_profile_visible"],
                values["sla_ticket_count"],
                values["sla_met_display"],
                values["sla_first_response_display"],
            ),
            (True, 4, "100.0 %", "18 min"),
        )
        self.assertEqual(
            own.action_open_sla_profile()["domain"], [("user_id", "=", self.agent.id)]
        )
        hidden = dict.fromkeys(profile, False) | {"sla_ticket_count": 0}
        for reader, colleague in (
            (self.agent, self.newcomer),
            (self.agent, self.it_head),
            (self.newcomer, self.agent),
        ):
            seen = Public.with_user(reader).browse(employee[colleague].id)
            [values] = seen.web_read(profile)
            del values["id"]
            self.assertEqual(values, hidden, f"{reader.login} reads {colleague.login}")
            with self.assertRaises(AccessError):
                seen.action_open_sla_profile()
        Report = self.env["internal.sla.report"]
        self.assertFalse(
            Report.with_user(self.newcomer).search([("user_id", "=", self.agent.id)])
        )
        self.assertFalse(
            Report.with_user(self.agent).search([("user_id", "=", self.it_head.id)])
        )
        # the whole team's and department's figures are for everyone in them (Anton's
        # own 100 % would show if they were read through his record rules)
        self.assertEqual(self.team.with_user(self.agent).sla_team_met_display, "75.0 %")
        self.assertEqual(self.it.with_user(self.agent).sla_kpi_met_display, "75.0 %")
        self.assertEqual(self.it.with_user(self.newcomer).sla_kpi_met_display, "75.0 %")
