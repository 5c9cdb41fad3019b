import {registry} from "@web/core/registry";

/** A manager opens an agreement's scorecard and reads how detractors were followed up
 * (H10), how requests bounced between teams (B8) and each team's paused share (H8). */
registry.category("web_tour.tours").add("internal_sla_scorecard_followups_tour", {
    steps: () => [
        {
            content: "Open the agreement's scorecard",
            trigger: ".o_form_view button[name='action_open_scorecard']",
            run: "click",
        },
        {
            content: "Detractors followed up in time: one of two",
            trigger:
                ".o_data_row:contains('Detractors followed up in time'):contains('50.0 %')",
        },
        {
            content: "… answered in 3 working hours on average",
            trigger: ".o_data_row:contains('Feedback cycle time, mean'):contains('3 h 00 min')",
        },
        {
            content: "One request of two moved between teams",
            trigger:
                ".o_data_row:contains('Bounce rate (transferred at least once)'):contains('50.0 %')",
        },
        {
            content: "… twice: one transfer per request on average",
            trigger: ".o_data_row:contains('Transfers per request, mean'):contains('1.00')",
        },
        {
            content: "IT Support's clocks stood still a third of its resolution time",
            trigger:
                ".o_data_row:contains('IT Support: paused share of resolution time'):contains('33.3 %')",
        },
    ],
});
