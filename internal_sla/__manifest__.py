# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
{
    "name": "Internal SLA",
    "summary": "Living service agreements between departments: working-time SLAs "
    "on helpdesk tickets, escalations, CSAT/NPS surveys and review meetings",
    "version": "19.0.1.4.0",
    "category": "Services/Helpdesk",
    "website": "https://github.com/internal-sla/internal_sla",
    "author": "internal_sla contributors",
    "license": "AGPL-3",
    "development_status": "Alpha",
    "application": True,
    "depends": [
        "helpdesk_mgmt",
        "hr",
        "survey",
        "calendar",
        "resource",
        "mail",
        # reports and people (F2–F7, E1–E4)
        "gamification",
        "report_xlsx",
    ],
    "data": [
        # security: privilege and groups before the access rights that name them
        "security/internal_sla_security.xml",
        "security/ir.model.access.csv",
        "security/internal_sla_rules.xml",
        # data
        "data/ir_cron_data.xml",
        # surveys before the templates that name their NPS survey
        "data/survey_survey_data.xml",
        "data/internal_sla_agreement_template_data.xml",
        "data/helpdesk_ticket_stage_data.xml",
        "data/mail_activity_type_data.xml",
        # views, then the menus that open them
        "views/res_config_settings_views.xml",
        "views/internal_sla_agreement_views.xml",
        "views/internal_sla_agreement_template_views.xml",
        "views/internal_sla_line_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/hr_department_views.xml",
        "views/internal_sla_ownership_views.xml",
        "views/internal_sla_stage_rule_views.xml",
        "views/internal_sla_pause_views.xml",
        "views/internal_sla_menus.xml",
        # feedback loop: rules, surveys, activities, mail, cron, views
        "security/internal_sla_feedback_rules.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_feedback_data.xml",
        "views/internal_sla_feedback_invitation_views.xml",
        "views/internal_sla_feedback_report_views.xml",
        "views/internal_sla_agreement_feedback_views.xml",
        "views/helpdesk_ticket_feedback_views.xml",
        "views/hr_department_feedback_views.xml",
        "views/survey_survey_views.xml",
        "views/internal_sla_feedback_menus.xml",
        # review meetings (SPEC D1–D5): rules, checklists, crons, views
        "security/internal_sla_meeting_rules.xml",
        "data/mail_activity_plan_data.xml",
        "data/ir_cron_meeting_data.xml",
        "views/calendar_event_views.xml",
        "views/internal_sla_action_item_views.xml",
        "views/internal_sla_agreement_meeting_views.xml",
        # reports and people (F2–F7, E1–E4)
        "security/internal_sla_report_rules.xml",
        "report/internal_sla_report_views.xml",
        "security/internal_sla_pair_report_rules.xml",
        "report/internal_sla_pair_report_views.xml",
        "report/internal_sla_reports.xml",
        "views/internal_sla_scorecard_views.xml",
        "views/hr_people_kpi_views.xml",
        "views/internal_sla_report_menus.xml",
        "data/gamification_data.xml",
        "security/internal_sla_gamification_rules.xml",
        "views/gamification_goal_views.xml",
        # load-adaptive targets and breach forecast (B11, B12): rules, crons, views
        "security/internal_sla_surge_rules.xml",
        "data/ir_cron_surge_data.xml",
        "views/internal_sla_surge_views.xml",
        # what-if simulator (H2), two clocks (H6) and chained handoffs (H7)
        "views/internal_sla_simulation_views.xml",
        "views/helpdesk_ticket_handoff_views.xml",
        # daily KPI facts (issue 7: the KPI set of a year in under 2 s)
        "data/ir_cron_kpi_data.xml",
        # settings of every default the product uses (G1)
        "views/res_config_settings_defaults_views.xml",
        # requests filed by employees (My requests) and the requester's portal (G3)
        "security/internal_sla_request_rules.xml",
        "views/helpdesk_ticket_request_views.xml",
        "views/helpdesk_ticket_portal_templates.xml",
    ],
    "demo": [
        "demo/internal_sla_demo.xml",
        "demo/internal_sla_feedback_demo.xml",
        "demo/internal_sla_meeting_demo.xml",
        "demo/internal_sla_surge_demo.xml",
        # six months of history replayed through the engine (G5)
        "demo/internal_sla_history_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "uninstall_hook": "uninstall_hook",
    "assets": {
        "web.assets_backend": ["internal_sla/static/src/**/*"],
        "web.assets_tests": ["internal_sla/static/tests/tours/**/*"],
    },
}
