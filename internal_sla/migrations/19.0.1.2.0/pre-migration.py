"""19.0.1.2.0 groups the agreement form's ten tabs into seven; the surge view's tab, placed
after the Escalations tab, becomes the Surge section of the Automation tab."""

SURGE_FORM_VIEW = "internal_sla_agreement_view_form_surge"


def migrate(cr, version):
    """Empty the surge view's previous arch before the agreement form is reloaded: Odoo
    checks the new form together with the views inheriting it, and the previous surge arch
    points to the Escalations tab, which is gone. The surge view's own file, loaded after
    the form, gives it its new arch."""
    if not version:
        return
    cr.execute(
        """
        UPDATE ir_ui_view view
           SET arch_db = jsonb_build_object('en_US', '<data/>')
          FROM ir_model_data data
         WHERE data.module = 'internal_sla'
           AND data.name = %s
           AND data.model = 'ir.ui.view'
           AND view.id = data.res_id
        """,
        [SURGE_FORM_VIEW],
    )
