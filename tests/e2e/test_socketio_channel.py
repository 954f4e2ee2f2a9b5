"""The socket.io channel behind the web page, spoken to directly with python-socketio: the
Rasa 3.6 defect (``enter_room`` not awaited, so no reply reached a persistent session), session
ids we did not issue, and the Origin check."""

from __future__ import annotations

import asyncio
import uuid
from typing import List

import pytest
import socketio

pytestmark = pytest.mark.servers


async def _exchange(url: str, session_id, message: str, headers=None):  # type: ignore[no-untyped-def]
    """Connect, ask for a session, send one message; returns (session id, replies)."""
    client = socketio.AsyncClient(reconnection=False)
    confirmed: asyncio.Future = asyncio.get_running_loop().create_future()
    replies: List[dict] = []
    client.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
    client.on("bot_uttered", lambda data: replies.append(data))
    await client.connect(url, transports=["polling"], headers=headers or {})  # this aiohttp lacks ClientWSTimeout
    try:
        await client.emit("session_request", {"session_id": session_id})
        sid = await asyncio.wait_for(confirmed, 30)
        await client.emit("user_uttered", {"message": message, "session_id": sid})
        for _ in range(600):
            if replies:
                await asyncio.sleep(0.5)  # the rest of this turn's messages
                break
            await asyncio.sleep(0.1)
        return sid, replies
    finally:
        await client.disconnect()


async def test_replies_reach_a_reconnected_session_and_the_tracker_continues(assistant) -> None:  # type: ignore[no-untyped-def]
    session, first = await _exchange(assistant.url, None, "my hip hurts after running")
    assert any("Where exactly" in r.get("text", "") for r in first)
    again, second = await _exchange(assistant.url, session, '/describe_symptoms{"body_location": "groin"}')
    assert again == session
    assert any("Which side" in r.get("text", "") for r in second)
    users = [e["text"] for e in assistant.tracker(session, "web")["events"] if e["event"] == "user"]
    assert users == ["my hip hurts after running", '/describe_symptoms{"body_location": "groin"}']


async def test_a_session_id_we_did_not_issue_is_replaced(assistant) -> None:  # type: ignore[no-untyped-def]
    forged = "../" + uuid.uuid4().hex
    session, replies = await _exchange(assistant.url, forged, "hello")
    assert session != forged and len(session) == 32
    assert replies


async def test_a_page_on_another_origin_cannot_connect(assistant) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(socketio.exceptions.ConnectionError):
        await _exchange(assistant.url, None, "hello", headers={"Origin": "https://evil.example"})
