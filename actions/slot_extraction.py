"""Runs after every user message, in or out of a form: findings, red flags, triage.

A newly raised red flag is announced here, at once, whatever the conversation was doing:
this action is Rasa's slot-mapping hook (``action_validate_slot_mappings``), which the
server calls after every user message before predicting anything else.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.conversation_state import current_findings, latest_duration_days, serialise
from actions.knowledge import reasoning_data
from hipguide.reasoning.assessment import new_red_flags
from hipguide.reasoning.triage import most_urgent, screen_red_flags


class ValidateSlotMappings(ValidationAction):
    """Custom slot mappings of the domain: findings, duration, red flags, triage level."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def extract_findings(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> Dict[str, Any]:
        return {"findings": serialise(current_findings(tracker, reasoning_data().yes_means))}

    async def extract_duration_days(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: DomainDict) -> Dict[str, Any]:
        days = latest_duration_days(tracker)
        return {"duration_days": days} if days is not None else {}

    async def extract_red_flags(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[str, Any]:
        data = reasoning_data()
        hits = screen_red_flags(data.rules, current_findings(tracker, data.yes_means))
        announced: List[str] = list(tracker.get_slot("red_flags") or [])
        fresh = new_red_flags(announced, hits)
        for hit in fresh:
            dispatcher.utter_message(response="utter_red_flag", advice=data.advice[hit.id])
        if any(h.kind == "red_flag" for h in fresh) and tracker.active_loop_name:
            dispatcher.utter_message(response="utter_red_flag_continue")
        if not fresh:
            return {}
        return {"red_flags": announced + [h.id for h in fresh]}

    async def extract_triage_level(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                   domain: DomainDict) -> Dict[str, Any]:
        """Raised at once by a red flag; never lowered here."""
        data = reasoning_data()
        hits = screen_red_flags(data.rules, current_findings(tracker, data.yes_means))
        current = tracker.get_slot("triage_level")
        raised = most_urgent([current, *(h.triage for h in hits)])
        return {"triage_level": raised} if raised and raised != current else {}
