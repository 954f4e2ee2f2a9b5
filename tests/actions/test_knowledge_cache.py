"""actions.knowledge_cache: what the actions read from the condition database (built from data/knowledge)."""

from __future__ import annotations

import pytest

from actions import knowledge_cache
from hipguide.knowledge.loader import KnowledgeBase

pytestmark = pytest.mark.usefixtures("knowledge_db")


def test_the_reasoning_data_is_read_once_per_process() -> None:
    assert knowledge_cache.reasoning_data() is knowledge_cache.reasoning_data()


def test_every_red_flag_has_advice_to_announce() -> None:
    data = knowledge_cache.reasoning_data()
    assert data.rules
    assert all(data.advice.get(rule.id) for rule in data.rules)


def test_every_red_flag_finding_is_in_the_vocabulary() -> None:
    """Slot extraction keeps only finding ids the data knows: a flag on any other could never fire."""
    data = knowledge_cache.reasoning_data()
    used = {f for rule in data.rules for clause in rule.clauses for f in clause}
    assert used <= set(data.labels)


def test_questions_come_with_a_reason_and_a_direction(kb: KnowledgeBase) -> None:
    data = knowledge_cache.reasoning_data()
    asked_in_the_data = {fid for fid, spec in kb.findings.items() if spec.question}
    assert set(data.questions) == asked_in_the_data
    assert all(q.question and q.why for q in data.questions.values())
    # "Can you walk and put your full weight on that leg?": yes means the finding is absent
    assert data.yes_means["cannot_bear_weight"] == "absent"
    assert set(data.yes_means.values()) <= {"present", "absent"}


def test_pain_questions_are_those_asking_whether_something_hurts() -> None:
    data = knowledge_cache.reasoning_data()
    assert data.pain_questions <= set(data.questions)
    assert "hopping" in data.pain_questions  # "does it hurt to hop?": "it's agony" answers yes
    assert "fever" not in data.pain_questions and "saddle_numbness" not in data.pain_questions


def test_conditions_keep_the_order_asked_for_and_skip_unknown_ids() -> None:
    views = knowledge_cache.conditions(["itbs", "no_such_condition", "gtps"])
    assert [v.id for v in views] == ["itbs", "gtps"]
    assert knowledge_cache.condition("no_such_condition") is None


def test_a_condition_carries_what_the_assessment_says() -> None:
    view = knowledge_cache.condition("gtps")
    assert view is not None
    assert view.name and view.summary and view.when_to_seek_care and view.self_care
    assert all(use.evidence and use.statement for use in view.treatments)


def test_treatments_are_looked_up_by_id() -> None:
    ice = knowledge_cache.treatment("ice")
    assert ice is not None and ice.id == "ice" and ice.evidence
    assert knowledge_cache.treatment("moon_water") is None
