import {registry} from "@web/core/registry";

/** An agent opens a request that breached and was escalated: the form shows the
 * escalation level and the Explain button; the agent records why, asking to excuse it. */
registry.category("web_tour.tours").add("internal_sla_breach_tour", {
    steps: () => [
        {
            content: "The request shows how far it was escalated",
            trigger: ".o_field_widget[name='sla_escalation_level']:contains('2')",
        },
        {
            content: "The breached target counts its overrun in red: half an hour overdue",
            trigger:
                ".o_field_widget[name='sla_line_ids'] .o_data_row:contains('Urgent solved') .o_sla_countdown.text-bg-danger[data-state='breached']:contains('overdue')",
        },
        {
            content: "Explain the breached resolution target",
            trigger:
                ".o_field_widget[name='sla_line_ids'] .o_data_row:contains('Urgent solved') button[name='action_explain_breach']",
            run: "click",
        },
        {
            content: "Cause: another department or a supplier",
            trigger: ".modal .o_field_widget[name='breach_cause'] input[data-value='third_party']",
            run: "click",
        },
        {
            content: "What happened",
            trigger: ".modal .o_field_widget[name='breach_reason'] textarea",
            run: "edit The supplier shipped the replacement disk a day late.",
        },
        {
            content: "Ask to excuse it",
            trigger: ".modal .o_field_widget[name='request_exception'] input",
            run: "click",
        },
        {
            content: "Save the reason",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The target now waits for a manager to review the exception",
            trigger:
                ".o_field_widget[name='sla_line_ids'] .o_data_row:contains('Urgent solved'):contains('Exception requested')",
        },
        {
            content: "The explanation is in the chatter",
            trigger: ".o-mail-Message:contains('supplier shipped the replacement disk')",
        },
    ],
});

/** A target breached with no working time beyond its deadline (the office closed right
 * after it): 0 working seconds left, and the countdown still reads overdue, in red. */
registry.category("web_tour.tours").add("internal_sla_breach_no_overrun_tour", {
    steps: () => [
        {
            content: "The breached target reads overdue by no working time, in red",
            trigger:
                ".o_field_widget[name='sla_line_ids'] .o_data_row:contains('Urgent solved') .o_sla_countdown.text-bg-danger[data-state='breached']:contains('0 min overdue')",
        },
    ],
});
