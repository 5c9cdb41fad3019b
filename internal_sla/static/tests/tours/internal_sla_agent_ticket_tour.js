import {registry} from "@web/core/registry";

function filterBy(label) {
    return [
        {
            content: "Open the filters",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: `Filter: ${label}`,
            trigger: `.o_filter_menu .o-dropdown-item:contains('${label}')`,
            run: "click",
        },
        {
            content: "Filter applied",
            trigger: `.o_searchview_facet:contains('${label}')`,
        },
    ];
}

function kanbanBadge(ticket, state, label, deadline = true) {
    // a paused clock has no deadline to count down to
    const badge = deadline
        ? ".o_sla_kanban_badge:has(.o_field_remaining_days)"
        : ".o_sla_kanban_badge:not(:has(.o_field_remaining_days))";
    return {
        content: `The card of '${ticket}' shows the ${label} badge${deadline ? " and its deadline" : ", no deadline"}`,
        trigger: `.o_kanban_record:contains('${ticket}') ${badge} .o_field_badge .badge.text-bg-${state}:contains('${label}')`,
    };
}

/** An agent sees the SLA badges of the kanban cards, checks the paused request (grey
 * countdown), then the one at risk: its SLA panel counts down in orange and its timeline
 * names the rule behind each event. */
registry.category("web_tour.tours").add("internal_sla_agent_ticket_tour", {
    url: "/odoo/helpdesk-tickets",
    steps: () => [
        {
            content: "The ticket list shows SLA badges",
            trigger: ".o_list_view .o_data_row .o_field_badge:contains('At risk')",
        },
        {
            content: "Switch to the kanban view",
            trigger: ".o_control_panel .o_switch_view.o_kanban",
            run: "click",
        },
        kanbanBadge("Newsletter export", "warning", "At risk"),
        kanbanBadge("Mail server disk failed", "danger", "Breached"),
        kanbanBadge("Paused request", "300", "Paused", false),
        {
            content: "Back to the list view",
            trigger: ".o_control_panel .o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list is back",
            trigger: ".o_list_view .o_data_row .o_field_badge:contains('Breached')",
        },
        ...filterBy("Paused"),
        {
            content: "Open the paused request",
            trigger: ".o_data_row:contains('Paused request') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "Its resolution clock is grey and says paused",
            trigger:
                ".o_field_widget[name='sla_line_ids'] .o_sla_countdown.text-bg-secondary:contains('paused')",
        },
        {
            content: "Back to the list",
            trigger: ".o_breadcrumb a:contains('Tickets')",
            run: "click",
        },
        {
            content: "Remove the Paused filter",
            trigger: ".o_searchview_facet:contains('Paused') .o_facet_remove",
            run: "click",
        },
        ...filterBy("At risk"),
        {
            content: "Only the request at risk is left",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('Paused request'))) .o_data_row:contains('Newsletter export')",
        },
        {
            content: "Open it",
            trigger: ".o_data_row:contains('Newsletter export') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "The SLA panel shows the agreement",
            trigger: ".o_form_view .o_field_widget[name='sla_agreement_id']:contains('IT ↔ Marketing')",
        },
        {
            content: "First response met",
            trigger:
                ".o_field_widget[name='sla_line_ids'] .o_data_row:contains('First response') .o_sla_countdown[data-state='met']",
        },
        {
            content: "The urgent target counts down, orange while at risk",
            trigger:
                ".o_field_widget[name='sla_line_ids'] .o_data_row:contains('Urgent solved') .o_sla_countdown.text-bg-warning:contains('min'):not(:contains('overdue'))",
        },
        {
            content: "Open the SLA timeline",
            trigger: ".o_notebook .nav-link:contains('SLA timeline')",
            run: "click",
        },
        {
            content: "The timeline names the rule behind the first response",
            trigger:
                ".o_field_widget[name='sla_timeline_ids'] .o_data_row:contains('First reply to the requester')",
        },
    ],
});
