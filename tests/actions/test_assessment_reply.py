"""action_assess: the likely causes with reasons, the triage level and what helps, or for
red flags and escalation groups no self-care tips at all."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from actions import knowledge_cache
from actions.assessment_reply import MAX_TREATMENTS, ActionAssess
from hipguide.reasoning.triage import urgency
from tests.actions.trackers import Message, rendered, responses, run, slot_events, tracker

pytestmark = pytest.mark.usefixtures("knowledge_db")

SELF_CARE_RESPONSES = {"utter_what_helps_intro", "utter_advice_line", "utter_treatment_evidence"}
OUTER_HIP = {"outer_hip": "present", "lying_on_side": "present", "gradual": "present"}
ADULT = {"age_under_16": "absent", "age_under_45": "present", "age_45_plus": "absent", "age_65_plus": "absent"}


async def assess(**slots: Any) -> tuple[Dict[str, Any], List[Message]]:
    events, messages = await run(ActionAssess(), tracker("", None, slots=slots))
    return slot_events(events), messages


async def test_a_self_care_case_gets_the_causes_the_triage_and_what_helps() -> None:
    slots, messages = await assess(findings={**OUTER_HIP, **ADULT})
    said = responses(messages)
    assert said[0] == "utter_assessment_intro" and said[-1] == "utter_assessment_followup"
    assert slots["triage_level"] == "self_care"
    assert said.count("utter_triage_self_care") == 1 and "utter_no_self_care" not in said

    # the causes named are the likely_conditions slot, in order, with their names from the database
    named = [m for m in messages if m["response"] == "utter_likely_condition"]
    views = knowledge_cache.conditions(slots["likely_conditions"])
    assert [m["name"] for m in named] == [v.name for v in views]
    assert [m["rank"] for m in named] == list(range(1, len(named) + 1))
    assert views[0].kind != "belief"

    # what helps: the top cause's self-care lines, then treatments each with its evidence
    top = views[0]
    assert [m["line"] for m in messages if m["response"] == "utter_advice_line"] == list(top.self_care)
    treatments = [m for m in messages if m["response"] == "utter_treatment_evidence"]
    assert 0 < len(treatments) <= MAX_TREATMENTS
    assert all(m["evidence"] for m in treatments)
    assert [m["name"] for m in treatments] == [t.name for t in top.treatments[:len(treatments)]]
    assert said.index("utter_triage_self_care") < said.index("utter_what_helps_intro")
    # every message is a response of the domain, with nothing left unfilled
    text = rendered(messages)
    assert any(top.when_to_seek_care in t for t in text)


async def test_the_reasons_say_what_fits_and_what_argues_against() -> None:
    _, messages = await assess(findings={"outer_hip": "present", "lying_on_side": "absent", **ADULT})
    labels = knowledge_cache.reasoning_data().labels
    reasons_for = " ".join(m["reasons"] for m in messages if m["response"] == "utter_condition_reasons_for")
    reasons_against = " ".join(m["reasons"] for m in messages
                               if m["response"] == "utter_condition_reasons_against")
    assert labels["outer_hip"] in reasons_for
    assert labels["lying_on_side"] not in reasons_for  # denied: never given as a reason for
    assert "lying on that side" in reasons_against


ESCALATIONS = {
    # case: (findings, a red flag or group it raises, the least urgent acceptable triage)
    "child with groin pain": ({"groin": "present", "age_under_16": "present", "age_under_45": "present",
                               "age_45_plus": "absent", "age_65_plus": "absent"}, "P1", "routine"),
    "pregnant": ({"groin": "present", "pubic_bone": "present", "pregnancy": "present", **ADULT}, "P2", "routine"),
    "recently given birth": ({"groin": "present", "postpartum": "present", **ADULT}, "P2", "routine"),
    "older adult after a fall, walking": ({"groin": "present", "fall": "present", "age_under_16": "absent",
                                           "age_under_45": "absent", "age_45_plus": "present",
                                           "age_65_plus": "present"}, "RF17", "urgent"),
    "runner, hopping hurts": ({"groin": "present", "running": "present", "hopping": "present", **ADULT},
                              "RF9", "urgent"),
    "fever and a hot hip": ({"outer_hip": "present", "fever": "present", "hot_joint": "present", **ADULT},
                            "RF3", "emergency"),
    "saddle numbness with buttock pain": ({"buttock": "present", "lower_back": "present",
                                           "saddle_numbness": "present", **ADULT}, "RF4", "emergency"),
}


@pytest.mark.parametrize("case", ESCALATIONS)
async def test_red_flags_and_escalation_groups_get_no_self_care_tips(case: str) -> None:
    findings, flag, least = ESCALATIONS[case]
    slots, messages = await assess(findings=findings)
    said = responses(messages)
    assert flag in slots["red_flags"]
    assert urgency(slots["triage_level"]) >= urgency(least)
    assert f"utter_triage_{slots['triage_level']}" in said and "utter_triage_self_care" not in said
    assert "utter_no_self_care" in said
    assert not SELF_CARE_RESPONSES & set(said)
    rendered(messages)


@pytest.mark.parametrize("flag", ["RF1", "RF3", "RF4", "RF9", "RF17"])
async def test_the_cause_a_red_flag_points_to_is_named_first(flag: str) -> None:
    findings = {"RF1": {"fall": "present", "cannot_bear_weight": "present", "outer_hip": "present"},
                "RF3": {"fever": "present", "swelling": "present", "outer_hip": "present", "lying_on_side": "present"},
                "RF4": {"bladder_bowel_change": "present", "buttock": "present"},
                "RF9": {"running": "present", "hopping": "present", "groin": "present"},
                "RF17": {"fall": "present", "age_65_plus": "present", "outer_hip": "present"}}[flag]
    slots, _ = await assess(findings=findings)
    rule = next(r for r in knowledge_cache.reasoning_data().rules if r.id == flag)
    assert slots["likely_conditions"][0] in rule.conditions


async def test_the_triage_never_drops_below_what_a_red_flag_raised() -> None:
    slots, messages = await assess(findings={**OUTER_HIP, **ADULT}, triage_level="emergency", red_flags=["RF8"])
    assert slots["triage_level"] == "emergency"
    said = responses(messages)
    assert "utter_triage_emergency" in said and "utter_triage_self_care" not in said
    assert slots["red_flags"] == ["RF8"]  # the flags raised earlier stay on record


async def test_earlier_red_flags_are_kept_alongside_new_ones() -> None:
    slots, _ = await assess(findings={"groin": "present", "running": "present", "hopping": "present", **ADULT},
                            triage_level="emergency", red_flags=["RF8"])
    assert set(slots["red_flags"]) == {"RF8", "RF9"}
    assert slots["triage_level"] == "emergency"


async def test_no_self_care_tips_follow_an_emergency_triage() -> None:
    # fever + hot hip raised RF3 (emergency); then "actually no fever" (slot extraction keeps the level)
    slots, messages = await assess(findings={**OUTER_HIP, **ADULT, "hot_joint": "present", "fever": "absent"},
                                   triage_level="emergency", red_flags=["RF3"])
    said = responses(messages)
    assert slots["triage_level"] == "emergency" and "utter_triage_emergency" in said
    assert not SELF_CARE_RESPONSES & set(said)
    assert "utter_no_self_care" in said


async def test_a_routine_cause_is_not_waved_through_as_self_care() -> None:
    # an older runner with gradual groin pain, stiff in the morning, for months: wear and tear (routine)
    findings = {"groin": "present", "gradual": "present", "morning_stiffness": "present",
                "duration_over_6_weeks": "present", "duration_over_3_months": "present", "age_under_16": "absent",
                "age_under_45": "absent", "age_45_plus": "present", "age_65_plus": "absent"}
    slots, messages = await assess(findings=findings)
    top = knowledge_cache.conditions(slots["likely_conditions"][:1])[0]
    assert top.default_triage != "self_care"
    assert urgency(slots["triage_level"]) >= urgency(top.default_triage)
    assert f"utter_triage_{slots['triage_level']}" in responses(messages)
