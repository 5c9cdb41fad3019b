"""Review meeting fixtures: a department hierarchy above IT and Marketing so that every
role of the three-level review is held by someone."""

from datetime import timedelta

from freezegun import freeze_time

from odoo import fields

from .common import InternalSlaCase, msk, new_test_employees


class MeetingCase(InternalSlaCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Department = cls.env["hr.department"]
        cls.board, cls.operations, cls.commercial = Department.create(
            [{"name": "Board"}, {"name": "Operations"}, {"name": "Commercial"}]
        )
        manager = "internal_sla.internal_sla_group_manager"
        (cls.ceo, cls.coo, cls.cco), (cls.ceo_employee, cls.coo_employee, cls.cco_employee) = (
            new_test_employees(
                cls.env,
                ("ceo", "Cecilia CEO", manager, "Cecilia CEO", cls.board),
                ("coo", "Oleg COO", manager, "Oleg COO", cls.operations),
                ("cco", "Carla CCO", manager, "Carla CCO", cls.commercial),
            )
        )
        cls.board.manager_id = cls.ceo_employee
        cls.operations.write({"manager_id": cls.coo_employee.id, "parent_id": cls.board.id})
        cls.commercial.write({"manager_id": cls.cco_employee.id, "parent_id": cls.board.id})

    def build_hierarchy(self):
        """IT under Operations, Marketing under Commercial, both under the Board."""
        self.it.parent_id = self.operations
        self.marketing.parent_id = self.commercial

    def ritual(self, kind="sync", first=None, until="2026-03-31", **values):
        return self.env["internal.sla.ritual"].create(
            {
                "agreement_id": self.agreement.id,
                "kind": kind,
                "date_first": first or msk(2026, 3, 3, 10, 0),
                "date_until": until,
                **values,
            }
        )

    def meeting(self, start, kind="sync", partners=None, **values):
        return (
            self.env["calendar.event"]
            .with_context(no_mail_to_attendees=True)
            .create(
                {
                    "name": f"IT ↔ Marketing {kind} {start:%Y-%m-%d}",
                    "start": start,
                    "stop": start + timedelta(hours=1),
                    "user_id": self.it_head.id,
                    "partner_ids": [
                        fields.Command.set(
                            (partners or (self.it_head | self.mk_head)).partner_id.ids
                        )
                    ],
                    "sla_agreement_id": self.agreement.id,
                    "sla_kind": kind,
                    **values,
                }
            )
            .with_env(self.env)
        )

    def action(self, event, name, owner, due="2026-03-20"):
        return self.env["internal.sla.action.item"].create(
            {"name": name, "event_id": event.id, "user_id": owner.id, "date_deadline": due}
        )

    def filed(self, when, **values):
        """A request created at ``when``, its ``create_date`` included (as replays do)."""
        return self.create_ticket_filed(when, **values)

    def prepare_at(self, when):
        with freeze_time(when):
            self.env["calendar.event"]._cron_sla_prepare_meetings()
