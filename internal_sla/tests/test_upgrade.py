"""The upgrade step from 19.0.1.0.0: records loaded once (noupdate) follow this version."""

import importlib.util
import os

from lxml import etree

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.convert import ParseError, convert_file

from .common import InternalSlaCase, msk


def load_migration(version, name):
    path = os.path.join(get_module_path("internal_sla"), "migrations", version, f"{name}.py")
    spec = importlib.util.spec_from_file_location(f"internal_sla_{name}", path)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


@tagged("post_install", "-at_install")
class TestUpgradeFrom100(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.migrate = staticmethod(load_migration("19.0.1.1.0", "post-migration").migrate)
        cls.rule = cls.env.ref("internal_sla.internal_sla_agreement_rule_company")
        cls.csat = cls.env.ref("internal_sla.survey_internal_sla_csat")
        cls.challenge = cls.env.ref("internal_sla.internal_sla_challenge_no_breach")

    def age_database(self):
        """What a database installed with 19.0.1.0.0 may hold: an older rule, a survey
        taking several answers per invitation, a challenge ranking people alone."""
        self.rule.domain_force = "[(1, '=', 1)]"
        self.csat.write(
            {"is_attempts_limited": False, "attempts_limit": 3, "title": "Our CSAT"}
        )
        self.challenge.sla_per_team = False

    def test_upgrade_restores_what_the_product_relies_on(self):
        self.age_database()
        self.migrate(self.env.cr, "19.0.1.0.0")
        self.env.invalidate_all()
        self.assertEqual(self.rule.domain_force, "[('company_id', 'in', company_ids)]")
        self.assertTrue(self.csat.is_attempts_limited)
        self.assertEqual(self.csat.attempts_limit, 1)
        self.assertEqual(self.csat.access_mode, "token")
        self.assertTrue(self.challenge.sla_per_team)
        # what an administrator may word differently stays theirs
        self.assertEqual(self.csat.title, "Our CSAT")

    def test_rules_deleted_in_the_database_come_back(self):
        rule_xmlid = "internal_sla.internal_sla_target_rule_company"
        self.env.ref(rule_xmlid).unlink()
        self.migrate(self.env.cr, "19.0.1.0.0")
        rule = self.env.ref(rule_xmlid)
        self.assertEqual(rule.model_id.model, "internal.sla.target")

    def test_every_feedback_survey_takes_one_answer_per_invitation(self):
        surveys = self.env["survey.survey"].search([("internal_sla_kind", "!=", False)])
        surveys.write({"attempts_limit": 2})
        self.migrate(self.env.cr, "19.0.1.0.0")
        self.assertEqual(set(surveys.mapped("attempts_limit")), {1})
        self.assertGreaterEqual(len(surveys), 4)

    def test_a_fresh_install_is_left_alone(self):
        self.age_database()
        self.migrate(self.env.cr, None)
        self.assertEqual(self.rule.domain_force, "[(1, '=', 1)]")
        self.assertFalse(self.challenge.sla_per_team)


def reload_views(env, filename):
    """Load one of the addon's view files as a module update does."""
    convert_file(env, "internal_sla", f"views/{filename}", {}, mode="update", noupdate=False)


# the surge view's arch in 19.0.1.1.0: a tab after the agreement form's Escalations tab
SURGE_TAB_ARCH_1_1 = """<data>
    <page name="escalations" position="after">
        <page string="Surge" name="surge"><group><field name="surge_enabled"/></group></page>
    </page>
</data>"""


@tagged("post_install", "-at_install")
class TestUpgradeFrom110(TransactionCase):
    def setUp(self):
        super().setUp()
        self.pre_migrate = load_migration("19.0.1.2.0", "pre-migration").migrate
        self.surge_view = self.env.ref("internal_sla.internal_sla_agreement_view_form_surge")
        # what a database updated to 19.0.1.1.0 holds (SQL: the ORM would refuse this arch
        # against the form it now inherits from)
        self.env.cr.execute(
            "UPDATE ir_ui_view SET arch_db = jsonb_build_object('en_US', %s) WHERE id = %s",
            [SURGE_TAB_ARCH_1_1, self.surge_view.id],
        )
        self.env.invalidate_all()

    def reload(self, filename):
        reload_views(self.env, filename)

    def test_the_form_of_seven_tabs_loads_over_the_previous_surge_tab(self):
        with (
            self.assertRaises(ParseError, msg="without the step the update fails"),
            self.env.cr.savepoint(),
        ):
            self.reload("internal_sla_agreement_views.xml")
        self.pre_migrate(self.env.cr, "19.0.1.1.0")
        self.env.invalidate_all()
        self.reload("internal_sla_agreement_views.xml")
        self.reload("internal_sla_surge_views.xml")
        arch = self.env["internal.sla.agreement"].get_view(view_type="form")["arch"]
        form = etree.fromstring(arch)
        self.assertEqual(
            [page.get("name") for page in form.iter("page")],
            [
                "targets",
                "customer_side",
                "automation",
                "versions",
                "meetings",
                "description",
                "feedback",
            ],
        )
        self.assertEqual(
            [
                separator.get("name")
                for separator in form.xpath("//page[@name='automation']/separator")
            ],
            ["stage_rules", "escalations", "surge"],
        )


@tagged("post_install", "-at_install")
class TestUpgradeFrom120(TransactionCase):
    """19.0.1.3.0 keeps a request's SLA internals from portal users: the handoff view's
    page and button follow their fields' group, and the update loads without warning."""

    def setUp(self):
        super().setUp()
        self.pre_migrate = load_migration("19.0.1.3.0", "pre-migration").migrate
        view = self.env.ref("internal_sla.helpdesk_ticket_view_form_handoff")
        # what a database updated to 19.0.1.2.0 holds: the page and button for all readers
        previous = view.arch_db.replace(' groups="base.group_user"', "")
        self.assertNotEqual(previous, view.arch_db)
        self.env.cr.execute(
            "UPDATE ir_ui_view SET arch_db = jsonb_build_object('en_US', %s) WHERE id = %s",
            [previous, view.id],
        )
        self.env.invalidate_all()

    def reload(self, filename):
        reload_views(self.env, filename)

    def test_the_ticket_form_reloads_without_warning(self):
        with (
            self.assertLogs("odoo.addons.base.models.ir_ui_view", "WARNING") as logged,
            self.env.cr.savepoint(),
        ):
            self.reload("helpdesk_ticket_views.xml")
        self.assertIn("sla_chain_root_id", "\n".join(logged.output))
        self.pre_migrate(self.env.cr, "19.0.1.2.0")
        self.env.invalidate_all()
        with self.assertNoLogs("odoo.addons.base.models.ir_ui_view", "WARNING"):
            self.reload("helpdesk_ticket_views.xml")
            self.reload("helpdesk_ticket_handoff_views.xml")
        view = self.env.ref("internal_sla.helpdesk_ticket_view_form_handoff")
        self.assertIn('name="sla_handoffs"', view.arch_db)


@tagged("post_install", "-at_install")
class TestUpgradeFrom130(InternalSlaCase):
    """19.0.1.4.0 times resolution to the first close: the clocks of a database updated
    to 19.0.1.3.0 get their first reach from what they hold."""

    def test_clocks_get_their_first_reach(self):
        migrate = load_migration("19.0.1.4.0", "post-migration").migrate
        closed = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 11, 0), closed, stage_id=self.stage_done.id)
        reopened = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 12, 0), reopened, stage_id=self.stage_done.id)
        self.at(msk(2026, 3, 2, 15, 0), reopened, stage_id=self.stage_progress.id)
        reclosed = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.at(msk(2026, 3, 2, 11, 0), reclosed, stage_id=self.stage_done.id)
        self.at(msk(2026, 3, 2, 15, 0), reclosed, stage_id=self.stage_progress.id)
        self.at(msk(2026, 3, 2, 16, 0), reclosed, stage_id=self.stage_done.id)
        running = self.create_ticket(msk(2026, 3, 2, 10, 0))
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE internal_sla_line SET first_reached_date = NULL, "
            "first_reached_seconds = NULL"
        )
        self.env.invalidate_all()
        migrate(self.env.cr, "19.0.1.3.0")
        self.env.invalidate_all()

        def first(ticket):
            line = self.line(ticket)
            return line.first_reached_date, line.first_reached_seconds

        self.assertEqual(first(closed), (msk(2026, 3, 2, 11, 0), 3600))
        # known to have been reached by its reopen, with the time it had used then
        self.assertEqual(first(reopened), (msk(2026, 3, 2, 15, 0), 7200))
        # closed again since: its first close, not its last (1 h + 1 h)
        self.assertEqual(self.line(reclosed).consumed_seconds, 7200)
        self.assertEqual(first(reclosed), (msk(2026, 3, 2, 15, 0), 3600))
        self.assertEqual(first(running), (False, 0))
        self.env.cr.execute(
            "SELECT count(*) FROM internal_sla_line WHERE first_reached_seconds IS NOT NULL "
            "AND ticket_id = %s",
            [running.id],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0)

    def test_meetings_remember_the_checklists_launched(self):
        migrate = load_migration("19.0.1.4.0", "post-migration").migrate
        launched, other = self.env["calendar.event"].create(
            [
                {
                    "name": name,
                    "start": msk(2026, 3, 13, 15, 0),
                    "stop": msk(2026, 3, 13, 16, 0),
                    "sla_agreement_id": self.agreement.id,
                }
                for name in ("Review", "Sync")
            ]
        )
        launched._sla_launch_checklist("before")
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE calendar_event SET sla_before_checklist_launched = FALSE, "
            "sla_after_checklist_launched = FALSE WHERE id IN %s",
            [(launched.id, other.id)],
        )
        migrate(self.env.cr, "19.0.1.3.0")
        self.env.invalidate_all()
        self.assertTrue(launched.sla_before_checklist_launched)
        self.assertFalse(launched.sla_after_checklist_launched)
        self.assertFalse(other.sla_before_checklist_launched)
