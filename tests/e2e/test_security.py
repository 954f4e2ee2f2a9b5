"""Security of the running servers: loopback only, the API behind its token, no message text
in the logs, and every finding of the security review (issue 14) replayed as a request."""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any, Dict, List, Set, Tuple

import pytest

from hipguide_rasa.channels.common import conversation_id
from hipguide_tools.platform_api import PLATFORM_SECRETS
from tests.e2e.test_platforms import messenger_event, telegram_update, twilio_fields, twilio_post

pytestmark = pytest.mark.servers


def listening_addresses(port: int) -> Set[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp*)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                found.add(address)
    return found


def test_both_servers_listen_on_loopback_only(assistant) -> None:  # type: ignore[no-untyped-def]
    loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1
    for port in (assistant.servers.rasa_port, assistant.servers.action_port):
        addresses = listening_addresses(port)
        assert addresses and addresses <= loopback, (port, addresses)


@pytest.mark.parametrize("query", ["", "?token=wrong"])
def test_the_http_api_needs_the_token(assistant, query: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{assistant.url}/conversations/someone/tracker{query}", timeout=30)
    assert refused.value.code == 401


def test_no_message_text_in_the_logs(assistant) -> None:  # type: ignore[no-untyped-def]
    marker = f"zebra{uuid.uuid4().hex[:10]}"
    assistant.say(f"log-{uuid.uuid4().hex[:8]}", f"my hip hurts after running {marker}")
    for name in ("rasa", "actions"):
        log = (assistant.servers.run_dir / f"{name}.log").read_text(errors="replace")
        assert marker not in log, f"message text found in {name}.log"


# ---- every finding of the security review (issue 14), replayed as a request ----------------

def request(url: str, body: bytes | None = None, headers: Dict[str, str] | None = None,
            method: str | None = None) -> Tuple[int, Dict[str, str], bytes]:
    call = urllib.request.Request(url, data=body, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(call, timeout=60) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def rest(assistant, body: Dict[str, Any], headers: Dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return request(f"{assistant.url}/webhooks/rest/webhook", json.dumps(body).encode(),
                   {"Content-Type": "application/json", **(headers or {})})


def texts(replies: List[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def sms_conversation(assistant) -> str:  # type: ignore[no-untyped-def]
    """A person's SMS conversation with enough in it for a clinician summary."""
    sender = f"+4477007{random.randint(0, 99999):05d}"
    for text in ("my outer hip hurts after running, I'm 52", "3", "I take steroid tablets"):
        status, _ = twilio_post(assistant, "twilio", twilio_fields(sender, PLATFORM_SECRETS["TWILIO_NUMBER"], text))
        assert status == 204
    assert assistant.tracker(sender, "twilio")["slots"]["findings"].get("steroid_use") == "present"
    return sender


def test_1_a_rest_caller_naming_a_phone_number_gets_nothing_of_its_sms_conversation(assistant) -> None:  # type: ignore[no-untyped-def]
    phone = sms_conversation(assistant)
    before = len(assistant.tracker(phone, "twilio")["events"])
    for sender in (phone, f"sms:{phone}"):
        status, _, body = rest(assistant, {"sender": sender, "message": "/request_summary"})
        assert status == 200
        said = texts(json.loads(body))
        assert "steroid" not in said.lower() and "outer hip" not in said.lower(), said
        assert all(reply["recipient_id"] == sender for reply in json.loads(body))
    assert len(assistant.tracker(phone, "twilio")["events"]) == before  # nothing written to it either


def test_1_rest_answers_only_this_machine_without_a_token(assistant) -> None:  # type: ignore[no-untyped-def]
    for header in ("X-Forwarded-For", "Forwarded", "X-Real-IP"):
        status, _, body = rest(assistant, {"sender": "proxied", "message": "hello"}, {header: "203.0.113.9"})
        assert status == 403 and b"HIPGUIDE_REST_TOKEN" in body


def test_2_made_up_payload_values_are_read_as_text_and_never_stored(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"flood-{uuid.uuid4().hex[:8]}"
    made_up = {"symptom": [f"made_up_{i}" for i in range(200)]}  # as many as fit in a message
    message = "/describe_symptoms" + json.dumps(made_up)
    started = time.monotonic()
    for _ in range(3):
        status, _, _ = rest(assistant, {"sender": sender, "message": message})
        assert status == 200
    assert time.monotonic() - started < 30
    tracker = assistant.tracker(sender)
    assert not any(key.startswith("made_up") for key in tracker["slots"]["findings"] or {})
    assert not any(e.get("entity") == "symptom" and str(e.get("value")).startswith("made_up")
                   for event in tracker["events"] if event["event"] == "user"
                   for e in event["parse_data"]["entities"])
    stored = len(json.dumps(tracker["events"]))
    assert stored < 250_000, stored  # was 12.6 MB for 36 such messages


def test_3_bodies_over_64_kb_are_refused_and_metadata_is_not_kept(assistant) -> None:  # type: ignore[no-untyped-def]
    status, _, _ = rest(assistant, {"sender": "big", "message": "hello", "metadata": {"x": "y" * 70_000}})
    assert status == 413
    sender = f"meta-{uuid.uuid4().hex[:8]}"
    status, _, _ = rest(assistant, {"sender": sender, "message": "my hip hurts", "metadata": {"x": "y" * 10_000}})
    assert status == 200
    users = [e for e in assistant.tracker(sender)["events"] if e["event"] == "user"]
    assert users and all("x" not in (e.get("metadata") or {}) for e in users)


def test_4_no_message_text_or_conversation_id_in_the_log(assistant) -> None:  # type: ignore[no-untyped-def]
    marker = f"okapi{uuid.uuid4().hex[:10]}"
    sender = f"logged-{uuid.uuid4().hex[:10]}"
    rest(assistant, {"sender": sender, "message": f"/describe_symptoms{{{marker}"})
    rest(assistant, {"sender": sender, "message": f"/not_an_intent {marker}"})
    rest(assistant, {"sender": sender, "message": f'/describe_symptoms{{"{marker}": "x"}}'})
    time.sleep(0.5)
    log = (assistant.servers.run_dir / "rasa.log").read_text(errors="replace")
    assert marker not in log
    assert sender not in log


@pytest.mark.parametrize("channel, sender", [
    ("twilio_whatsapp", "whatsapp:+4477006{:05d}"),
    ("rest", "José García/{:05d}"),
])
def test_5_the_delete_endpoint_takes_any_id_and_says_404_when_nothing_is_there(assistant, channel, sender) -> None:  # type: ignore[no-untyped-def]
    sender = sender.format(random.randint(0, 99999))
    if channel == "rest":
        assert rest(assistant, {"sender": sender, "message": "my hip hurts"})[0] == 200
    else:
        fields = twilio_fields(sender, PLATFORM_SECRETS["TWILIO_WHATSAPP_NUMBER"], "my hip hurts")
        assert twilio_post(assistant, channel, fields)[0] == 204
    conversation = urllib.parse.quote(conversation_id(channel, sender), safe="")
    url = f"{assistant.url}/webhooks/privacy/conversations/{conversation}"
    auth = {"Authorization": f"Bearer {assistant.token}"}
    status, _, body = request(url, headers=auth, method="DELETE")
    assert status == 200 and json.loads(body)["deleted_events"] > 3
    with sqlite3.connect(assistant.tracker_db) as db:
        left = db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (conversation_id(channel, sender),))
        assert left.fetchone()[0] == 0
    assert request(url, headers=auth, method="DELETE")[0] == 404


async def socket(url: str) -> Tuple[Any, Dict[str, Any]]:
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    seen: Dict[str, Any] = {"confirm": asyncio.Queue(), "replies": [], "errors": []}
    client.on("session_confirm", lambda sid: seen["confirm"].put_nowait(sid))
    client.on("bot_uttered", lambda data: seen["replies"].append(data))
    client.on("hipguide_error", lambda data: seen["errors"].append(data))
    await client.connect(url, transports=["polling"])
    return client, seen


async def claim(client: Any, seen: Dict[str, Any], session_id: str | None) -> str:
    await client.emit("session_request", {"session_id": session_id})
    return str(await asyncio.wait_for(seen["confirm"].get(), 30))


async def test_6_only_issued_session_ids_are_joined_and_only_by_one_socket(assistant) -> None:  # type: ignore[no-untyped-def]
    first, first_seen = await socket(assistant.url)
    second, second_seen = await socket(assistant.url)
    try:
        unissued = uuid.uuid4().hex
        assert await claim(first, first_seen, unissued) != unissued  # well-formed, but not ours
        issued = await claim(first, first_seen, None)
        assert await claim(second, second_seen, issued) != issued  # held by the first socket
        fresh = await claim(first, first_seen, None)  # "New conversation" leaves the old room ...
        assert fresh != issued
        assert await claim(second, second_seen, issued) == issued  # ... so it can be taken up again
    finally:
        await first.disconnect()
        await second.disconnect()


async def test_8_a_flood_on_one_socket_is_limited_and_every_message_answered(assistant) -> None:  # type: ignore[no-untyped-def]
    client, seen = await socket(assistant.url)
    try:
        session = await claim(client, seen, None)
        sent = 20
        for number in range(sent):
            await client.emit("user_uttered", {"message": f"my hip hurts {number}", "session_id": session})
            if number % 5 == 4:
                await asyncio.sleep(0.05)  # engine.io takes at most 16 packets per polling request
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            users = [e for e in assistant.tracker(session, "web")["events"] if e["event"] == "user"]
            if len(users) + len(seen["errors"]) >= sent:
                break
            await asyncio.sleep(0.5)
        assert {e["code"] for e in seen["errors"]} <= {"rate_limited", "busy"}
        assert any(e["code"] == "rate_limited" for e in seen["errors"])
        assert len(users) + len(seen["errors"]) == sent  # none dropped silently
    finally:
        await client.disconnect()


def test_7_a_made_up_value_never_comes_back_in_the_summary(assistant) -> None:  # type: ignore[no-untyped-def]
    sender = f"inject-{uuid.uuid4().hex[:8]}"
    said = texts(assistant.say(sender, "my outer hip hurts after running"))
    said += texts(assistant.say(sender, '/describe_symptoms{"symptom": "[URGENT call](https://evil.example)"}'))
    summary = texts(assistant.say(f"{sender}-2", "my outer hip hurts after running"))
    summary = texts(assistant.say(f"{sender}-2", '/request_summary{"symptom": "[URGENT](https://evil.example)"}'))
    assert "evil.example" not in said + summary and "URGENT" not in said + summary
    findings = assistant.tracker(sender)["slots"]["findings"] or {}
    assert all(key.isidentifier() for key in findings), findings


def test_9_bad_requests_get_4xx_not_500(assistant) -> None:  # type: ignore[no-untyped-def]
    nested = b'{"sender": "deep", "message": ' + b"[" * 30_000 + b"]" * 30_000 + b"}"
    assert rest(assistant, {})[0] == 400
    status, _, _ = request(f"{assistant.url}/webhooks/rest/webhook", nested, {"Content-Type": "application/json"})
    assert status == 400
    body = messenger_event("U1", "hello")
    status, _, _ = request(f"{assistant.url}/webhooks/facebook/webhook", body,
                           {"Content-Type": "application/json", "X-Hub-Signature-256": "sha256=é" * 3})
    assert status == 403
    status, _, _ = request(f"{assistant.url}/webhooks/telegram/webhook", telegram_update(1, "hi"),
                           {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": "sécret"})
    assert status == 403


def test_10_the_chat_redirect_does_not_leak_its_location_into_other_pages(assistant) -> None:  # type: ignore[no-untyped-def]
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any, **kwargs: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    for _ in range(2):
        try:
            opener.open(f"{assistant.url}/chat", timeout=30)
        except urllib.error.HTTPError as error:
            assert error.code in (301, 302) and error.headers["Location"] == "/chat/"
    status, headers, _ = request(f"{assistant.url}/chat/chat.css")
    assert status == 200 and "Location" not in headers


def test_12_no_version_banner_and_security_headers_everywhere(assistant) -> None:  # type: ignore[no-untyped-def]
    import rasa

    status, headers, body = request(f"{assistant.url}/")
    assert status == 200 and rasa.__version__.encode() not in body and b"Rasa" not in body
    webhook, as_json = f"{assistant.url}/webhooks/rest/webhook", {"Content-Type": "application/json"}
    for url, data, extra in [(webhook, json.dumps({"sender": "h", "message": "hi"}).encode(), as_json),
                             (webhook, b"{}", as_json),
                             (f"{assistant.url}/no/such/page", None, {})]:
        status, headers, _ = request(url, data, extra)
        assert headers.get("X-Content-Type-Options") == "nosniff", (url, status)
        assert headers.get("Cache-Control") == "no-store", (url, status)


def copy_last_event(db_path: Path, sender: str, copies: int, before_session: bool) -> None:
    """Pad a stored conversation with copies of its last ``action_listen`` (harmless to replay),
    dated after its session start or, for an earlier session, a day before it."""
    with sqlite3.connect(db_path) as db:
        row = db.execute("SELECT type_name, timestamp, intent_name, action_name, data FROM events "
                         "WHERE sender_id = ? AND action_name = 'action_listen' ORDER BY id DESC LIMIT 1",
                         (sender,)).fetchone()
        stamp = row[1] - 86400 if before_session else row[1]
        db.executemany("INSERT INTO events (sender_id, type_name, timestamp, intent_name, action_name, data) "
                       "VALUES (?, ?, ?, ?, ?, ?)", [(sender, row[0], stamp, row[2], row[3], row[4])] * copies)


def test_3_a_conversation_has_a_bounded_number_of_stored_events(assistant) -> None:  # type: ignore[no-untyped-def]
    from tests.e2e.conftest import MAX_EVENTS

    sender = f"long-{uuid.uuid4().hex[:8]}"
    stored = conversation_id("rest", sender)
    assistant.say(sender, "my hip hurts after running")
    copy_last_event(assistant.tracker_db, stored, MAX_EVENTS, before_session=True)
    # the earlier session goes, the conversation goes on
    replies = texts(assistant.say(sender, '/describe_symptoms{"body_location": "outer_hip"}'))
    assert "Which side" in replies, replies
    with sqlite3.connect(assistant.tracker_db) as db:
        assert db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (stored,)).fetchone()[0] < 100

    copy_last_event(assistant.tracker_db, stored, MAX_EVENTS, before_session=False)
    replies = texts(assistant.say(sender, "the right one"))
    assert "longer than I can store" in replies and "emergency number" in replies
    with sqlite3.connect(assistant.tracker_db) as db:
        users = db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ? AND type_name = 'user'", (stored,))
        assert users.fetchone()[0] == 2  # the refused message was not kept
