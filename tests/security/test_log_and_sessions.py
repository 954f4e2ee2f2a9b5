"""Log redaction, the web chat's record of issued sessions, and its rate limits."""

from __future__ import annotations

import logging

import pytest

from hipguide_rasa import log_redaction
from hipguide_rasa.channels.web_sessions import Bucket, RateLimits, SessionRegistry


def test_conversation_ids_and_quoted_messages_never_reach_a_log_record(caplog: pytest.LogCaptureFixture) -> None:
    log_redaction.install()
    log_redaction.install()  # idempotent
    session = "0123456789abcdef0123456789abcdef"
    with caplog.at_level(logging.INFO):
        logging.getLogger("rasa.core.lock_store").warning("Could not acquire lock for 'web:%s'", session)
        logging.getLogger("py.warnings").warning(
            "Failed to parse arguments in line '/describe_symptoms{my secret words}'. Failed to decode")
        logging.getLogger("socketio").info("emitting to room %s", session)
        logging.getLogger("x").info("sender %s", "sms:+447700900123")
    text = caplog.text
    assert session not in text and "secret words" not in text and "+447700900123" not in text
    assert log_redaction.conversation_label(f"web:{session}") in text  # the review tool's label


def test_only_issued_sessions_are_known_and_old_ones_are_forgotten(tmp_path) -> None:  # type: ignore[no-untyped-def]
    registry = SessionRegistry(f"sqlite:///{tmp_path / 'tracker.db'}")
    other_server = SessionRegistry(f"sqlite:///{tmp_path / 'tracker.db'}")
    issued = registry.issue()
    assert len(issued) == 32 and issued != registry.issue()
    assert other_server.issued(issued)  # shared through the database
    assert not other_server.issued("0" * 32)
    assert registry.forget_older_than(1, now=0) == 0
    assert registry.forget_older_than(1, now=10**12) == 2
    assert not registry.issued(issued)
    registry.close()
    other_server.close()


def test_a_bucket_allows_a_burst_then_its_rate() -> None:
    bucket = Bucket(capacity=3, rate=0.5, stamp=0.0)
    assert [bucket.take(now=0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(now=1.0) is False and bucket.take(now=2.1) is True


def test_connections_per_address_are_counted_and_released() -> None:
    limits = RateLimits(connections_per_address=2)
    assert limits.connect("192.0.2.1") and limits.connect("192.0.2.1")
    assert not limits.connect("192.0.2.1") and limits.connect("192.0.2.2")
    limits.disconnect("sid-1", "192.0.2.1")
    assert limits.connect("192.0.2.1")
