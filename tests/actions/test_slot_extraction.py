"""action_validate_slot_mappings: after every message, in or out of a form, the findings,
the red flags (announced at once, once) and the triage level (raised, never lowered)."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from actions import knowledge_cache
from actions.slot_extraction import ValidateSlotMappings
from hipguide.reasoning.triage import urgency
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

AGES_70 = {"age_under_16": "absent", "age_under_45": "absent", "age_45_plus": "present", "age_65_plus": "present"}


async def extract(*args: Any, **kwargs: Any) -> tuple[Dict[str, Any], List[Message]]:
    events, messages = await run(ValidateSlotMappings(), tracker(*args, **kwargs))
    return slot_events(events), messages


def announced(messages: List[Message], flag: str) -> bool:
    advice = knowledge_cache.reasoning_data().advice[flag]
    return any(m["response"] == "utter_red_flag" and advice in render(m) for m in messages)


# ---- red flags: at once, at any point, once ---------------------------------------------------

RED_FLAG_MOMENTS: Dict[str, Dict[str, Any]] = {
    "first message": {},
    "during the intake": {"loop_name": "intake_form", "requested": "side",
                          "slots": {"findings": {"buttock": "present"}}},
    "during the follow-up questions": {"loop_name": "followup_form", "requested": "followup_answer",
                                       "slots": {"findings": {"buttock": "present"}, "pending_question": "fever"}},
    "after the assessment": {"slots": {"findings": {"buttock": "present"}, "likely_conditions": ["si_joint_pain"],
                                       "triage_level": "self_care"}},
}


@pytest.mark.parametrize("moment", RED_FLAG_MOMENTS)
async def test_a_red_flag_is_announced_at_once_whatever_the_conversation_is_doing(moment: str) -> None:
    context = RED_FLAG_MOMENTS[moment]
    slots, messages = await extract("I can't feel anything when I wipe", "describe_symptoms",
                                    [entity("symptom", "saddle_numbness")], **context)
    assert announced(messages, "RF4")
    assert slots["findings"]["saddle_numbness"] == "present"
    assert "RF4" in slots["red_flags"]
    assert slots["triage_level"] == "emergency"
    # in the middle of a form the person is told to act first, then the questions go on
    carry_on = "utter_red_flag_continue" in responses(messages)
    assert carry_on == ("loop_name" in context)


async def test_a_red_flag_is_announced_only_once() -> None:
    slots, messages = await extract("still numb down there", "describe_symptoms",
                                    [entity("symptom", "saddle_numbness")],
                                    slots={"findings": {"saddle_numbness": "present"}, "red_flags": ["RF4"],
                                           "triage_level": "emergency"})
    assert "utter_red_flag" not in responses(messages)
    assert "red_flags" not in slots  # nothing new to record


async def test_a_second_red_flag_is_announced_and_the_first_is_kept() -> None:
    slots, messages = await extract("and I'm short of breath", "describe_symptoms",
                                    [entity("symptom", "breathlessness")],
                                    slots={"findings": {"saddle_numbness": "present"}, "red_flags": ["RF4"],
                                           "triage_level": "emergency"})
    assert announced(messages, "RF8") and not announced(messages, "RF4")
    assert slots["red_flags"][0] == "RF4" and "RF8" in slots["red_flags"]


async def test_findings_said_in_separate_messages_complete_a_red_flag() -> None:
    slots, messages = await extract("I've had a fever since yesterday", "describe_symptoms",
                                    [entity("symptom", "fever")],
                                    slots={"findings": {"hot_joint": "present", "groin": "present"}})
    assert announced(messages, "RF3")
    assert slots["triage_level"] == "emergency"


# ---- triage: raised at once, never lowered ----------------------------------------------------

async def test_triage_is_raised_from_urgent_to_emergency() -> None:
    slots, _ = await extract("it won't take my weight since I fell", "describe_symptoms",
                             [entity("event", "fall"), entity("symptom", "cannot_bear_weight")],
                             slots={"findings": {"groin": "present", "running": "present", "hopping": "present"},
                                    "red_flags": ["RF9"], "triage_level": "urgent"})
    assert slots["triage_level"] == "emergency"


async def test_triage_is_never_lowered_by_a_later_harmless_message() -> None:
    slots, messages = await extract("it's deep in my buttock", "describe_symptoms",
                                    [entity("body_location", "buttock")],
                                    slots={"findings": {"fever": "present", "hot_joint": "present"},
                                           "red_flags": ["RF3"], "triage_level": "emergency"})
    assert slots.get("triage_level", "emergency") == "emergency"
    assert "utter_red_flag" not in responses(messages)


async def test_triage_is_not_lowered_when_the_red_flag_finding_is_denied_afterwards() -> None:
    slots, _ = await extract("actually no fever", "describe_symptoms", [entity("symptom", "fever", "negated")],
                             slots={"findings": {"fever": "present", "hot_joint": "present"},
                                    "red_flags": ["RF3"], "triage_level": "emergency"})
    assert slots["findings"]["fever"] == "absent"
    assert slots.get("triage_level", "emergency") == "emergency"


# ---- negation and uncertainty ----------------------------------------------------------------

async def test_a_negated_finding_is_absent_and_raises_no_red_flag() -> None:
    slots, messages = await extract("the hip is hot but no fever", "describe_symptoms",
                                    [entity("symptom", "hot_joint"), entity("symptom", "fever", "negated")])
    assert slots["findings"]["fever"] == "absent"
    assert slots["findings"]["hot_joint"] == "present"
    assert messages == []
    assert "triage_level" not in slots and "red_flags" not in slots


async def test_an_uncertain_finding_is_unknown_and_raises_no_red_flag() -> None:
    slots, messages = await extract("not sure if I'm numb down there", "describe_symptoms",
                                    [entity("symptom", "saddle_numbness", "uncertain")])
    assert slots["findings"]["saddle_numbness"] == "unknown"
    assert messages == []


async def test_a_later_denial_replaces_an_earlier_statement_and_earlier_findings_are_kept() -> None:
    slots, _ = await extract("actually it doesn't hurt at night", "describe_symptoms",
                             [entity("symptom", "night_pain", "negated")],
                             slots={"findings": {"night_pain": "present", "groin": "present"}})
    assert slots["findings"]["night_pain"] == "absent"
    assert slots["findings"]["groin"] == "present"


async def test_a_value_outside_the_knowledge_data_is_not_stored() -> None:
    slots, _ = await extract("my flux capacitor hurts", "describe_symptoms",
                             [entity("symptom", "flux_capacitor"), entity("body_location", "groin")])
    assert slots["findings"] == {"groin": "present"}


# ---- populations who get escalation: children, pregnancy, older adults after a fall -------------

async def test_a_child_is_escalated_and_a_limping_child_urgently() -> None:
    slots, messages = await extract("my son is 9 and his hip hurts", "describe_symptoms", [entity("age", "9")],
                                    loop_name="intake_form", requested="pain_location")
    assert slots["findings"]["age_under_16"] == "present"
    assert announced(messages, "P1")
    assert "utter_red_flag_continue" not in responses(messages)  # an escalation group, not an emergency
    assert urgency(slots["triage_level"]) >= urgency("routine")

    slots, messages = await extract("and he's limping", "describe_symptoms", [entity("symptom", "limp")],
                                    slots={"findings": slots["findings"], "red_flags": slots["red_flags"],
                                           "triage_level": slots["triage_level"]})
    assert announced(messages, "RF13") and not announced(messages, "P1")
    assert slots["triage_level"] == "urgent"


async def test_pregnancy_is_escalated_and_a_swollen_calf_in_pregnancy_urgently() -> None:
    slots, messages = await extract("I'm 30 weeks pregnant", "describe_symptoms",
                                    [entity("risk_factor", "pregnancy")])
    assert announced(messages, "P2")
    assert urgency(slots["triage_level"]) >= urgency("routine")
    slots, messages = await extract("my calf is swollen", "describe_symptoms", [entity("symptom", "calf_swelling")],
                                    slots={"findings": {"pregnancy": "present"}, "red_flags": ["P2"],
                                           "triage_level": "routine"})
    assert announced(messages, "RF15")
    assert slots["triage_level"] == "urgent"


async def test_an_older_adult_after_a_fall_is_escalated_when_the_age_is_typed() -> None:
    """"72" typed to the age question, after "I fell and my groin hurts": an X-ray today."""
    slots, messages = await extract("72", "describe_symptoms", loop_name="intake_form", requested="age",
                                    slots={"findings": {"fall": "present", "groin": "present"}})
    assert slots["findings"]["age_65_plus"] == "present"
    assert announced(messages, "RF17")
    assert slots["triage_level"] == "urgent"


async def test_a_younger_adult_after_a_fall_is_not_escalated_for_age() -> None:
    slots, messages = await extract("34", "describe_symptoms", loop_name="intake_form", requested="age",
                                    slots={"findings": {"fall": "present", "groin": "present"}})
    assert slots["findings"]["age_65_plus"] == "absent"
    assert not announced(messages, "RF17")
    assert "triage_level" not in slots


# ---- answers to the follow-up questions -----------------------------------------------------------

def followup(text: str, intent: str | None, pending: str, findings: Dict[str, str],
             entities: List[Dict[str, Any]] | None = None) -> Dict[str, Any]:
    return {"text": text, "intent": intent, "entities": entities or [], "loop_name": "followup_form",
            "requested": "followup_answer", "slots": {"findings": findings, "pending_question": pending}}


async def test_a_yes_to_a_screening_question_completes_the_red_flag() -> None:
    slots, messages = await extract(**followup("/affirm", "affirm", "fever", {"hot_joint": "present"}))
    assert slots["findings"]["fever"] == "present"
    assert announced(messages, "RF3")


@pytest.mark.parametrize(("text", "intent", "state", "flag"), [
    ("/affirm", "affirm", "absent", False),  # "Can you walk and put your full weight on it?" "Yes"
    ("/deny", "deny", "present", True),
    ("not at all, it just gives way", "describe_symptoms", "present", True),  # a typed "no"
    ("/unsure", "unsure", "unknown", False),
])
async def test_a_question_asked_the_other_way_round_is_read_the_right_way(text: str, intent: str, state: str,
                                                                         flag: bool) -> None:
    slots, messages = await extract(**followup(text, intent, "cannot_bear_weight", {"fall": "present"}))
    assert slots["findings"]["cannot_bear_weight"] == state
    assert announced(messages, "RF1") == flag
    assert (slots.get("triage_level") == "emergency") == flag


async def test_a_typed_content_answer_is_read_as_yes() -> None:
    slots, _ = await extract(**followup("only when I lie on that side", "describe_symptoms", "lying_on_side",
                                        {"outer_hip": "present"}))
    assert slots["findings"]["lying_on_side"] == "present"


async def test_the_words_of_the_message_win_over_its_yes_or_no() -> None:
    slots, _ = await extract(**followup("yes, well, no pain at night really", "affirm", "night_pain",
                                        {"groin": "present"}, [entity("symptom", "night_pain", "negated")]))
    assert slots["findings"]["night_pain"] == "absent"


async def test_a_side_question_is_not_taken_as_the_answer() -> None:
    slots, _ = await extract(**followup("why do you ask that?", "why_asking", "night_pain", {"groin": "present"}))
    assert "night_pain" not in slots["findings"]


async def test_a_yes_outside_the_follow_up_questions_answers_nothing() -> None:
    slots, _ = await extract("yes", "affirm", slots={"findings": {"groin": "present"}, "pending_question": None})
    assert slots["findings"] == {"groin": "present"}


# ---- intake answers, duration, the patient, a pending restart ------------------------------------

async def test_a_typed_onset_becomes_a_finding_and_excludes_the_other_onset() -> None:
    slots, _ = await extract("all at once when I landed", "describe_symptoms", loop_name="intake_form",
                             requested="onset", slots={"findings": {"groin": "present"}})
    assert slots["findings"]["sudden"] == "present"
    assert slots["findings"]["gradual"] == "absent"


async def test_a_duration_sets_the_slot_and_its_findings_once() -> None:
    slots, _ = await extract("about 4 months", "describe_symptoms", [entity("duration", "4 months")])
    assert slots["duration_days"] == 120
    assert slots["findings"]["duration_over_6_weeks"] == "present"
    assert slots["findings"]["duration_over_3_months"] == "present"
    # the same duration again is no new answer (it would fill whatever a form is asking)
    slots, _ = await extract("yes about 4 months", "describe_symptoms", [entity("duration", "4 months")],
                             slots={"duration_days": 120.0})
    assert "duration_days" not in slots


async def test_a_relative_becomes_the_patient_once() -> None:
    slots, _ = await extract("my daughter has a sore hip", "describe_symptoms", [entity("body_location", "groin")])
    assert slots["proxy"] is True and slots["patient_relation"] == "daughter"
    slots, _ = await extract("my dad says hi", "describe_symptoms", slots={"proxy": True,
                                                                            "patient_relation": "daughter"})
    assert "proxy" not in slots and "patient_relation" not in slots


async def test_the_writer_stays_the_patient_when_speaking_of_their_own_body() -> None:
    slots, _ = await extract("my wife says I limp", "describe_symptoms", [entity("symptom", "limp")])
    assert "proxy" not in slots


@pytest.mark.parametrize(("intent", "cleared"), [("describe_symptoms", True), ("restart", False)])
async def test_carrying_on_withdraws_a_pending_restart(intent: str, cleared: bool) -> None:
    slots, _ = await extract("left", intent, loop_name="intake_form", requested="side",
                             slots={"restart_pending": True, "findings": {"groin": "present"}})
    assert (slots.get("restart_pending") is False) == cleared


async def test_the_whole_story_of_a_turn_is_read_from_real_events() -> None:
    """Built like the server sends it: the history, then the message being handled."""
    history = [user("my groin hurts when I run", "describe_symptoms",
                    [entity("body_location", "groin"), entity("activity", "running")]),
               action("intake_form"), loop("intake_form"), slot("requested_slot", "side")]
    slots, messages = await extract("left, and it hurts to hop", "describe_symptoms",
                                    [entity("side", "left"), entity("activity", "hopping")],
                                    loop_name="intake_form", requested="side", history=history,
                                    slots={"findings": {"groin": "present", "running": "present"}})
    assert {"groin", "running", "left", "hopping"} <= set(slots["findings"])
    assert announced(messages, "RF9") and "utter_red_flag_continue" in responses(messages)
    assert slots["triage_level"] == "urgent"
