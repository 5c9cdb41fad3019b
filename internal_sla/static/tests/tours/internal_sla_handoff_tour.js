import {registry} from "@web/core/registry";

/** An IT agent needs HR before solving a request: the linked request opens under the
 * HR ↔ IT agreement, and the waiting request shows the chain with the clock paused. */
registry.category("web_tour.tours").add("internal_sla_handoff_tour", {
    steps: () => [
        {
            content: "Hand part of the request over to another department",
            trigger: ".o_form_statusbar button[name='action_sla_hand_off']",
            run: "click",
        },
        {
            content: "Choose HR",
            trigger: ".modal .o_field_widget[name='department_id'] input",
            run: "edit HR",
        },
        {
            content: "HR in the list",
            trigger: ".o-autocomplete--dropdown-item a:contains('HR')",
            run: "click",
        },
        {
            content: "HR's agreement with IT and its desk are proposed",
            trigger: ".modal .o_field_widget[name='team_id'] input:value('HR Desk')",
        },
        {
            content: "Open the linked request",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The linked request says what it was opened for",
            trigger: ".o_field_widget[name='sla_parent_id']:contains('Campaign landing page')",
        },
        {
            content: "Back to the waiting request",
            trigger: ".o_breadcrumb a:contains('Campaign landing page')",
            run: "click",
        },
        {
            content: "Its clocks are paused",
            trigger: ".o_field_widget[name='sla_state']:contains('Paused')",
        },
        {
            content: "Open the Handoffs tab",
            trigger: ".o_notebook .nav-link:contains('Handoffs')",
            run: "click",
        },
        {
            content: "The chain lists the linked request with its SLA state",
            trigger:
                ".o_field_widget[name='sla_child_ids'] .o_data_row:contains('HR'):contains('Running')",
        },
    ],
});
