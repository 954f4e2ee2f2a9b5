"""Runs after every user message, in or out of a form: findings, red flags, triage.

A newly raised red flag is announced here, at once, whatever the conversation was doing:
this action is Rasa's slot-mapping hook (``action_validate_slot_mappings``), which the
server calls after every user message before predicting anything else.
"""

from __future__ import annotations

from typing import List

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.conversation_state import current_findings, latest_duration_days, latest_intent, serialise, typed_text
from actions.knowledge_cache import reasoning_data
from hipguide.language.proxy import patient_relation
from hipguide.reasoning.assessment import new_red_flags
from hipguide.reasoning.triage import most_urgent, screen_red_flags


class ValidateSlotMappings(ValidationAction):
    """Custom slot mappings of the domain: findings, duration, red flags, triage level.

    The findings of this message are worked out once and feed all four slots.
    """

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def get_extraction_events(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> List[EventType]:
        data = reasoning_data()
        findings = current_findings(tracker, data.yes_means, data.labels.keys(), data.pain_questions)
        events: List[EventType] = [SlotSet("findings", serialise(findings))]
        days = latest_duration_days(tracker)
        if days is not None and days != tracker.get_slot("duration_days"):
            # only when it changes: a repeated SlotSet would count as an answer to any form question
            events.append(SlotSet("duration_days", days))

        hits = screen_red_flags(data.rules, findings)
        announced: List[str] = list(tracker.get_slot("red_flags") or [])
        fresh = new_red_flags(announced, hits)
        for hit in fresh:
            dispatcher.utter_message(response="utter_red_flag", advice=data.advice[hit.id])
        if any(h.kind == "red_flag" for h in fresh) and tracker.active_loop_name:
            dispatcher.utter_message(response="utter_red_flag_continue")
        if fresh:
            events.append(SlotSet("red_flags", announced + [h.id for h in fresh]))

        relation = None if tracker.get_slot("proxy") else patient_relation(typed_text(tracker))
        if relation:  # "my son (13) is limping": the questions are about him
            events += [SlotSet("proxy", True), SlotSet("patient_relation", relation)]

        if tracker.get_slot("restart_pending") and latest_intent(tracker) != "restart":
            events.append(SlotSet("restart_pending", False))  # carried on: no longer asked

        # The triage level is raised at once by a red flag and never lowered here.
        current = tracker.get_slot("triage_level")
        raised = most_urgent([current, *(h.triage for h in hits)])
        if raised and raised != current:
            events.append(SlotSet("triage_level", raised))
        return events
