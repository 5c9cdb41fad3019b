from . import internal_sla_amendment_wizard
from . import internal_sla_template_wizard
from . import internal_sla_recompute_wizard
from . import internal_sla_scorecard
