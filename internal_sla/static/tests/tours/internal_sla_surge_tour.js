import {registry} from "@web/core/registry";

/** The head of IT lists the requests likely to breach, opens the riskiest one: it was filed
 * during a surge, so its form says its targets are relaxed, and shows its breach risk. */
registry.category("web_tour.tours").add("internal_sla_surge_tour", {
    url: "/odoo/helpdesk-tickets",
    steps: () => [
        {
            content: "Open the filters",
            trigger: ".o_control_panel .o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Filter: Likely to breach",
            trigger: ".o_filter_menu .o-dropdown-item:contains('Likely to breach')",
            run: "click",
        },
        {
            content: "Only the risky request is listed",
            trigger: ".o_list_view .o_data_row:contains('Printer queue stuck')",
        },
        {
            content: "The calm request is not",
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Calm request')))",
        },
        {
            content: "Open it",
            trigger: ".o_data_row:contains('Printer queue stuck') .o_data_cell[name='name']",
            run: "click",
        },
        {
            content: "The requester is told the targets are relaxed",
            trigger: ".alert-warning[name='sla_surge_notice']:contains('1.5× longer')",
        },
        {
            content: "The breach risk is shown",
            trigger: ".o_field_widget[name='sla_breach_risk'] .o_progressbar",
        },
    ],
});

/** The agreement of a team in a surge warns with a banner, counts its surge periods, and
 * shows SLA met as measured and against the targets before relaxing. */
registry.category("web_tour.tours").add("internal_sla_surge_agreement_tour", {
    steps: () => [
        {
            content: "Open the surge periods",
            trigger: ".oe_stat_button[name='action_view_surges']",
            run: "click",
        },
        {
            content: "The surge in progress is listed",
            trigger: ".o_list_view .o_data_row:contains('IT Support'):contains('In progress')",
        },
        {
            content: "Back to the agreement",
            trigger: ".o_breadcrumb a:contains('IT ↔ Marketing')",
            run: "click",
        },
        {
            content: "The banner says the team is in a surge",
            trigger: ".alert-warning[name='surge_notice']:contains('IT Support is in a surge')",
        },
        {
            content: "Open the Automation tab",
            trigger: ".o_notebook .nav-link:contains('Automation')",
            run: "click",
        },
        {
            content: "Its Surge section gives the raw attainment next to the measured one",
            trigger:
                ".o_notebook .o_horizontal_separator:contains('Surge') ~ .o_inner_group .o_field_widget[name='kpi_sla_met_raw_display'], .o_notebook .o_horizontal_separator:contains('Surge') ~ div .o_field_widget[name='kpi_sla_met_raw_display']",
        },
    ],
});
