import {registry} from "@web/core/registry";

/** The head of IT opens the departments, reads IT's card and form (health, SLA met,
 * first response, open requests, internal NPS, satisfaction, eNPS), its agreements, its
 * SLA analysis by team, and the service profile of one of its people (the figures of
 * test_people_ui.py). */
registry.category("web_tour.tours").add("internal_sla_department_kpis_tour", {
    steps: () => [
        {
            content: "IT's card shows its SLA met and internal NPS",
            trigger:
                ".o_kanban_record:contains('Ivan IT Head'):contains('81.8 %'):contains('+40')",
        },
        {
            content: "Open IT",
            trigger: ".o_kanban_record:contains('Ivan IT Head') a:contains('IT'):not(:contains('Ivan'))",
            run: "click",
        },
        {
            content: "Its health is to watch",
            trigger: ".o_form_view .o_field_widget[name='sla_health']:contains('Watch')",
        },
        {
            content: "… with 81.8 % of its targets met",
            trigger: ".o_form_view .o_field_widget[name='sla_kpi_met_display']:contains('81.8 %')",
        },
        {
            content: "… a first response in 30 minutes on average",
            trigger:
                ".o_form_view .o_field_widget[name='sla_kpi_first_response_display']:contains('30 min')",
        },
        {
            content: "… one open request",
            trigger: ".o_form_view .o_field_widget[name='sla_kpi_backlog']:contains('1')",
        },
        {
            content: "… an internal NPS of +40 from Marketing",
            trigger: ".o_form_view .o_field_widget[name='sla_kpi_nps_display']:contains('+40')",
        },
        {
            content: "… 80 % satisfied",
            trigger: ".o_form_view .o_field_widget[name='sla_kpi_csat_display']:contains('80.0 %')",
        },
        {
            content: "… and its own people's eNPS of +20",
            trigger: ".o_form_view .o_field_widget[name='sla_kpi_enps_display']:contains('+20')",
        },
        {
            content: "As a customer it filed two requests",
            trigger: ".o_form_view .o_field_widget[name='sla_customer_volume']:contains('2')",
        },
        {
            content: "… 75 % of their targets met by HR",
            trigger:
                ".o_form_view .o_field_widget[name='sla_customer_met_display']:contains('75.0 %')",
        },
        {
            content: "… and its people gave HR an NPS of +60",
            trigger: ".o_form_view .o_field_widget[name='sla_customer_nps_display']:contains('+60')",
        },
        {
            content: "It consumes one agreement",
            trigger: "button[name='action_view_sla_consumed']:contains('1')",
        },
        {
            content: "The agreements it provides",
            trigger: "button[name='action_view_sla_provided']:contains('1')",
            run: "click",
        },
        {
            content: "… IT ↔ Marketing",
            trigger: ".o_kanban_record:contains('IT ↔ Marketing')",
        },
        {
            content: "Back to IT",
            trigger: ".o_breadcrumb a:contains('IT')",
            run: "click",
        },
        {
            content: "Its SLA analysis",
            trigger: "button[name='action_view_sla_analysis']:contains('81.8 %')",
            run: "click",
        },
        {
            content: "… by team: IT Support",
            trigger: ".o_pivot th:contains('IT Support')",
        },
        {
            content: "Back to IT",
            trigger: ".o_breadcrumb a:contains('IT')",
            run: "click",
        },
        {
            content: "Its people",
            trigger: "button[name='action_employee_from_department']",
            run: "click",
        },
        {
            content: "Open Anton",
            trigger: ".o_data_row .o_data_cell[name='name']:contains('Anton')",
            run: "click",
        },
        {
            content: "His service profile",
            trigger: ".o_notebook .nav-link:contains('Service profile')",
            run: "click",
        },
        {
            content: "… five requests handled",
            trigger: ".o_notebook .o_field_widget[name='sla_ticket_count']:contains('5')",
        },
        {
            content: "… 88.9 % of their targets met",
            trigger: ".o_notebook .o_field_widget[name='sla_met_display']:contains('88.9 %')",
        },
        {
            content: "… a first response in 18 minutes",
            trigger:
                ".o_notebook .o_field_widget[name='sla_first_response_display']:contains('18 min')",
        },
        {
            content: "… the five CSAT answers of his requests: 80.0 % satisfied, 4.0 of 5 on average",
            trigger: ".o_notebook .o_field_widget[name='sla_csat_mean_display']:contains('4.0 / 5')",
        },
        {
            content: "Back to IT",
            trigger: ".o_breadcrumb a:contains('IT')",
            run: "click",
        },
        {
            content: "The department's figures again",
            trigger: ".o_form_view .o_field_widget[name='sla_kpi_met_display']:contains('81.8 %')",
        },
        {
            content: "Nothing left loading (the screenshot is taken now)",
            trigger: "body:not(:has(.o_loading_indicator))",
        },
    ],
});

/** The head of IT opens the IT Support team: its leaderboard (Anton answers fastest and
 * is the only one rated), then its Team KPIs tab. */
registry.category("web_tour.tours").add("internal_sla_team_kpis_tour", {
    steps: () => [
        {
            content: "The team's leaderboard button shows its SLA met",
            trigger: "button[name='action_view_sla_leaderboard']:contains('81.8 %')",
            run: "click",
        },
        {
            content: "The fastest response challenge is open",
            trigger: ".o_group_header.o_group_open:contains('Fastest response — IT Support')",
        },
        {
            content: "Anton is first with 18 min of working time",
            trigger:
                ".o_data_row:contains('Anton Agent'):has(.o_data_cell[name='sla_rank']:contains('1')):has(.o_data_cell[name='sla_current_display']:contains('18 min'))",
        },
        {
            content: "Ivan is second with 1 h 30 min",
            trigger:
                ".o_data_row:contains('Ivan IT Head'):has(.o_data_cell[name='sla_rank']:contains('2')):has(.o_data_cell[name='sla_current_display']:contains('1 h 30 min'))",
        },
        {
            content: "The best satisfaction challenge is open",
            trigger: ".o_group_header.o_group_open:contains('Best satisfaction — IT Support')",
        },
        {
            content: "Anton's requests were rated: 80 % satisfied",
            trigger:
                ".o_data_row:contains('Anton Agent'):has(.o_data_cell[name='sla_current_display']:contains('80'))",
        },
        {
            content: "Nobody rated Ivan's: no data and no rank, not 0 %",
            trigger:
                ".o_data_row:contains('Ivan IT Head'):has(.o_data_cell[name='sla_current_display']:contains('no data'))",
        },
        {
            content: "Back to the team",
            trigger: ".o_breadcrumb a:contains('IT Support')",
            run: "click",
        },
        {
            content: "Its Team KPIs",
            trigger: ".o_notebook .nav-link:contains('Team KPIs')",
            run: "click",
        },
        {
            content: "… six requests",
            trigger: ".o_notebook .o_field_widget[name='sla_team_volume']:contains('6')",
        },
        {
            content: "… one still open",
            trigger: ".o_notebook .o_field_widget[name='sla_team_backlog']:contains('1')",
        },
        {
            content: "… 81.8 % met",
            trigger: ".o_notebook .o_field_widget[name='sla_team_met_display']:contains('81.8 %')",
        },
        {
            content: "… a first response in 30 minutes",
            trigger:
                ".o_notebook .o_field_widget[name='sla_team_first_response_display']:contains('30 min')",
        },
        {
            content: "… 80 % satisfied",
            trigger: ".o_notebook .o_field_widget[name='sla_team_csat_display']:contains('80.0 %')",
        },
        {
            content: "Nothing left loading (the screenshot is taken now)",
            trigger: "body:not(:has(.o_loading_indicator))",
        },
    ],
});

/** The head of Marketing, a department that serves nobody, reads on its card what it
 * receives instead of a row of "no data". */
registry.category("web_tour.tours").add("internal_sla_customer_department_card_tour", {
    steps: () => [
        {
            content: "Marketing's card shows its requests as a customer",
            trigger:
                ".o_kanban_record:contains('Marketing'):contains('As a customer'):contains('requests'):not(:contains('No data'))",
        },
    ],
});
