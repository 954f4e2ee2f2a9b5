"""A condition question must look like one: typed answers are not questions about a condition."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest
from rasa.shared.nlu.training_data.message import Message

from hipguide.language.questions import looks_like_a_question
from hipguide_rasa.intent_guard import IntentGuard


@pytest.mark.parametrize("text", ["what is perthes", "Is bursitis serious", "tell me about FAI",
                                  "hi, what's a labral tear", "could it be arthritis",
                                  "labral tear?", "explain sciatica please", "any info on gtps"])
def test_questions_and_requests(text: str) -> None:
    assert looks_like_a_question(text)


@pytest.mark.parametrize("text", ["nothing in particular", "not really anything", "17 years old",
                                  "only when I run", "the groin", "issues with stairs"])
def test_answers(text: str) -> None:
    assert not looks_like_a_question(text)


def _message(text: str, intent: str, ranking: List[str], entities: List[Dict[str, Any]] = ()) -> Message:
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": 0.6})
    message.set("intent_ranking", [{"name": n, "confidence": 0.6 - 0.1 * i} for i, n in enumerate(ranking)])
    message.set("entities", list(entities))
    return message


def test_a_typed_answer_read_as_a_condition_question_takes_the_next_intent() -> None:
    message = _message("nothing in particular", "ask_condition_info", ["ask_condition_info", "deny", "unsure"])
    IntentGuard().process([message])
    assert message.get("intent")["name"] == "deny"


@pytest.mark.parametrize("text,entities", [
    ("what's that", []),  # looks like a question
    ("perthes", [{"entity": "condition", "value": "perthes"}]),  # names a condition
])
def test_real_condition_questions_are_kept(text: str, entities: List[Dict[str, Any]]) -> None:
    message = _message(text, "ask_condition_info", ["ask_condition_info", "deny"], entities)
    IntentGuard().process([message])
    assert message.get("intent")["name"] == "ask_condition_info"


def test_other_intents_are_left_alone() -> None:
    message = _message("nothing in particular", "deny", ["deny", "ask_condition_info"])
    IntentGuard().process([message])
    assert message.get("intent")["name"] == "deny"


def test_an_injury_read_as_a_summary_request_takes_the_next_intent() -> None:
    message = _message("pulled my hammy sprinting for the bus", "request_summary",
                       ["request_summary", "describe_symptoms"])
    IntentGuard().process([message])
    assert message.get("intent")["name"] == "describe_symptoms"


def test_a_message_with_findings_is_a_description_as_sure_as_the_classifier_was() -> None:
    # The summary request was 0.6 sure; "describe_symptoms" third in the ranking at 0.4 would
    # fall under the fallback threshold, but the message states findings.
    message = _message("pulled my hammy sprinting for the bus", "request_summary",
                       ["request_summary", "thank", "describe_symptoms"],
                       [{"entity": "body_location", "value": "back_of_thigh"},
                        {"entity": "activity", "value": "sprinting"}])
    IntentGuard().process([message])
    assert message.get("intent") == {"name": "describe_symptoms", "confidence": 0.6}


@pytest.mark.parametrize("text", ["recap please", "something to show my GP", "summarise this",
                                  "what have we covered", "write it up for my physio"])
def test_summary_requests_are_kept(text: str) -> None:
    message = _message(text, "request_summary", ["request_summary", "describe_symptoms"])
    IntentGuard().process([message])
    assert message.get("intent")["name"] == "request_summary"


def test_findings_make_a_description_even_when_it_is_not_in_the_ranking() -> None:
    message = _message("pulled my hammy sprinting for the bus", "request_summary",
                       ["request_summary", "out_of_scope", "ask_causes"],
                       [{"entity": "body_location", "value": "back_of_thigh"}])
    IntentGuard().process([message])
    assert message.get("intent") == {"name": "describe_symptoms", "confidence": 0.6}
