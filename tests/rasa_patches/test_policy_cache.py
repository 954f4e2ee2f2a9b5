"""TED's cached answer is TED's own answer, on every step of every test story.

Uses the trained model in-process (trained once per data fingerprint, like the end-to-end
tests): each story is played into a tracker; before each action the TED node of the model is
asked with the cache on and with it off, and the two predictions must be the same."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, List

import pytest
from rasa.core.policies.ted_policy import TEDPolicy
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

from hipguide_rasa import policy_cache

PROJECT_ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.servers


@pytest.fixture(scope="module")
def agent() -> Any:
    from rasa.core.agent import load_agent

    from hipguide_tools.train import train

    return asyncio.run(load_agent(model_path=str(train())))


def _ted(agent: Any) -> TEDPolicy:
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    [ted] = [node._component for node in nodes if isinstance(node._component, TEDPolicy)]
    return ted


def _rule_only_data(agent: Any) -> Any:
    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    [provider] = [node._component for node in nodes if type(node._component).__name__ == "RuleOnlyDataProvider"]
    return provider.provide()


def test_cached_predictions_are_teds_own(agent: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HIPGUIDE_TED_CACHE", raising=False)
    assert policy_cache.install()
    domain = agent.domain
    ted, rule_only = _ted(agent), _rule_only_data(agent)
    steps = YAMLStoryReader(domain).read_from_file(PROJECT_ROOT / "tests" / "test_stories.yml")
    before = policy_cache.statistics()
    compared = 0
    for step in steps:
        tracker = DialogueStateTracker("ted", domain.slots)
        events: List[Any] = step.explicit_events(domain)
        for event in events:
            if isinstance(event, ActionExecuted):
                cached = ted.predict_action_probabilities(tracker, domain, rule_only_data=rule_only)
                again = ted.predict_action_probabilities(tracker, domain, rule_only_data=rule_only)
                policy_cache.uninstall()
                try:
                    own = ted.predict_action_probabilities(tracker, domain, rule_only_data=rule_only)
                finally:
                    assert policy_cache.install()
                assert cached.probabilities == own.probabilities
                assert again.probabilities == own.probabilities
                assert cached.policy_name == own.policy_name and cached.policy_priority == own.policy_priority
                compared += 1
            tracker.update(event, domain)
    after = policy_cache.statistics()
    assert compared > 500
    assert after["hits"] - before["hits"] >= compared  # every second ask was answered from the cache


def test_a_cached_prediction_edited_by_its_caller_is_not_changed_in_the_cache(agent: Any) -> None:
    assert policy_cache.install()
    domain = agent.domain
    ted = _ted(agent)
    tracker = DialogueStateTracker("edit", domain.slots)
    tracker.update(ActionExecuted("action_listen"), domain)
    first = ted.predict_action_probabilities(tracker, domain, rule_only_data=_rule_only_data(agent))
    expected = list(first.probabilities)
    first.probabilities[0] = 99.0
    assert ted.predict_action_probabilities(tracker, domain, rule_only_data=_rule_only_data(agent)).probabilities \
        == expected


def test_the_cache_can_be_switched_off(agent: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIPGUIDE_TED_CACHE", "0")
    assert policy_cache.install()
    try:
        domain = agent.domain
        tracker = DialogueStateTracker("off", domain.slots)
        tracker.update(ActionExecuted("action_listen"), domain)
        before = policy_cache.statistics()
        _ted(agent).predict_action_probabilities(tracker, domain, rule_only_data=_rule_only_data(agent))
        assert policy_cache.statistics() == before
        assert before["entries"] == 0
    finally:
        monkeypatch.delenv("HIPGUIDE_TED_CACHE")
        assert policy_cache.install()


def test_a_bad_setting_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIPGUIDE_TED_CACHE", "many")
    with pytest.raises(ValueError, match="HIPGUIDE_TED_CACHE must be a whole number"):
        policy_cache.cache_size()


def _ensemble_prediction(agent: Any, tracker: DialogueStateTracker) -> Any:
    # the model's own decision (the processor would first take a follow-up action, and clear it)
    from rasa.engine.constants import PLACEHOLDER_TRACKER

    processor = agent.processor
    target = processor.model_metadata.core_target
    return processor.graph_runner.run(inputs={PLACEHOLDER_TRACKER: tracker}, targets=[target])[target]


def test_teds_work_is_skipped_only_where_its_answer_cannot_change_the_choice(
        agent: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # the whole model decides (rules, memoization, TED and the ensemble), with the shortcut and
    # the cache off, then on: every step of every test story gets the same prediction
    monkeypatch.setenv("HIPGUIDE_TED_CACHE", "0")
    domain = agent.domain
    steps = YAMLStoryReader(domain).read_from_file(PROJECT_ROOT / "tests" / "test_stories.yml")
    compared = 0
    skipped_before = policy_cache.statistics()["skipped"]
    try:
        for step in steps:
            tracker = DialogueStateTracker("skip", domain.slots)
            for event in step.explicit_events(domain):
                if isinstance(event, ActionExecuted):
                    policy_cache.uninstall()
                    own = _ensemble_prediction(agent, tracker)
                    assert policy_cache.install()
                    shortcut = _ensemble_prediction(agent, tracker)
                    assert shortcut.probabilities == own.probabilities
                    assert (shortcut.policy_name, shortcut.policy_priority, shortcut.events,
                            shortcut.is_no_user_prediction, shortcut.hide_rule_turn) == \
                        (own.policy_name, own.policy_priority, own.events,
                         own.is_no_user_prediction, own.hide_rule_turn)
                    compared += 1
                tracker.update(event, domain)
    finally:
        monkeypatch.delenv("HIPGUIDE_TED_CACHE")
        assert policy_cache.install()
    skipped = policy_cache.statistics()["skipped"] - skipped_before
    assert compared > 500
    assert skipped > compared // 3  # rules and memoization settle most steps: TED was not run


def test_ted_still_answers_after_a_rejected_action(agent: Any) -> None:
    from rasa.shared.core.events import ActionExecutionRejected, UserUttered

    assert policy_cache.install()
    domain = agent.domain
    tracker = DialogueStateTracker("rejected", domain.slots)
    for event in (ActionExecuted("action_listen"), UserUttered("hi", {"name": "greet", "confidence": 1.0}),
                  ActionExecutionRejected("utter_greet")):
        tracker.update(event, domain)
    skipped = policy_cache.statistics()["skipped"]
    prediction = _ensemble_prediction(agent, tracker)
    assert policy_cache.statistics()["skipped"] == skipped
    assert prediction.probabilities[domain.index_for_action("utter_greet")] == 0.0
