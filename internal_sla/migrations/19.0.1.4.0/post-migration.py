def migrate(cr, version):
    """19.0.1.4.0 times first response and resolution to their first reach (KPI
    catalogue: a reopened request's resolution time runs to its first close).

    A clock reopened (closed again since or not) takes the working time it had when it
    was reopened, which is what it had used at its close (exact for a clock reopened once;
    reopened several times, the time at its last reopen, as closer is not kept), and its
    first reopen as the instant it is known to have been reached by; a clock re-matched
    after a reopen lost that event with its line and counts as never reopened. Other
    reached clocks take their reach as the first one. The KPI facts are rebuilt by their
    new definition at the next refresh.

    Meetings remember the checklists the jobs launched: those launched before keep their
    mark, so that steps people cancel are not launched again."""
    if not version:
        return
    cr.execute(
        """
        UPDATE internal_sla_line line
           SET first_reached_date = reopen.date, first_reached_seconds = line.consumed_at_base
          FROM (SELECT line_id, min(date) AS date FROM internal_sla_event
                 WHERE event_type = 'reopen' AND line_id IS NOT NULL GROUP BY line_id) reopen
         WHERE reopen.line_id = line.id AND line.first_reached_date IS NULL
        """
    )
    cr.execute(
        """
        UPDATE internal_sla_line
           SET first_reached_date = reached_date, first_reached_seconds = consumed_seconds
         WHERE reached_date IS NOT NULL AND first_reached_date IS NULL
        """
    )
    for phase in ("before", "after"):
        cr.execute(
            f"""
            UPDATE calendar_event event
               SET sla_{phase}_checklist_launched = TRUE
             WHERE EXISTS (SELECT 1 FROM mail_activity activity
                            WHERE activity.sla_event_id = event.id
                              AND activity.sla_phase = %s)
            """,
            [phase],
        )
