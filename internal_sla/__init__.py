from . import models
from . import wizards
from . import report
from .hooks import post_init_hook
