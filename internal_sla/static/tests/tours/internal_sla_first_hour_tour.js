import {registry} from "@web/core/registry";

/** The administrator creates an agreement from the Facilities template: the targets of
 * the template land in the new draft agreement. */
registry.category("web_tour.tours").add("internal_sla_template_tour", {
    steps: () => [
        {
            content: "Choose the template",
            trigger: ".o_field_widget[name='template_id'] input",
            run: "edit Facilities",
        },
        {
            content: "Pick Facilities",
            trigger: ".o-autocomplete--dropdown-item a:contains('Facilities')",
            run: "click",
        },
        {
            content: "Provider department",
            trigger: ".o_field_widget[name='provider_department_id'] input",
            run: "edit Facility Services",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item a:contains('Facility Services')",
            run: "click",
        },
        {
            content: "Serve all departments",
            trigger: ".o_field_widget[name='customer_scope'] input[data-value='all']",
            run: "click",
        },
        {
            content: "Working calendar",
            trigger: ".o_field_widget[name='resource_calendar_id'] input",
            run: "edit Facilities hours",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item a:contains('Facilities hours')",
            run: "click",
        },
        {
            content: "Create the agreement",
            trigger: ".modal-footer button[name='action_create']",
            run: "click",
        },
        {
            content: "The draft agreement carries the template's targets",
            trigger: ".o_form_view .o_field_widget[name='target_ids'] .o_data_row",
        },
        {
            content: "…and is a draft",
            trigger: ".o_statusbar_status button.o_arrow_button_current:contains('Draft')",
        },
    ],
});

/** An agent works a request: puts it on hold waiting for the requester (the SLA clock
 * pauses), resumes it, and solves it (the targets are met). */
registry.category("web_tour.tours").add("internal_sla_pause_close_tour", {
    steps: () => [
        {
            content: "The request's clock runs",
            trigger: ".o_form_view .o_field_widget[name='sla_state']:contains('Running')",
        },
        {
            content: "Wait for the requester",
            trigger: ".o_statusbar_status button.o_arrow_button:contains('Awaiting')",
            run: "click",
        },
        {
            content: "The clock is paused",
            trigger: ".o_form_view .o_field_widget[name='sla_state']:contains('Paused')",
        },
        {
            content: "The requester answered: back to work",
            trigger: ".o_statusbar_status button.o_arrow_button:contains('In Progress')",
            run: "click",
        },
        {
            content: "The clock runs again",
            trigger: ".o_form_view .o_field_widget[name='sla_state']:contains('Running')",
        },
        {
            content: "Solve it",
            trigger: ".o_statusbar_status button.o_arrow_button:contains('Done')",
            run: "click",
        },
        {
            content: "The targets are met",
            trigger: ".o_form_view .o_field_widget[name='sla_state']:contains('Met')",
        },
        {
            content: "Open the SLA timeline",
            trigger: ".o_notebook_headers a:contains('SLA timeline')",
            run: "click",
        },
        {
            content: "The pause is kept for audit",
            trigger: ".o_field_widget[name='sla_pause_ids'] .o_data_row:contains('Awaiting')",
        },
    ],
});

/** The requester clicked a score in the CSAT e-mail: the survey opens with it recorded;
 * they add how it felt and a comment, and submit. */
registry.category("web_tour.tours").add("internal_sla_requester_csat_tour", {
    steps: () => [
        {
            content: "Say how it felt",
            trigger: "div.js_question-wrapper:contains('How did this interaction feel') label:contains('Easy')",
            run: "click",
        },
        {
            content: "Add a comment",
            trigger: "div.js_question-wrapper:contains('Anything you would like to add') textarea",
            run: "edit Solved before lunch, thank you!",
        },
        {
            content: "Submit",
            trigger: "button[value='finish']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button:contains('Submit')",
            run: "click",
        },
        {
            content: "Thank you, once the page has faded in",
            trigger: "[style*='opacity: 1'] h1:contains('Thank you')",
        },
    ],
});
