"""Reading HipGuide's state out of a Rasa tracker."""

from __future__ import annotations

from typing import AbstractSet, Any, Callable, Dict, List, Mapping, Sequence, Tuple

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from hipguide.language.fuzzy import read_location
from hipguide.reasoning.answers import (
    REPLY_STATES,
    read_age,
    read_aggravating,
    read_duration,
    read_onset,
    read_reply,
    read_side,
)
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
# Intents that ask something on the way: the open question waits for them (rules answer them).
SIDE_QUESTIONS = frozenset({"why_asking", "ask_treatment", "ask_condition_info", "bot_challenge",
                            "request_summary", "human_handoff"})
# Messages that leave the open question for a moment; their rules answer, then it is asked again.
LEAVES_THE_QUESTION = frozenset({"greet", "goodbye", "thank", "out_of_scope"})
# How a typed answer to each intake question is read (hipguide.reasoning.answers).
INTAKE_READERS: Dict[str, Callable[[str], Any]] = {
    "age": read_age, "duration_days": read_duration, "onset": read_onset, "side": read_side,
    "pain_location": read_location, "aggravating": read_aggravating,
}


def latest_intent(tracker: Tracker) -> str | None:
    # Not rasa-sdk's get_intent_of_latest_message: that reads intent_ranking and skips
    # nlu_fallback, while IntentGuard may set the intent without re-ranking and a fallback must read as one.
    return (tracker.latest_message.get("intent") or {}).get("name")


def answered_elsewhere(tracker: Tracker) -> bool:
    """The latest message is a side question or small talk that a rule answers; the open
    form question is asked again afterwards instead of taking the message as its answer."""
    intent = latest_intent(tracker)
    return intent in SIDE_QUESTIONS or intent in LEAVES_THE_QUESTION


def typed_text(tracker: Tracker) -> str:
    """The person's latest message as typed (empty for a button payload)."""
    text = str(tracker.latest_message.get("text") or "")
    return "" if text.strip().startswith("/") else text


def typed_intake_answer(tracker: Tracker) -> Tuple[str, Any] | None:
    """(slot, value) when the latest message, read as an answer to the intake question being
    asked, gives it: "27." to the age question, "a fortnight" to the duration question."""
    slot = tracker.get_slot("requested_slot")
    reader = INTAKE_READERS.get(slot or "")
    text = typed_text(tracker)
    if tracker.active_loop_name != "intake_form" or reader is None or not text:
        return None
    if latest_intent(tracker) in SIDE_QUESTIONS:
        return None
    value = reader(text)
    return (str(slot), value) if value is not None else None


def latest_age(tracker: Tracker) -> float | None:
    for value in tracker.get_latest_entity_values("age"):  # age has no roles or groups
        try:
            return float(value)
        except (TypeError, ValueError):
            return None
    typed = typed_intake_answer(tracker)
    if typed and typed[0] == "age":
        return float(typed[1])
    value = tracker.get_slot("age")
    return float(value) if value is not None else None


def latest_duration_days(tracker: Tracker) -> float | None:
    for value in tracker.get_latest_entity_values("duration"):  # duration has no roles or groups
        days = parse_duration_days(str(value))
        if days is not None:
            return days
    typed = typed_intake_answer(tracker)
    if typed and typed[0] == "duration_days":
        return float(typed[1])
    value = tracker.get_slot("duration_days")
    return float(value) if value is not None else None


def typed_reply_state(tracker: Tracker, pending: str, stated: Findings,
                      about_pain: AbstractSet[str] = frozenset()) -> FindingState | None:
    """Yes / no / not sure, read from a typed answer to the pending follow-up question
    (``about_pain``: the findings whose question asks whether something hurts)."""
    text = typed_text(tracker)
    if not text or latest_intent(tracker) in SIDE_QUESTIONS:
        return None
    reply = read_reply(text, pending, stated, about_pain=pending in about_pain)
    return REPLY_STATES[reply] if reply is not None else None


def answered_question(tracker: Tracker, yes_means: Mapping[str, str], stated: Findings | None = None,
                      about_pain: AbstractSet[str] = frozenset()) -> Findings:
    """A yes / no / not sure reply to the pending follow-up question, as a finding: from the
    intent of a button or a short answer, else read from the typed words."""
    pending = tracker.get_slot("pending_question")
    if not pending or pending in (stated or {}):
        return {}  # the message says it in words: that statement stands as it is
    state = ANSWER_STATES.get(latest_intent(tracker) or "")
    if state is None and tracker.active_loop_name == "followup_form":
        state = typed_reply_state(tracker, pending, stated or {}, about_pain)
    if state is None:
        return {}
    if state != FindingState.unknown and yes_means.get(pending) == "absent":
        state = FindingState.absent if state == FindingState.present else FindingState.present
    return {pending: state}


def current_findings(tracker: Tracker, yes_means: Mapping[str, str] | None = None,
                     vocabulary: AbstractSet[str] | None = None,
                     about_pain: AbstractSet[str] = frozenset()) -> Findings:
    """What was known before this message, updated with this message's statements.

    A yes/no answer to the pending question counts as a statement about that finding;
    an explicit mention in the same message wins over it. Only finding ids in
    ``vocabulary`` (the knowledge data's) are taken from the message.
    """
    known = parse_findings(tracker.get_slot("findings"))
    stated = findings_from_entities(tracker.latest_message.get("entities", []), vocabulary)
    typed = typed_intake_answer(tracker)
    if typed and typed[0] in ("onset", "side", "pain_location") and typed[1] not in stated:
        stated = {**stated, typed[1]: FindingState.present}
    answered = answered_question(tracker, yes_means or {}, stated, about_pain)
    derived = {**derived_from_age(latest_age(tracker)),
               **derived_from_duration(latest_duration_days(tracker))}
    return with_implications(merge(merge(merge(known, derived), answered), stated))


def serialise(findings: Findings) -> Dict[str, str]:
    return {k: v.value for k, v in sorted(findings.items())}


def known_findings(tracker: Tracker) -> Findings:
    """The findings slot as it stands (slot extraction has already applied this message)."""
    return with_implications(parse_findings(tracker.get_slot("findings")))


def stated_findings(tracker: Tracker) -> Findings:
    """The findings the latest message states in words (entities)."""
    return findings_from_entities(tracker.latest_message.get("entities", []))


def keep_form_going(events: List[EventType], tracker: Tracker, always: bool = False) -> List[EventType]:
    """Let a form accept a message that stated findings but answered nothing it asked.

    Without this the form would be rejected ("I also can't sleep on that side" while the
    form waits for the onset); the findings are already kept by slot extraction, and the
    form simply asks its pending question again.
    """
    answered = any(isinstance(e, dict) and e.get("event") == "slot"
                   and e.get("name") != "requested_slot" for e in events)
    if not answered and (always or stated_findings(tracker)):
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
