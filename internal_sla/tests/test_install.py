from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestInstall(TransactionCase):
    """The addon installs with its dependencies, groups, menus and settings."""

    def test_module_and_dependencies_installed(self):
        modules = self.env["ir.module.module"].search(
            [
                (
                    "name",
                    "in",
                    ["internal_sla", "helpdesk_mgmt", "hr", "survey", "calendar"],
                )
            ]
        )
        self.assertEqual(
            {m.name: m.state for m in modules},
            dict.fromkeys(
                ["internal_sla", "helpdesk_mgmt", "hr", "survey", "calendar"],
                "installed",
            ),
        )

    def test_groups_imply_each_other(self):
        user_group = self.env.ref("internal_sla.internal_sla_group_user")
        manager_group = self.env.ref("internal_sla.internal_sla_group_manager")
        admin_group = self.env.ref("internal_sla.internal_sla_group_admin")
        self.assertIn(user_group, manager_group.all_implied_ids)
        self.assertIn(manager_group, admin_group.all_implied_ids)
        self.assertNotIn(admin_group, manager_group.all_implied_ids)
        self.assertEqual(
            user_group.privilege_id,
            self.env.ref("internal_sla.internal_sla_privilege"),
        )
        self.assertEqual(admin_group.privilege_id, user_group.privilege_id)

        manager = new_test_user(
            self.env,
            login="isla_manager",
            groups="internal_sla.internal_sla_group_manager",
        )
        self.assertTrue(manager.has_group("internal_sla.internal_sla_group_user"))
        self.assertFalse(manager.has_group("internal_sla.internal_sla_group_admin"))
        self.assertTrue(
            self.env.ref("base.user_admin").has_group("internal_sla.internal_sla_group_admin")
        )

    def test_menus_follow_groups(self):
        root = self.env.ref("internal_sla.internal_sla_menu_root")
        settings = self.env.ref("internal_sla.res_config_settings_menu")
        plain = new_test_user(self.env, login="isla_plain", groups="base.group_user")
        user = new_test_user(
            self.env, login="isla_user", groups="internal_sla.internal_sla_group_user"
        )
        admin = new_test_user(
            self.env,
            login="isla_admin",
            groups="internal_sla.internal_sla_group_admin,base.group_system",
        )
        Menu = self.env["ir.ui.menu"]
        self.assertNotIn(root.id, Menu.with_user(plain)._visible_menu_ids())
        self.assertNotIn(settings.id, Menu.with_user(user)._visible_menu_ids())
        self.assertIn(root.id, Menu.with_user(admin)._visible_menu_ids())
        self.assertIn(settings.id, Menu.with_user(admin)._visible_menu_ids())

    def test_settings_default_and_roundtrip(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.internal_sla_at_risk_percent, 75)
        settings.internal_sla_at_risk_percent = 80
        settings.execute()
        self.assertEqual(
            self.env["ir.config_parameter"].sudo().get_param("internal_sla.at_risk_percent"),
            "80",
        )


@tagged("post_install", "-at_install")
class TestUninstall(TransactionCase):
    """What the addon leaves behind when uninstalled (its hook; Odoo does the rest, rolled
    back here with the test)."""

    def leftovers(self):
        self.env.cr.execute(
            r"""
            SELECT (SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'internal\_sla%%'),
                   (SELECT count(*) FROM pg_proc WHERE proname LIKE 'internal\_sla%%'),
                   (SELECT count(*) FROM pg_class
                     WHERE relname IN ('internal_sla_kpi_fact', 'internal_sla_kpi_dirty',
                                       'helpdesk_ticket_internal_sla_created_idx')),
                   (SELECT count(*) FROM pg_constraint
                     WHERE contype = 'f' AND conrelid = 'internal_sla_line'::regclass),
                   (SELECT count(*) FROM pg_class
                     WHERE relname = 'helpdesk_ticket' AND reloptions IS NOT NULL)
            """
        )
        return dict(
            zip(
                ("triggers", "functions", "fact tables", "foreign keys", "table options"),
                self.env.cr.fetchone(),
                strict=True,
            )
        )

    def test_uninstall_hook_leaves_the_helpdesk_as_it_was(self):
        from ..hooks import uninstall_hook

        before = self.leftovers()
        self.assertTrue(all(before.values()), before)
        escalation = self.env.ref("internal_sla.mail_activity_type_sla_escalation")
        done = self.env["mail.activity"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": self.env.user.partner_id.id,
                "activity_type_id": escalation.id,
                "user_id": self.env.user.id,
            }
        )
        done.active = False
        uninstall_hook(self.env)
        self.assertEqual(set(self.leftovers().values()), {0}, self.leftovers())
        # a done activity of the addon's type no longer holds the type back
        self.assertEqual(done.activity_type_id, self.env.ref("mail.mail_activity_data_todo"))
        escalation.unlink()
        # requests and stages change without the facts' triggers
        self.env["helpdesk.ticket.stage"].search([], limit=1).write({"closed": True})
        self.env.flush_all()
