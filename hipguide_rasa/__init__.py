"""Rasa-facing adapters of HipGuide: custom NLU components and channel fixes.

Everything here is thin glue over :mod:`hipguide`, which knows nothing of Rasa.
"""

from hipguide_rasa import log_redaction as _log_redaction
from hipguide_rasa import patches as _patches

_log_redaction.install()
_patches.apply()
