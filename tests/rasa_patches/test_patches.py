"""The action-result validation patch keeps Rasa's behaviour and is much cheaper."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import hipguide_rasa  # noqa: F401  (applies the patches)
from hipguide_rasa import patches

GOOD = {"events": [{"event": "slot", "name": "side", "value": "left"}],
        "responses": [{"response": "utter_ask_side"}, {"text": "hello", "buttons": []}]}
BAD = [{"events": "not a list"}, {"events": [{"no_event_key": 1}]}, {"responses": "not a list"}]


def test_the_patch_is_applied_on_import() -> None:
    assert RemoteAction._validate_action_result is patches._validate_action_result


def test_a_valid_response_passes() -> None:
    action = RemoteAction("action_x", None)
    assert action._validate_action_result(GOOD) is True


@pytest.mark.parametrize("bad", BAD)
def test_an_invalid_response_fails_as_rasa_fails_it(bad) -> None:  # type: ignore[no-untyped-def]
    action = RemoteAction("action_x", None)
    with pytest.raises(jsonschema.ValidationError) as patched:
        action._validate_action_result(bad)
    with pytest.raises(jsonschema.ValidationError) as original:
        jsonschema.validate(bad, RemoteAction.action_response_format_spec())
    assert patched.value.message.startswith(original.value.message)
    assert "Failed to validate Action server response" in patched.value.message
