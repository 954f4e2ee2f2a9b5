"""Fixes to Rasa 3.6 internals that cost HipGuide most of its response time.

``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` for every action
server response. With jsonschema 4.17 that first re-checks the (constant) schema against
the draft 2020-12 meta-schema, then builds a new validator: ``make bench`` profiled with
py-spy showed 75% of the Rasa server's busy time there. The patch builds the same validator
class once and checks the schema once; the result (``True`` or the same ``ValidationError``
with Rasa's hint appended) is unchanged.

Applied when ``hipguide_rasa`` is imported, which the Rasa server does for HipGuide's
channels, tracker store and NLU component.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict

from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_HINT = (". Failed to validate Action server response from API, make sure your response from the Action "
         f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions")


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema.validators import validator_for

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)  # the class jsonschema.validate picks, so the same verdicts
    cls.check_schema(schema)  # once, not per response
    return cls(schema)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    from jsonschema.exceptions import best_match

    error = best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += _HINT
        raise error
    return True


def apply() -> None:
    if RemoteAction._validate_action_result is not _validate_action_result:
        RemoteAction._validate_action_result = _validate_action_result
