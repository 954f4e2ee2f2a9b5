"""Side questions: treatments, conditions, "why do you ask?" and a summary for a clinician."""

from __future__ import annotations

from typing import List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import knowledge_cache
from actions.assessment_reply import treatment_message
from actions.conversation_state import known_findings, latest_intent
from hipguide.reasoning.findings import FindingState
from hipguide.reasoning.triage import TRIAGE_ORDER

# The finding each intake question is about, for "why do you ask?".
SLOT_EXPLANATIONS = {
    "pain_location": "utter_explain_pain_location",
    "side": "utter_explain_side",
    "onset": "utter_explain_onset",
    "duration_days": "utter_explain_duration_days",
    "aggravating": "utter_explain_aggravating",
    "age": "utter_explain_age",
}


def _entity(tracker: Tracker, name: str) -> str | None:
    # Not rasa-sdk's get_latest_entity_values: that keeps only mentions without a role, and a
    # negated or uncertain treatment or condition ("not ibuprofen?") is still the one asked about.
    values = [e.get("value") for e in tracker.latest_message.get("entities", [])
              if e.get("entity") == name and isinstance(e.get("value"), str)]
    return values[0] if values else None


def also_describes(tracker: Tracker) -> bool:
    """The question came with a description of one's pain (a multi-intent of
    hipguide_rasa.intent_guard): the intake follows at once."""
    return (latest_intent(tracker) or "").startswith("describe_symptoms+")


def offer_assessment(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """After a side question answered before any assessment, offer to go through the pain."""
    if not tracker.active_loop_name and not tracker.get_slot("likely_conditions") and not also_describes(tracker):
        dispatcher.utter_message(response="utter_offer_assessment")


class ActionExplainTreatment(Action):
    """What the evidence says about a named treatment, or about what helps the top cause."""

    def name(self) -> str:
        return "action_explain_treatment"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        self.explain(dispatcher, tracker)
        offer_assessment(dispatcher, tracker)
        return []

    def explain(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        treatment_id = _entity(tracker, "treatment")
        likely = tracker.get_slot("likely_conditions") or []
        if treatment_id:
            found = knowledge_cache.treatment(treatment_id)
            if found is None:
                dispatcher.utter_message(response="utter_treatment_unknown")
                return
            use = None
            for view in knowledge_cache.conditions(likely[:1]):
                use = next((u for u in view.treatments if u.treatment_id == treatment_id), None)
            dispatcher.utter_message(**treatment_message(
                found.name, use.evidence if use else found.evidence, found.statement,
                use.note if use else None))
            return
        top = knowledge_cache.conditions(likely[:1])
        if not top:
            dispatcher.utter_message(response="utter_treatment_after_questions" if also_describes(tracker)
                                     else "utter_treatment_unknown")
            return
        dispatcher.utter_message(response="utter_what_helps_intro", name=top[0].name)
        for use in top[0].treatments:
            dispatcher.utter_message(**treatment_message(use.name, use.evidence, use.statement,
                                                         use.note))


class ActionExplainCondition(Action):
    def name(self) -> str:
        return "action_explain_condition"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        condition_id = _entity(tracker, "condition")
        if condition_id is None:
            likely = tracker.get_slot("likely_conditions") or []
            condition_id = likely[0] if likely else None
        view = knowledge_cache.condition(condition_id) if condition_id else None
        if view is None and condition_id is None and also_describes(tracker):
            dispatcher.utter_message(response="utter_condition_after_questions")
        elif view is None:
            dispatcher.utter_message(response="utter_condition_unknown")
        elif view.kind == "belief":
            dispatcher.utter_message(response="utter_belief_info", name=view.name,
                                     summary=view.summary)
        else:
            dispatcher.utter_message(response="utter_condition_info", name=view.name,
                                     summary=view.summary, seek_care=view.when_to_seek_care)
        offer_assessment(dispatcher, tracker)
        return []


class ActionExplainQuestion(Action):
    """Why the current question matters."""

    def name(self) -> str:
        return "action_explain_question"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        requested = tracker.get_slot("requested_slot")
        pending = tracker.get_slot("pending_question")
        question = knowledge_cache.reasoning_data().questions.get(pending) if pending else None
        if requested == "followup_answer" and question is not None:
            dispatcher.utter_message(response="utter_why_question", why=question.why)
        else:
            dispatcher.utter_message(response=SLOT_EXPLANATIONS.get(requested, "utter_disclaimer"))
        return []


class ActionSummary(Action):
    """Findings present, absent and unknown, likely causes and triage, for a clinician."""

    def name(self) -> str:
        return "action_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[EventType]:
        findings = known_findings(tracker)
        if not findings:
            dispatcher.utter_message(response="utter_summary_unavailable")
            offer_assessment(dispatcher, tracker)
            return []
        labels = knowledge_cache.reasoning_data().labels
        names = {c.id: c.name for c in knowledge_cache.conditions(tracker.get_slot("likely_conditions") or [])}
        triage = tracker.get_slot("triage_level")

        def listed(state: FindingState) -> str:
            # Only the knowledge data's own labels: a value a person made up never comes
            # back in the assistant's words (or as a link on the web page).
            items = [labels[f] for f, s in sorted(findings.items()) if s == state and f in labels]
            return "; ".join(items) or "-"

        dispatcher.utter_message(
            response="utter_summary",
            present=listed(FindingState.present), absent=listed(FindingState.absent),
            unknown=listed(FindingState.unknown),
            likely="; ".join(names.values()) or "-",
            triage=triage if triage in TRIAGE_ORDER else "not yet assessed",
        )
        offer_assessment(dispatcher, tracker)  # a summary before any assessment: go on from here
        return []
