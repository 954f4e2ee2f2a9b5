"""Validation of the intake form: accepts "not sure" without asking again."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.conversation_state import answers_to, keep_form_going
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
        """Custom extraction, plus "not sure" / "no" to the pending question as a skip."""
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        requested = tracker.get_slot("requested_slot")
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        already = any(e.get("event") == "slot" and e.get("name") == requested for e in events)
        if requested in NOT_GIVEN and not already:
            if intent in SKIP_INTENTS:
                events.append(SlotSet(requested, NOT_GIVEN[requested]))
            elif answers_to(tracker.events, requested, "intake_form") >= MAX_TRIES:
                dispatcher.utter_message(response="utter_intake_going_on")
                events.append(SlotSet(requested, NOT_GIVEN[requested]))
        return events

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        return keep_form_going(await super().run(dispatcher, tracker, domain), tracker)
