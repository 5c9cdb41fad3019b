"""Benchmarks of internal_sla against their baselines, measured in the same run.

Each prints its figures and, last, ``RESULT <name> key=value ...``.  Data is created inside a
transaction that is rolled back, except the sweep's bulk data, left in the bench database
(``bench/run`` rebuilds it each time; deleting 100,000 tickets takes minutes, as
helpdesk_mgmt's ``duplicate_id`` has no index).
"""

import argparse
import gc
import resource
import time
from contextlib import contextmanager
from datetime import datetime, timedelta

from odoo.api import SUPERUSER_ID, Environment
from odoo.modules.registry import Registry
from odoo.tools import config


def parse():
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "name",
        choices=["deadlines", "create", "sweep", "sweep-rules", "kpis", "forecast-backtest"],
    )
    parser.add_argument("--config", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--plain-db", required=True)
    return parser.parse_args()


@contextmanager
def environment(db):
    registry = Registry(db)
    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        try:
            yield env
        finally:
            cr.rollback()


def result(name, **figures):
    print(f"RESULT {name} " + " ".join(f"{k}={v}" for k, v in figures.items()), flush=True)


# -- deadlines ------------------------------------------------------------------------------


def bench_deadlines(args):
    from odoo.addons.internal_sla.engine.working_time import day_offset
    from odoo.addons.internal_sla.tests.common import moscow_calendar
    from odoo.addons.internal_sla.tests.test_working_time_differential import (
        odoo_deadline,
        random_cases,
    )

    with environment(args.db) as env:
        calendar = moscow_calendar(env, "Bench Moscow")
        env.flush_all()
        cases = random_cases(7, 2000)
        started = time.perf_counter()
        theirs = [odoo_deadline(calendar, start, minutes) for start, minutes in cases]
        odoo_seconds = time.perf_counter() - started
        # ours from a cold cache: reading the calendar and building its intervals included
        env.registry.clear_cache()
        day_offset.cache_clear()
        started = time.perf_counter()
        engine = calendar._internal_sla_working_time()
        ours = [engine.add(start, minutes * 60) for start, minutes in cases]
        our_seconds = time.perf_counter() - started
    mismatches = sum(1 for a, b in zip(ours, theirs, strict=True) if a != b)
    print(f"plan_hours: {len(cases) / odoo_seconds:,.0f} deadlines/s")
    print(f"engine:     {len(cases) / our_seconds:,.0f} deadlines/s (cold cache)")
    result(
        "deadlines",
        ratio=f"{odoo_seconds / our_seconds:.1f}",
        mismatches=mismatches,
        cases=len(cases),
    )


# -- create ---------------------------------------------------------------------------------


def _create_fixture(env, with_agreement):
    team = env["helpdesk.ticket.team"].create({"name": "Bench team"})
    partner = env["res.partner"].create({"name": "Bench requester"})
    if with_agreement:
        from odoo.addons.internal_sla.tests.common import moscow_calendar

        provider = env["hr.department"].create({"name": "Bench IT"})
        customer = env["hr.department"].create({"name": "Bench Marketing"})
        user = env["res.users"].create(
            {"name": "Bench requester", "login": "bench_requester", "partner_id": partner.id}
        )
        env["hr.employee"].create(
            {"name": "Bench requester", "user_id": user.id, "department_id": customer.id}
        )
        team.department_id = provider
        agreement = env["internal.sla.agreement"].create(
            {
                "name": "Bench agreement",
                "provider_department_id": provider.id,
                "customer_department_id": customer.id,
                "resource_calendar_id": moscow_calendar(env, "Bench calendar").id,
                "date_start": "2020-01-01",
                "target_ids": [
                    (0, 0, {"name": "FR", "metric": "first_response", "duration": 1}),
                    (0, 0, {"name": "Res", "metric": "resolution", "duration": 8}),
                ],
            }
        )
        agreement.action_activate()
    env.flush_all()
    return {
        "name": "Bench ticket",
        "description": "<p>bench</p>",
        "team_id": team.id,
        "partner_id": partner.id,
    }


def _prefilled(env, vals):
    """``vals`` with what the addon gives helpdesk_mgmt's INSERT (the team's first stage,
    the stored related fields read off it and off the contact), as a caller could."""
    team = env["helpdesk.ticket.team"].browse(vals["team_id"])
    stage = team._get_applicable_stages()[:1]
    partner = env["res.partner"].browse(vals["partner_id"])
    return dict(
        vals,
        stage_id=stage.id,
        unattended=stage.unattended,
        commercial_partner_id=partner.commercial_partner_id.id,
    )


def _measure_create(db, with_agreement, batch, prefilled=False):
    """Queries of one create, and seconds of a batch create (rolled back)."""
    with environment(db) as env:
        vals = _create_fixture(env, with_agreement)
        if prefilled:
            vals = _prefilled(env, vals)
        Ticket = env["helpdesk.ticket"]
        for _i in range(3):  # warm caches (ormcache, prefetch, sequences)
            Ticket.create(dict(vals))
        env.flush_all()
        env.invalidate_all()
        before = env.cr.sql_log_count
        ticket = Ticket.create(dict(vals))
        env.flush_all()
        queries = env.cr.sql_log_count - before
        if with_agreement:
            assert ticket.sla_line_ids, "the bench ticket must get SLA lines"
        env.invalidate_all()
        started = time.perf_counter()
        Ticket.create([dict(vals) for _i in range(batch)])
        env.flush_all()
        seconds = time.perf_counter() - started
    return queries, seconds


def bench_create(args, batch=1000, rounds=5):
    # alternate the sides and keep each side's best round: noise only ever adds time.
    # Two baselines: helpdesk_mgmt as any caller uses it (the ratio users see), and
    # helpdesk_mgmt given in its values what the addon prefills (the stage its create
    # otherwise searches once per request, and the stored fields computed from it), so
    # that the addon's own cost is measured apart from what it saves helpdesk_mgmt
    plain_runs, prefilled_runs, our_runs = [], [], []
    for _round in range(rounds):
        plain_runs.append(_measure_create(args.plain_db, False, batch))
        prefilled_runs.append(_measure_create(args.plain_db, False, batch, prefilled=True))
        our_runs.append(_measure_create(args.db, True, batch))
    plain_queries, our_queries = plain_runs[0][0], our_runs[0][0]
    plain_seconds, prefilled_seconds, our_seconds = (
        min(seconds for _queries, seconds in runs)
        for runs in (plain_runs, prefilled_runs, our_runs)
    )
    print(f"single create: helpdesk_mgmt {plain_queries} queries, internal_sla {our_queries}")
    print(
        f"batch of {batch}, best of {rounds}: helpdesk_mgmt {plain_seconds:.2f}s, "
        f"helpdesk_mgmt with prefilled values {prefilled_seconds:.2f}s, "
        f"internal_sla {our_seconds:.2f}s"
    )
    result(
        "create",
        extra_queries=our_queries - plain_queries,
        batch_ratio=f"{our_seconds / plain_seconds:.2f}",
        own_ratio=f"{our_seconds / prefilled_seconds:.2f}",
        plain_queries=plain_queries,
        queries=our_queries,
    )


# -- sweep ----------------------------------------------------------------------------------


def _insert_sweep_data(env, count):
    """``count`` open tickets, each with one running line overdue on 2026-03-03 (committed)."""
    cr = env.cr
    vals = _create_fixture(env, True)
    template = env["helpdesk.ticket"].create(dict(vals))
    line = template.sla_line_ids[:1]
    created = datetime(2026, 3, 2, 7, 0)
    cr.execute(
        """
        INSERT INTO helpdesk_ticket (number, name, description, team_id, stage_id,
               company_id, priority, sla_agreement_id, sla_version_id, sla_state,
               sla_deadline, active, create_date, write_date, create_uid, write_uid)
        SELECT 'BENCH' || n, 'Bench ' || n, '<p>b</p>', t.team_id, t.stage_id,
               t.company_id, '1', t.sla_agreement_id, t.sla_version_id, 'running',
               %(created)s + interval '2 hours', true, %(created)s, %(created)s, 1, 1
          FROM generate_series(1, %(count)s) n, helpdesk_ticket t
         WHERE t.id = %(template)s
        """,
        {"created": created, "count": count, "template": template.id},
    )
    cr.execute(
        """
        INSERT INTO internal_sla_line (ticket_id, agreement_id, version_id, target_id,
               company_id, name, metric, target_seconds, at_risk_percent, date_start,
               base_date, consumed_at_base, deadline, at_risk_date, state)
        SELECT t.id, l.agreement_id, l.version_id, l.target_id, l.company_id, l.name,
               l.metric, 7200, 75, %(created)s, %(created)s, 0,
               %(created)s + interval '2 hours', %(created)s + interval '90 minutes',
               'running'
          FROM helpdesk_ticket t, internal_sla_line l
         WHERE t.number LIKE 'BENCH%%' AND l.id = %(line)s
        """,
        {"created": created, "line": line.id},
    )
    cr.execute("ANALYZE internal_sla_line")
    cr.execute("ANALYZE helpdesk_ticket")
    cr.commit()


def _vacuum(registry):
    with registry.cursor() as cr:
        cr.connection.autocommit = True  # VACUUM cannot run inside a transaction
        cr.execute(
            "VACUUM ANALYZE internal_sla_line, helpdesk_ticket, mail_activity, mail_message"
        )


def bench_sweep(args):
    count = 100_000
    registry = Registry(args.db)
    with registry.cursor() as cr:
        _insert_sweep_data(Environment(cr, SUPERUSER_ID, {"tracking_disable": True}), count)
    now = datetime(2026, 3, 3, 12, 0)
    # Three alternating rounds of the baseline (one UPDATE touching the same rows) and
    # the sweep, each rolled back; the best of each counts, as noise only ever adds time.
    # Every run starts from vacuumed tables: a rolled-back run leaves 100,000 dead rows
    # behind that would slow down whatever runs next.
    update_runs, sweep_runs = [], []
    gc.collect()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for _round in range(3):
        _vacuum(registry)
        with registry.cursor() as cr:
            started = time.perf_counter()
            cr.execute(
                """UPDATE internal_sla_line SET state = 'breached'
                    WHERE state IN ('running', 'at_risk') AND deadline < %s""",
                [now],
            )
            touched = cr.rowcount
            update_runs.append(time.perf_counter() - started)
            cr.rollback()
        _vacuum(registry)
        with registry.cursor() as cr:
            env = Environment(cr, SUPERUSER_ID, {"internal_sla_now": now})
            started = time.perf_counter()
            changed = env["internal.sla.line"]._cron_sweep()
            sweep_runs.append(time.perf_counter() - started)
            cr.execute("SELECT count(*) FROM helpdesk_ticket WHERE sla_state = 'breached'")
            breached_tickets = cr.fetchone()[0]
            cr.rollback()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    update_seconds, sweep_seconds = min(update_runs), min(sweep_runs)
    print(f"one UPDATE of {touched} rows (best of 3): {update_seconds:.2f}s")
    print(
        f"sweep of {changed} lines ({breached_tickets} tickets breached, best of 3): "
        f"{sweep_seconds:.2f}s"
    )
    result(
        "sweep",
        seconds=f"{sweep_seconds:.2f}",
        ratio_to_update=f"{sweep_seconds / update_seconds:.2f}",
        peak_rss_mb=f"{rss_after:.0f}",
        rss_growth_mb=f"{rss_after - rss_before:.0f}",
        lines=changed,
    )


# -- sweep with stage rules and escalations ---------------------------------------------------


def _insert_backlog(env, count, now, spread_hours, step_minutes):
    """``count`` open tickets filed evenly over the ``spread_hours`` before ``now`` (one
    resolution line each: 2 h target, at risk at 90 min, escalation levels at 90 min,
    2 h and 3 h; a 4 h "escalate" stage rule on their stage), in the state the previous
    sweep, ``step_minutes`` earlier, left them (committed)."""
    cr = env.cr
    vals = _create_fixture(env, True)
    template = env["helpdesk.ticket"].create(dict(vals))
    line = template.sla_line_ids.filtered(lambda line: line.metric == "resolution")
    # people to escalate to: a team leader (level 1) and the provider's head (2 and 3)
    lead = env["res.users"].create({"name": "Bench team lead", "login": "bench_lead"})
    head = env["res.users"].create({"name": "Bench head of IT", "login": "bench_head"})
    template.team_id.user_id = lead
    provider = template.sla_agreement_id.provider_department_id
    provider.manager_id = env["hr.employee"].create(
        {"name": "Bench head of IT", "user_id": head.id, "department_id": provider.id}
    )
    rule = env["internal.sla.stage.rule"].create(
        {
            "agreement_id": template.sla_agreement_id.id,
            "stage_id": template.stage_id.id,
            "duration": 4,
            "action": "escalate",
        }
    )
    env.flush_all()
    params = {
        "now": now,
        "count": count,
        "spread": spread_hours * 3600.0,
        "previous": now - timedelta(minutes=step_minutes),
        "template": template.id,
        "line": line.id,
        "rule": rule.id,
    }
    cr.execute(
        """
        INSERT INTO helpdesk_ticket (number, name, description, team_id, stage_id,
               company_id, priority, sla_agreement_id, sla_version_id, active, create_date,
               write_date, create_uid, write_uid, sla_stage_since, sla_stage_rule_id,
               sla_stage_rule_date)
        SELECT 'BENCH' || n, 'Bench ' || n, '<p>b</p>', t.team_id, t.stage_id,
               t.company_id, '1', t.sla_agreement_id, t.sla_version_id, true, filed, filed,
               1, 1, filed,
               CASE WHEN filed + interval '4 hours' > %(previous)s THEN %(rule)s END,
               CASE WHEN filed + interval '4 hours' > %(previous)s
                    THEN filed + interval '4 hours' END
          FROM generate_series(1, %(count)s) n, helpdesk_ticket t,
               LATERAL (SELECT %(now)s - make_interval(secs => n * %(spread)s / %(count)s)
                        AS filed) f
         WHERE t.id = %(template)s
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO internal_sla_line (ticket_id, agreement_id, version_id, target_id,
               company_id, name, metric, target_seconds, at_risk_percent, date_start,
               base_date, consumed_at_base, deadline, at_risk_date, state,
               escalation1_date, escalation2_date, escalation3_date, escalation_level,
               escalation_inherited_level, escalation_next_date)
        SELECT t.id, l.agreement_id, l.version_id, l.target_id, l.company_id, l.name,
               l.metric, 7200, 75, t.create_date, t.create_date, 0, e2, e1,
               CASE WHEN e2 < %(previous)s THEN 'breached'
                    WHEN e1 <= %(previous)s THEN 'at_risk' ELSE 'running' END,
               e1, e2, e3, level, 0,
               CASE level WHEN 0 THEN e1 WHEN 1 THEN e2 WHEN 2 THEN e3 END
          FROM helpdesk_ticket t, internal_sla_line l,
               LATERAL (SELECT t.create_date + interval '90 minutes' AS e1,
                               t.create_date + interval '2 hours' AS e2,
                               t.create_date + interval '3 hours' AS e3) d,
               LATERAL (SELECT (e1 <= %(previous)s)::int + (e2 <= %(previous)s)::int
                               + (e3 <= %(previous)s)::int AS level) v
         WHERE t.number LIKE 'BENCH%%' AND l.id = %(line)s
        """,
        params,
    )
    cr.execute(
        """
        UPDATE helpdesk_ticket t
           SET sla_state = l.state, sla_deadline = l.deadline
          FROM internal_sla_line l
         WHERE l.ticket_id = t.id AND t.number LIKE 'BENCH%%'
        """
    )
    cr.execute("ANALYZE internal_sla_line")
    cr.execute("ANALYZE helpdesk_ticket")
    cr.commit()


def _sweep_rounds(registry, at, rounds=3, vacuum=True):
    """The plain sweep and the sweep with stage rules and escalations at ``at``, alternated
    ``rounds`` times and rolled back: (plain seconds, rules seconds, lines changed,
    activities created), best of each side."""
    plain_runs, rule_runs = [], []
    for _round in range(rounds):
        if vacuum:
            _vacuum(registry)
        with registry.cursor() as cr:
            Line = Environment(cr, SUPERUSER_ID, {"internal_sla_now": at})["internal.sla.line"]
            started = time.perf_counter()
            changed = 0
            while True:  # what the sweep was before stage rules and escalations
                done = Line._sweep_batch(at, "bench", 100_000)
                changed += done
                if done < 100_000:
                    break
            plain_runs.append(time.perf_counter() - started)
            cr.rollback()
        if vacuum:
            _vacuum(registry)
        with registry.cursor() as cr:
            env = Environment(cr, SUPERUSER_ID, {"internal_sla_now": at})
            started = time.perf_counter()
            env["internal.sla.line"]._cron_sweep()
            rule_runs.append(time.perf_counter() - started)
            cr.execute(
                "SELECT count(*) FROM mail_activity WHERE create_date = %s AND res_model = %s",
                [at, "helpdesk.ticket"],
            )
            activities = cr.fetchone()[0]
            cr.rollback()
    return min(plain_runs), min(rule_runs), changed, activities


def bench_sweep_rules(args):
    """The sweep with stage rules and escalations vs the plain sweep (state changes only)
    on the same 100,000 open tickets, one 5-minute sweep step; three alternating rounds,
    tables vacuumed before each run, best of each."""
    count = 100_000
    now = datetime(2026, 3, 6, 12, 0)
    registry = Registry(args.db)
    with registry.cursor() as cr:
        _insert_backlog(
            Environment(cr, SUPERUSER_ID, {"tracking_disable": True}), count, now, 40, 5
        )
    plain_seconds, rule_seconds, changed, activities = _sweep_rounds(registry, now)
    # the same step with nothing due (run again at the previous step's instant): what
    # looking for due lines, levels and stage rules costs over the open tickets by itself
    idle_plain, idle_rules, idle_changed, idle_activities = _sweep_rounds(
        registry, now - timedelta(minutes=5), vacuum=False
    )
    assert idle_changed == 0 and idle_activities == 0, "the idle step must find nothing due"
    print(
        f"idle step (nothing due, best of 3): plain {idle_plain * 1000:.1f} ms, "
        f"with stage rules and escalations {idle_rules * 1000:.1f} ms"
    )
    print(f"{count} open tickets, one 5-minute sweep step: {changed} lines change state")
    print(f"plain sweep (best of 3): {plain_seconds:.3f}s")
    print(
        f"sweep with stage rules and escalations (best of 3): {rule_seconds:.3f}s, "
        f"{activities} activities and as many notes"
    )
    result(
        "sweep-rules",
        ratio=f"{rule_seconds / plain_seconds:.2f}",
        seconds=f"{rule_seconds:.3f}",
        plain_seconds=f"{plain_seconds:.3f}",
        activities=activities,
        lines=changed,
        idle_ms=f"{idle_rules * 1000:.1f}",
        idle_plain_ms=f"{idle_plain * 1000:.1f}",
    )


# -- kpis -----------------------------------------------------------------------------------


def _insert_kpi_data(env, count, agreement_tickets):
    """``count`` tickets spread over 2025 (SQL), each with a first response and a resolution
    line measured as the SLA clock leaves them: 95% closed, 2% reopened, a third of the
    lines breached.  The first ``agreement_tickets`` belong to a second agreement (the XLSX
    export's)."""
    cr = env.cr
    vals = _create_fixture(env, True)
    template = env["helpdesk.ticket"].create(dict(vals))
    agreement = template.sla_agreement_id
    export_agreement = agreement.copy({"name": "Bench export agreement"})
    done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
    agents = [
        env["res.users"].create({"name": f"Bench agent {n}", "login": f"bench_agent_{n}"}).id
        for n in range(20)
    ]
    lines = {line.metric: line for line in template.sla_line_ids}
    cr.execute(
        """
        INSERT INTO helpdesk_ticket (number, name, description, team_id, stage_id, company_id,
               priority, user_id, provider_department_id, requester_department_id,
               sla_agreement_id, sla_version_id, sla_state, active, create_date, write_date,
               closed_date, create_uid, write_uid)
        SELECT 'KPI' || n, 'Bench request ' || n, '<p>b</p>', t.team_id,
               CASE WHEN n %% 20 = 0 THEN t.stage_id ELSE %(done)s END,
               t.company_id, (n %% 4)::text, (%(agents)s)[1 + n %% 20],
               t.provider_department_id, t.requester_department_id,
               CASE WHEN n <= %(export)s THEN %(export_agreement)s ELSE t.sla_agreement_id END,
               t.sla_version_id,
               CASE WHEN n %% 3 = 0 THEN 'breached' ELSE 'met' END, true, created, created,
               CASE WHEN n %% 20 = 0 THEN NULL ELSE created + interval '5 hours' END, 1, 1
          FROM generate_series(1, %(count)s) n
         CROSS JOIN helpdesk_ticket t
         CROSS JOIN LATERAL (
             SELECT timestamp '2025-01-01' + (n * 31536000.0 / %(count)s) * interval '1 second'
                 AS created
         ) c
         WHERE t.id = %(template)s
        """,
        {
            "done": done.id,
            "agents": agents,
            "export": agreement_tickets,
            "export_agreement": export_agreement.id,
            "count": count,
            "template": template.id,
        },
    )
    cr.execute(
        """
        INSERT INTO internal_sla_line (ticket_id, agreement_id, version_id, target_id,
               company_id, name, metric, target_seconds, at_risk_percent, date_start,
               base_date, consumed_at_base, deadline, at_risk_date, reached_date, state,
               consumed_seconds, overrun_seconds, first_reached_date, first_reached_seconds)
        SELECT *, reached_date, consumed_seconds
          FROM (
        SELECT t.id, t.sla_agreement_id, l.version_id, l.target_id, l.company_id, l.name,
               l.metric, l.target_seconds, 75, t.create_date, t.create_date, 0,
               t.create_date + interval '2 hours', t.create_date + interval '90 minutes',
               CASE WHEN t.closed_date IS NULL AND l.metric = 'resolution' THEN NULL
                    ELSE t.create_date + interval '1 hour' END AS reached_date,
               CASE WHEN t.closed_date IS NULL AND l.metric = 'resolution' THEN 'running'
                    WHEN (t.id + length(l.metric)) %% 3 = 0 THEN 'breached' ELSE 'met' END,
               (t.id::bigint * 7919 + length(l.metric)) %% 28800 AS consumed_seconds,
               CASE WHEN (t.id + length(l.metric)) %% 3 = 0 THEN 1800 ELSE 0 END
          FROM helpdesk_ticket t, internal_sla_line l
         WHERE t.number LIKE 'KPI%%' AND l.id IN %(lines)s
               ) line
        """,
        {"lines": tuple(line.id for line in lines.values())},
    )
    cr.execute(
        """
        INSERT INTO internal_sla_event (ticket_id, date, event_type, rule, company_id)
        SELECT t.id, t.create_date + interval '3 hours', kind, 'bench', t.company_id
          FROM helpdesk_ticket t
         CROSS JOIN unnest(ARRAY['start', 'met']) kind
         WHERE t.number LIKE 'KPI%%'
         UNION ALL
        SELECT t.id, t.create_date + interval '4 hours', 'reopen', 'bench', t.company_id
          FROM helpdesk_ticket t
         WHERE t.number LIKE 'KPI%%' AND t.id %% %(every)s = 0
        """,
        {"every": 50},
    )
    cr.execute("ANALYZE helpdesk_ticket")
    cr.execute("ANALYZE internal_sla_line")
    cr.execute("ANALYZE internal_sla_event")
    return export_agreement


def _explain(env, call):
    """Run ``call`` once recording its SQL statements, then EXPLAIN ANALYZE each:
    [(execution ms, first plan line)]."""
    cursor_class = type(env.cr)
    statements = []
    execute = cursor_class.execute

    def recording(cr, query, params=None, log_exceptions=True):
        if not str(getattr(query, "code", query)).lstrip().upper().startswith("EXPLAIN"):
            statements.append((query, params))
        return execute(cr, query, params, log_exceptions)

    cursor_class.execute = recording
    try:
        call()
    finally:
        cursor_class.execute = execute
    plans = []
    for query, params in statements:
        if hasattr(query, "code"):
            query, params = query.code, query.params
        env.cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + query, params)
        lines = [row[0] for row in env.cr.fetchall()]
        total = next(float(line.split()[2]) for line in lines if "Execution Time" in line)
        plans.append((total, lines[0].strip()[:90]))
    return plans


def bench_kpis(args, count=1_000_000, agreement_tickets=50_000):
    registry = Registry(args.db)
    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        started = time.perf_counter()
        export_agreement = _insert_kpi_data(env, count, agreement_tickets)
        cr.commit()
        print(f"inserted {count:,} tickets in {time.perf_counter() - started:.0f}s")
    # the cron's job: build the facts of the days the inserts marked dirty
    with registry.cursor() as cr:
        env = Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        started = time.perf_counter()
        days = env["internal.sla.kpi.fact"]._refresh()
        cr.commit()
        refresh_seconds = time.perf_counter() - started
        cr.execute("SELECT count(*) FROM internal_sla_kpi_fact")
        fact_rows = cr.fetchone()[0]
        print(f"facts of {days} days built in {refresh_seconds:.1f}s ({fact_rows:,} rows)")
    _vacuum(registry)
    with registry.cursor() as cr:
        cr.connection.autocommit = True
        cr.execute("VACUUM ANALYZE internal_sla_kpi_fact")
    year = (datetime(2025, 1, 1), datetime(2026, 1, 1))
    kpi_runs, xlsx_runs = [], []
    for _round in range(3):
        with environment(args.db) as env:
            env.invalidate_all()
            started = time.perf_counter()
            kpis = env["internal.sla.kpi"]._kpis([], *year)
            kpi_runs.append(time.perf_counter() - started)
        with environment(args.db) as env:
            report = env.ref("internal_sla.internal_sla_scorecard_xlsx_report")
            started = time.perf_counter()
            content, _kind = env["ir.actions.report"]._render(
                report,
                export_agreement.ids,
                {"date_from": "2025-01-01", "date_to": "2026-01-01"},
            )
            xlsx_runs.append(time.perf_counter() - started)
    with environment(args.db) as env:
        plans = _explain(env, lambda: env["internal.sla.kpi"]._kpis([], *year))
        # the reference: the direct aggregates over the live tables, once
        direct = env["internal.sla.kpi"].with_context(internal_sla_kpi_direct=True)
        started = time.perf_counter()
        expected = direct._kpis([], *year)
        direct_seconds = time.perf_counter() - started
        # and a read over the default period (the last twelve months up to "now" in the
        # data, partial edge days read live)
        started = time.perf_counter()
        env["internal.sla.kpi"]._kpis(
            [], datetime(2025, 3, 3, 11, 30), datetime(2025, 12, 30, 15)
        )
        partial_seconds = time.perf_counter() - started
    for total, first in plans:
        print(f"  EXPLAIN ANALYZE {total:8.1f} ms  {first}")
    print(
        f"KPI set of {kpis['volume']:,} tickets: SLA met {kpis['sla_met_percent']:.1f}%, "
        f"first response mean {kpis['first_response']['mean']:.0f}s, "
        f"P90 {kpis['first_response']['p90']}s, "
        f"backlog {kpis['backlog']:,}, reopened {kpis['reopen_percent']:.1f}%"
    )
    runs = ", ".join(f"{seconds:.2f}" for seconds in kpi_runs)
    print(f"KPI set from facts (best of 3): {min(kpi_runs):.2f}s; runs {runs}")
    print(f"KPI set with partial edge days: {partial_seconds:.2f}s")
    print(f"KPI set computed directly (reference): {direct_seconds:.2f}s")
    print(f"equal to the direct computation: {kpis == expected}")
    print(
        f"XLSX scorecard of {agreement_tickets:,} tickets ({len(content) / 1e6:.1f} MB, "
        f"best of 3): {min(xlsx_runs):.2f}s"
    )
    result(
        "kpis",
        seconds=f"{min(kpi_runs):.2f}",
        explain_ms=f"{sum(total for total, _first in plans):.0f}",
        xlsx_seconds=f"{min(xlsx_runs):.2f}",
        direct_seconds=f"{direct_seconds:.2f}",
        refresh_seconds=f"{refresh_seconds:.1f}",
        equal=kpis == expected,
        tickets=kpis["volume"],
    )


# -- forecast-backtest -----------------------------------------------------------------------


def bench_forecast_backtest(args):
    from forecast_backtest import backtest

    with environment(args.db) as env:
        figures, lines = backtest(env)
    for line in lines:
        print(line)
    result("forecast-backtest", **figures)


def main():
    args = parse()
    config.parse_config(
        ["-c", args.config, "--log-level=warn", "--without-demo=True"], setup_logging=True
    )
    benches = {
        "deadlines": bench_deadlines,
        "create": bench_create,
        "sweep": bench_sweep,
        "sweep-rules": bench_sweep_rules,
        "kpis": bench_kpis,
        "forecast-backtest": bench_forecast_backtest,
    }
    benches[args.name](args)


if __name__ == "__main__":
    main()
