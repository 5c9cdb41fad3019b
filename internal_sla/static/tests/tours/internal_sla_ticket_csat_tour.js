import {registry} from "@web/core/registry";

/** The agent reads the requester's satisfaction answer on the closed ticket. */
registry.category("web_tour.tours").add("internal_sla_ticket_csat_tour", {
    steps: () => [
        {
            content: "Open the Satisfaction tab",
            trigger: ".o_notebook_headers a:contains('Satisfaction')",
            run: "click",
        },
        {
            content: "The survey is answered",
            trigger: ".o_field_widget[name='csat_state']:contains('Answered')",
        },
        {
            content: "The score shows out of 5",
            trigger: ".o_field_widget[name='csat_display']:contains('★★★★☆ 4 / 5')",
        },
        {
            content: "The comment is there",
            trigger: ".o_field_widget[name='csat_comment']:contains('Quick and clear')",
        },
    ],
});
