"""Question choice: screening before information gain, stopping rules, never repeating."""

from __future__ import annotations

import pytest

from hipguide.reasoning.findings import FindingState, with_implications
from hipguide.reasoning.questions import QuestionPolicy, entropy, expected_gain, next_question

P, A = FindingState.present, FindingState.absent


@pytest.fixture(scope="module")
def askable(kb):  # type: ignore[no-untyped-def]
    return {f.id for f in kb.findings.values() if f.question}


def test_runner_with_groin_pain_is_screened_for_bone_stress_first(repository_data, askable) -> None:  # type: ignore[no-untyped-def]
    model, rules, _ = repository_data
    findings = with_implications({"groin": P, "running": P, "gradual": P})
    first = next_question(model, rules, findings, askable, [])
    assert first is not None and first.reason == "screening"
    asked, seen = [], []
    current = dict(findings)
    for _ in range(8):
        question = next_question(model, rules, current, askable, asked)
        if question is None:
            break
        seen.append(question.finding_id)
        asked.append(question.finding_id)
        current[question.finding_id] = A
    assert "hopping" in seen[:4]
    assert len(seen) == len(set(seen))


def test_stops_at_the_cap(repository_data, askable) -> None:  # type: ignore[no-untyped-def]
    model, rules, _ = repository_data
    policy = QuestionPolicy(max_questions=2)
    assert next_question(model, rules, {"groin": P}, askable, ["fever", "lump"], policy) is None


def test_stops_when_the_top_cause_is_confident(repository_data, askable) -> None:  # type: ignore[no-untyped-def]
    model, rules, _ = repository_data
    findings = with_implications({"outer_hip": P, "lying_on_side": P, "gradual": P, "stairs": P,
                                  "tenderness": P, "age_45_plus": P, "female": P})
    policy = QuestionPolicy(max_screening=0)
    assert next_question(model, rules, findings, askable, [], policy) is None


def test_location_questions_are_not_asked_once_the_location_is_known(repository_data, askable) -> None:  # type: ignore[no-untyped-def]
    model, rules, _ = repository_data
    policy = QuestionPolicy(max_screening=0, stop_confidence=0.99)
    question = next_question(model, rules, {"groin": P}, askable, [], policy)
    assert question is not None and question.finding_id not in model.location_ids


def test_information_gain_is_positive_and_bounded(repository_data) -> None:  # type: ignore[no-untyped-def]
    model, _, _ = repository_data
    gain, changes = expected_gain(model, {"groin": P}, "clicking", QuestionPolicy())
    assert 0 < gain < entropy([1 / len(model.conditions)] * len(model.conditions))
    assert isinstance(changes, bool)


def test_sudden_and_gradual_exclude_each_other() -> None:
    assert with_implications({"gradual": P}) == {"gradual": P, "sudden": A}
    assert with_implications({"gradual": P, "sudden": P}) == {"gradual": P, "sudden": P}


def _screening_questions(model, rules, findings, askable):  # type: ignore[no-untyped-def]
    asked, current = [], dict(findings)
    for _ in range(8):
        question = next_question(model, rules, current, askable, asked)
        if question is None or question.reason != "screening":
            break
        asked.append(question.finding_id)
        current[question.finding_id] = A
    return asked


@pytest.mark.parametrize("opening", [{"lower_back": P, "buttock": P}, {"radiating_pain": P},
                                     {"buttock": P, "numbness": P}])
def test_back_pain_or_sciatica_is_screened_for_cauda_equina(repository_data, askable, opening) -> None:  # type: ignore[no-untyped-def]
    # No finding of RF4's clauses is present, but its screen_when findings are.
    model, rules, _ = repository_data
    asked = _screening_questions(model, rules, with_implications(opening), askable)
    assert {"saddle_numbness", "bladder_bowel_change", "both_legs_symptoms"} <= set(asked), asked


def test_outer_hip_pain_alone_is_not_asked_cauda_equina_questions(repository_data, askable) -> None:  # type: ignore[no-untyped-def]
    model, rules, _ = repository_data
    asked = _screening_questions(model, rules, with_implications({"outer_hip": P, "lying_on_side": P}),
                                 askable)
    assert "saddle_numbness" not in asked and "bladder_bowel_change" not in asked


def test_after_an_operation_the_calf_is_asked_about(repository_data, askable) -> None:  # type: ignore[no-untyped-def]
    model, rules, _ = repository_data
    asked = _screening_questions(model, rules, with_implications({"groin": P, "surgery": P}), askable)
    assert "calf_swelling" in asked


def test_offline_rules_equal_the_databases(repository_data) -> None:  # type: ignore[no-untyped-def]
    # The red-flag answer when the action server is down uses rules built from the YAML.
    from hipguide.knowledge.offline import offline_red_flags

    _, rules, _ = repository_data
    assert sorted(rules, key=lambda r: r.id) == sorted(offline_red_flags().rules, key=lambda r: r.id)


def test_a_runner_with_pubic_bone_pain_is_asked_about_hopping(repository_data, askable) -> None:  # type: ignore[no-untyped-def]
    # A pelvic bone stress injury (RF9) also shows as pubic bone pain on hopping.
    model, rules, _ = repository_data
    asked = _screening_questions(model, rules, with_implications({"pubic_bone": P, "running": P}), askable)
    assert "hopping" in asked
