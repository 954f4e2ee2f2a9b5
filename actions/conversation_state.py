"""Reading HipGuide's state out of a Rasa tracker."""

from __future__ import annotations

from typing import AbstractSet, Any, Dict, List, Mapping, Sequence

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from hipguide.reasoning.findings import (
    Findings,
    FindingState,
    derived_from_age,
    derived_from_duration,
    findings_from_entities,
    merge,
    parse_duration_days,
    parse_findings,
    with_implications,
)

ANSWER_STATES = {"affirm": FindingState.present, "deny": FindingState.absent,
                 "unsure": FindingState.unknown}

def latest_age(tracker: Tracker) -> float | None:
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "age":
            try:
                return float(entity["value"])
            except (TypeError, ValueError):
                return None
    value = tracker.get_slot("age")
    return float(value) if value is not None else None


def latest_duration_days(tracker: Tracker) -> float | None:
    for entity in tracker.latest_message.get("entities", []):
        if entity.get("entity") == "duration":
            return parse_duration_days(str(entity.get("value", "")))
    value = tracker.get_slot("duration_days")
    return float(value) if value is not None else None


def answered_question(tracker: Tracker, yes_means: Mapping[str, str]) -> Findings:
    """A yes / no / not sure reply to the pending follow-up question, as a finding."""
    pending = tracker.get_slot("pending_question")
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    state = ANSWER_STATES.get(intent or "")
    if not pending or state is None:
        return {}
    if state != FindingState.unknown and yes_means.get(pending) == "absent":
        state = FindingState.absent if state == FindingState.present else FindingState.present
    return {pending: state}


def current_findings(tracker: Tracker, yes_means: Mapping[str, str] | None = None,
                     vocabulary: AbstractSet[str] | None = None) -> Findings:
    """What was known before this message, updated with this message's statements.

    A yes/no answer to the pending question counts as a statement about that finding;
    an explicit mention in the same message wins over it. Only finding ids in
    ``vocabulary`` (the knowledge data's) are taken from the message.
    """
    known = parse_findings(tracker.get_slot("findings"))
    stated = findings_from_entities(tracker.latest_message.get("entities", []), vocabulary)
    answered = answered_question(tracker, yes_means or {})
    derived = {**derived_from_age(latest_age(tracker)),
               **derived_from_duration(latest_duration_days(tracker))}
    return with_implications(merge(merge(merge(known, derived), answered), stated))


def serialise(findings: Findings) -> Dict[str, str]:
    return {k: v.value for k, v in sorted(findings.items())}


def known_findings(tracker: Tracker) -> Findings:
    """The findings slot as it stands (slot extraction has already applied this message)."""
    return with_implications(parse_findings(tracker.get_slot("findings")))


def keep_form_going(events: List[EventType], tracker: Tracker) -> List[EventType]:
    """Let a form accept a message that stated findings but answered nothing it asked.

    Without this the form would be rejected ("I also can't sleep on that side" while the
    form waits for the onset); the findings are already kept by slot extraction, and the
    form simply asks its pending question again.
    """
    answered = any(isinstance(e, dict) and e.get("event") == "slot"
                   and e.get("name") != "requested_slot" for e in events)
    if not answered and findings_from_entities(tracker.latest_message.get("entities", [])):
        return [*events, SlotSet("findings", tracker.get_slot("findings"))]
    return events


def answers_to(events: Sequence[Mapping[str, Any]], slot: str, form: str) -> int:
    """How many of the person's latest messages in a row ``form`` took while it asked for
    ``slot``, the message being handled now included: the answers that did not fill it."""
    requested: str | None = None
    turns: List[tuple] = []  # (slot asked when the message came, whether the form ran on it)
    for event in events:
        kind = event.get("event")
        if kind == "slot" and event.get("name") == "requested_slot":
            requested = event.get("value")
        elif kind == "active_loop" and event.get("name") is None:
            requested = None
        elif kind == "user":
            turns.append((requested, False))
        elif kind == "action" and event.get("name") == form and turns:
            turns[-1] = (turns[-1][0], True)
    count = 0
    for index, (asked, ran) in enumerate(reversed(turns)):
        if asked != slot or not (ran or index == 0):  # the current message: the form is running now
            break
        count += 1
    return count
