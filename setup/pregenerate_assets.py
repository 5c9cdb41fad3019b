"""Run by ``odoo-bin shell`` (``env`` given) on a freshly installed database: generates the
asset bundles the browser tests load, once and committed, which every browser test would
otherwise generate again inside its rolled-back transaction (7-8 s each). Odoo's own
``_pregenerate_assets_bundles`` also builds the unit-test and QUnit bundles of every
module, which these tests never load."""

BUNDLES = [
    "web.assets_web",
    "web.assets_web_print",
    "web.assets_backend_lazy",  # graph and pivot views, loaded on first use
    "web.assets_tests",
    "web.assets_frontend",
    "web.assets_frontend_minimal",
    "web.assets_frontend_lazy",
    "web.report_assets_common",
    "web.report_assets_pdf",
    "survey.survey_assets",
    "bus.websocket_worker_assets",
    "web.assets_emoji",  # the emoji picker of the chatter, loaded on first use
    "web.chartjs_lib",
    "mail.assets_message_email",
    "web.__assets_tests_call__",
]
# the PDF reports' style sheets, autoprefixed for wkhtmltopdf
AUTOPREFIXED_CSS = ["web.report_assets_common", "web.report_assets_pdf"]

qweb = env["ir.qweb"]  # noqa: F821 (given by odoo-bin shell)
for bundle in BUNDLES:
    qweb._get_asset_bundle(bundle, css=False, js=True).js()
    qweb._get_asset_bundle(bundle, css=True, js=False).css()
for bundle in AUTOPREFIXED_CSS:
    qweb._get_asset_bundle(bundle, css=True, js=False, autoprefix=True).css()
env.cr.commit()  # noqa: F821
