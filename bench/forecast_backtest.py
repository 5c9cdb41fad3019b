"""``bench/run forecast-backtest``: how well the breach forecast (B12) predicts breaches.

Generates eight weeks of requests to three provider teams of different speeds with a seeded
random generator and fixed dates (categories of different difficulty, priorities, and a
two-week wave of extra requests to the slowest team that slows it down), worked through
their SLA clocks at their own instants. Then replays every working day of the last four
weeks at 11:00 and 15:00 Moscow time: scores the requests open at that instant from the
history reached before it and the backlog at it, exactly as the forecast cron does, and
compares "likely to breach" (score ≥ the settings threshold) with what happened to the
scored target. Everything is rolled back; two runs print the same figures.
"""

import random
from datetime import datetime, timedelta

SEED = 20260202
START = datetime(2026, 2, 2, 6, 0)  # Monday 9:00 Moscow, naive UTC
WEEKS = 8
REPLAY_FROM_WEEK = 4
REPLAY_HOURS_MSK = (11, 15)
TICKETS = 1100
WAVE = (5, 7, 160)  # weeks 5-6: 160 extra requests to the slow team
# team: (median first response h, median resolution h, share of the requests)
TEAMS = {
    "Desk": (0.3, 1.8, 0.4),
    "Systems": (0.5, 3.5, 0.35),
    "Infrastructure": (0.9, 6.0, 0.25),
}
CATEGORIES = {"Access": 0.6, "Hardware": 1.0, "Integration": 1.7}
PRIORITIES = {"0": 1.3, "1": 1.0, "2": 0.8, "3": 0.45}
PRIORITY_WEIGHTS = {"0": 0.15, "1": 0.55, "2": 0.2, "3": 0.1}
SIGMA = 0.7
WAVE_SLOWDOWN = 1.5


def _fixture(env):
    from odoo.addons.internal_sla.tests.common import moscow_calendar

    calendar = moscow_calendar(env, "Backtest calendar")
    provider = env["hr.department"].create({"name": "Backtest IT"})
    teams = {
        name: env["helpdesk.ticket.team"].create(
            {"name": f"Backtest {name}", "department_id": provider.id}
        )
        for name in TEAMS
    }
    categories = {
        name: env["helpdesk.ticket.category"].create({"name": f"Backtest {name}"})
        for name in CATEGORIES
    }
    agreement = env["internal.sla.agreement"].create(
        {
            "name": "Backtest agreement",
            "provider_department_id": provider.id,
            "customer_scope": "all",
            "resource_calendar_id": calendar.id,
            "date_start": "2026-01-01",
            "first_response_mode": "stage",
            "escalation_enabled": False,
            "target_ids": [
                (0, 0, {"name": "FR", "metric": "first_response", "duration": 2}),
                (
                    0,
                    0,
                    {"name": "Urgent", "metric": "resolution", "priority": "3", "duration": 4},
                ),
                (0, 0, {"name": "Res", "metric": "resolution", "duration": 8}),
            ],
        }
    )
    agreement.action_activate()
    return calendar, teams, categories


def _scenarios(working_time):
    """(filed, first response, closed, team, category, priority) of every request, from
    the seeded generator, in the order they are filed."""
    rng = random.Random(SEED)
    end = START + timedelta(weeks=WEEKS)
    total = working_time.working_seconds(START, end)
    wave_start = working_time.working_seconds(START, START + timedelta(weeks=WAVE[0]))
    wave_end = working_time.working_seconds(START, START + timedelta(weeks=WAVE[1]))
    names = list(TEAMS)
    shares = [TEAMS[name][2] for name in names]
    requests = [(rng.uniform(0, total), rng.choices(names, shares)[0]) for _ in range(TICKETS)]
    requests += [(rng.uniform(wave_start, wave_end), "Infrastructure") for _ in range(WAVE[2])]
    requests.sort()
    rows = []
    for offset, team in requests:
        category = rng.choice(sorted(CATEGORIES))
        priority = rng.choices(list(PRIORITY_WEIGHTS), list(PRIORITY_WEIGHTS.values()))[0]
        response_h, resolution_h, _share = TEAMS[team]
        slowdown = (
            WAVE_SLOWDOWN if team == "Infrastructure" and wave_start <= offset < wave_end else 1
        )
        scale = CATEGORIES[category] * PRIORITIES[priority] * slowdown
        response = rng.lognormvariate(0, SIGMA) * response_h * 3600 * slowdown
        resolution = max(
            response + 60, rng.lognormvariate(0, SIGMA) * resolution_h * 3600 * scale
        )
        filed = working_time.add(START, round(offset))
        rows.append(
            (
                filed,
                working_time.add(filed, round(response)),
                working_time.add(filed, round(resolution)),
                team,
                category,
                priority,
            )
        )
    return rows


def _replay_instants(working_time):
    instants = []
    day = START.replace(hour=0) + timedelta(weeks=REPLAY_FROM_WEEK)
    end = START + timedelta(weeks=WEEKS)
    while day < end:
        for hour in REPLAY_HOURS_MSK:
            instant = day + timedelta(hours=hour - 3)
            if working_time.add(instant, 0) == instant:  # a working moment
                instants.append(instant)
        day += timedelta(days=1)
    return instants


def backtest(env):
    """(figures, lines of output) of one backtest in ``env`` (the caller rolls back)."""
    from odoo.addons.internal_sla.engine import forecast

    calendar, teams, categories = _fixture(env)
    working_time = calendar._internal_sla_working_time()
    stage_new = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
    stage_progress = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
    stage_done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
    Ticket = env["helpdesk.ticket"].with_context(
        mail_create_nolog=True, mail_create_nosubscribe=True, mail_notrack=True
    )
    scenarios = _scenarios(working_time)
    dates = []
    for filed, responded, closed, team, category, priority in scenarios:
        ticket = Ticket.with_context(internal_sla_now=filed).create(
            {
                "name": f"Backtest {category}",
                "description": "<p>backtest</p>",
                "team_id": teams[team].id,
                "category_id": categories[category].id,
                "priority": priority,
                "stage_id": stage_new.id,
            }
        )
        ticket.with_context(internal_sla_now=responded).stage_id = stage_progress
        ticket.with_context(internal_sla_now=closed).stage_id = stage_done
        dates.append((ticket.id, filed, closed))
    env.flush_all()
    env.cr.execute(
        """
        UPDATE helpdesk_ticket ticket
           SET create_date = dates.filed, closed_date = dates.closed
          FROM unnest(%s::int[], %s::timestamp[], %s::timestamp[]) AS dates(id, filed, closed)
         WHERE ticket.id = dates.id
        """,
        [list(column) for column in zip(*dates, strict=True)],
    )
    env.invalidate_all()
    ours = {row[0] for row in dates}
    threshold = env["helpdesk.ticket"]._sla_forecast_threshold()
    predictions, naive, scored_tickets = [], [], set()
    empty = forecast.History()
    for instant in _replay_instants(working_time):
        history = Ticket._sla_forecast_history(instant)
        scores = Ticket._sla_forecast_scores(instant, history, as_of=True)
        baseline = Ticket._sla_forecast_scores(instant, empty, as_of=True)
        line_ids = [line_id for ticket_id, (_s, line_id) in scores.items() if ticket_id in ours]
        env.cr.execute(
            "SELECT id, state, deadline FROM internal_sla_line WHERE id = ANY(%s)", [line_ids]
        )
        outcome = {line_id: (state, deadline) for line_id, state, deadline in env.cr.fetchall()}
        for ticket_id, (score, line_id) in sorted(scores.items()):
            if line_id not in outcome:
                continue
            state, deadline = outcome[line_id]
            if deadline <= instant:
                continue  # breached already: nothing left to forecast
            breached = state == "breached"
            predictions.append((score >= threshold, breached))
            naive.append((baseline[ticket_id][0] >= threshold, breached))
            scored_tickets.add(ticket_id)
    precision, recall = forecast.precision_recall(predictions)
    naive_precision, naive_recall = forecast.precision_recall(naive)
    breaches = sum(1 for _predicted, actual in predictions if actual)
    flagged = sum(1 for predicted, _actual in predictions if predicted)
    lines = [
        (
            f"requests generated: {len(scenarios)}; replayed instants: "
            f"{len(_replay_instants(working_time))}; scored (request, instant) pairs: "
            f"{len(predictions)}, of which {breaches} went on to breach "
            f"({100.0 * breaches / len(predictions):.1f}%)"
        ),
        f"threshold: {threshold}; flagged: {flagged}",
        f"forecast:              precision {precision:.1f}%  recall {recall:.1f}%",
        (
            f"share of target used:  precision {naive_precision:.1f}%  "
            f"recall {naive_recall:.1f}% (the same scoring without history: baseline)"
        ),
    ]
    figures = {
        "precision": f"{precision:.1f}",
        "recall": f"{recall:.1f}",
        "tickets": len(scored_tickets),
    }
    return figures, lines
