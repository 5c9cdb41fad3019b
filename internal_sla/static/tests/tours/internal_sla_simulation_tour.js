import {registry} from "@web/core/registry";

/** A manager tries a draft agreement with a 15-minute resolution target on last weeks'
 * requests: the simulator shows, per metric and per ticket, what would have been breached. */
registry.category("web_tour.tours").add("internal_sla_simulation_tour", {
    steps: () => [
        {
            content: "The draft agreement offers a simulation",
            trigger: ".o_form_statusbar button:contains('Simulate')",
            run: "click",
        },
        {
            content: "The agreement in force between the same departments is replayed",
            trigger: ".o_field_widget[name='source_agreement_id'] input:value('IT ↔ Marketing')",
        },
        {
            content: "Run it",
            trigger: ".o_form_statusbar button[name='action_run']:contains('Run the simulation')",
            run: "click",
        },
        {
            content: "Resolution: actual and projected side by side",
            trigger:
                ".o_field_widget[name='summary_ids'] .o_data_row:contains('Resolution') td[name='projected_breached']:contains('1')",
        },
        {
            content: "The warning counts the targets that would turn into breaches",
            trigger: ".alert-warning:contains('would have been breached'):contains('1')",
        },
        {
            content: "Open the per-ticket comparison",
            trigger: ".o_notebook .nav-link:contains('Per ticket')",
            run: "click",
        },
        {
            content: "The solved urgent request would have been breached",
            trigger:
                ".o_field_widget[name='line_ids'] .o_data_row.text-danger:contains('Newsletter export'):contains('Breached instead of met')",
        },
    ],
});
