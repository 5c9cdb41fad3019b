import {Component, onWillUnmount, onWillUpdateProps, useState} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {registry} from "@web/core/registry";
import {standardFieldProps} from "@web/views/fields/standard_field_props";

const BADGES = {
    running: "text-bg-success",
    at_risk: "text-bg-warning",
    breached: "text-bg-danger",
    paused: "text-bg-secondary",
    met: "text-bg-info",
};

/**
 * Formats working seconds as the rest of the product writes working times ("1 h 05 min",
 * "45 min"; "1 ч 05 мин" in Russian), with the seconds while the clock ticks.
 */
export function formatWorkingSeconds(seconds, withSeconds) {
    const abs = Math.abs(seconds);
    const hours = Math.floor(abs / 3600);
    const minutes = Math.floor((abs % 3600) / 60);
    const secs = abs % 60;
    const pad = (n) => String(n).padStart(2, "0");
    const parts = [];
    if (hours) {
        parts.push(_t("%(hours)s h", {hours: String(hours)}));
    }
    parts.push(_t("%(minutes)s min", {minutes: hours ? pad(minutes) : String(minutes)}));
    if (withSeconds) {
        parts.push(_t("%(seconds)s s", {seconds: pad(secs)}));
    }
    return parts.join(" ");
}

/**
 * Remaining working time of an SLA line, counting down while the clock ticks (inside
 * working hours, not paused) and coloured by the line's state; grey while paused.
 */
export class SlaCountdownField extends Component {
    static template = "internal_sla.SlaCountdownField";
    static props = {...standardFieldProps};

    setup() {
        this.state = useState({elapsed: 0});
        this.timer = setInterval(() => {
            if (this.props.record.data.clock_ticking) {
                this.state.elapsed += 1;
            }
        }, 1000);
        onWillUpdateProps(() => {
            this.state.elapsed = 0;
        });
        onWillUnmount(() => clearInterval(this.timer));
    }

    get lineState() {
        return this.props.record.data.state;
    }

    get seconds() {
        return (this.props.record.data[this.props.name] || 0) - this.state.elapsed;
    }

    get badgeClass() {
        if (this.lineState === "cancelled") {
            return "text-bg-light";
        }
        if (this.lineState !== "met" && this.lineState !== "paused" && this.seconds < 0) {
            return BADGES.breached;
        }
        return BADGES[this.lineState] || "text-bg-light";
    }

    get label() {
        const ticking = Boolean(this.props.record.data.clock_ticking);
        const text = formatWorkingSeconds(this.seconds, ticking);
        switch (this.lineState) {
            case "met":
                return _t("met");
            case "cancelled":
                return _t("stopped: no agreement");
            case "paused":
                return _t("paused · %s", text);
            default:
                // past its deadline at the end of a working day, a breached line has used
                // no working time beyond it yet: overdue all the same, not "0 min left"
                // the column says "Remaining": the time alone, short beside the chatter
                return this.seconds < 0 || this.lineState === "breached"
                    ? _t("%s overdue", text)
                    : text;
        }
    }
}

export const slaCountdownField = {
    component: SlaCountdownField,
    displayName: _t("SLA countdown"),
    supportedTypes: ["integer"],
    fieldDependencies: [
        {name: "state", type: "selection"},
        {name: "clock_ticking", type: "boolean"},
    ],
};

registry.category("fields").add("sla_countdown", slaCountdownField);
