"""Fixes to Rasa 3.6 internals that cost HipGuide most of its response time.

``RemoteAction._validate_action_result`` calls ``jsonschema.validate`` for every action
server response. With jsonschema 4.17 that first re-checks the (constant) schema against
the draft 2020-12 meta-schema, then builds a new validator: ``make bench`` profiled with
py-spy showed 75% of the Rasa server's busy time there. The patch builds the same validator
class once and checks the schema once; the result (``True`` or the same ``ValidationError``
with Rasa's hint appended) is unchanged. Each event is then checked against the branch of
its own type rather than all 23 branches of the schema's ``oneOf`` (1.4 -> 0.2 ms a call);
anything not certainly valid gets the full check.

``RemoteAction.run`` falls back to an answer from the Rasa server itself when the action
server cannot be reached or fails: red-flag advice still works, from the knowledge files.

Applied when ``hipguide_rasa`` is imported, which the Rasa server does for HipGuide's
channels, tracker store and NLU component.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any, Dict

from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

logger = logging.getLogger(__name__)

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




# ---- when the action server (or its database) cannot be reached ----------------------------

_original_run = RemoteAction.run
UNAVAILABLE_RESPONSE = "utter_lookup_unavailable"
RED_FLAG_RESPONSE = "utter_red_flag"


async def _run_or_fall_back(self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any) -> Any:
    """Rasa's remote action; if the action server fails, answer from the Rasa server itself.

    Red flags in the person's latest message are screened here with the rules read from the
    knowledge files (no database, no action server) and their advice is given, followed by
    "I can't look things up right now". Said once per turn, however many actions fail.
    """
    from rasa.core.actions.action import ActionExecutionRejection
    from rasa.shared.exceptions import RasaException

    try:
        return await _original_run(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise
    except RasaException:
        logger.error("action server unavailable for %s: answering without it", self.name())
        return await fallback_events(nlg, tracker, output_channel.name())


async def fallback_events(nlg: Any, tracker: Any, channel: str) -> list:
    from rasa.core.actions.action import create_bot_utterance
    from rasa.shared.core.events import BotUttered, UserUttered

    from hipguide.knowledge.offline import offline_red_flags
    from hipguide.reasoning.findings import findings_from_entities
    from hipguide.reasoning.triage import screen_red_flags

    unavailable = await nlg.generate(UNAVAILABLE_RESPONSE, tracker, channel)
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered) and unavailable and event.text == unavailable.get("text"):
            return []  # already said this turn
    flags = offline_red_flags()
    findings = findings_from_entities(tracker.latest_message.entities if tracker.latest_message else [])
    events = []
    for hit in screen_red_flags(flags.rules, findings):
        message = await nlg.generate(RED_FLAG_RESPONSE, tracker, channel, advice=flags.advice[hit.id])
        if message:
            events.append(create_bot_utterance(message))
    if unavailable:
        events.append(create_bot_utterance(unavailable))
    return events


def apply() -> None:
    if RemoteAction._validate_action_result is not _validate_action_result:
        RemoteAction._validate_action_result = _validate_action_result
    if RemoteAction.run is not _run_or_fall_back:
        RemoteAction.run = _run_or_fall_back
    from hipguide_rasa import action_session, inbound, policy_cache, tracker_caches

    action_session.install()  # one kept-alive HTTP session for action calls
    tracker_caches.install()  # a long conversation's history replayed once per turn, not ten times
    policy_cache.install()  # TED's answer for a dialogue state it has seen

    inbound.install()  # the language guard, payload vetting and the conversation length limit
