from odoo.modules.module import get_manifest
from odoo.tools.convert import convert_file

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
