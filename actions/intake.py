"""Validation of the intake form: accepts "not sure" without asking again."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.conversation_state import (
    answered_elsewhere,
    answers_to,
    keep_form_going,
    latest_intent,
    stated_findings,
    typed_intake_answer,
    typed_text,
)
from hipguide.reasoning.answers import not_given
from hipguide.reasoning.findings import AGE_NOT_GIVEN, DURATION_NOT_GIVEN

SKIP_INTENTS = {"unsure", "deny"}
# After this many answers that did not fill the question, go on without it rather than ask
# the same words again (a person may not know the word HipGuide listens for).
MAX_TRIES = 2
# What an intake slot holds when the person is not sure or would rather not say.
NOT_GIVEN: Dict[str, Any] = {
    "pain_location": "unknown",
    "side": "unknown",
    "onset": "unknown",
    "duration_days": DURATION_NOT_GIVEN,
    "aggravating": "nothing in particular",
    "age": AGE_NOT_GIVEN,
}


class ValidateIntakeForm(FormValidationAction):
    """Slots: pain_location, side, onset, duration_days, aggravating, age (`intake_form`).

    A question answered with "not sure" (or declined) is recorded as unknown and not asked
    again; it is never treated as a finding.
    """

    def name(self) -> str:
        return "validate_intake_form"

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> List[EventType]:
        """Custom extraction: the typed answer read for the question asked ("27." is the age,
        "a fortnight" 14 days), "not sure" / "no" as a skip, and one more try with an example
        before going on without the answer."""
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        requested = tracker.get_slot("requested_slot")
        if requested not in NOT_GIVEN:
            return events
        already = tracker.get_slot(requested) is not None or any(
            e.get("event") == "slot" and e.get("name") == requested for e in events)
        if already:
            return events
        intent = latest_intent(tracker)
        typed = typed_intake_answer(tracker)
        if typed is not None and typed[0] == requested:
            events.append(SlotSet(requested, typed[1]))
        elif intent in SKIP_INTENTS or not_given(typed_text(tracker)):
            events.append(SlotSet(requested, NOT_GIVEN[requested]))
        elif answered_elsewhere(tracker):
            pass  # a rule answers it, then the question is asked again
        elif answers_to(tracker.events, requested, "intake_form") >= MAX_TRIES:
            dispatcher.utter_message(response="utter_intake_going_on")
            events.append(SlotSet(requested, NOT_GIVEN[requested]))
        elif intent != "restart" and not stated_findings(tracker):  # restart: actions/restart.py asked
            dispatcher.utter_message(response=f"utter_reask_{requested}")
        return events

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        events = await super().run(dispatcher, tracker, domain)
        # otherwise ask again rather than fall back
        return keep_form_going(events, tracker, always=not answered_elsewhere(tracker))
