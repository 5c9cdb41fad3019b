import {registry} from "@web/core/registry";

/** An employee files a request to another department and sees its deadline. */
registry.category("web_tour.tours").add("internal_sla_my_request_tour", {
    steps: () => [
        {
            content: "New request",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Choose the agreement with IT",
            trigger: ".o_field_widget[name='sla_request_agreement_id'] input",
            run: "edit IT",
        },
        {
            content: "Pick it",
            trigger: ".o-autocomplete--dropdown-item:contains('IT ↔ Marketing')",
            run: "click",
        },
        {
            content: "The request would be due at…",
            trigger: ".o_field_widget[name='sla_preview']:contains('First response: due')",
        },
        {
            content: "The agreement asks for the business impact",
            trigger: ".o_field_widget[name='sla_request_required']:contains('Business Impact')",
        },
        {
            content: "Title",
            trigger: ".o_field_widget[name='name'] input",
            run: "edit New laptop for the designer",
        },
        {
            content: "Business impact",
            trigger: ".o_field_widget[name='business_impact'] textarea",
            run: "edit The spring campaign visuals wait for it",
        },
        {
            content: "Description",
            trigger: ".o_field_widget[name='description'] .odoo-editor-editable",
            run: "editor The old one does not start any more",
        },
        {
            content: "Submit",
            trigger: "button[name='action_sla_request_submit']",
            run: "click",
        },
        {
            content: "Filed: its due date is notified",
            trigger: ".o_notification:contains('filed: due')",
        },
        {
            content: "Its deadline shows",
            trigger: ".o_field_widget[name='sla_deadline'] span:not(:empty)",
        },
        {
            content: "Its service level runs",
            trigger: ".o_field_widget[name='sla_state']:contains('Running')",
        },
    ],
});
