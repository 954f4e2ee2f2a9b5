"""The tracker caches give what Rasa's own functions give, on HipGuide's real conversations.

Every test story (72 conversations through the intake and follow-up forms, side questions,
corrections, red flags) is played into a tracker one event at a time, as the Rasa server
does; after each event the cached ``applied_events`` and ``past_states`` (with each argument
set the policies use) are compared with Rasa's functions on the same tracker. Reverts,
restarts and new sessions in the middle of a conversation are added on top."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    Event,
    Restarted,
    SessionStarted,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader

from hipguide_rasa import tracker_caches
from hipguide_rasa.rasa_version import PINNED_RASA_VERSION

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_ROOT / "domain.yml")


@pytest.fixture(scope="module")
def conversations(domain: Domain) -> List[List[Event]]:
    steps = YAMLStoryReader(domain).read_from_file(PROJECT_ROOT / "tests" / "test_stories.yml")
    return [step.explicit_events(domain) for step in steps]


@contextlib.contextmanager
def rasa_own() -> Iterator[None]:
    tracker_caches.uninstall()
    try:
        yield
    finally:
        assert tracker_caches.install()


def argument_sets(domain: Domain) -> List[Dict[str, Any]]:
    """The argument sets Rasa's policies pass (rules; memoization and TED with rule-only data)."""
    rule_only = {"slots": [slot.name for slot in domain.slots][:3], "active_loops": list(domain.form_names)[:1]}
    return [{}, {"omit_unset_slots": True},
            {"ignore_rule_only_turns": True, "rule_only_data": rule_only}]


def check(tracker: DialogueStateTracker, domain: Domain) -> None:
    cached_applied = tracker.applied_events()
    cached_states = [tracker.past_states(domain, **arguments) for arguments in argument_sets(domain)]
    with rasa_own():
        assert tracker.applied_events() == cached_applied
        assert all(a is b for a, b in zip(tracker.applied_events(), cached_applied, strict=True))
        for arguments, states in zip(argument_sets(domain), cached_states, strict=True):
            assert tracker.past_states(domain, **arguments) == states, arguments


def play(events: List[Event], domain: Domain, every: int = 1) -> DialogueStateTracker:
    tracker = DialogueStateTracker("caches", domain.slots)
    for number, event in enumerate(events, start=1):
        tracker.update(event, domain)
        if number % every == 0 or isinstance(event, ActionExecuted):
            check(tracker, domain)
    return tracker


def test_installed_for_the_pinned_rasa() -> None:
    import rasa

    assert rasa.__version__ == PINNED_RASA_VERSION
    assert DialogueStateTracker.past_states is tracker_caches._past_states
    assert DialogueStateTracker.applied_events is tracker_caches._applied_events


def test_the_caches_give_rasas_answers_on_every_test_story(conversations: List[List[Event]], domain: Domain) -> None:
    assert len(conversations) >= 50
    forms = 0
    for events in conversations:
        tracker = play(events, domain)
        forms += any(getattr(e, "action_name", None) in domain.form_names for e in tracker.events)
    assert forms >= 20  # form loops are where applied events drop earlier turns


def test_all_stories_in_one_long_conversation(conversations: List[List[Event]], domain: Domain) -> None:
    events = [event for story in conversations[:16] for event in story]
    tracker = DialogueStateTracker("long", domain.slots)
    for number, event in enumerate(events, start=1):
        tracker.update(event, domain)
        if number % 15 == 0:
            check(tracker, domain)
    assert len(tracker.events) > 250


def test_reverts_restarts_and_new_sessions_mid_conversation(conversations: List[List[Event]], domain: Domain) -> None:
    story = next(s for s in conversations if sum(isinstance(e, UserUttered) for e in s) >= 6)
    half = len(story) // 2
    inserted = [UserUtteranceReverted(), ActionReverted(), Restarted(),
                ActionExecuted("action_session_start"), SessionStarted()]
    for extra in inserted:
        play([*story[:half], extra, *story[half:]], domain, every=3)


def test_a_states_list_edited_by_its_caller_does_not_change_the_next_answer(
        conversations: List[List[Event]], domain: Domain) -> None:
    tracker = DialogueStateTracker("edits", domain.slots)
    for event in conversations[0]:
        tracker.update(event, domain)
    first = tracker.past_states(domain)
    expected = [dict((k, dict(v)) for k, v in state.items()) for state in first]
    for state in first:  # what Rasa's featurizer does to the last user input, and worse
        for sub in state.values():
            sub.clear()
    assert tracker.past_states(domain) == expected
    first_applied = tracker.applied_events()
    first_applied.clear()
    assert tracker.applied_events()


def test_event_types_resolve_as_before() -> None:
    for name in ("user", "action", "slot", "session_started", "active_loop", "rewind", "restart"):
        with rasa_own():
            expected = Event.resolve_by_type(name)
        assert Event.resolve_by_type(name) is expected
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")
    assert Event.resolve_by_type("no_such_event", default=UserUttered) is UserUttered


def test_refuses_another_rasa_version(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import rasa

    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    tracker_caches.uninstall()
    try:
        assert tracker_caches.install() is False
        assert DialogueStateTracker.past_states is tracker_caches._original_past_states
        assert "written for Rasa 3.6.21" in caplog.text
    finally:
        monkeypatch.undo()
        assert tracker_caches.install()
