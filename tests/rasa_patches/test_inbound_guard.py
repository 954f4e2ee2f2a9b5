"""The guard on every message before Rasa interprets it: invented payloads are read as words,
a message not in English gets the English-only notice, a full conversation takes no more
(no servers: a real domain and a stand-in for the agent and its tracker store)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any, Tuple

import pytest
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.shared.core.domain import Domain

import hipguide_rasa  # noqa: F401  (applies HipGuide's Rasa adaptations)
from hipguide_rasa import inbound_guard

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Store:
    """The three questions the guard asks of HipGuide's SQL tracker store."""

    def __init__(self, stored: int, after_drop: int | None = None, last: float = 0.0) -> None:
        self.stored, self.after_drop, self.last = stored, after_drop, last

    def stored_events(self, sender_id: str) -> int:
        return self.stored

    def drop_earlier_sessions(self, sender_id: str) -> int:
        if self.after_drop is None:
            return 0
        dropped, self.stored = self.stored - self.after_drop, self.after_drop
        return dropped

    def last_event_time(self, sender_id: str) -> float | None:
        return self.last


class FakeAgent:
    def __init__(self, domain: Domain, store: Any = None) -> None:
        self.domain, self.tracker_store = domain, store


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(PROJECT_ROOT / "domain.yml")


def guard(agent: FakeAgent, text: str) -> Tuple[bool, UserMessage, CollectingOutputChannel]:
    channel = CollectingOutputChannel()
    message = UserMessage(text, channel, "rest:guard")
    answered = asyncio.run(inbound_guard.answered_here(agent, message))
    return answered, message, channel


def first_text(domain: Domain, response: str) -> str:
    return domain.responses[response][0]["text"]


def test_installed_on_import() -> None:
    assert getattr(Agent.handle_message, "_hipguide_inbound", False)


def test_english_goes_on_to_rasa_untouched(domain: Domain) -> None:
    answered, message, channel = guard(FakeAgent(domain), "my hip hurts after running")
    assert not answered and message.text == "my hip hurts after running" and channel.messages == []


def test_another_language_gets_the_english_only_notice(domain: Domain) -> None:
    answered, _, channel = guard(FakeAgent(domain), "me duele mucho la cadera cuando corro")
    assert answered
    assert [m["text"] for m in channel.messages] == [first_text(domain, inbound_guard.ENGLISH_ONLY_RESPONSE)]


def test_an_invented_payload_is_read_as_words(domain: Domain) -> None:
    answered, message, _ = guard(FakeAgent(domain), '/describe_symptoms{"symptom": "made_up_symptom_1"}')
    assert not answered and message.text == 'describe_symptoms{"symptom": "made_up_symptom_1"}'


def test_a_full_conversation_takes_no_more(domain: Domain, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIPGUIDE_MAX_EVENTS", "10")
    answered, _, channel = guard(FakeAgent(domain, Store(stored=10, last=time.time())), "my hip hurts")
    assert answered
    assert [m["text"] for m in channel.messages] == [first_text(domain, inbound_guard.FULL_RESPONSE)]


def test_dropping_earlier_sessions_makes_room(domain: Domain, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIPGUIDE_MAX_EVENTS", "10")
    answered, _, channel = guard(FakeAgent(domain, Store(stored=12, after_drop=4)), "my hip hurts")
    assert not answered and channel.messages == []


def test_an_expired_session_may_start_again(domain: Domain, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIPGUIDE_MAX_EVENTS", "10")
    assert domain.session_config.session_expiration_time > 0
    answered, _, _ = guard(FakeAgent(domain, Store(stored=10, last=0.0)), "my hip hurts")  # last event in 1970
    assert not answered
