"""The faster action-result validation keeps Rasa's verdicts and is much cheaper."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

import hipguide_rasa  # noqa: F401  (applies HipGuide's Rasa adaptations)
from hipguide_rasa import action_result_validation as validation

GOOD = {"events": [{"event": "slot", "name": "side", "value": "left"}],
        "responses": [{"response": "utter_ask_side"}, {"text": "hello", "buttons": []}]}
BAD = [{"events": "not a list"}, {"events": [{"no_event_key": 1}]}, {"responses": "not a list"}]


def test_applied_on_import() -> None:
    assert RemoteAction._validate_action_result is validation._validate_action_result


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


def _events() -> list:
    """One serialised event of every kind Rasa knows, as an action server would send it."""
    from rasa.shared.core import events as e

    return [event.as_dict() for event in [
        e.UserUttered("hi", {"name": "greet", "confidence": 0.9}, [{"entity": "side", "value": "left"}]),
        e.ActionExecuted("utter_x"), e.SlotSet("side", "left"), e.SlotSet("findings", [{"id": "a"}]),
        e.EntitiesAdded([{"entity": "side", "value": "left"}]), e.DefinePrevUserUtteredFeaturization(False),
        e.ReminderCancelled(name="r"), e.ReminderScheduled("intent", __import__("datetime").datetime.now()),
        e.ActionExecutionRejected("intake_form"), e.LoopInterrupted(True), e.ActiveLoop("intake_form"),
        e.AllSlotsReset(), e.ConversationResumed(), e.ConversationPaused(), e.FollowupAction("utter_x"),
        e.StoryExported(), e.Restarted(), e.UserUtteranceReverted(), e.ActionReverted(),
        e.BotUttered("hello", {"buttons": [{"title": "yes", "payload": "/affirm"}]}), e.SessionStarted(),
        e.AgentUttered("hi")]]


def _variants() -> list:
    """Valid responses and, from each, responses broken one field at a time."""
    out = []
    for event in _events():
        out.append({"events": [event], "responses": [{"response": "utter_x"}]})
        for key in event:
            for wrong in (12345, "text", None, [], {}, True):
                out.append({"events": [{**event, key: wrong}]})
        out.append({"events": [{k: v for k, v in event.items() if k != "event"}]})
    out += [{"events": [{"event": "no_such_event"}]}, {"events": [1]}, {"events": {}}, [], "x",
            {"responses": [{"text": 5}]}, {"events": [], "responses": "x"}]
    return out


def test_the_per_event_shortcut_gives_the_full_schemas_verdict() -> None:
    schema = RemoteAction.action_response_format_spec()
    checked = valid = 0
    for response in _variants():
        full = jsonschema.Draft202012Validator(schema).is_valid(response) if isinstance(response, dict) else False
        assert validation._certainly_valid(response) == full, response
        checked += 1
        valid += full
    assert checked > 300 and 30 < valid < checked  # both verdicts are exercised
