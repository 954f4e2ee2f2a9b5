"""``action_assess``: the likely causes with reasons, the triage level and what helps."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import knowledge_cache
from actions.conversation_state import known_findings
from hipguide.knowledge.repository import ConditionView
from hipguide.reasoning.assessment import Assessment, assess

MAX_TREATMENTS = 4


class ActionAssess(Action):
    def name(self) -> str:
        return "action_assess"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        data = knowledge_cache.reasoning_data()
        result = assess(data.model, data.rules, known_findings(tracker), data.labels, data.absent_labels,
                        raised_level=tracker.get_slot("triage_level"),
                        announced=tracker.get_slot("red_flags") or [])
        views = {c.id: c for c in knowledge_cache.conditions(result.likely_ids)}
        self._say_causes(dispatcher, result, views)
        dispatcher.utter_message(response=f"utter_triage_{result.triage_level}")
        top = views.get(result.likely_ids[0]) if result.likely_ids else None
        if top is not None:
            self._say_what_helps(dispatcher, result, top)
        dispatcher.utter_message(response="utter_assessment_followup")
        return [
            SlotSet("likely_conditions", result.likely_ids),
            SlotSet("triage_level", result.triage_level),
            SlotSet("red_flags", result.all_red_flag_ids),
        ]

    @staticmethod
    def _say_causes(dispatcher: CollectingDispatcher, result: Assessment,
                    views: Dict[str, ConditionView]) -> None:
        dispatcher.utter_message(response="utter_assessment_intro")
        for rank, cause in enumerate(result.likely, start=1):
            view = views.get(cause.condition_id)
            if view is None:
                continue
            dispatcher.utter_message(response="utter_likely_condition", rank=rank,
                                     name=view.name, likelihood=cause.likelihood,
                                     summary=view.summary)
            if cause.reasons_for:
                dispatcher.utter_message(response="utter_condition_reasons_for",
                                         reasons=", ".join(cause.reasons_for))
            if cause.reasons_against:
                dispatcher.utter_message(response="utter_condition_reasons_against",
                                         reasons=", ".join(cause.reasons_against))

    @staticmethod
    def _say_what_helps(dispatcher: CollectingDispatcher, result: Assessment,
                        top: ConditionView) -> None:
        if not result.self_care_allowed or not top.self_care:
            dispatcher.utter_message(response="utter_no_self_care")
        else:
            dispatcher.utter_message(response="utter_what_helps_intro", name=top.name)
            for line in top.self_care:
                dispatcher.utter_message(response="utter_advice_line", line=line)
            for use in top.treatments[:MAX_TREATMENTS]:
                dispatcher.utter_message(**treatment_message(use.name, use.evidence,
                                                             use.statement, use.note))
        dispatcher.utter_message(response="utter_when_to_seek_care", line=top.when_to_seek_care)


def treatment_message(name: str, evidence: str, statement: str, note: Any) -> Dict[str, Any]:
    """The response and variables for one treatment line; evidence is always stated."""
    return {"response": "utter_treatment_evidence", "name": name, "evidence": evidence,
            "statement": statement, "note": f" {note}" if note else ""}
