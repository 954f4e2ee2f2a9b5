"""validate_intake_form: a typed answer is read for the question asked, "not sure" is accepted
as unknown (never a finding), an unreadable answer gets one more try, then the form goes on."""

from __future__ import annotations

from typing import Any, Dict, List, Sequence

import pytest

from actions.intake import NOT_GIVEN, ValidateIntakeForm
from actions.slot_extraction import ValidateSlotMappings
from hipguide.reasoning.findings import AGE_NOT_GIVEN, DURATION_NOT_GIVEN
from tests.actions.trackers import (
    Message,
    action,
    entity,
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

OPENING = [user("my hip hurts", "describe_symptoms", [entity("body_location", "groin")]), action("intake_form"),
           loop("intake_form")]


def asked(requested: str, answers: Sequence[str] = ()) -> List[Dict[str, Any]]:
    """The events up to the message being handled: the form asked ``requested`` and took
    ``answers`` that did not fill it."""
    events = [*OPENING, slot("requested_slot", requested)]
    for text in answers:
        events += [user(text, "describe_symptoms"), action("intake_form"), slot("requested_slot", requested)]
    return events


async def validate(text: str, requested: str, intent: str | None = "describe_symptoms",
                   entities: List[Dict[str, Any]] | None = None, earlier: Sequence[str] = (),
                   **extra: Any) -> tuple[Dict[str, Any], List[Message]]:
    events, messages = await run(ValidateIntakeForm(), tracker(
        text, intent, entities or [], loop_name="intake_form", requested=requested,
        history=asked(requested, earlier), slots={"findings": {"groin": "present"}, **extra.pop("slots", {})},
        **extra))
    return slot_events(events), messages


@pytest.mark.parametrize(("requested", "text", "value"), [
    ("age", "27.", 27),
    ("age", "fifty-two", 52),
    ("duration_days", "a fortnight", 14),
    ("duration_days", "3 wks", 21),
    ("onset", "it crept up on me", "gradual"),
    ("onset", "the second I landed off the box", "sudden"),
    ("side", "rigth", "right"),
    ("side", "both of them", "both"),
    ("pain_location", "its in my grion", "groin"),
    ("aggravating", "nothing really, it just hurts", "nothing in particular"),
])
async def test_a_typed_answer_is_read_for_the_question_asked(requested: str, text: str, value: Any) -> None:
    slots, messages = await validate(text, requested)
    assert slots[requested] == value
    assert messages == []


@pytest.mark.parametrize(("requested", "text", "intent"), [
    ("onset", "not sure", "describe_symptoms"),
    ("age", "I'd rather not say", "describe_symptoms"),
    ("side", "/unsure", "unsure"),
    ("aggravating", "/deny", "deny"),  # the "Nothing in particular" button
    ("duration_days", "no idea", "unsure"),
])
async def test_not_sure_or_declining_is_accepted_and_not_asked_again(requested: str, text: str, intent: str) -> None:
    slots, messages = await validate(text, requested, intent)
    assert slots[requested] == NOT_GIVEN[requested]
    assert messages == []


async def test_not_sure_is_never_a_finding() -> None:
    for requested in ("onset", "age", "duration_days"):
        events, _ = await run(ValidateSlotMappings(), tracker(
            "not sure", "unsure", loop_name="intake_form", requested=requested,
            slots={"findings": {"groin": "present"}, "age": AGE_NOT_GIVEN, "duration_days": DURATION_NOT_GIVEN}))
        assert slot_events(events)["findings"] == {"groin": "present"}, requested


@pytest.mark.parametrize("requested", sorted(NOT_GIVEN))
async def test_an_unreadable_answer_gets_one_more_try_then_the_form_goes_on(requested: str) -> None:
    slots, messages = await validate("the bus was late again", requested)
    assert responses(messages) == [f"utter_reask_{requested}"]
    render(messages[0])
    assert requested not in slots
    assert "findings" in slots  # the form takes the message rather than handing it to the fallback

    slots, messages = await validate("purple", requested, earlier=["the bus was late again"])
    assert responses(messages) == ["utter_intake_going_on"]
    assert slots[requested] == NOT_GIVEN[requested]


async def test_a_digression_in_between_does_not_count_as_a_try() -> None:
    history = [*asked("side", ["hmm"]), user("why do you ask?", "why_asking"), action("action_explain_question")]
    events, messages = await run(ValidateIntakeForm(), tracker(
        "the bus was late", "describe_symptoms", loop_name="intake_form", requested="side", history=history,
        slots={"findings": {"groin": "present"}}))
    assert responses(messages) == ["utter_reask_side"]
    assert "side" not in slot_events(events)


@pytest.mark.parametrize("intent", ["why_asking", "ask_treatment", "bot_challenge", "greet", "request_summary"])
async def test_a_side_question_is_left_to_its_rule(intent: str) -> None:
    slots, messages = await validate("why do you need that?", "age", intent)
    assert messages == []
    assert slots == {}  # nothing taken: the form steps aside, the rule answers, the question comes again


async def test_a_number_in_a_side_question_is_not_taken_as_the_age() -> None:
    slots, _ = await validate("is 40 too old for a labral tear?", "age", "ask_condition_info",
                              [entity("condition", "labral_tear")])
    assert "age" not in slots


async def test_an_answer_rasa_already_mapped_is_kept() -> None:
    slots, messages = await validate("the left one", "side", entities=[entity("side", "left")],
                                     candidates={"side": "left"})
    assert slots["side"] == "left" and messages == []


async def test_several_answers_in_one_message_are_all_kept() -> None:
    """"left, and it came on suddenly": neither is asked again."""
    slots, messages = await validate("left, and it came on suddenly", "side",
                                     entities=[entity("side", "left"), entity("onset", "sudden")],
                                     candidates={"side": "left", "onset": "sudden"})
    assert slots["side"] == "left" and slots["onset"] == "sudden"
    assert messages == []


async def test_a_message_that_tells_something_else_keeps_the_question_without_a_reprimand() -> None:
    slots, messages = await validate("I also can't sleep on that side", "age",
                                     entities=[entity("activity", "lying_on_side")])
    assert messages == []
    assert "age" not in slots
    assert "findings" in slots


async def test_a_restart_request_is_not_reprimanded() -> None:
    slots, messages = await validate("start over", "onset", "restart")
    assert messages == []
    assert "onset" not in slots
