import {registry} from "@web/core/registry";

/** A department head opens the review meetings, reads the agenda of the next review,
 * regenerates it and closes an action item from the meeting form. */
registry.category("web_tour.tours").add("internal_sla_meeting_tour", {
    steps: () => [
        {
            content: "The meeting list shows the review",
            trigger: ".o_list_view .o_data_row:contains('Quarterly review with Marketing')",
        },
        {
            content: "Open it",
            trigger: ".o_data_row:contains('Quarterly review with Marketing') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "The review tab names the agreement",
            trigger:
                ".o_notebook .o_field_widget[name='sla_agreement_id'] input:value('IT ↔ Marketing')",
        },
        {
            content: "The agenda lists the breached request",
            trigger: ".o_field_widget[name='sla_agenda']:contains('Newsletter export times out')",
        },
        {
            content: "Regenerate the agenda",
            trigger: ".o_form_view .o_form_statusbar button[name='action_sla_generate_agenda']",
            run: "click",
        },
        {
            content: "Open actions are on the agenda",
            trigger: ".o_field_widget[name='sla_agenda']:contains('Publish the on-call rota')",
        },
        {
            content: "Close an action item",
            trigger:
                ".o_field_widget[name='sla_action_ids'] .o_data_row:contains('Send the campaign calendar') button[name='action_done']",
            run: "click",
        },
        {
            content: "It is done",
            trigger:
                ".o_field_widget[name='sla_action_ids'] .o_data_row:contains('Send the campaign calendar') .o_field_badge:contains('Done')",
        },
        {
            content: "Checklist progress is shown",
            trigger: ".o_field_widget[name='sla_checklist_progress']",
        },
    ],
});
