"""Deleting one person's conversation through the running server (the HTTP API is on in the
test servers, so the endpoint exists and needs the API token)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
from typing import Dict, Tuple

import pytest

pytestmark = pytest.mark.servers


def delete(url: str, headers: Dict[str, str]) -> Tuple[int, dict]:
    request = urllib.request.Request(url, headers=headers, method="DELETE")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def test_a_conversation_is_deleted_only_with_the_token(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"forget-me-{uuid.uuid4().hex[:8]}"
    keep = f"keep-me-{uuid.uuid4().hex[:8]}"
    assistant.say(sender, "my hip hurts after running")
    assistant.say(keep, "my hip hurts after running")
    url = f"{assistant.url}/webhooks/privacy/conversations/rest:{sender}"

    assert delete(url, {})[0] == 401
    assert delete(url, {"Authorization": "Bearer wrong"})[0] == 401
    assert any(e["event"] == "user" for e in assistant.tracker(sender)["events"])

    status, body = delete(url, {"Authorization": f"Bearer {assistant.token}"})
    assert status == 200 and body["deleted_events"] > 3
    assert not any(e["event"] == "user" for e in assistant.tracker(sender)["events"])
    assert any(e["event"] == "user" for e in assistant.tracker(keep)["events"])  # others untouched


def test_the_server_deletes_conversations_older_than_the_retention_period(assistant) -> None:  # type: ignore[no-untyped-def]
    import sqlite3
    import time

    from tests.e2e.conftest import RETENTION_DAYS

    old, recent = f"old-{uuid.uuid4().hex[:8]}", f"recent-{uuid.uuid4().hex[:8]}"
    assistant.say(old, "my hip hurts after running")
    assistant.say(recent, "my hip hurts after running")
    # Age one conversation past the retention period, as if it had last been active 31 days ago.
    with sqlite3.connect(assistant.tracker_db) as db:
        db.execute("UPDATE events SET timestamp = timestamp - ? WHERE sender_id = ?",
                   ((RETENTION_DAYS + 1) * 86400, f"rest:{old}"))
    deadline = time.monotonic() + 30
    with sqlite3.connect(assistant.tracker_db) as db:
        while time.monotonic() < deadline:
            if db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (f"rest:{old}",)).fetchone()[0] == 0:
                break
            time.sleep(0.5)
        assert db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (f"rest:{old}",)).fetchone()[0] == 0
        assert db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (f"rest:{recent}",)).fetchone()[0] > 0
