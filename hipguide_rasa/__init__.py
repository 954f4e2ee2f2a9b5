"""Rasa-facing adapters of HipGuide: custom NLU components and channel fixes.

Everything here is thin glue over :mod:`hipguide`, which knows nothing of Rasa. Importing
this package applies HipGuide's changes to Rasa's own code (:mod:`hipguide_rasa.adaptations`).
"""

from hipguide_rasa import adaptations as _adaptations
from hipguide_rasa import log_redaction as _log_redaction

_log_redaction.install()
_adaptations.apply()
