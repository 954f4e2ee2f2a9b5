"""The follow-up questions: red-flag screening first, never the same question twice, a typed
answer read as yes / no / not sure, one more try for an unreadable answer, then go on."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from actions import knowledge_cache
from actions.followup import YES_NO_BUTTONS, ActionAskFollowupAnswer, ActionPlanQuestions, ValidateFollowupForm
from actions.slot_extraction import ValidateSlotMappings
from tests.actions.trackers import (
    Message,
    action,
    entity,
    initial_slots,
    loop,
    render,
    responses,
    run,
    slot,
    slot_events,
    tracker,
    user,
)

pytestmark = pytest.mark.usefixtures("knowledge_db")

IN_FORM: Dict[str, Any] = {"loop_name": "followup_form", "requested": "followup_answer"}
RUNNER = {"groin": "present", "running": "present", "gradual": "present"}


async def ask(**slots: Any) -> tuple[Dict[str, Any], List[Message]]:
    events, messages = await run(ActionAskFollowupAnswer(), tracker("", None, slots=slots, **IN_FORM))
    return slot_events(events), messages


async def questions_for(findings: Dict[str, str], answer: str = "deny") -> List[str]:
    """The questions asked, in order, of someone who answers every one with the same button,
    each turn run as the server does: slot extraction, the form's validation, the next question."""
    state = {**initial_slots(), "findings": dict(findings), "requested_slot": "followup_answer"}
    asked: List[str] = []
    value = {"affirm": "yes", "deny": "no", "unsure": "not sure"}[answer]
    for _ in range(20):
        events, messages = await run(ActionAskFollowupAnswer(),
                                     tracker("", None, slots=state, loop_name="followup_form"))
        state.update(slot_events(events))
        if state["pending_question"] is None:
            break
        asked.append(state["pending_question"])
        assert responses(messages) == ["utter_followup_question"]
        events, _ = await run(ValidateSlotMappings(), tracker(f"/{answer}", answer, slots=state,
                                                              loop_name="followup_form"))
        state.update(slot_events(events))
        events, messages = await run(ValidateFollowupForm(), tracker(
            f"/{answer}", answer, slots=state, loop_name="followup_form", candidates={"followup_answer": value}))
        assert messages == []
        state.update(slot_events(events))
        if state["requested_slot"] is None:
            break
    return asked


# ---- whether to ask, and what --------------------------------------------------------------------

async def test_questions_are_planned_while_something_is_worth_asking() -> None:
    events, _ = await run(ActionPlanQuestions(), tracker("", None, slots={"findings": RUNNER}))
    assert slot_events(events) == {"questions_needed": True}


async def test_no_questions_are_planned_once_the_cap_is_reached() -> None:
    cap = knowledge_cache.reasoning_data().policy.max_questions
    asked = sorted(knowledge_cache.reasoning_data().questions)[:cap]
    events, _ = await run(ActionPlanQuestions(), tracker("", None, slots={"findings": RUNNER,
                                                                          "asked_questions": asked}))
    assert slot_events(events) == {"questions_needed": False}


async def test_a_question_is_asked_with_its_words_and_yes_no_buttons() -> None:
    slots, messages = await ask(findings=RUNNER)
    pending = slots["pending_question"]
    question = knowledge_cache.reasoning_data().questions[pending]
    assert [render(m) for m in messages] == [question.question]
    assert messages[0]["buttons"] == YES_NO_BUTTONS
    assert [b["payload"] for b in YES_NO_BUTTONS] == ["/affirm", "/deny", "/unsure"]
    assert slots["asked_questions"] == [pending]
    assert pending not in RUNNER


async def test_the_open_question_is_asked_again_after_a_side_question() -> None:
    first, _ = await ask(findings=RUNNER)
    again, messages = await ask(findings=RUNNER, **first)
    assert again["pending_question"] == first["pending_question"]
    assert again["asked_questions"] == first["asked_questions"]  # counted once
    assert messages[0]["question"] == knowledge_cache.reasoning_data().questions[first["pending_question"]].question


async def test_nothing_is_asked_twice_nor_what_is_already_known() -> None:
    findings = {**RUNNER, "night_pain": "absent", "age_under_45": "present"}
    asked = await questions_for(findings)
    assert asked, "a runner with groin pain is asked something"
    assert len(asked) == len(set(asked))
    assert not set(asked) & set(findings)
    assert len(asked) <= knowledge_cache.reasoning_data().policy.max_questions


@pytest.mark.parametrize("answer", ["affirm", "unsure"])
async def test_the_questions_end_whatever_the_answers(answer: str) -> None:
    asked = await questions_for({"outer_hip": "present", "lying_on_side": "present"}, answer)
    assert len(asked) == len(set(asked)) <= knowledge_cache.reasoning_data().policy.max_questions


# ---- red-flag screening first ----------------------------------------------------------------

def clause_findings(flag: str) -> set[str]:
    rule = next(r for r in knowledge_cache.reasoning_data().rules if r.id == flag)
    return {f for clause in rule.clauses for f in clause}


async def test_back_pain_brings_the_cauda_equina_questions_first() -> None:
    asked = await questions_for({"lower_back": "present", "buttock": "present"})
    cauda_equina = clause_findings("RF4")
    assert asked[0] in cauda_equina
    assert cauda_equina <= set(asked)


async def test_a_runner_with_groin_pain_is_asked_about_hopping_and_night_pain() -> None:
    asked = await questions_for(RUNNER)
    screening = knowledge_cache.reasoning_data().policy.max_screening
    assert {"hopping", "night_pain"} <= set(asked[:screening])


async def test_after_an_operation_the_calf_is_asked_about() -> None:
    asked = await questions_for({"groin": "present", "surgery": "present"})
    assert "calf_swelling" in asked[:knowledge_cache.reasoning_data().policy.max_screening]


async def test_a_yes_to_a_screening_question_raises_the_red_flag_during_the_questions() -> None:
    state = {"findings": dict(RUNNER), "pending_question": "hopping", "asked_questions": ["hopping"]}
    events, messages = await run(ValidateSlotMappings(), tracker("/affirm", "affirm", slots=state, **IN_FORM))
    slots = slot_events(events)
    assert slots["findings"]["hopping"] == "present"
    assert slots["triage_level"] == "urgent" and "RF9" in slots["red_flags"]
    assert responses(messages) == ["utter_red_flag", "utter_red_flag_continue"]


# ---- reading the answer ------------------------------------------------------------------------

HISTORY = [user("my groin hurts when I run"), action("followup_form"), loop("followup_form"),
           slot("pending_question", "night_pain"), slot("requested_slot", "followup_answer")]
PENDING = {"findings": RUNNER, "pending_question": "night_pain", "asked_questions": ["night_pain"]}


async def validate(text: str, intent: str | None, entities: List[Dict[str, Any]] | None = None,
                   history: List[Dict[str, Any]] | None = None, **extra: Any) -> tuple[Dict[str, Any], List[Message]]:
    events, messages = await run(ValidateFollowupForm(), tracker(
        text, intent, entities or [], slots={**PENDING, **extra.pop("slots", {})}, history=history or HISTORY,
        **IN_FORM, **extra))
    return slot_events(events), messages


async def test_a_button_answer_clears_the_question_for_the_next_one() -> None:
    slots, messages = await validate("/deny", "deny", candidates={"followup_answer": "no"})
    assert messages == []
    assert slots["pending_question"] is None and slots["followup_answer"] is None
    assert "requested_slot" not in slots  # more to ask: the form goes on (it never sets None here)


@pytest.mark.parametrize("text", ["only at night when I lie still", "nah", "not sure really"])
async def test_a_typed_answer_is_taken(text: str) -> None:
    slots, messages = await validate(text, "describe_symptoms")
    assert messages == []
    assert slots["pending_question"] is None


async def test_an_unreadable_answer_gets_one_more_try_with_an_example() -> None:
    slots, messages = await validate("the bus was late", "describe_symptoms")
    assert responses(messages) == ["utter_reask_followup_answer"]
    assert "Yes" in render(messages[0])
    assert "pending_question" not in slots  # the same question stays open
    assert "findings" in slots  # the form takes the message rather than being rejected


SECOND_TRY = [*HISTORY, user("the bus was late"), action("followup_form"), slot("requested_slot", "followup_answer")]


async def test_a_second_unreadable_answer_goes_on_to_the_next_question() -> None:
    slots, messages = await validate("purple", "describe_symptoms", history=SECOND_TRY)
    assert "utter_reask_followup_answer" not in responses(messages)
    assert slots["pending_question"] is None
    asked, _ = await ask(findings=RUNNER, asked_questions=["night_pain"], pending_question=None)
    assert asked["pending_question"] not in (None, "night_pain")


async def test_a_question_given_up_on_is_recorded_as_not_known() -> None:
    slots, _ = await validate("purple", "describe_symptoms", history=SECOND_TRY)
    assert slots["findings"]["night_pain"] == "unknown"


@pytest.mark.parametrize("intent", ["why_asking", "ask_treatment", "greet"])
async def test_a_side_question_or_small_talk_is_no_answer(intent: str) -> None:
    slots, messages = await validate("why? does ice help?", intent)
    assert messages == []
    assert "pending_question" not in slots and "followup_answer" not in slots
    assert "findings" not in slots  # the form steps aside so that a rule answers


async def test_a_message_that_tells_something_else_keeps_the_question_open_without_a_reprimand() -> None:
    slots, messages = await validate("I also get pins and needles", "describe_symptoms",
                                     [entity("symptom", "tingling")])
    assert messages == []
    assert "pending_question" not in slots
    assert "findings" in slots


async def test_a_restart_request_is_not_reprimanded() -> None:
    _, messages = await validate("start over", "restart")
    assert "utter_reask_followup_answer" not in responses(messages)


async def test_the_questions_stop_at_the_cap() -> None:
    cap = knowledge_cache.reasoning_data().policy.max_questions
    asked = ["night_pain", *(q for q in sorted(knowledge_cache.reasoning_data().questions) if q != "night_pain")][:cap]
    slots, _ = await validate("/deny", "deny", candidates={"followup_answer": "no"},
                              slots={"asked_questions": asked})
    assert slots["requested_slot"] is None  # the form ends; the assessment follows
