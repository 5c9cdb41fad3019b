from . import internal_sla_amendment_wizard
from . import internal_sla_template_wizard
from . import internal_sla_recompute_wizard
from . import internal_sla_breach_wizard
from . import internal_sla_amendment_wizard_decision
from . import internal_sla_initiative_wizard
from . import internal_sla_scorecard
