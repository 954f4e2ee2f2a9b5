"""Side questions: a treatment's evidence, what a condition is, why a question is asked and a
summary for a clinician; before any assessment, an offer to go through the pain."""

from __future__ import annotations

from typing import Any, Dict, List

import pytest

from actions import knowledge_cache
from actions.information import (
    SLOT_EXPLANATIONS,
    ActionExplainCondition,
    ActionExplainQuestion,
    ActionExplainTreatment,
    ActionSummary,
)
from tests.actions.trackers import Message, entity, render, rendered, responses, run, tracker

pytestmark = pytest.mark.usefixtures("knowledge_db")

AFTER_ASSESSMENT = {"findings": {"outer_hip": "present", "lying_on_side": "present"},
                    "likely_conditions": ["gtps", "itbs"], "triage_level": "self_care"}


async def said(action: Any, text: str, intent: str, entities: List[Dict[str, Any]] | None = None,
               **context: Any) -> List[Message]:
    events, messages = await run(action, tracker(text, intent, entities or [], **context))
    assert events == []  # a side question changes nothing that is known
    rendered(messages, context.get("slots"))
    return messages


# ---- treatments -------------------------------------------------------------------------------

async def test_a_named_treatment_gets_its_evidence_and_an_offer_to_go_through_the_pain() -> None:
    messages = await said(ActionExplainTreatment(), "does glucosamine help?", "ask_treatment",
                          [entity("treatment", "glucosamine")])
    found = knowledge_cache.treatment("glucosamine")
    assert found is not None
    assert responses(messages) == ["utter_treatment_evidence", "utter_offer_assessment"]
    assert messages[0]["evidence"] == found.evidence and messages[0]["statement"] == found.statement


async def test_after_the_assessment_a_treatment_is_judged_for_the_likely_cause() -> None:
    top = knowledge_cache.conditions(["gtps"])[0]
    use = next(u for u in top.treatments if u.note)
    messages = await said(ActionExplainTreatment(), f"what about {use.name}?", "ask_treatment",
                          [entity("treatment", use.treatment_id)], slots=AFTER_ASSESSMENT)
    assert responses(messages) == ["utter_treatment_evidence"]  # no offer: the assessment was given
    assert messages[0]["evidence"] == use.evidence
    assert str(use.note) in render(messages[0])


async def test_an_unknown_treatment_is_said_to_be_unknown() -> None:
    messages = await said(ActionExplainTreatment(), "does moon water help?", "ask_treatment",
                          [entity("treatment", "moon_water")])
    assert responses(messages)[0] == "utter_treatment_unknown"


async def test_what_helps_without_a_name_is_what_helps_the_likely_cause() -> None:
    messages = await said(ActionExplainTreatment(), "what can I do about it?", "ask_treatment",
                          slots=AFTER_ASSESSMENT)
    top = knowledge_cache.conditions(["gtps"])[0]
    assert messages[0]["response"] == "utter_what_helps_intro" and messages[0]["name"] == top.name
    treatments = [m for m in messages if m["response"] == "utter_treatment_evidence"]
    assert [m["name"] for m in treatments] == [u.name for u in top.treatments]
    assert all(m["evidence"] for m in treatments)


async def test_what_helps_before_anything_is_known_comes_after_the_questions() -> None:
    alone = await said(ActionExplainTreatment(), "what can I do about it?", "ask_treatment")
    assert responses(alone) == ["utter_treatment_unknown", "utter_offer_assessment"]
    # "my outer hip aches, what can I do about it?": the intake follows at once, no offer
    described = await said(ActionExplainTreatment(), "my outer hip aches, what can I do?",
                           "describe_symptoms+ask_treatment", [entity("body_location", "outer_hip")])
    assert responses(described) == ["utter_treatment_after_questions"]


async def test_no_offer_in_the_middle_of_the_questions() -> None:
    messages = await said(ActionExplainTreatment(), "does ice help?", "ask_treatment", [entity("treatment", "ice")],
                          loop_name="intake_form", requested="onset", slots={"findings": {"groin": "present"}})
    assert "utter_offer_assessment" not in responses(messages)


# ---- conditions -------------------------------------------------------------------------------

async def test_a_condition_is_explained_with_when_to_get_help() -> None:
    messages = await said(ActionExplainCondition(), "what is a labral tear?", "ask_condition_info",
                          [entity("condition", "labral_tear")])
    view = knowledge_cache.condition("labral_tear")
    assert view is not None
    assert responses(messages) == ["utter_condition_info", "utter_offer_assessment"]
    assert view.when_to_seek_care in render(messages[0])


async def test_a_belief_is_answered_as_a_belief_not_as_a_diagnosis() -> None:
    messages = await said(ActionExplainCondition(), "is my pelvis out of line?", "ask_condition_info",
                          [entity("condition", "pelvic_misalignment")])
    assert responses(messages)[0] == "utter_belief_info"
    assert "utter_condition_info" not in responses(messages)


async def test_what_is_it_after_the_assessment_explains_the_likely_cause() -> None:
    messages = await said(ActionExplainCondition(), "what is that?", "ask_condition_info", slots=AFTER_ASSESSMENT)
    assert messages[0]["response"] == "utter_condition_info"
    assert messages[0]["name"] == knowledge_cache.conditions(["gtps"])[0].name


@pytest.mark.parametrize(("intent", "expected"), [("ask_condition_info", "utter_condition_unknown"),
                                                  ("describe_symptoms+ask_condition_info",
                                                   "utter_condition_after_questions")])
async def test_what_is_it_before_anything_is_known(intent: str, expected: str) -> None:
    messages = await said(ActionExplainCondition(), "what is it?", intent)
    assert responses(messages)[0] == expected


async def test_an_unknown_condition_is_said_to_be_unknown() -> None:
    messages = await said(ActionExplainCondition(), "what is hip flu?", "ask_condition_info",
                          [entity("condition", "hip_flu")])
    assert responses(messages)[0] == "utter_condition_unknown"


# ---- why do you ask? -----------------------------------------------------------------------------

@pytest.mark.parametrize("requested", sorted(SLOT_EXPLANATIONS))
async def test_why_an_intake_question_is_asked(requested: str) -> None:
    messages = await said(ActionExplainQuestion(), "why do you ask?", "why_asking", loop_name="intake_form",
                          requested=requested)
    assert responses(messages) == [f"utter_explain_{requested}"]


async def test_why_a_follow_up_question_is_asked() -> None:
    question = knowledge_cache.reasoning_data().questions["hopping"]
    messages = await said(ActionExplainQuestion(), "why do you ask?", "why_asking", loop_name="followup_form",
                          requested="followup_answer", slots={"pending_question": "hopping"})
    assert [render(m) for m in messages] == [f"Why I ask: {question.why}"]


async def test_why_with_no_question_open_gets_the_disclaimer() -> None:
    messages = await said(ActionExplainQuestion(), "why?", "why_asking")
    assert responses(messages) == ["utter_disclaimer"]


# ---- summary for a clinician ---------------------------------------------------------------------

async def test_the_summary_lists_reported_denied_and_unsure_in_the_data_s_words() -> None:
    labels = knowledge_cache.reasoning_data().labels
    slots = {**AFTER_ASSESSMENT, "findings": {"groin": "present", "running": "present", "fever": "absent",
                                              "night_pain": "unknown", "<script>": "present"},
             "triage_level": "urgent"}
    messages = await said(ActionSummary(), "can I have a summary for my GP?", "request_summary", slots=slots)
    assert responses(messages) == ["utter_summary"]  # after the assessment: no offer
    summary = messages[0]
    assert summary["present"] == f"{labels['groin']}; {labels['running']}"
    assert summary["absent"] == labels["fever"] and summary["unknown"] == labels["night_pain"]
    assert "<script>" not in render(summary)  # a made-up value never comes back
    assert summary["likely"] == "; ".join(v.name for v in knowledge_cache.conditions(["gtps", "itbs"]))
    assert summary["triage"] == "urgent"


async def test_a_summary_before_the_assessment_says_so_and_offers_to_go_on() -> None:
    messages = await said(ActionSummary(), "summary please", "request_summary",
                          slots={"findings": {"groin": "present"}, "triage_level": None})
    assert messages[0]["triage"] == "not yet assessed" and messages[0]["likely"] == "-"
    assert responses(messages)[-1] == "utter_offer_assessment"


async def test_no_summary_when_nothing_is_known() -> None:
    messages = await said(ActionSummary(), "summary please", "request_summary")
    assert responses(messages) == ["utter_summary_unavailable", "utter_offer_assessment"]
