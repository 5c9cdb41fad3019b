from freezegun import freeze_time

from odoo.tests import tagged

from .common import InternalSlaHttpCase, msk
from .test_ui import screenshot_at_the_end

MONDAY = (2026, 3, 2)


@tagged("post_install", "-at_install")
class TestSurgeUi(InternalSlaHttpCase):
    browser_size = "1440x1000"

    def test_head_of_it_reads_a_request_filed_in_a_surge_and_likely_to_breach(self):
        self.env["internal.sla.surge"].search([]).unlink()
        self.agreement.write(
            {"surge_enabled": True, "surge_backlog_threshold": 2, "surge_factor": 1.5}
        )
        self.create_ticket(msk(*MONDAY, 9), name="First request")
        self.create_ticket(msk(*MONDAY, 9), name="Another request")
        self.create_ticket(msk(*MONDAY, 9), name="Third request")
        with freeze_time(msk(*MONDAY, 9, 5)):
            surge = self.env["internal.sla.surge"]._cron_evaluate()[0]
        self.assertTrue(surge)
        risky = self.create_ticket(msk(*MONDAY, 9, 10), name="Printer queue stuck")
        self.assertEqual(risky.sla_surge_id, surge)
        calm = self.create_ticket(msk(*MONDAY, 10, 25), name="Calm request")
        with freeze_time(msk(*MONDAY, 10, 30)):
            self.env["helpdesk.ticket"]._cron_forecast()
        # no history yet: the share of the nearest target used, 80 of 90 minutes of the
        # relaxed first response for the risky request, 5 of 90 for the calm one
        self.assertEqual((risky.sla_breach_risk, calm.sla_breach_risk), (89, 6))
        self.env["ir.config_parameter"].sudo().set_param("internal_sla.forecast_threshold", 50)
        with screenshot_at_the_end("surge_ticket_likely_to_breach"):
            self.start_tour(
                "/odoo/helpdesk-tickets", "internal_sla_surge_tour", login="it_head"
            )
        with screenshot_at_the_end("surge_agreement_banner"):
            self.start_tour(
                f"/odoo/action-internal_sla.internal_sla_agreement_action/{self.agreement.id}",
                "internal_sla_surge_agreement_tour",
                login="it_head",
            )
