"""The action server down: the assistant says it cannot look things up now, and red-flag
advice still works because the Rasa server screens red flags itself from the knowledge
files. Runs last among the end-to-end tests (it stops and restarts the action server)."""

from __future__ import annotations

import uuid
from typing import Iterator, List

import pytest

pytestmark = pytest.mark.servers

UNAVAILABLE = "I can't look up the condition database right now"


def texts(replies: List[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


@pytest.fixture()
def without_action_server(assistant) -> Iterator[object]:  # type: ignore[no-untyped-def]
    assistant.servers.stop_one("actions")
    try:
        yield assistant
    finally:
        assistant.servers.start_one("actions")


def test_red_flags_are_answered_without_the_action_server(without_action_server) -> None:  # type: ignore[no-untyped-def]
    assistant = without_action_server
    replies = texts(assistant.say(f"down-{uuid.uuid4().hex[:8]}",
                                  "my hip hurts and it feels weird when I wipe"))
    assert "Important:" in replies  # the RF4 advice, from the knowledge files
    assert "emergency" in replies.lower()
    assert replies.count(UNAVAILABLE) == 1

    plain = texts(assistant.say(f"down-{uuid.uuid4().hex[:8]}", "my hip hurts after running"))
    assert UNAVAILABLE in plain and "Important:" not in plain

    negated = texts(assistant.say(f"down-{uuid.uuid4().hex[:8]}", "my hip hurts, no numbness when I wipe"))
    assert "Important:" not in negated  # a denied red flag is not raised


def test_the_assistant_recovers_when_the_action_server_is_back(assistant) -> None:  # type: ignore[no-untyped-def]
    replies = texts(assistant.say(f"back-{uuid.uuid4().hex[:8]}", "my hip hurts after running"))
    assert "Where exactly does it hurt" in replies and UNAVAILABLE not in replies


def test_a_conversation_survives_a_rasa_server_restart_in_the_middle_of_a_form(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"restart-{uuid.uuid4().hex[:8]}"
    assert "Where exactly" in texts(assistant.say(sender, "my hip hurts after running"))
    assert "Which side" in texts(assistant.say(sender, '/describe_symptoms{"body_location": "outer_hip"}'))
    assistant.servers.stop_one("rasa")
    assistant.servers.start_one("rasa")
    after = texts(assistant.say(sender, "the right one"))  # the intake form carries on
    assert "How did it start" in after
    slots = assistant.tracker(sender)["slots"]
    assert (slots["pain_location"], slots["side"], slots["requested_slot"]) == ("outer_hip", "right", "onset")


def test_red_flags_are_answered_when_the_condition_database_is_down(assistant) -> None:  # type: ignore[no-untyped-def]
    servers = assistant.servers
    saved = servers.env["DATABASE_URL"]
    servers.stop_one("actions")
    servers.env["DATABASE_URL"] = "postgresql+psycopg2://nobody@127.0.0.1:9/unreachable"  # nothing listens
    try:
        servers.start_one("actions")
        replies = texts(assistant.say(f"nodb-{uuid.uuid4().hex[:8]}",
                                      "my hip hurts and I lost control of my bladder"))
        assert "Important:" in replies and replies.count(UNAVAILABLE) == 1
    finally:
        servers.stop_one("actions")
        servers.env["DATABASE_URL"] = saved
        servers.start_one("actions")
    assert "Where exactly" in texts(assistant.say(f"db-back-{uuid.uuid4().hex[:8]}", "my hip hurts after running"))
