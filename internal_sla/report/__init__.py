from . import internal_sla_feedback_report
