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


GROIN = {"entity": "body_location", "value": "groin", "start": 0, "end": 1}
ACHE = {"entity": "symptom", "value": "pain", "start": 0, "end": 1}


@pytest.mark.parametrize("question", ["ask_treatment", "ask_condition_info"])
def test_a_question_that_also_tells_of_ones_pain_is_both(question: str) -> None:
    message = _message("my groin aches after runs, is ice any good?", question,
                       [question, "describe_symptoms", "ask_causes"], [GROIN, ACHE])
    IntentGuard().process([message])
    assert message.get("intent") == {"name": f"describe_symptoms+{question}", "confidence": 0.6}
    # the ranking keeps its order and gaps, so the fallback classifier sees no new tie
    assert [(r["name"], round(r["confidence"], 2)) for r in message.get("intent_ranking")] == [
        (f"describe_symptoms+{question}", 0.6), ("describe_symptoms", 0.5), ("ask_causes", 0.4)]


@pytest.mark.parametrize("text,entities", [
    ("is ice good for groin pain?", [GROIN, ACHE]),  # a general question
    ("is ice any good for me?", []),  # nothing described
    ("how do I get rid of the pain?", [ACHE]),  # pain alone says nothing about it
    ("is ice ok if I have no groin pain?", [{**GROIN, "role": "negated"}, {**ACHE, "role": "negated"}]),
])
def test_a_question_alone_stays_a_question(text: str, entities: List[Dict[str, Any]]) -> None:
    message = _message(text, "ask_treatment", ["ask_treatment", "describe_symptoms"], entities)
    IntentGuard().process([message])
    assert message.get("intent")["name"] == "ask_treatment"


FOAM = "the outside of my hip aches at night, is a foam roller any good?"
ROLLER = {"entity": "treatment", "value": "massage", "start": FOAM.index("foam"), "end": FOAM.index(" any")}


def test_a_description_that_asks_about_a_treatment_is_both() -> None:
    message = _message(FOAM, "describe_symptoms", ["describe_symptoms", "ask_treatment"],
                       [{**GROIN, "value": "outer_hip"}, ACHE, ROLLER])
    IntentGuard().process([message])
    assert message.get("intent")["name"] == "describe_symptoms+ask_treatment"
    assert [r["name"] for r in message.get("intent_ranking")] == ["describe_symptoms+ask_treatment",
                                                                  "ask_treatment"]


def test_a_description_that_only_mentions_a_treatment_stays_a_description() -> None:
    text = "my outer hip aches at night. a foam roller did nothing"
    roller = {**ROLLER, "start": text.index("foam"), "end": text.index(" did")}
    message = _message(text, "describe_symptoms", ["describe_symptoms", "ask_treatment"],
                       [{**GROIN, "value": "outer_hip"}, ACHE, roller])
    IntentGuard().process([message])
    assert message.get("intent")["name"] == "describe_symptoms"


@pytest.mark.parametrize("text", [
    "my groin twinges when I sneeze. what might be behind that?",
    "it aches on the outside after long walks, why would that be?",
    "sore at the front of the hip most mornings - is this normal?",
    "my thigh goes numb on the bike, could it be a trapped nerve?",
    "any idea what's going on with my hip? it clicks on the stairs",
    "how come it only hurts on the way down hills?",
])
def test_a_question_about_what_is_behind_it(text: str) -> None:
    from hipguide.language.questions import asks_about_causes

    assert asks_about_causes(text)


@pytest.mark.parametrize("text", [
    "my groin twinges when I sneeze",
    "I iced it and rested, and why not, took some ibuprofen too.",  # no question
    "is ice any good for it?",  # a treatment question
    "what is bursitis?",  # a condition question
    "the physio asked what I do for work",
])
def test_not_a_question_about_causes(text: str) -> None:
    from hipguide.language.questions import asks_about_causes

    assert not asks_about_causes(text)


SNEEZE = "a sharp pain in my groin whenever I cough or sneeze, what could this mean?"
COUGH = {"entity": "activity", "value": "coughing_sneezing", "start": SNEEZE.index("cough"),
         "end": SNEEZE.index(", what")}


def test_a_description_that_asks_what_causes_it_is_both() -> None:
    message = _message(SNEEZE, "describe_symptoms", ["describe_symptoms", "ask_causes"], [GROIN, ACHE, COUGH])
    IntentGuard().process([message])
    assert message.get("intent") == {"name": "describe_symptoms+ask_causes", "confidence": 0.6}
    assert [r["name"] for r in message.get("intent_ranking")] == ["describe_symptoms+ask_causes", "ask_causes"]


def test_a_causes_question_about_ones_own_findings_is_both() -> None:
    text = "why does my groin hurt when I cough?"
    message = _message(text, "ask_causes", ["ask_causes", "describe_symptoms"], [GROIN, ACHE, COUGH])
    IntentGuard().process([message])
    assert message.get("intent")["name"] == "describe_symptoms+ask_causes"


@pytest.mark.parametrize("text,intent,entities", [
    ("what causes groin pain in footballers?", "ask_causes", [GROIN, ACHE]),  # general, not one's own
    ("what could be causing this?", "ask_causes", []),  # nothing described
    ("my groin hurts, why?", "describe_symptoms", [GROIN, ACHE]),  # "why?" alone asks nothing specific
])
def test_a_causes_question_or_a_description_alone_is_left_as_it_is(text: str, intent: str,
                                                                   entities: List[Dict[str, Any]]) -> None:
    message = _message(text, intent, [intent, "describe_symptoms" if intent != "describe_symptoms" else "ask_causes"],
                       entities)
    IntentGuard().process([message])
    assert message.get("intent")["name"] == intent


@pytest.mark.parametrize("text,entities,expected", [
    # a story whose findings are all denied, then a question: the question (the denied
    # findings are still read by the intake, which extracts from every message)
    ("no groin pain, so what could it be?", [{**GROIN, "role": "negated"}], "ask_causes"),
    ("There has been no change in my routine and no injury. What\u2019s happening?", [], "ask_causes"),
    ("I have a marathon in 3 weeks. What can I do to get me through it?", [], "ask_treatment"),
    # findings and a request for help: both
    ("my groin aches after every run. Any advice?", [GROIN, ACHE], "describe_symptoms+ask_treatment"),
    ("she limps and her hip hurts, what should we do?", [GROIN, ACHE], "describe_symptoms+ask_treatment"),
    ("sharp groin pain since yesterday. Should I be concerned?", [GROIN, ACHE], "describe_symptoms+ask_causes"),
])
def test_a_description_that_asks_what_to_do_or_why(text: str, entities: List[Dict[str, Any]],
                                                   expected: str) -> None:
    message = _message(text, "describe_symptoms", ["describe_symptoms", "ask_causes", "ask_treatment"], entities)
    IntentGuard().process([message])
    assert message.get("intent")["name"] == expected
    names = [r["name"] for r in message.get("intent_ranking")]
    assert names[0] == expected and len(names) == len(set(names))


@pytest.mark.parametrize("text", [
    "my hip hurts after runs. any advice?",
    "Any suggestions you might have for recovery would be great",
    "I cannot play and wonder what to do now?",
    "how would you approach getting back into training?",
    "how long will it take me to recover?",
    "should I stop running for a while?",
    "Do you have any stretches that you can recommend?",
    "My sciatica is so bad I can barely walk. Please help.",
    "has anyone found what helped them?",
])
def test_a_request_for_help(text: str) -> None:
    from hipguide.language.questions import asks_for_help

    assert asks_for_help(text)


@pytest.mark.parametrize("text", [
    "the physio helped me a lot",
    "any exercise makes it worse",  # "any" opens a statement here
    "I told him what I do for work",
    "it hurts when I try to run",
    "how long has it been sore? about a week",
])
def test_not_a_request_for_help(text: str) -> None:
    from hipguide.language.questions import asks_for_help

    assert not asks_for_help(text)


def _unsure(message: Message, confidence: float = 0.3) -> Message:
    message.set("intent", {**message.get("intent"), "confidence": confidence})
    message.set("intent_ranking", [{**r, "confidence": confidence - 0.05 * i}
                                   for i, r in enumerate(message.get("intent_ranking"))])
    return message


@pytest.mark.parametrize("text,intent,entities,expected", [
    ("I have a marathon in 3 weeks. What can I do to get me through it?", "ask_causes", [], "ask_treatment"),
    ("Hey, runners: can you help my achy hip flexor?", "greet", [GROIN, ACHE], "describe_symptoms+ask_treatment"),
    ("whats going on with my groin", "deny", [GROIN], "describe_symptoms+ask_causes"),
])
def test_a_question_in_so_many_words_decides_what_the_classifier_was_unsure_of(
        text: str, intent: str, entities: List[Dict[str, Any]], expected: str) -> None:
    message = _unsure(_message(text, intent, [intent, "describe_symptoms"], entities))
    IntentGuard().process([message])
    assert message.get("intent") == {"name": expected, "confidence": 1.0}
    ranking = message.get("intent_ranking")
    assert ranking[0] == {"name": expected, "confidence": 1.0}
    assert len({r["name"] for r in ranking}) == len(ranking)


@pytest.mark.parametrize("text,intent", [
    ("hi there", "greet"),  # nothing asked: the fallback classifier decides
    ("can you help my achy hip flexor?", "greet"),  # sure enough: the classifier's reading stands
])
def test_the_words_decide_only_what_was_unsure(text: str, intent: str) -> None:
    message = _message(text, intent, [intent, "describe_symptoms"])
    if text == "hi there":
        _unsure(message)
    IntentGuard().process([message])
    assert message.get("intent")["name"] == intent


def test_the_threshold_is_configurable() -> None:
    message = _unsure(_message("what can I do about it?", "greet", ["greet", "ask_treatment"]), 0.5)
    IntentGuard({"unsure_below": 0.4}).process([message])
    assert message.get("intent")["name"] == "greet"
    IntentGuard({"unsure_below": 0.6}).process([message])
    assert message.get("intent")["name"] == "ask_treatment"


YOGA = {"entity": "activity", "value": "yoga", "start": 0, "end": 4}


@pytest.mark.parametrize("text,entities,expected", [
    ("yoga stretches make it worse", [YOGA], "describe_symptoms"),  # tells, asks nothing
    ("ice or heat", [], "ask_treatment"),  # nothing told: still the question
    ("is yoga any good for me?", [{**YOGA, "entity": "treatment", "start": 3, "end": 7}], "ask_treatment"),
    ("yoga makes my hip worse, any advice?", [YOGA], "describe_symptoms+ask_treatment"),  # both
])
def test_a_treatment_question_must_ask_something(text: str, entities: List[Dict[str, Any]], expected: str) -> None:
    message = _message(text, "ask_treatment", ["ask_treatment", "describe_symptoms"], entities)
    IntentGuard().process([message])
    assert message.get("intent")["name"] == expected
    names = [r["name"] for r in message.get("intent_ranking")]
    assert names[0] == expected and len(names) == len(set(names))
