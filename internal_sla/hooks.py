from odoo.modules.module import get_manifest
from odoo.tools import SQL
from odoo.tools.convert import convert_file

from .models.internal_sla_kpi_fact import DIRTY, FACT

MODULE = "internal_sla"

# Settings that make a feedback survey take one answer per invitation (C4, H9): each
# invitation has its own token and the survey allows one attempt per token.
ONE_ANSWER_SURVEY_SETTINGS = {
    "access_mode": "token",
    "users_login_required": True,
    "is_attempts_limited": True,
    "attempts_limit": 1,
}
# Challenges that rank teams before people (E3, team first).
PER_TEAM_CHALLENGES = (
    "internal_sla_challenge_no_breach",
    "internal_sla_challenge_fastest_response",
    "internal_sla_challenge_best_csat",
)


def post_init_hook(env):
    """Attach SLAs to the open tickets of a database the addon is installed on (B14)."""
    env["internal.sla.agreement"].search(
        [("state", "in", ("active", "review"))]
    )._attach_open_tickets()


def uninstall_hook(env):
    """Leave the database as Odoo and the helpdesk had it before the addon.

    Odoo drops the tables of the addon's models and deletes the records it loaded
    (surveys, activity types; the demo's people, departments and calendar), in that
    order reversed: so first the addon's tables let go of those records, and what Odoo
    does not know about goes — the KPI facts' tables and the triggers that fill them
    from every change of a request or a stage, which would otherwise keep writing.
    """
    cr = env.cr
    # the facts: their triggers (with their functions), tables, aggregate and indexes
    cr.execute(
        "SELECT oid::regprocedure::text FROM pg_proc WHERE proname LIKE %s",
        [r"internal\_sla\_kpi\_dirty\_%"],
    )
    for (function,) in cr.fetchall():
        cr.execute(SQL("DROP FUNCTION IF EXISTS %s CASCADE", SQL(function)))
    cr.execute(
        SQL(
            "DROP TABLE IF EXISTS %s, %s",
            SQL.identifier(FACT),
            SQL.identifier(DIRTY),
        )
    )
    cr.execute("DROP AGGREGATE IF EXISTS internal_sla_array_cat(integer[])")
    cr.execute(
        """
        DROP INDEX IF EXISTS helpdesk_ticket_internal_sla_created_idx,
                             helpdesk_ticket_internal_sla_closed_at_idx,
                             helpdesk_ticket_internal_sla_open_idx;
        ALTER TABLE helpdesk_ticket RESET (fillfactor);
        """
    )
    # the addon's tables, dropped next, must not hold back the records Odoo deletes first
    tables = {
        model._table
        for name, model in env.registry.items()
        if name.startswith("internal.sla.") and not model._abstract and model._auto
    }
    cr.execute(
        "SELECT r.name FROM ir_model_relation r JOIN ir_module_module m ON m.id = r.module "
        "WHERE m.name = %s",
        [MODULE],
    )
    tables.update(name for (name,) in cr.fetchall())
    cr.execute(
        """
        SELECT conrelid::regclass::text, conname FROM pg_constraint
         WHERE contype = 'f'
           AND conrelid IN (SELECT to_regclass(name) FROM unnest(%s::text[]) name)
        """,
        [sorted(tables)],
    )
    for table, constraint in cr.fetchall():
        cr.execute(
            SQL(
                "ALTER TABLE %s DROP CONSTRAINT %s",
                SQL.identifier(table),
                SQL.identifier(constraint),
            )
        )
    # Odoo turns the activities of a deleted activity type into to-dos, but only those
    # not done yet: the done ones (archived) would hold the type back
    type_ids = (
        env["ir.model.data"]
        .search([("module", "=", MODULE), ("model", "=", "mail.activity.type")])
        .mapped("res_id")
    )
    env["mail.activity"].with_context(active_test=False).search(
        [("activity_type_id", "in", type_ids), ("active", "=", False)]
    ).write({"activity_type_id": env.ref("mail.mail_activity_data_todo").id})


def refresh_records_loaded_once(env):
    """Bring the records loaded once (``noupdate``) to what this version ships.

    A module update leaves such records as the database has them, so a database installed
    before they changed would keep older record rules, surveys that take several answers
    per invitation and challenges that rank people alone. Only what the product relies on
    is rewritten: titles, questions and texts an administrator may have edited stay.
    """
    for filename in get_manifest(MODULE)["data"]:
        if filename.startswith("security/") and filename.endswith("_rules.xml"):
            # 'init' mode rewrites existing records of a noupdate file
            convert_file(env, MODULE, filename, {}, mode="init", noupdate=True)
    env["survey.survey"].with_context(active_test=False).search(
        [("internal_sla_kind", "!=", False)]
    ).write(ONE_ANSWER_SURVEY_SETTINGS)
    for xmlid in PER_TEAM_CHALLENGES:
        challenge = env.ref(f"{MODULE}.{xmlid}", raise_if_not_found=False)
        if challenge:
            challenge.sla_per_team = True


def empty_view_arch(cr, xmlid_name):
    """Empty the arch of this addon's view ``xmlid_name`` before an update reloads the
    views: Odoo checks each reloaded view together with the views inheriting it, and a
    previous arch may refer to what the new version changed. The view's own file, loaded
    later, gives it its new arch."""
    cr.execute(
        """
        UPDATE ir_ui_view view
           SET arch_db = jsonb_build_object('en_US', '<data/>')
          FROM ir_model_data data
         WHERE data.module = %s
           AND data.name = %s
           AND data.model = 'ir.ui.view'
           AND view.id = data.res_id
        """,
        [MODULE, xmlid_name],
    )
