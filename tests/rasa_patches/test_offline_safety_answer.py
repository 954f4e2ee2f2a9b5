"""The Rasa server answers red flags itself when the action server fails (no servers here:
a real domain, its responses and a real tracker; the action server's failure is simulated)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, List

import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException

import hipguide_rasa  # noqa: F401  (applies HipGuide's Rasa adaptations)
from hipguide.knowledge.offline import offline_red_flags
from hipguide_rasa import offline_safety_answer as offline

PROJECT_ROOT = Path(__file__).resolve().parents[2]
UNAVAILABLE = "I can't look up the condition database right now"


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_ROOT / "domain.yml")


def red_flag_entities() -> List[dict]:
    """The findings of the first clause of the first offline red-flag rule, as NLU entities."""
    rule = offline_red_flags().rules[0]
    return [{"entity": "symptom", "value": finding} for finding in rule.clauses[0]]


def tracker_after(domain: Domain, entities: List[dict], *later: Event) -> DialogueStateTracker:
    tracker = DialogueStateTracker("offline", domain.slots)
    tracker.update(UserUttered("my hip", {"name": "describe_symptoms", "confidence": 1.0}, entities), domain)
    for event in later:
        tracker.update(event, domain)
    return tracker


def texts(events: List[Any]) -> List[str]:
    return [event.text for event in events if isinstance(event, BotUttered)]


def fallback(domain: Domain, tracker: DialogueStateTracker) -> List[Any]:
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    return asyncio.run(offline.fallback_events(nlg, tracker, "rest"))


def test_applied_on_import() -> None:
    assert RemoteAction.run is offline._run_or_fall_back


def test_a_red_flag_gets_its_advice_then_the_unavailable_notice(domain: Domain) -> None:
    flags = offline_red_flags()
    said = texts(fallback(domain, tracker_after(domain, red_flag_entities())))
    assert said[0] == "⚠️ Important: " + flags.advice[flags.rules[0].id]
    assert said[-1].startswith(UNAVAILABLE)


def test_without_a_red_flag_only_the_unavailable_notice(domain: Domain) -> None:
    said = texts(fallback(domain, tracker_after(domain, [])))
    assert len(said) == 1 and said[0].startswith(UNAVAILABLE)


def test_said_once_per_turn(domain: Domain) -> None:
    first = fallback(domain, tracker_after(domain, red_flag_entities()))
    assert fallback(domain, tracker_after(domain, red_flag_entities(), *first)) == []


def run_with(domain: Domain, monkeypatch: pytest.MonkeyPatch, failure: BaseException | None) -> Any:
    async def action_server(*args: Any) -> Any:
        if failure is not None:
            raise failure
        return ["from the action server"]

    monkeypatch.setattr(offline, "_original_run", action_server)
    action = RemoteAction("action_assess", None)
    tracker = tracker_after(domain, red_flag_entities())
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    return asyncio.run(offline._run_or_fall_back(action, CollectingOutputChannel(), nlg, tracker, domain))


def test_the_action_servers_answer_when_it_answers(domain: Domain, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_with(domain, monkeypatch, None) == ["from the action server"]


def test_the_fallback_when_the_action_server_fails(domain: Domain, monkeypatch: pytest.MonkeyPatch) -> None:
    said = texts(run_with(domain, monkeypatch, RasaException("connection refused")))
    assert said[0].startswith("⚠️ Important:") and said[-1].startswith(UNAVAILABLE)


def test_a_rejected_action_is_left_to_rasa(domain: Domain, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ActionExecutionRejection):
        run_with(domain, monkeypatch, ActionExecutionRejection("action_assess"))
