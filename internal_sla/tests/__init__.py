from . import test_install
from . import test_ui
from . import test_engine_working_time
from . import test_sla_clock
from . import test_sla_sweep
from . import test_sla_recompute
from . import test_agreement
from . import test_security
