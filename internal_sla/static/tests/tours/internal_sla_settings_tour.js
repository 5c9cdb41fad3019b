import {registry} from "@web/core/registry";
import {stepUtils} from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("internal_sla_settings_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Internal SLA app",
            trigger: ".o_app[data-menu-xmlid='internal_sla.internal_sla_menu_root']",
            run: "click",
        },
        {
            content: "Open Configuration",
            trigger:
                ".o-dropdown[data-menu-xmlid='internal_sla.internal_sla_menu_configuration']",
            run: "click",
        },
        {
            content: "Open Settings",
            trigger:
                ".o-dropdown-item[data-menu-xmlid='internal_sla.res_config_settings_menu']",
            run: "click",
        },
        {
            content: "Change the at-risk threshold",
            trigger: "#internal_sla_at_risk_setting input",
            run: "edit 80",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved, body:not(:has(.o_form_dirty))",
        },
    ],
});
