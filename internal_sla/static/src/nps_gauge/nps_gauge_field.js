import { registry } from "@web/core/registry";
import { GaugeField, gaugeField } from "@web/views/fields/gauge/gauge_field";

/**
 * NPS runs from −100 to +100: the half-circle fills from the left end (−100) up to the
 * score, red below 0, amber up to the +50 benchmark (SPEC F3), green from it.
 */
export class NpsGaugeField extends GaugeField {
    static template = "internal_sla.NpsGaugeField";

    get nps() {
        return Math.round(this.props.record.data[this.props.name] || 0);
    }

    get formattedValue() {
        const value = this.nps;
        return value > 0 ? `+${value}` : `${value}`;
    }

    renderChart() {
        const value = Math.max(-100, Math.min(100, this.nps));
        let color = "#2e7d32";
        if (value < 0) {
            color = "#c62828";
        } else if (value < 50) {
            color = "#f9a825";
        }
        this.chart = new Chart(this.canvasRef.el, {
            type: "doughnut",
            data: {
                datasets: [
                    {
                        data: [value + 100, 100 - value],
                        backgroundColor: [color, "#dddddd"],
                        label: this.title,
                    },
                ],
            },
            options: {
                circumference: 180,
                rotation: 270,
                responsive: true,
                maintainAspectRatio: false,
                cutout: "70%",
                layout: { padding: 5 },
                plugins: {
                    title: { display: true, text: this.title, padding: 4 },
                    tooltip: { enabled: false },
                },
                aspectRatio: 2,
            },
        });
    }
}

registry.category("fields").add("internal_sla_nps_gauge", {
    ...gaugeField,
    component: NpsGaugeField,
});
