"""Fixture tickets with hand-computed KPIs, shared by the report tests.

March 2026, IT ↔ Marketing (first response 1 h; urgent solved in 2 h, others by the end
of the working day; Moscow office hours 9–13, 14–18):

====  =========  ===============================  ==============================  ========
 #    agent      first response (working s)       resolution (working s)          state
====  =========  ===============================  ==============================  ========
 T1   Anton      Mon 10:00 → 10:30: 1800 met      → 12:00: 7200 met               closed
 T2   Ivan       urgent 10:00 → 11:30: 5400       → 14:30: 3 h + 0.5 h = 12600     closed
                 breached                         breached (2 h)
 T3   Anton      Tue 10:00 → 10:15: 900 met       → 11:00 closed (3600: its        closed
                                                  resolution time), reopened
                                                  11:30, closed 12:00: the clock
                                                  3600 + 1800 = 5400 met
 T4   Anton      Wed 10:00, no answer (running)   running                         open
 T5   Anton      February (outside the period)
====  =========  ===============================  ==============================  ========

So in March: volume 4, closed 3, reopened 1 (33.3 %), backlog on 1 April 1 (T4); first
response met 2 / breached 1, resolution met 2 / breached 1 → SLA met 4 / 6 = 66.7 %;
first response mean (1800 + 5400 + 900) / 3 = 2700 s, P90 (nearest rank 3 of 3) 5400 s,
all three within 4 h; resolution time runs to the first close (KPI catalogue): mean
(7200 + 12600 + 3600) / 3 = 7800 s, P90 12600 s.
"""

import io
from datetime import datetime

from freezegun import freeze_time
from openpyxl import load_workbook

from .common import msk

MARCH = (datetime(2026, 3, 1), datetime(2026, 4, 1))


class ReportFixture:
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.t1 = cls._worked(
            msk(2026, 3, 2, 10, 0), cls.agent, "1", reply=(10, 30), close=(12, 0)
        )
        cls.t2 = cls._worked(
            msk(2026, 3, 2, 10, 0), cls.it_head, "3", reply=(11, 30), close=(14, 30)
        )
        cls.t3 = cls._worked(
            msk(2026, 3, 3, 10, 0), cls.agent, "1", reply=(10, 15), close=(11, 0)
        )
        cls._stage(cls.t3, msk(2026, 3, 3, 11, 30), cls.stage_progress)
        cls._stage(cls.t3, msk(2026, 3, 3, 12, 0), cls.stage_done)
        cls.t4 = cls._worked(msk(2026, 3, 4, 10, 0), cls.agent, "1")
        cls.t5 = cls._worked(
            msk(2026, 2, 2, 10, 0), cls.agent, "1", reply=(10, 10), close=(10, 20)
        )
        cls.env.flush_all()

    @classmethod
    def _worked(cls, created, user, priority, reply=None, close=None):
        vals = {
            "name": f"Request of {created:%d %b %H:%M}",
            "description": "<p>Please help</p>",
            "team_id": cls.team.id,
            "priority": priority,
            "partner_id": cls.requester.partner_id.id,
            "stage_id": cls.stage_new.id,
            "user_id": user.id,
        }
        with freeze_time(created):
            ticket = cls.env["helpdesk.ticket"].create(vals)
        cls.env.cr.execute(
            "UPDATE helpdesk_ticket SET create_date = %s WHERE id = %s", [created, ticket.id]
        )
        ticket.invalidate_recordset(["create_date"])
        if reply:
            with freeze_time(msk(created.year, created.month, created.day, *reply)):
                ticket.with_user(user).message_post(
                    body="On it", message_type="comment", subtype_xmlid="mail.mt_comment"
                )
        if close:
            cls._stage(
                ticket, msk(created.year, created.month, created.day, *close), cls.stage_done
            )
        return ticket

    @classmethod
    def _stage(cls, ticket, when, stage):
        with freeze_time(when):
            ticket.write({"stage_id": stage.id})


def render_report(env, user, xmlid, ids, data=None):
    """``(content, kind)`` of report ``xmlid`` on ``ids`` rendered as ``user``."""
    report = env.ref(xmlid)
    return env["ir.actions.report"].with_user(user)._render(report, ids, data or {})


def xlsx_rows(content, sheet):
    """The rows (value tuples) of ``sheet`` of an XLSX report's ``content``."""
    return list(load_workbook(io.BytesIO(content))[sheet].iter_rows(values_only=True))


def answer_nps(env, agreement, people, scores, when, comments=()):
    """Internal NPS answers about ``agreement``, given at ``when`` by ``people`` in turn,
    with ``comments`` in turn when given."""
    Invitation = env["internal.sla.feedback.invitation"].sudo()
    survey = Invitation._survey_of("nps")
    Invitation.create(
        [
            {
                "kind": "nps",
                "survey_id": survey.id,
                "user_id": people[index % len(people)].id,
                "agreement_id": agreement.id,
                "provider_department_id": agreement.provider_department_id.id,
                "customer_department_id": agreement.customer_department_id.id,
                "state": "answered",
                "score": score,
                "category": (
                    "promoter" if score >= 9 else "detractor" if score <= 6 else "passive"
                ),
                "date_sent": when,
                "date_answered": when,
                "comment": comments[index] if index < len(comments) else False,
            }
            for index, score in enumerate(scores)
        ]
    )
