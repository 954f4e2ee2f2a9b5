"""Adaptive follow-up questions after the intake (the `followup_form`).

The form has one slot, ``followup_answer``, asked again and again by
``action_ask_followup_answer`` with a different question each time, chosen by
:func:`hipguide.reasoning.questions.next_question`. The answer itself is turned into a
finding by slot extraction (so a red flag raised by an answer is announced at once);
this module only picks questions and decides when to stop.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict, List, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.conversation_state import (
    answered_elsewhere,
    answers_to,
    keep_form_going,
    known_findings,
    latest_intent,
    stated_findings,
    typed_reply_state,
)
from actions.intake import MAX_TRIES
from actions.knowledge_cache import reasoning_data
from hipguide.reasoning.findings import FindingState
from hipguide.reasoning.questions import NextQuestion, next_question

YES_NO_BUTTONS = [
    {"title": "Yes", "payload": "/affirm"},
    {"title": "No", "payload": "/deny"},
    {"title": "Not sure", "payload": "/unsure"},
]


def choose_question(tracker: Tracker) -> NextQuestion | None:
    asked = tuple(tracker.get_slot("asked_questions") or [])
    return _next_question(tuple(sorted(known_findings(tracker).items())), asked)


@lru_cache(maxsize=1024)
def _next_question(findings: Tuple[Tuple[str, FindingState], ...], asked: Tuple[str, ...]) -> NextQuestion | None:
    """Memoised: a form turn asks for the required slots three times (extraction, validation,
    next slot) and the choice only depends on what is known and what was asked."""
    data = reasoning_data()
    return next_question(data.model, data.rules, dict(findings), data.questions, list(asked), data.policy)


class ActionPlanQuestions(Action):
    """After the intake: are follow-up questions worth asking?"""

    def name(self) -> str:
        return "action_plan_questions"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        return [SlotSet("questions_needed", choose_question(tracker) is not None)]


class ActionAskFollowupAnswer(Action):
    """Asks the next follow-up question, with yes / no / not sure buttons."""

    def name(self) -> str:
        return "action_ask_followup_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        data = reasoning_data()
        pending = tracker.get_slot("pending_question")
        if pending and pending not in known_findings(tracker) and pending in data.questions:
            # Not answered yet (a side question came in between): ask the same again.
            finding_id = pending
        else:
            question = choose_question(tracker)
            if question is None:  # nothing left to ask: the form ends on the next validation
                return [SlotSet("pending_question", None)]
            finding_id = question.finding_id
        dispatcher.utter_message(response="utter_followup_question",
                                 question=data.questions[finding_id].question,
                                 buttons=YES_NO_BUTTONS)
        asked = list(tracker.get_slot("asked_questions") or [])
        if finding_id not in asked:
            asked.append(finding_id)
        return [SlotSet("pending_question", finding_id), SlotSet("asked_questions", asked)]


class ValidateFollowupForm(FormValidationAction):
    """Slot: followup_answer (domain `followup_form`); asks until the stopping rule says done.

    A typed answer ("only when I lie on that side", "never, though I cracked a shin bone")
    is read as yes / no / not sure (slot extraction has already recorded it, and anything
    else the message states, as findings). An answer that cannot be read gets one more try
    with an example; then the question is recorded as not known and the next one comes.
    """

    def name(self) -> str:
        return "validate_followup_form"

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> List[EventType]:
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        pending = tracker.get_slot("pending_question")
        if tracker.get_slot("requested_slot") != "followup_answer" or not pending or any(
                e.get("event") == "slot" and e.get("name") == "followup_answer" for e in events):
            return events
        if tracker.get_slot("followup_answer") is not None:
            return events  # a button or a short yes/no: the domain's from_intent mapping filled it
        if answered_elsewhere(tracker):
            return events
        intent = latest_intent(tracker)
        stated = stated_findings(tracker)
        state = stated.get(pending) or typed_reply_state(tracker, pending, stated, reasoning_data().pain_questions)
        if state is not None:
            events.append(SlotSet("followup_answer", state.value))
        elif answers_to(tracker.events, "followup_answer", "followup_form") >= MAX_TRIES:
            events.append(SlotSet("followup_answer", FindingState.unknown.value))  # recorded below
        elif not stated and intent != "restart":
            dispatcher.utter_message(response="utter_reask_followup_answer")
        return events

    async def validate_followup_answer(self, slot_value: Any, dispatcher: CollectingDispatcher,
                                       tracker: Tracker, domain: DomainDict) -> Dict[str, Any]:
        # The answer is already a finding (slot extraction); clear it to ask the next one. A
        # question given up on (or "not sure" that named no finding) is recorded as not known,
        # here: rasa-sdk returns only the slots that have a validate_ method.
        result: Dict[str, Any] = {"followup_answer": None, "pending_question": None}
        pending = tracker.get_slot("pending_question")
        findings = tracker.get_slot("findings") or {}
        if pending and slot_value == FindingState.unknown.value and pending not in findings:
            result["findings"] = {**findings, pending: FindingState.unknown.value}
        return result

    async def required_slots(self, domain_slots: List[str], dispatcher: CollectingDispatcher,
                             tracker: Tracker, domain: DomainDict) -> List[str]:
        return domain_slots if choose_question(tracker) is not None else []

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        return keep_form_going(events, tracker, always=not answered_elsewhere(tracker))
