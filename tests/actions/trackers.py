"""Real rasa-sdk trackers and dispatchers for the action unit tests, and the real domain.

A tracker is built the way the Rasa server sends it to the action server: every slot of
domain.yml (initial values included) plus ``requested_slot``, the latest message's parse
data, the events so far ending with that message (and, for a form's validation, the slot
candidates Rasa extracted from it) and the active loop.
"""

from __future__ import annotations

import copy
import re
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterable, List, Mapping, Sequence, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"{([^\n{}]+?)}")

Message = Dict[str, Any]


@lru_cache(maxsize=1)
def _domain() -> DomainDict:
    from rasa.shared.core.domain import Domain

    with warnings.catch_warnings():  # Rasa's notice that slot auto-fill is gone
        warnings.simplefilter("ignore", UserWarning)
        return dict(Domain.load(str(PROJECT_ROOT / "domain.yml")).as_dict())


def domain() -> DomainDict:
    """domain.yml as the Rasa server sends it to the action server (a fresh copy)."""
    return copy.deepcopy(_domain())


def initial_slots() -> Dict[str, Any]:
    slots: Dict[str, Any] = {name: spec.get("initial_value") for name, spec in _domain()["slots"].items()}
    slots["requested_slot"] = None
    return slots


def entity(kind: str, value: str, role: str | None = None) -> Dict[str, Any]:
    found: Dict[str, Any] = {"entity": kind, "value": value, "extractor": "HipGuideExtractor"}
    if role is not None:
        found["role"] = role
    return found


def parse_data(text: str, intent: str | None, entities: Sequence[Mapping[str, Any]] = ()) -> Dict[str, Any]:
    return {"text": text, "intent": {"name": intent, "confidence": 0.99} if intent else {},
            "entities": [dict(e) for e in entities], "intent_ranking": []}


def user(text: str, intent: str | None = "describe_symptoms",
         entities: Sequence[Mapping[str, Any]] = ()) -> EventType:
    return {"event": "user", "timestamp": None, "text": text,
            "parse_data": parse_data(text, intent, entities), "input_channel": "rest"}


def action(name: str) -> EventType:
    return {"event": "action", "timestamp": None, "name": name, "policy": None, "confidence": 1.0}


def slot(name: str, value: Any) -> EventType:
    return {"event": "slot", "timestamp": None, "name": name, "value": value}


def loop(name: str | None) -> EventType:
    return {"event": "active_loop", "timestamp": None, "name": name}


def tracker(text: str = "", intent: str | None = "describe_symptoms",
            entities: Sequence[Mapping[str, Any]] = (), *, slots: Mapping[str, Any] | None = None,
            loop_name: str | None = None, requested: str | None = None,
            history: Iterable[EventType] = (), candidates: Mapping[str, Any] | None = None) -> Tracker:
    """The tracker an action gets right after the message ``text``.

    ``history``: events before the message; ``candidates``: slots Rasa set from the
    message (its own slot mappings), appended after it and set on the tracker.
    """
    values = initial_slots()
    values.update(slots or {})
    if requested is not None:
        values["requested_slot"] = requested
    latest = user(text, intent, entities)
    events: List[EventType] = [*copy.deepcopy(list(history)), latest]
    for name, value in (candidates or {}).items():
        values[name] = value
        events.append(slot(name, value))
    return Tracker(
        sender_id="unit-test",
        slots=values,
        latest_message=copy.deepcopy(latest["parse_data"]),
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": loop_name, "is_interrupted": False, "rejected": False} if loop_name else {},
        latest_action_name="action_listen",
    )


async def run(action_: Action, tracker_: Tracker) -> Tuple[List[EventType], List[Message]]:
    """(events, messages) of one run of ``action_`` on ``tracker_`` with the real domain."""
    dispatcher = CollectingDispatcher()
    events = await action_.run(dispatcher, tracker_, domain())
    return list(events), dispatcher.messages


def slot_events(events: Iterable[EventType]) -> Dict[str, Any]:
    """The slots the events set (the last value wins)."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def responses(messages: Iterable[Message]) -> List[str]:
    return [str(m.get("response")) for m in messages]


def render(message: Message, slots: Mapping[str, Any] | None = None) -> str:
    """The text the person would read: the domain response the message names, filled in
    like Rasa does from the message's variables and the slots. Fails when the response is
    not in the domain or a placeholder would be left unfilled."""
    name = message.get("response")
    variants = _domain()["responses"].get(str(name))
    assert variants, f"{name!r} is not a response of domain.yml"
    slot_values = dict(slots or {})
    chosen = next((v for v in variants if v.get("condition") and all(
        slot_values.get(c["name"]) == c["value"] for c in v["condition"])), None)
    chosen = chosen or next(v for v in variants if not v.get("condition"))
    values = {**slot_values, **{k: v for k, v in message.items() if v is not None}}
    text = str(chosen["text"])
    missing = {p for p in PLACEHOLDER.findall(text) if p not in values}
    assert not missing, f"{name}: nothing fills {sorted(missing)}"
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), text)


def rendered(messages: Iterable[Message], slots: Mapping[str, Any] | None = None) -> List[str]:
    return [render(m, slots) for m in messages]
