def post_init_hook(env):
    """Attach SLAs to the open tickets of a database the addon is installed on (B14)."""
    env["internal.sla.agreement"].search(
        [("state", "in", ("active", "review"))]
    )._attach_open_tickets()
