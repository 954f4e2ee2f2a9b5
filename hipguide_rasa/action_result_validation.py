"""Rasa's check of every action server response, with the same verdicts at a fraction of the cost.

``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` for every action
server response. With jsonschema 4.17 that first re-checks the (constant) schema against
the draft 2020-12 meta-schema, then builds a new validator: ``make bench`` profiled with
py-spy showed 75% of the Rasa server's busy time there. The replacement builds the same
validator class once and checks the schema once; the result (``True`` or the same
``ValidationError`` with Rasa's hint appended) is unchanged. Each event is then checked against
the branch of its own type rather than all 23 branches of the schema's ``oneOf`` (1.4 -> 0.2 ms
a call); anything not certainly valid gets the full check.

Applied by :func:`hipguide_rasa.adaptations.apply`; on a Rasa version other than the pinned
one it is not applied (with a warning) and Rasa validates as it always does.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Dict

from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

from hipguide_rasa.rasa_version import pinned_rasa

logger = logging.getLogger(__name__)

FEATURE = "the faster action-result validation (hipguide_rasa.action_result_validation)"

_HINT = (". Failed to validate Action server response from API, make sure your response from the Action "
         f"endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions")


@lru_cache(maxsize=1)
def _validator() -> Any:
    from jsonschema.validators import validator_for

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)  # the class jsonschema.validate picks, so the same verdicts
    cls.check_schema(schema)  # once, not per response
    return cls(schema)


@lru_cache(maxsize=1)
def _event_validators() -> Dict[str, Any]:
    """One validator per event type: the event item schema with its ``oneOf`` narrowed to the
    branch of that type. The branches differ in their ``event`` constant, which every event
    must carry, so an event satisfies ``oneOf`` exactly when it satisfies its own branch:
    the same verdict, without trying the 22 other branches (most of a validation's cost)."""
    from jsonschema.validators import validator_for

    schema = RemoteAction.action_response_format_spec()
    item = schema["properties"]["events"]["items"]
    if "event" not in item.get("required", []):
        return {}
    cls = validator_for(schema)
    validators: Dict[str, Any] = {}
    for branch in item["oneOf"]:
        name = branch.get("properties", {}).get("event", {}).get("const")
        if not isinstance(name, str) or name in validators:
            return {}  # not one constant per branch: no shortcut, the full check only
        narrowed = {key: value for key, value in item.items() if key != "oneOf"}
        narrowed["allOf"] = [branch]
        validators[name] = cls(narrowed)
    return validators


def _certainly_valid(result: Any) -> bool:
    """True only when ``result`` passes the action response schema; False means "check it
    fully" (the full check finds the error Rasa reports)."""
    if not isinstance(result, dict):
        return False
    events = result.get("events", [])
    if not isinstance(events, list) or not _validator().is_valid({**result, "events": []}):
        return False
    validators = _event_validators()
    for event in events:
        name = event.get("event") if isinstance(event, dict) else None
        validator = validators.get(name) if isinstance(name, str) else None
        if validator is None or not validator.is_valid(event):
            return False
    return True


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    from jsonschema.exceptions import best_match

    if _certainly_valid(result):
        return True
    error = best_match(_validator().iter_errors(result))
    if error is not None:
        error.message += _HINT
        raise error
    return True



def apply() -> bool:
    """Replace ``RemoteAction._validate_action_result``; False (Rasa unchanged) on another Rasa."""
    if not pinned_rasa(FEATURE, logger):
        return False
    if RemoteAction._validate_action_result is not _validate_action_result:
        RemoteAction._validate_action_result = _validate_action_result
    return True
