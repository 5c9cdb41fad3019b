import {registry} from "@web/core/registry";

/** The IT head follows up a detractor from the feedback list, then reads the NPS gauge
 * of the agreement. */
registry.category("web_tour.tours").add("internal_sla_feedback_tour", {
    steps: () => [
        {
            content: "Open the feedback of the agreement",
            trigger: ".o_form_view button[name='action_view_feedback']",
            run: "click",
        },
        {
            content: "Answered invitations are listed",
            trigger: ".o_list_view .o_data_row:contains('Promoter')",
        },
        {
            content: "Open the filters",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter: detractor without follow-up",
            trigger: ".o_filter_menu .o-dropdown-item:contains('Detractor without follow-up')",
            run: "click",
        },
        {
            content: "Only detractors are left",
            trigger:
                ".o_list_view:not(:has(.o_data_row:contains('Promoter'))) .o_data_row:contains('Detractor')",
        },
        {
            content: "Open the one to follow up",
            trigger: ".o_data_row:contains('To follow up') .o_data_cell[name='user_id']",
            run: "click",
        },
        {
            content: "The comment is on the form",
            trigger: ".o_field_widget[name='comment']:contains('nobody told us')",
        },
        {
            content: "Follow-up done",
            trigger: ".o_form_view button[name='action_followup_done']",
            run: "click",
        },
        {
            content: "Followed up in time",
            trigger: ".o_field_widget[name='followup_state']:contains('Followed up')",
        },
        {
            content: "Back to the agreement",
            trigger: ".o_breadcrumb a:contains('IT ↔ Marketing')",
            run: "click",
        },
        {
            content: "Open the Feedback tab",
            trigger: ".o_notebook_headers a:contains('Feedback')",
            run: "click",
        },
        {
            content: "The NPS gauge shows +40",
            trigger: ".o_internal_sla_nps_gauge .o_gauge_value:contains('+40')",
        },
    ],
});
