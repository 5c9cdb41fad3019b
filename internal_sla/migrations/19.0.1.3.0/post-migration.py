from odoo import SUPERUSER_ID, api

from odoo.addons.internal_sla.hooks import refresh_records_loaded_once

# the summary the review reminders had as to-dos (in the languages the product ships)
REVIEW_SUMMARIES = (
    "Review the agreement with the other side",
    "Пересмотрите соглашение с другой стороной",
)


def migrate(cr, version):
    """19.0.1.3.0 keeps meeting-energy answers from the department heads, as eNPS ones
    (C7, H9): their record rule is loaded once, so an update would keep the previous one.
    The agreements' review reminders, to-dos before, get their own activity type: one per
    owner, doubles withdrawn (A1)."""
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    refresh_records_loaded_once(env)
    review_type = env.ref("internal_sla.mail_activity_type_agreement_review")
    reminders = env["mail.activity"].search(
        [
            ("res_model", "=", "internal.sla.agreement"),
            ("activity_type_id", "=", env.ref("mail.mail_activity_data_todo").id),
            ("summary", "in", REVIEW_SUMMARIES),
        ]
    )
    reminders.write({"activity_type_id": review_type.id})
    env["internal.sla.agreement"].browse(set(reminders.mapped("res_id"))).filtered(
        lambda agreement: agreement.state in ("active", "review")
    )._schedule_review_activity()
