import {registry} from "@web/core/registry";

/** A manager opens the dashboard, reads the agreement's card (SLA met, breaches), opens
 * its scorecard: KPIs against targets and benchmarks, survey-based ones "no data". */
registry.category("web_tour.tours").add("internal_sla_manager_dashboard_tour", {
    steps: () => [
        {
            content: "The dashboard shows the agreement with its breaches",
            trigger: ".o_internal_sla_dashboard .o_kanban_record:contains('IT ↔ Marketing'):contains('breaches')",
        },
        {
            content: "Open its scorecard",
            trigger:
                ".o_kanban_record:contains('IT ↔ Marketing') a[name='action_open_scorecard']",
            run: "click",
        },
        {
            content: "The scorecard lists the agreement's targets",
            trigger: ".o_data_row:contains('Urgent solved'):contains('breached')",
        },
        {
            content: "… the first response benchmark",
            trigger: ".o_data_row:contains('First response (mean)'):contains('< 4 h 00 min')",
        },
        {
            content: "… and no NPS yet",
            trigger: ".o_data_row:contains('Internal NPS'):contains('no data')",
        },
    ],
});
