import {registry} from "@web/core/registry";

/** A manager tries a draft agreement that limits triage (time in New) to 15 minutes: the
 * simulator replays the stays of last week's requests in New and shows the time-in-stage
 * breaches next to the first response and resolution figures. */
registry.category("web_tour.tours").add("internal_sla_simulation_stage_tour", {
    steps: () => [
        {
            content: "The draft agreement offers a simulation",
            trigger: ".o_form_statusbar button:contains('Simulate')",
            run: "click",
        },
        {
            content: "Run it",
            trigger: ".o_form_statusbar button[name='action_run']:contains('Run the simulation')",
            run: "click",
        },
        {
            content: "Time in a stage: the hour spent in New breaches the 15 minutes",
            trigger:
                ".o_field_widget[name='summary_ids'] .o_data_row:contains('Time in a stage') td[name='projected_breached']:contains('1')",
        },
        {
            content: "Open the per-ticket comparison",
            trigger: ".o_notebook .nav-link:contains('Per ticket')",
            run: "click",
        },
        {
            content: "The request's stay in New, projected breached",
            trigger:
                ".o_field_widget[name='line_ids'] .o_data_row:contains('Printer offline'):contains('Time in a stage'):contains('New'):contains('Breached')",
        },
    ],
});
