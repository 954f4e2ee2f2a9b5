"""An NLU component after the classifier: a condition question must look like one.

When DIET says ``ask_condition_info`` but the message names no condition and does not look
like a question (:func:`hipguide.language.questions.looks_like_a_question`), the next
intent of the ranking is taken instead: typed answers such as "nothing in particular" or
"not really anything" are answers, not questions about a condition.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from hipguide.language.questions import looks_like_a_question

GUARDED = {"ask_condition_info": "condition"}  # intent -> the entity it is about


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class IntentGuard(GraphComponent):
    @classmethod
    def create(cls, config: Dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> IntentGuard:
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._guard(message)
        return messages

    @staticmethod
    def _guard(message: Message) -> None:
        intent = message.get(INTENT) or {}
        about = GUARDED.get(intent.get("name") or "")
        if about is None:
            return
        if any(e.get("entity") == about for e in message.get(ENTITIES) or []):
            return
        if looks_like_a_question(message.get(TEXT) or ""):
            return
        ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") not in GUARDED]
        if ranking:
            message.set(INTENT, dict(ranking[0]), add_to_output=True)
