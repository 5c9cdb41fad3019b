from datetime import timedelta

from odoo.tests import tagged

from .common import InternalSlaHttpCase
from .test_ui import screenshot_at_the_end


@tagged("post_install", "-at_install")
class TestScorecardFollowupsUi(InternalSlaHttpCase):
    browser_size = "1440x1400"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        infra = cls.env["helpdesk.ticket.team"].create(
            {"name": "IT Infrastructure", "department_id": cls.it.id}
        )
        base = {
            "team_id": cls.team.id,
            "partner_id": cls.requester.partner_id.id,
            "description": "<p>.</p>",
        }
        # working hours ago: one request sent to Infrastructure and back (2 transfers, ran
        # 2 h), one that waited 2 of its 4 h on the requester (ran 2 h): 2 / 6 h paused
        cls.env["helpdesk.ticket"]._sla_replay(
            cls.calendar,
            [
                {
                    "ago": 6,
                    "vals": dict(base, name="VPN for the agency"),
                    "steps": [
                        (5.5, "write", {"team_id": infra.id}),
                        (5, "write", {"team_id": cls.team.id}),
                        (4, "stage", cls.stage_done.id),
                    ],
                },
                {
                    "ago": 5,
                    "vals": dict(base, name="New laptop"),
                    "steps": [
                        (4, "stage", cls.stage_waiting.id),
                        (2, "stage", cls.stage_progress.id),
                        (1, "stage", cls.stage_done.id),
                    ],
                },
            ],
        )
        # two detractor NPS answers of yesterday: one followed up in time in 2 h, one late
        # in 4 h → 50 %, 3 h on average
        Invitation = cls.env["internal.sla.feedback.invitation"].sudo()
        yesterday = Invitation._fields["date_sent"].now() - timedelta(days=1)
        Invitation.create(
            [
                {
                    "kind": "nps",
                    "survey_id": Invitation._survey_of("nps").id,
                    "user_id": cls.requester.id,
                    "agreement_id": cls.agreement.id,
                    "provider_department_id": cls.it.id,
                    "customer_department_id": cls.marketing.id,
                    "state": "answered",
                    "date_sent": yesterday,
                    "date_answered": yesterday,
                    "score": score,
                    "category": "detractor",
                    "followup_state": "done",
                    "followup_in_time": in_time,
                    "followup_seconds": hours * 3600,
                }
                for score, in_time, hours in ((3, True, 2), (5, False, 4))
            ]
        )

    def test_manager_reads_followups_transfers_and_paused_share(self):
        with screenshot_at_the_end("scorecard_followups"):
            self.start_tour(
                f"/odoo/action-internal_sla.internal_sla_agreement_action/{self.agreement.id}",
                "internal_sla_scorecard_followups_tour",
                login="it_head",
            )
