"""Helpers for the feedback-loop tests: answering through Odoo survey's own API, and
answered invitations for the figures."""

from freezegun import freeze_time

from odoo import Command

from ..engine.feedback import classify
from .common import msk, new_test_employees


class FeedbackMixin:
    Invitation = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Invitation = cls.env["internal.sla.feedback.invitation"]
        cls.set_param("survey_cap", 0)
        # NPS rounds only when a test sends them
        cls.agreement.nps_cadence = "milestone"

    @classmethod
    def set_param(cls, key, value):
        cls.env["ir.config_parameter"].sudo().set_param(f"internal_sla.{key}", value)

    def answer(self, invitation, score, comment=None, when=None):
        """Answer like the survey page does: save the lines, then submit."""
        user_input = invitation.user_input_id
        questions = {q.internal_sla_role: q for q in user_input.survey_id.question_ids}
        score_question = questions["score"]
        if score_question.question_type == "simple_choice":
            choice = score_question.suggested_answer_ids.filtered(
                lambda a: a.answer_score == score
            )
            user_input._save_lines(score_question, choice.id)
        else:
            user_input._save_lines(score_question, str(score))  # as posted: "0" is an answer
        if comment and "comment" in questions:
            user_input._save_lines(questions["comment"], comment)
        env_user_input = user_input.with_context(internal_sla_now=when) if when else user_input
        if when:
            with freeze_time(when):
                env_user_input._mark_done()
        else:
            env_user_input._mark_done()
        return invitation

    def review_meeting(self, day, people=None):
        """The agreement's monthly review on ``day`` (a date tuple), 11:00-12:00 Moscow,
        with both heads (and ``people``) invited."""
        attendees = (people or self.env["res.users"]) | self.it_head | self.mk_head
        return self.env["calendar.event"].create(
            {
                "name": "IT ↔ Marketing monthly review",
                "start": msk(*day, 11),
                "stop": msk(*day, 12),
                "sla_agreement_id": self.agreement.id,
                "partner_ids": [Command.set(attendees.partner_id.ids)],
            }
        )

    def close(self, ticket, when):
        """Close ``ticket`` at ``when``: its requester is asked for their satisfaction."""
        with freeze_time(when):
            ticket.with_context(internal_sla_now=when).write({"stage_id": self.stage_done.id})

    def send_nps(self, when, agreement=None):
        agreement = agreement or self.agreement
        with freeze_time(when):
            return agreement.with_context(internal_sla_now=when).action_send_nps()

    @classmethod
    def make_people(cls, count, department, prefix="person"):
        specs = []
        for index in range(count):
            login = f"{prefix}_{department.name.lower()}_{index}"
            name = f"{login} (base.group_user)"
            specs.append((login, name, "base.group_user", name, department))
        # one create for the users and one for their employees: a user created alone
        # costs several times its share of a batch
        users, _employees = new_test_employees(cls.env, *specs)
        return users

    def answered(self, users, scores, when, kind="nps", agreement=None, **values):
        """Answered invitations with these scores (people cycled), for the figures only."""
        agreement = agreement or self.agreement
        vals_list = []
        for index, score in enumerate(scores):
            vals_list.append(
                dict(
                    {
                        "kind": kind,
                        "survey_id": self.Invitation._survey_of(kind).id,
                        "user_id": users[index % len(users)].id,
                        "agreement_id": agreement.id,
                        "provider_department_id": agreement.provider_department_id.id,
                        "customer_department_id": agreement.customer_department_id.id,
                        "state": "answered",
                        "date_sent": when,
                        "date_answered": when,
                        "score": score,
                        "category": classify(kind, score),
                    },
                    **values,
                )
            )
        return self.Invitation.sudo().create(vals_list)
