"""Ranking, red-flag screening and triage on realistic presentations (domain layer only)."""

from __future__ import annotations

from typing import Dict

import pytest

from hipguide.reasoning.assessment import assess
from hipguide.reasoning.findings import FindingState
from hipguide.reasoning.ranking import rank_conditions
from hipguide.reasoning.triage import screen_red_flags

P, A, U = FindingState.present, FindingState.absent, FindingState.unknown


def facts(*present: str, absent: tuple = (), unknown: tuple = ()) -> Dict[str, FindingState]:
    result = {f: P for f in present}
    result.update({f: A for f in absent})
    result.update({f: U for f in unknown})
    return result


CASES = [
    (facts("outer_hip", "lying_on_side", "gradual", "running", "stairs"), "gtps", "self_care"),
    (facts("sit_bone", "sitting", "uphill", "gradual", "running"),
     "proximal_hamstring_tendinopathy", "self_care"),
    (facts("groin", "running", "gradual", "hopping", "training_increase", "female"),
     "femoral_neck_stress_fracture", "urgent"),
    (facts("back_of_thigh", "sudden", "sprinting", "pop"), "hamstring_strain", "self_care"),
    (facts("buttock", "below_knee", "radiating_pain", "tingling", "coughing_sneezing"),
     "lumbar_radiculopathy", "self_care"),
    (facts("groin", "squatting", "clicking", "gradual", "sitting", "age_under_45"),
     "fai_syndrome", "routine"),
    (facts("groin", "age_45_plus", "putting_on_socks", "stiffness", "gradual", "walking"),
     "hip_oa", "routine"),
    (facts("outer_thigh", "burning", "numbness", "tight_belt"), "meralgia_paresthetica",
     "self_care"),
    (facts("lower_back", "saddle_numbness"), "cauda_equina_syndrome", "emergency"),
    (facts("groin", "fever", "hot_joint", "cannot_bear_weight"), "septic_arthritis",
     "emergency"),
    (facts("knee", "outer_thigh", "downhill", "predictable_distance", "running"), "itbs",
     "self_care"),
    (facts("inner_thigh", "sudden", "kicking", "twist"), "adductor_strain", "self_care"),
]


@pytest.mark.parametrize("findings,top,level", CASES, ids=[c[1] for c in CASES])
def test_typical_presentations(repository_data, findings, top, level) -> None:  # type: ignore[no-untyped-def]
    model, rules, labels = repository_data
    result = assess(model, rules, findings, labels)
    assert result.likely_ids[0] == top
    assert result.triage_level == level


def test_probabilities_sum_to_one_and_reasons_explain_the_top(repository_data) -> None:  # type: ignore[no-untyped-def]
    model, _, _ = repository_data
    ranked = rank_conditions(model, facts("outer_hip", "lying_on_side", absent=("clicking",)))
    assert sum(r.probability for r in ranked) == pytest.approx(1.0)
    top = ranked[0]
    assert top.id == "gtps"
    assert {r.finding_id for r in top.reasons_for} >= {"outer_hip", "lying_on_side"}
    labral = next(r for r in ranked if r.id == "labral_tear")
    assert "clicking" in {r.finding_id for r in labral.reasons_against}


def test_unknown_findings_move_nothing(repository_data) -> None:  # type: ignore[no-untyped-def]
    model, _, _ = repository_data
    base = rank_conditions(model, facts("outer_hip"))
    with_unknown = rank_conditions(model, facts("outer_hip", unknown=("clicking", "fever")))
    assert [(r.id, round(r.probability, 9)) for r in base] == [
        (r.id, round(r.probability, 9)) for r in with_unknown]


def test_absent_and_unknown_findings_never_raise_a_red_flag(repository_data) -> None:  # type: ignore[no-untyped-def]
    _, rules, _ = repository_data
    assert screen_red_flags(rules, facts("lower_back", absent=("saddle_numbness",))) == []
    assert screen_red_flags(rules, facts("lower_back", unknown=("bladder_bowel_change",))) == []
    assert [h.id for h in screen_red_flags(rules, facts("bladder_bowel_change"))] == ["RF4"]


def test_red_flag_condition_is_named_even_when_ranking_disagrees(repository_data) -> None:  # type: ignore[no-untyped-def]
    model, rules, labels = repository_data
    result = assess(model, rules, facts("outer_hip", "lying_on_side", "fall",
                                        "cannot_bear_weight"), labels)
    assert "hip_fracture" in result.likely_ids
    assert result.triage_level == "emergency"
    assert not result.self_care_allowed


@pytest.mark.parametrize("findings,flag", [
    (facts("outer_hip", "age_under_16"), "P1"),
    (facts("pubic_bone", "pregnancy", "walking"), "P2"),
    (facts("outer_hip", "age_65_plus", "fall"), "RF17"),
])
def test_children_pregnancy_and_older_fallers_get_escalation(repository_data, findings,  # type: ignore[no-untyped-def]
                                                            flag) -> None:
    model, rules, labels = repository_data
    result = assess(model, rules, findings, labels)
    assert flag in result.red_flag_ids
    assert not result.self_care_allowed
    assert result.triage_level != "self_care"


@pytest.mark.parametrize("flag,level", [("RF3", "emergency"), ("P1", "urgent")])
def test_a_flag_raised_earlier_keeps_its_level_and_stops_self_care(repository_data, flag,  # type: ignore[no-untyped-def]
                                                                    level) -> None:
    # a self-care presentation whose earlier red flag (a hot hip with fever; a child) was
    # taken back by a later answer: the level stays, no home advice, the flag stays on record
    model, rules, labels = repository_data
    findings = facts("outer_hip", "lying_on_side", "gradual", "running", "stairs")
    assert assess(model, rules, findings, labels).self_care_allowed
    result = assess(model, rules, findings, labels, raised_level=level, announced=[flag])
    assert result.triage_level == level
    assert not result.self_care_allowed
    assert flag in result.all_red_flag_ids and flag not in result.red_flag_ids


def test_an_earlier_routine_level_does_not_stop_self_care_tips(repository_data) -> None:  # type: ignore[no-untyped-def]
    model, rules, labels = repository_data
    findings = facts("outer_hip", "lying_on_side", "gradual", "running", "stairs")
    result = assess(model, rules, findings, labels, raised_level="routine")
    assert result.triage_level == "routine" and result.self_care_allowed
