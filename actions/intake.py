"""Validation of the intake form: accepts "not sure" without asking again."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from actions.conversation_state import findings_from_entities
from hipguide.reasoning.findings import AGE_NOT_GIVEN, DURATION_NOT_GIVEN

UNKNOWN = "unknown"
SKIP_INTENTS = {"unsure", "deny"}


class ValidateIntakeForm(FormValidationAction):
    """Slots: pain_location, side, onset, duration_days, aggravating, age (`intake_form`).

    A question answered with "not sure" (or declined) is recorded as unknown and not asked
    again; it is never treated as a finding.
    """

    def name(self) -> str:
        return "validate_intake_form"

    @staticmethod
    def _skipped_answer(tracker: Tracker, slot: str) -> str | None:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if tracker.get_slot("requested_slot") == slot and intent in SKIP_INTENTS:
            return UNKNOWN
        return None

    async def extract_pain_location(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[str, Any]:
        answer = self._skipped_answer(tracker, "pain_location")
        return {"pain_location": answer} if answer else {}

    async def extract_onset(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                            domain: DomainDict) -> Dict[str, Any]:
        answer = self._skipped_answer(tracker, "onset")
        return {"onset": answer} if answer else {}

    async def extract_side(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                           domain: DomainDict) -> Dict[str, Any]:
        answer = self._skipped_answer(tracker, "side")
        return {"side": answer} if answer else {}

    async def extract_duration_days(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[str, Any]:
        answer = self._skipped_answer(tracker, "duration_days")
        return {"duration_days": DURATION_NOT_GIVEN} if answer else {}

    async def extract_aggravating(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                  domain: DomainDict) -> Dict[str, Any]:
        answer = self._skipped_answer(tracker, "aggravating")
        return {"aggravating": "nothing in particular"} if answer else {}

    async def extract_age(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> Dict[str, Any]:
        answer = self._skipped_answer(tracker, "age")
        return {"age": AGE_NOT_GIVEN} if answer else {}

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        """Accept a message that answered something else, so the form asks its question again.

        Without this, "I also can't sleep on that side" while the form waits for the onset
        would reject the form; the new findings are kept either way (slot extraction), but
        the conversation should simply return to the pending question.
        """
        events = await super().run(dispatcher, tracker, domain)
        answered = any(isinstance(e, dict) and e.get("event") == "slot"
                       and e.get("name") != "requested_slot" for e in events)
        stated = findings_from_entities(tracker.latest_message.get("entities", []))
        if not answered and stated:
            events.append(SlotSet("findings", tracker.get_slot("findings")))
        return events
