from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestSettingsUi(HttpCase):
    def test_admin_changes_a_default_in_settings(self):
        self.start_tour("/odoo", "internal_sla_settings_tour", login="admin")
        self.assertEqual(
            self.env["ir.config_parameter"].sudo().get_param("internal_sla.at_risk_percent"),
            "80",
        )
