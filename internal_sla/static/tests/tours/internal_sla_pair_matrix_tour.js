import {registry} from "@web/core/registry";

/** A manager opens the department-pair matrix: IT → Marketing with its SLA met % and
 * its internal NPS side by side. */
registry.category("web_tour.tours").add("internal_sla_pair_matrix_tour", {
    steps: () => [
        {
            content: "The matrix has both measures",
            trigger: ".o_pivot th:contains('SLA met %') ~ th:contains('NPS'), .o_pivot .o_pivot_measure_row:contains('NPS')",
        },
        {
            content: "IT is a provider row",
            trigger: ".o_pivot .o_pivot_header_cell_closed:contains('IT'), .o_pivot th:contains('IT')",
        },
        {
            content: "Marketing's NPS of IT is +40 (60 promoters, 20 detractors of 100)",
            trigger: ".o_pivot td .o_value:contains('40.00')",
        },
    ],
});
