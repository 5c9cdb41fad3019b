from . import internal_sla_report_dimensions
from . import internal_sla_feedback_report
from . import internal_sla_report
from . import internal_sla_ticket_report
from . import internal_sla_scorecard_xlsx
from . import internal_sla_analysis_xlsx
from . import internal_sla_agreement_card
from . import internal_sla_pair_report
