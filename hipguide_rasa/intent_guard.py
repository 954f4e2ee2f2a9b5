"""An NLU component after the classifier: side questions must look like what they are.

When DIET says ``ask_condition_info`` but the message names no condition and does not look
like a question (:func:`hipguide.language.questions.looks_like_a_question`), or
``request_summary`` but the message mentions no summary, notes or clinician
(:func:`~hipguide.language.questions.asks_for_a_summary`), the next intent of the ranking is
taken instead: "nothing in particular" typed to "What makes it worse?" is an answer, and
"pulled my hammy sprinting for the bus" describes an injury.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from hipguide.language.questions import (
    asks_about,
    asks_about_causes,
    asks_for_a_summary,
    asks_for_help,
    looks_like_a_question,
    tells_own_story,
)
from hipguide.reasoning.findings import FINDING_ENTITIES


def _condition_question(message: Message) -> bool:
    if any(e.get("entity") == "condition" for e in message.get(ENTITIES) or []):
        return True
    return looks_like_a_question(message.get(TEXT) or "")


def _summary_request(message: Message) -> bool:
    return asks_for_a_summary(message.get(TEXT) or "")


# Stated findings that make a message a description (a side or onset alone does not).
DESCRIBING_ENTITIES = FINDING_ENTITIES - {"side", "onset"}

def _states_findings(entities: List[Dict[str, Any]], besides: frozenset | set = frozenset()) -> bool:
    """The message affirms a finding that describes (other than the values ``besides``)."""
    return any(e.get("entity") in DESCRIBING_ENTITIES and not e.get("role") and e.get("value") not in besides
               for e in entities)


# question intent -> the multi-intent of a message that also describes one's own pain
ASKS_AND_DESCRIBES = {
    "ask_treatment": "describe_symptoms+ask_treatment",
    "ask_condition_info": "describe_symptoms+ask_condition_info",
    "ask_causes": "describe_symptoms+ask_causes",
}

# named entity -> the question a description asks about it
QUESTION_ABOUT = {"treatment": "ask_treatment", "condition": "ask_condition_info"}

# intent -> what a message of that intent must show
GUARDED: Dict[str, Callable[[Message], bool]] = {
    "ask_condition_info": _condition_question,
    "request_summary": _summary_request,
}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IntentGuard(GraphComponent):
    def __init__(self, config: Dict[str, Any] | None = None) -> None:
        # below this confidence (the FallbackClassifier's threshold) a question asked in so
        # many words ("what can I do to get through my next race?") is taken at its word
        self._unsure_below = float({**self.get_default_config(), **(config or {})}["unsure_below"])

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"unsure_below": 0.45}

    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> IntentGuard:
        return cls(config)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._guard(message)
            self._also_describes(message)
        return messages

    def _also_describes(self, message: Message) -> None:
        """A treatment, condition or causes question that also tells of one's own pain ("my
        outer hip aches at night, is a foam roller any good?") is a multi-intent: the question
        is answered and the findings start (or update) the intake. (What causes the pain is
        answered by the intake and the assessment, so that multi-intent is a description.)"""
        intent = message.get(INTENT) or {}
        name, text = intent.get("name"), message.get(TEXT) or ""
        entities = message.get(ENTITIES) or []
        question, asked_in_words = name, False
        unsure = float(intent.get("confidence") or 0.0) < self._unsure_below
        if name == "describe_symptoms" or unsure:
            # "... is a foam roller any good?": a description that asks about a named
            # treatment or condition
            question = next((QUESTION_ABOUT[e["entity"]] for e in entities
                             if e.get("entity") in QUESTION_ABOUT and not e.get("role")
                             and asks_about(text, int(e.get("start", 0)), int(e.get("end", 0)))), None)
            if question is None and asks_about_causes(text):
                # "... a sharp pain in my groin when I cough. What could this mean?": the
                # findings are kept and the intake that answers it goes on as for a description
                question, asked_in_words = "ask_causes", True
            if question is None and asks_for_help(text):
                # "... it still aches after every run. Any advice?": what helps, then the intake
                question, asked_in_words = "ask_treatment", True
        if question not in ASKS_AND_DESCRIBES:
            return
        if not tells_own_story(text) or not _states_findings(entities, besides={"pain"}):
            if asked_in_words:
                # "no change in my routine and no injury. What's happening?" asks; the
                # classifier took it for a description because it tells a story
                IntentGuard._rename(message, name, question, sure=unsure)
            return  # "how do I get rid of the pain?" asks; it does not describe
        IntentGuard._rename(message, name, ASKS_AND_DESCRIBES[question], sure=unsure and asked_in_words)

    @staticmethod
    def _rename(message: Message, name: str | None, to: str, sure: bool = False) -> None:
        """The message's intent ``name`` becomes ``to``, with its confidence and rank; ``sure``:
        the words decided what was unsure to the classifier, and the rename is certain."""
        intent = message.get(INTENT) or {}
        ranking = [{**r, "name": to} if r.get("name") == name else r
                   for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != to]
        if sure:
            intent = {**intent, "confidence": 1.0}
            ranking = [{**intent, "name": to}, *(r for r in ranking if r.get("name") != to)]
        message.set(INTENT, {**intent, "name": to}, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    @staticmethod
    def _guard(message: Message) -> None:
        intent = message.get(INTENT) or {}
        text = message.get(TEXT) or ""
        if intent.get("name") == "ask_treatment" and not looks_like_a_question(text) \
                and not asks_for_help(text) and _states_findings(message.get(ENTITIES) or []):
            # "yoga stretches make it worse" asks nothing: what it tells is a finding
            message.set(INTENT, {**intent, "name": "describe_symptoms"}, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [{**intent, "name": "describe_symptoms"},
                                             *(r for r in message.get(INTENT_RANKING_KEY) or []
                                               if r.get("name") not in ("describe_symptoms", "ask_treatment"))],
                        add_to_output=True)
            return
        looks_right = GUARDED.get(intent.get("name") or "")
        if looks_right is None or looks_right(message):
            return
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in GUARDED]
        chosen = dict(ranking[0]) if ranking else None
        states_findings = _states_findings(message.get(ENTITIES) or [])
        # (describe_symptoms may be missing from a ranking cut to its top entries)
        described: Dict[str, Any] = next((r for r in ranking if r.get("name") == "describe_symptoms"),
                                         {"name": "describe_symptoms", "confidence": 0.0})
        if states_findings:
            # "pulled my hammy sprinting for the bus": findings, so a description, as sure
            # as the classifier was that it meant something (not a fallback)
            chosen = {**described, "confidence": max(float(intent.get("confidence") or 0.0),
                                                     float(described.get("confidence") or 0.0))}
        if chosen is not None:
            message.set(INTENT, chosen, add_to_output=True)
