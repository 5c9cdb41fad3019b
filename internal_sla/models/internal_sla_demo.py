"""Six months of demo history (SPEC G5), replayed through the real SLA engine.

Only the demo data calls this: it files requests in the past with
``helpdesk.ticket._sla_replay`` (each step at its own working instant, so lines, events,
pauses, escalations, transfers, reopens and repeats are the engine's own; requesters
answer while their request waits), runs NPS rounds at the start of each month and eNPS
rounds every quarter, answers part of the surveys (eNPS and meeting energy on the survey
page, through the survey's own submission) and holds a monthly review meeting per agreement
with its contact report and, where asked, its attendees' meeting energy. Seeded random
generators keep it the same from one install to the next; all dates are relative to the
day of the install. It also explains a few breaches of the hand-written demo requests.
"""

import random
from collections import defaultdict
from contextlib import contextmanager
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from ..engine.feedback import classify
from .internal_sla_line import sla_now
from .res_config_settings import in_automation_lang, min_respondents

LUKEWARM_EVERY = 6  # every sixth CSAT answer of an agreement is at most 3 out of 5
CSAT_COMMENTS = {
    "promoter": [
        "Quick and friendly, thank you!",
        "Solved before I even finished my coffee.",
        "Clear explanation of what was wrong.",
    ],
    "passive": ["Fine in the end, but I had to ask twice.", "OK, took a while."],
    "detractor": [
        "Still waiting for a real fix, the workaround is unclear.",
        "Too slow: I had to chase the team three times.",
    ],
}
NPS_COMMENTS = {
    "promoter": ["Reliable partner, they know our business.", "Fast and proactive."],
    "passive": ["Good people, but priorities are not always clear."],
    "detractor": ["Requests wait too long before anyone answers."],
}
ENPS_COMMENTS = {
    "promoter": ["A team that helps each other.", "Interesting work and a fair manager."],
    "passive": ["Fewer urgent interruptions, more time for planned work."],
    "detractor": ["Too much overtime at month end.", "Nobody explains the priorities."],
}
ENERGY_COMMENTS = [
    "Short, with clear decisions.",
    "Good to see the figures before we argue about them.",
    "Too long: we read the report aloud instead of deciding.",
]
# how agents explain the breaches of the history (H5): cause, weight, reasons
BREACH_CAUSES = {
    "capacity": (4, ["Two agents on leave in the same week.", "Month-end peak of requests."]),
    "requester": (2, ["The requester was away and answered days later."]),
    "third_party": (
        2,
        ["The supplier delivered the part a week late.", "Waited for another department."],
    ),
    "scope": (1, ["The request grew into a project halfway through."]),
    "other": (1, ["The request was assigned to the wrong team at first."]),
}
# exceptions are asked for breaches the provider could not prevent
EXCEPTION_CAUSES = ("requester", "third_party", "scope")
# the requester answers while the request waits for them (H6, H8)
REQUESTER_REPLIES = [
    "Here is the screenshot.",
    "Done: I have attached the file you asked for.",
    "It happens on the second floor only, from 10 o'clock.",
]


class InternalSlaDemo(models.AbstractModel):
    _name = "internal.sla.demo"
    _description = "Internal SLA demo history"

    @api.model
    @in_automation_lang
    def _demo_history(self, config):
        """Generate the demo history described by ``config``:

        ``calendar`` (id): the working hours the replay counts in; ``months``; ``seed``;
        ``nps`` list of ``{agreement, scores, day}`` (one score list per monthly round,
        oldest first, sent on that day of the month, the 3rd by default); ``enps`` list
        of ``{department, scores, every}`` (eNPS rounds of the department's people every
        ``every`` months, oldest first); ``streams`` list of
        ``{team, other_team, requesters, agents, categories, subjects, count, recent,
        impact, same_day, urgent_hours, frame, handoff}`` (ids; ``recent``: requests of
        the last days; ``subjects``: ``(title, description)`` pairs; ``same_day``:
        requests solved in time are done the day they were filed, urgent ones within
        ``urgent_hours``; ``frame`` and ``handoff``: see ``_demo_spread_frames`` and
        ``_demo_spread_handoffs``);
        ``meetings`` list of ``{agreement, attendees (partner ids), topics, energy}``
        (``energy``: the attendees rate each review, C7); ``breaches_explained``: the share
        of the history's breached requests their agents explain (H5).
        """
        # chatter tracking and notification e-mails would carry today's date, not the
        # replayed one: the replay's own messages and events are the history
        return self.with_context(
            tracking_disable=True, mail_auto_subscribe_no_notify=True, mail_create_nolog=True
        )._demo_generate(config)

    @api.model
    def _demo_generate(self, config):
        rng = random.Random(config.get("seed", 8))
        now = sla_now(self.env)
        months = config.get("months", 6)
        start = now - relativedelta(months=months)
        calendar = self.env["resource.calendar"].browse(config["calendar"])
        working_time = calendar._internal_sla_working_time()
        span_hours = working_time.working_seconds(start, now) / 3600
        # frames, handoffs and breach reasons spread over the history draw from their own
        # generator: the requests and answers of the seed stay as they were
        spread_rng = random.Random(config.get("seed", 8) + 2)
        scenarios = []
        for stream in config["streams"]:
            if stream.get("window_days"):
                # a burst: the stream's requests are filed between these days ago
                oldest, newest = stream["window_days"]
                stream = dict(
                    stream,
                    ago_range=tuple(
                        working_time.working_seconds(now - relativedelta(days=days), now) / 3600
                        for days in (newest, oldest)
                    ),
                )
            # a burst draws from its own generator: the rest of the history stays the seed's
            stream_rng = (
                random.Random(config.get("seed", 8) + 3) if stream.get("ago_range") else rng
            )
            stream_scenarios = self._demo_scenarios(stream_rng, stream, span_hours)
            self._demo_spread_frames(spread_rng, stream.get("frame"), stream_scenarios)
            self._demo_spread_handoffs(spread_rng, stream.get("handoff"), stream_scenarios)
            scenarios += stream_scenarios
        for scenario in scenarios:
            scenario["filed"] = working_time.subtract(now, round(scenario["ago"] * 3600))
            if scenario.get("same_day"):
                self._demo_fit_in_the_day(working_time, scenario)
        scenarios.sort(key=lambda scenario: scenario["filed"])
        # NPS and eNPS rounds and requests in the order they happened, so that each
        # survey budget (H9) counts what was sent before it
        rounds = sorted(
            [
                (sent, "nps", nps["agreement"], scores)
                for nps in config.get("nps", ())
                for sent, scores in self._demo_round_dates(
                    nps["scores"], now, months, day=nps.get("day", 3)
                )
            ]
            + [
                (sent, "enps", enps["department"], scores)
                for enps in config.get("enps", ())
                for sent, scores in self._demo_round_dates(
                    enps["scores"], now, months, enps.get("every", 1)
                )
            ]
        )
        # the surge periods of the history (B11) are in progress while it is replayed
        # between their start and end: requests filed then get relaxed targets
        surges = self.env["internal.sla.surge"].browse(config.get("surges", ()))
        rounds = sorted(
            rounds
            + [(surge.date_start, "surge_start", surge, None) for surge in surges]
            + [(surge.date_end, "surge_end", surge, surge.date_end) for surge in surges],
            key=lambda event: event[0],
        )
        # the eNPS and meeting-energy answers draw from their own generator: the requests,
        # NPS and CSAT answers stay those of the seed
        people_rng = random.Random(config.get("seed", 8) + 1)
        Ticket = self.env["helpdesk.ticket"]
        for sent, kind, record, scores in rounds:
            before = [scenario for scenario in scenarios if scenario["filed"] < sent]
            scenarios = scenarios[len(before) :]
            Ticket._sla_replay(calendar, before, now=now, sweep=True)
            if kind == "nps":
                self._demo_nps_round(rng, record, sent, scores)
            elif kind == "enps":
                self._demo_enps_round(people_rng, record, sent, scores)
            else:  # a surge starts (no end yet) or ends at its recorded end
                record.date_end = scores
                self.env.registry.clear_cache()
        Ticket._sla_replay(calendar, scenarios, now=now, sweep=True)
        for nps in config.get("nps", ()):
            self.env["internal.sla.agreement"].browse(nps["agreement"]).nps_next_date = (
                now + relativedelta(months=1, day=nps.get("day", 3))
            ).date()
        for enps in config.get("enps", ()):
            self.env["hr.department"].browse(enps["department"]).write(
                {
                    "enps_cadence": "quarterly" if enps.get("every") == 3 else "monthly",
                    "enps_next_date": (
                        now + relativedelta(months=enps.get("every", 1), day=3)
                    ).date(),
                }
            )
        self._demo_answer_csat(rng, now)
        for meeting in config.get("meetings", ()):
            self._demo_meetings(rng, meeting, now, months, people_rng)
        self._demo_explain_history(spread_rng, now, config.get("breaches_explained", 0))
        self.env["internal.sla.feedback.invitation"]._expire(now)
        return True

    # -- requests ---------------------------------------------------------------------------

    @api.model
    def _demo_scenarios(self, rng, stream, span_hours):
        """Replay scenarios of one team: requests spread over the period, most answered
        and solved in time, some late, some waiting on the requester, a few transferred,
        reopened or cancelled; the most recent ones still open."""
        stage = {
            name: self.env.ref(f"helpdesk_mgmt.helpdesk_ticket_stage_{name}").id
            for name in ("in_progress", "awaiting", "done", "cancelled")
        }
        scenarios = []
        recent = stream.get("recent", 0)
        for index in range(stream["count"] + recent):
            if stream.get("ago_range"):
                ago = rng.uniform(*stream["ago_range"])
            elif index < recent:  # this week's requests, some still being worked on
                ago = rng.uniform(0.2, 16)
            else:  # more requests lately: the service grew over the half year
                ago = max(0.2, span_hours * (1 - rng.random() ** 0.8))
            title, description = rng.choice(stream["subjects"])
            priority = rng.choices(["0", "1", "2", "3"], weights=[2, 5, 3, 2])[0]
            agent = rng.choice(stream["agents"])
            requester = rng.choice(stream["requesters"])
            vals = {
                "name": title,
                "description": f"<p>{description}</p>",
                "team_id": stream["team"],
                "partner_id": self.env["res.users"].browse(requester).partner_id.id,
                "priority": priority,
                "category_id": rng.choice(stream["categories"]),
            }
            if stream.get("impact"):
                vals["business_impact"] = rng.choice(stream["impact"])
            steps = []
            t = ago
            late = rng.random() < (0.6 if index < recent else 0.18)
            # first response: minutes, sometimes hours (a swamped desk: its own hours)
            if stream.get("response_hours"):
                late = False
                t -= rng.uniform(*stream["response_hours"])
            else:
                t -= rng.uniform(1.2, 4) if late else rng.uniform(0.05, 0.9)
            steps.append((t, "write", {"user_id": agent}))
            steps.append((t, "reply", {"author": agent, "body": "Thanks, we are on it."}))
            steps.append((t, "stage", stage["in_progress"]))
            if stream.get("other_team") and rng.random() < 0.08:
                t -= rng.uniform(0.2, 1.5)
                steps.append((t, "write", {"team_id": stream["other_team"]}))
            if rng.random() < 0.25:  # waiting on the requester
                t -= rng.uniform(0.2, 1)
                steps.append(
                    (t, "reply", {"author": agent, "body": "Could you send a screenshot?"})
                )
                steps.append((t, "stage", stage["awaiting"]))
                t -= rng.uniform(0.5, 10)
                # the requester answers, and the request goes back to work (a stage rule
                # of the agreement may move it first)
                reply = REQUESTER_REPLIES[index % len(REQUESTER_REPLIES)]
                steps.append((t, "reply", {"author": requester, "body": reply}))
                steps.append((t, "stage", stage["in_progress"]))
            if rng.random() < 0.04:
                t -= rng.uniform(0.1, 1)
                steps.append((t, "stage", stage["cancelled"]))
            else:
                if stream.get("solve_hours"):  # solved this long after it was filed
                    t = min(t - 0.1, ago - rng.uniform(*stream["solve_hours"]))
                else:
                    t -= rng.uniform(4, 20) if late else rng.uniform(0.3, 3)
                steps.append((t, "stage", stage["done"]))
                if rng.random() < 0.06:  # reopened: the fix did not hold
                    t -= rng.uniform(2, 16)
                    steps.append((t, "stage", stage["in_progress"]))
                    t -= rng.uniform(0.5, 4)
                    steps.append((t, "stage", stage["done"]))
            # the steps still in the future have not happened yet: the request is open
            steps = [step for step in steps if step[0] > 0]
            scenarios.append(
                {
                    "ago": ago,
                    "vals": vals,
                    "steps": steps,
                    "requester": requester,
                    "agent": agent,
                    "stages": stage,
                    # a team that solves its requests the day they come in, unless late
                    "same_day": bool(stream.get("same_day")) and not late,
                    # … and urgent ones within the hours their target gives
                    "urgent_hours": priority == "3" and stream.get("urgent_hours"),
                }
            )
        return scenarios

    @api.model
    def _demo_fit_in_the_day(self, working_time, scenario):
        """Compress the steps of a request solved in time so that it is done before the end
        of the working day it was filed in (leaving a tenth of the rest of the day), as a
        team does that works to "by the end of the working day", an urgent one within its
        ``urgent_hours``; one filed in the day's last hour, or waiting on another
        department, keeps its steps."""
        steps = scenario["steps"]
        if not steps or any(action in ("handoff", "decide") for _t, action, _arg in steps):
            return
        filed = scenario["filed"]
        left = working_time.working_seconds(filed, working_time.end_of_day(filed)) / 3600
        if scenario.get("urgent_hours"):
            left = min(left, scenario["urgent_hours"])
        elapsed = scenario["ago"] - min(t for t, _action, _arg in steps)
        if left < 1 or elapsed <= left * 0.9:
            return
        factor = left * 0.9 / elapsed
        scenario["steps"] = [
            (scenario["ago"] - (scenario["ago"] - t) * factor, action, argument)
            for t, action, argument in steps
        ]

    @api.model
    def _demo_spread_frames(self, rng, frame, scenarios):
        """Special conditions over the half year (A4): ``frame["share"]`` of the requests in
        ``frame["category"]`` fit the empowerment frame (an amount up to
        ``frame["max_amount"]``) and most of those the requester decides alone right after
        filing; the others ask for more and wait for the provider."""
        if not frame:
            return
        for scenario in scenarios:
            vals = scenario["vals"]
            if vals["category_id"] != frame["category"]:
                continue
            if rng.random() < frame["share"]:
                amount = rng.randint(2, int(frame["max_amount"]))
                title, description = rng.choice(frame["subjects"])
                vals.update(
                    name=title % amount,
                    description=f"<p>{description}</p>",
                    sla_request_amount=amount,
                )
                if rng.random() < frame["decided"] and scenario["ago"] > 0.2:
                    decided = scenario["ago"] - rng.uniform(0.02, 0.15)
                    scenario["steps"] = [(decided, "decide", scenario["requester"])]
            else:
                vals["sla_request_amount"] = rng.randint(int(frame["max_amount"]) + 2, 25)

    @api.model
    def _demo_spread_handoffs(self, rng, handoff, scenarios):
        """Chained handoffs over the half year (H7): ``handoff["share"]`` of the requests
        older than a week wait on a linked request to ``handoff["team"]``, which its agent
        answers and closes before the first one is solved."""
        if not handoff:
            return
        for scenario in scenarios:
            if scenario["ago"] < 40 or rng.random() >= handoff["share"]:
                continue
            title, description, asked, question, answer = rng.choice(handoff["subjects"])
            agent, stages = scenario["agent"], scenario["stages"]
            scenario["vals"].update(name=title, description=f"<p>{description}</p>")
            t = scenario["ago"] - rng.uniform(0.05, 0.6)
            handed = t - 0.05
            answered = handed - rng.uniform(1, 8)
            solved = answered - rng.uniform(0.2, 2)
            scenario["steps"] = [
                (t, "write", {"user_id": agent}),
                (t, "reply", {"author": agent, "body": "Thanks, we need HR for this first."}),
                (t, "stage", stages["in_progress"]),
                (
                    handed,
                    "handoff",
                    {
                        "author": agent,
                        "team": handoff["team"],
                        "name": asked,
                        "description": f"<p>{question}</p>",
                        "steps": [
                            (answered, "reply", {"author": handoff["agent"], "body": answer}),
                            (answered, "stage", stages["done"]),
                        ],
                    },
                ),
                (solved, "reply", {"author": agent, "body": "Done, thank you for waiting."}),
                (solved, "stage", stages["done"]),
            ]

    @api.model
    def _demo_explain_history(self, rng, now, share):
        """Agents explain ``share`` of the breaches of requests older than a week (H5), a
        day or so after the breach; breaches the provider could not prevent ask for an
        exception, which the next monthly review (the 15th) accepts or rejects."""
        if not share:
            return
        lines = self.env["internal.sla.line"].search(
            [
                ("state", "=", "breached"),
                ("breach_cause", "=", False),
                ("ticket_id.create_date", "<", now - timedelta(days=7)),
            ],
            order="deadline, id",
        )
        causes = list(BREACH_CAUSES)
        weights = [BREACH_CAUSES[cause][0] for cause in causes]
        for ticket, breached in lines.grouped("ticket_id").items():
            if rng.random() >= share:
                continue
            cause = rng.choices(causes, weights=weights)[0]
            explained = min(max(breached.mapped("deadline")) + timedelta(hours=20), now)
            agreement = ticket.sla_agreement_id
            head = agreement.provider_department_id.manager_id.user_id
            exception = cause in EXCEPTION_CAUSES and rng.random() < 0.7
            self._demo_explain(
                breached,
                ticket.user_id or head,
                cause,
                rng.choice(BREACH_CAUSES[cause][1]),
                exception,
                explained,
            )
            review = explained.replace(day=15, hour=10, minute=0, second=0, microsecond=0)
            if review <= explained:
                review += relativedelta(months=1)
            if exception and review < now and head:
                lines_as_head = breached.with_user(head)
                with self._demo_dated(ticket, review):
                    if rng.random() < 0.7:
                        lines_as_head.action_accept_exception()
                    else:
                        lines_as_head.action_reject_exception()

    @contextmanager
    def _demo_dated(self, ticket, when):
        """The chatter messages posted on ``ticket`` inside the block are dated ``when``."""
        Message = self.env["mail.message"].sudo()
        last = Message.search([], order="id desc", limit=1).id or 0
        yield
        Message.search(
            [("id", ">", last), ("model", "=", ticket._name), ("res_id", "=", ticket.id)]
        ).write({"date": when})

    @api.model
    def _demo_explain(self, lines, user, cause, reason, exception, when=None):
        """``user`` explains the breached ``lines`` of one request through the breach form
        (H5), asking for an exception or not; its chatter note is dated ``when``."""
        wizard = (
            self.env["internal.sla.breach.wizard"]
            .with_user(user)
            .create(
                {
                    "line_ids": [fields.Command.set(lines.ids)],
                    "breach_cause": cause,
                    "breach_reason": reason,
                    "request_exception": exception,
                }
            )
        )
        if when:
            with self._demo_dated(lines.ticket_id, when):
                wizard.action_confirm()
        else:
            wizard.action_confirm()

    # -- surveys ----------------------------------------------------------------------------

    @api.model
    def _demo_answer_csat(self, rng, now):
        """Most requesters answer their satisfaction survey within a day or two: high
        marks when the targets were met, lower ones after a breach. Old detractor answers
        were followed up; the recent ones wait for their follow-up (closed loop)."""
        invitations = (
            self.env["internal.sla.feedback.invitation"]
            .sudo()
            .search([("kind", "=", "csat"), ("state", "=", "sent")], order="date_sent, id")
        )
        recent = now - timedelta(days=21)
        # the survey's own choices (easy, fine, hard work), as a real answer stores them
        feelings = (
            self.env.ref("internal_sla.survey_internal_sla_csat_feeling")
            .suggested_answer_ids.sorted("sequence")
            .mapped("value")
        )
        to_close = followed_up = self.env["internal.sla.feedback.invitation"]
        latest = {False: to_close, True: to_close}  # answered before / since ``recent``
        answers = defaultdict(int)  # per agreement
        respondents = defaultdict(set)  # per agreement
        answered_ones, ignored = [], []
        for invitation in invitations:
            if rng.random() > 0.72:
                ignored.append(invitation)
                continue  # ignored: expires
            answered = invitation.date_sent + timedelta(hours=rng.uniform(0.5, 30))
            if answered >= now or answered > invitation.deadline:
                continue
            self._demo_csat_answer(rng, invitation, answered, answers, feelings)
            respondents[invitation.agreement_id.id].add(invitation.user_id.id)
            latest[answered >= recent] = invitation
            answered_ones.append(invitation)
        # which invitations the survey budget let through depends on the hour the demo is
        # built at: whatever it is, enough people answered each agreement's CSAT for its
        # figures to show (the anonymity minimum), the latest ignored ones answering
        minimum = min_respondents(self.env)
        backup_rng = random.Random(len(invitations))
        for invitation in reversed(ignored):
            people = respondents[invitation.agreement_id.id]
            answered = invitation.date_sent + timedelta(hours=2)
            if (
                len(people) >= minimum
                or invitation.user_id.id in people
                or answered >= now
                or answered > invitation.deadline
            ):
                continue
            self._demo_csat_answer(backup_rng, invitation, answered, answers, feelings)
            people.add(invitation.user_id.id)
            answered_ones.append(invitation)
        for invitation in answered_ones:
            if invitation.category == "detractor":
                if invitation.date_answered < recent:
                    followed_up |= invitation
                else:
                    to_close |= invitation
        # the marks follow the clocks, and those the hour the demo is built at: whatever
        # the hour, one requester long ago and one recently were unhappy, so there is a
        # follow-up done and one waiting
        followed_up = followed_up or self._demo_unhappy(latest[False], rng)
        to_close = to_close or self._demo_unhappy(latest[True], rng)
        for invitation in followed_up:
            self._demo_followed_up(invitation, invitation.date_answered)
        self._demo_fill_surveys(invitations.filtered(lambda i: i.state == "answered"))
        for invitation in to_close:
            invitation.with_context(internal_sla_now=invitation.date_answered)._close_loop(
                invitation.date_answered
            )

    @api.model
    def _demo_csat_answer(self, rng, invitation, answered, answers, feelings):
        """Answer ``invitation`` at ``answered``: high marks when the targets were met,
        lower ones after a breach (``answers``: CSAT answers so far per agreement;
        ``feelings``: the survey's choices for how the interaction felt, easiest first)."""
        breached = invitation.ticket_id.sla_state == "breached"
        weights = [3, 4, 6, 10, 6] if breached else [1, 1, 3, 12, 20]
        score = rng.choices([1, 2, 3, 4, 5], weights=weights)[0]
        answers[invitation.agreement_id.id] += 1
        if answers[invitation.agreement_id.id] % LUKEWARM_EVERY == 0:
            # one requester in six is lukewarm whatever happened: an agreement whose
            # clocks all happened to be met still shows a CSAT below 100 %
            score = min(score, 3)
        category = classify("csat", score)
        vals = {
            "state": "answered",
            "date_answered": answered,
            "score": score,
            "category": category,
            "feeling": rng.choice(feelings) if score < 4 else feelings[0],
        }
        if rng.random() < (0.7 if category == "detractor" else 0.25):
            vals["comment"] = rng.choice(CSAT_COMMENTS[category])
        invitation.write(vals)

    @api.model
    def _demo_fill_surveys(self, invitations):
        """Write the answers of ``invitations`` into their Odoo survey answers as well,
        as the survey page saves them, so that the Surveys app's results show them. The
        product reads them from the invitations (already written: the closed loop of the
        old ones was played above, not by the survey's submission). Invitations written
        by hand (the feedback demo) get their survey answer record first."""
        invitations.filtered(lambda i: not i.user_input_id)._create_user_inputs()
        for invitation in invitations:
            user_input = invitation.user_input_id.sudo()
            self._demo_save_answer(
                user_input, invitation.score, invitation.comment, invitation.feeling
            )
            user_input.write({"state": "done", "end_datetime": invitation.date_answered})

    @api.model
    @in_automation_lang
    def _demo_fill_handwritten(self):
        """The answered invitations of the hand-written feedback demo, in the Surveys app."""
        self._demo_fill_surveys(
            self.env["internal.sla.feedback.invitation"]
            .sudo()
            .search([("state", "=", "answered"), ("user_input_id", "=", False)])
        )

    @api.model
    def _demo_save_answer(self, user_input, score, comment=None, feeling=None):
        """Save ``score`` (and the comment, the feeling) into ``user_input``'s lines."""
        questions = {q.internal_sla_role: q for q in user_input.survey_id.question_ids}
        question = questions["score"]
        if question.question_type == "simple_choice":  # meeting energy: −2 … +2
            answer = question.suggested_answer_ids.filtered(
                lambda a: a.answer_score == score
            ).id
        else:
            answer = str(score)
        user_input._save_lines(question, answer)
        if feeling and "feeling" in questions:
            choice = questions["feeling"].suggested_answer_ids.filtered(
                lambda a: a.value == feeling
            )
            user_input._save_lines(questions["feeling"], choice.id)
        if comment and "comment" in questions:
            user_input._save_lines(questions["comment"], comment)

    @api.model
    def _demo_answer(self, invitation, score, comment, answered):
        """``invitation``'s person answers its survey at ``answered``, as on the survey
        page: the survey's submission records the answer in the invitation."""
        user_input = invitation.sudo().user_input_id
        self._demo_save_answer(user_input, score, comment)
        user_input.with_context(internal_sla_now=answered)._mark_done()
        user_input.end_datetime = answered

    @api.model
    def _demo_unhappy(self, invitation, rng):
        """Make ``invitation``'s answer a detractor's (an empty recordset is left alone)."""
        if invitation:
            invitation.write(
                {
                    "score": 2,
                    "category": "detractor",
                    "comment": rng.choice(CSAT_COMMENTS["detractor"]),
                }
            )
        return invitation

    @api.model
    def _demo_followed_up(self, invitation, answered):
        head = invitation.provider_department_id.manager_id.user_id
        invitation.write(
            {
                "followup_state": "done",
                "followup_user_id": head.id,
                "followup_deadline": answered + timedelta(days=2),
                "followup_done_date": answered + timedelta(hours=20),
                "followup_in_time": True,
                "followup_seconds": 6 * 3600,
            }
        )

    @api.model
    def _demo_round_dates(self, score_lists, now, months, every=1, day=3):
        """Rounds on the ``day`` of the month every ``every`` months, the last one last
        month: ``(sent, scores)``."""
        rounds = score_lists[-months:]
        backs = range(every * (len(rounds) - 1) + 1, 0, -every)
        for back, scores in zip(backs, rounds, strict=True):
            sent = (now - relativedelta(months=back, day=day)).replace(
                hour=7, minute=0, second=0, microsecond=0
            )
            yield sent, scores

    @api.model
    def _demo_nps_round(self, rng, agreement_id, sent, scores):
        """One NPS round of an agreement, answered within a few days."""
        agreement = self.env["internal.sla.agreement"].browse(agreement_id)
        invitations = agreement.with_context(internal_sla_now=sent).action_send_nps()
        answered = invitations.filtered(lambda i: i.state == "sent")
        for invitation, score in zip(answered, scores, strict=False):
            category = classify("nps", score)
            vals = {
                "state": "answered",
                "date_answered": sent + timedelta(hours=rng.uniform(2, 70)),
                "score": score,
                "category": category,
            }
            if rng.random() < 0.5:
                vals["comment"] = rng.choice(NPS_COMMENTS[category])
            invitation.write(vals)
            if category == "detractor":
                self._demo_followed_up(invitation, vals["date_answered"])
        self._demo_fill_surveys(answered.filtered(lambda i: i.state == "answered"))

    @api.model
    def _demo_enps_round(self, rng, department_id, sent, scores):
        """One eNPS round of a department's people, answered within a few days."""
        department = self.env["hr.department"].browse(department_id)
        invitations = department.with_context(internal_sla_now=sent).action_send_enps()
        answering = invitations.filtered(lambda i: i.state == "sent")
        for invitation, score in zip(answering, scores, strict=False):
            comment = None
            if rng.random() < 0.4:
                comment = rng.choice(ENPS_COMMENTS[classify("enps", score)])
            self._demo_answer(
                invitation, score, comment, sent + timedelta(hours=rng.uniform(2, 70))
            )

    # -- meetings ---------------------------------------------------------------------------

    @api.model
    def _demo_meetings(self, rng, meeting, now, months, people_rng):
        """A monthly review per agreement with minutes, a decision and a done action
        item; the contact report is sent to the attendees, who rate the meeting's energy
        when ``meeting["energy"]`` is set (most of them answer)."""
        agreement = self.env["internal.sla.agreement"].browse(meeting["agreement"])
        owner = agreement.provider_department_id.manager_id.user_id
        events = self.env["calendar.event"]
        for back in range(months - 1, 0, -1):
            day = (now - relativedelta(months=back)).date().replace(day=15)
            while day.weekday() >= 5:
                day += timedelta(days=1)
            start = fields.Datetime.to_datetime(day).replace(hour=8)
            topic = rng.choice(meeting["topics"])
            event = (
                self.env["calendar.event"]
                .with_context(mail_create_nolog=True, mail_notrack=True)
                .create(
                    {
                        "name": self.env._("%s: monthly review", agreement.name),
                        "start": start,
                        "stop": start + timedelta(hours=1),
                        "user_id": owner.id,
                        "partner_ids": [fields.Command.set(meeting["attendees"])],
                        "sla_agreement_id": agreement.id,
                        "sla_kind": "review",
                        "sla_minutes": f"<p>{topic[0]}</p>",
                    }
                )
            )
            self.env["internal.sla.decision"].create({"event_id": event.id, "name": topic[1]})
            self.env["internal.sla.action.item"].create(
                {
                    "event_id": event.id,
                    "name": topic[2],
                    "user_id": owner.id,
                    "date_deadline": day + timedelta(days=10),
                    "state": "done",
                }
            )
            events |= event
        events.action_sla_send_report()
        for event in events:  # sent right after the meeting, not today
            event.sla_report_date = event.stop + timedelta(hours=2)
            if meeting.get("energy"):
                self._demo_energy(people_rng, event)

    @api.model
    def _demo_energy(self, rng, event):
        """The attendees of ``event`` rate whether it added or drained energy (C7)."""
        invitations = event.with_context(
            internal_sla_now=event.stop
        ).action_send_energy_survey()
        for invitation in invitations:
            if rng.random() < 0.15:
                continue  # not answered: expires
            score = rng.choices([-1, 0, 1, 2], weights=[1, 3, 6, 3])[0]
            comment = rng.choice(ENERGY_COMMENTS) if rng.random() < 0.3 else None
            self._demo_answer(
                invitation, score, comment, event.stop + timedelta(hours=rng.uniform(1, 40))
            )

    # -- an amendment decided at the last review (H1) ----------------------------------------

    @api.model
    @in_automation_lang
    def _demo_amend(self, agreement_id, note, cutoffs):
        """Amend the agreement from the first of next month, as its last review decided:
        ``cutoffs`` gives targets (by name) a cut-off hour; the rest stays as it is."""
        agreement = self.env["internal.sla.agreement"].browse(agreement_id)
        wizard = (
            self.env["internal.sla.amendment.wizard"]
            .with_context(default_agreement_id=agreement.id)
            .create(
                {
                    "date_effective": fields.Date.context_today(self)
                    + relativedelta(months=1, day=1),
                    "note": note,
                }
            )
        )
        for line in wizard.line_ids:
            if line.name in cutoffs:
                line.cutoff_time = cutoffs[line.name]
        wizard.action_confirm()

    # -- breaches explained (H5) ------------------------------------------------------------

    @api.model
    @in_automation_lang
    def _demo_breach_reasons(self, explanations):
        """Explain the breached targets of demo requests as their agents do (the breach
        form), and accept the exceptions the review accepted.

        :param explanations: dicts with ``ticket`` (the request's subject), ``user`` (who
            explains), ``cause``, ``reason``, ``exception`` (``False``, ``"requested"`` or
            ``"accepted"``) and ``reviewer`` (the manager who accepted it)
        """
        Ticket = self.env["helpdesk.ticket"]
        for explanation in explanations:
            ticket = Ticket.search([("name", "=", explanation["ticket"])], limit=1)
            lines = ticket.sla_line_ids.filtered(lambda line: line.state == "breached")
            self._demo_explain(
                lines,
                explanation["user"],
                explanation["cause"],
                explanation["reason"],
                bool(explanation.get("exception")),
            )
            if explanation.get("exception") == "accepted":
                lines.with_user(explanation["reviewer"]).action_accept_exception()
