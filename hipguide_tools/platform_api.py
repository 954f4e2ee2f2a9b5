"""A loopback stand-in for the messaging platforms' APIs (Telegram, Slack, Messenger,
Twilio), which cannot be reached from here. It is a real HTTP server: the channels send
their outgoing calls to it (their API addresses come from the environment), it records
each request and answers the way the platform does."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List


@dataclass
class Call:
    method: str
    path: str
    headers: Dict[str, str]
    body: bytes

    @property
    def platform(self) -> str:
        return self.path.strip("/").split("/")[0]

    def data(self) -> Dict[str, Any]:
        """The request's fields, whether sent as JSON or as a form."""
        content_type = self.headers.get("Content-Type", "")
        if "json" in content_type:
            return dict(json.loads(self.body or b"{}"))
        if "multipart/form-data" in content_type:
            return _multipart(self.body, content_type)
        return {k: v[0] for k, v in urllib.parse.parse_qs(self.body.decode()).items()}


def _multipart(body: bytes, content_type: str) -> Dict[str, Any]:
    boundary = content_type.split("boundary=")[1].strip('"').encode()
    fields: Dict[str, Any] = {}
    for part in body.split(b"--" + boundary):
        head, _, value = part.partition(b"\r\n\r\n")
        if b'name="' in head:
            name = head.split(b'name="')[1].split(b'"')[0].decode()
            fields[name] = value.rstrip(b"\r\n").decode()
    return fields


def _reply(call: Call) -> Dict[str, Any]:
    if call.platform == "telegram":
        method = call.path.rsplit("/", 1)[-1]
        if method == "sendMessage":
            chat_id = call.data().get("chat_id", 0)
            return {"ok": True, "result": {"message_id": 1, "date": int(time.time()),
                                           "chat": {"id": int(chat_id), "type": "private"},
                                           "text": call.data().get("text", "")}}
        return {"ok": True, "result": True}
    if call.platform == "slack":
        return {"ok": True, "channel": call.data().get("channel", "D1"), "ts": "1.0"}
    if call.platform == "facebook":
        return {"recipient_id": "1", "message_id": "m.1"}
    if call.platform == "twilio":
        fields = call.data()
        return {"sid": "SM" + "0" * 32, "status": "queued", "to": fields.get("To"), "from": fields.get("From"),
                "body": fields.get("Body"), "num_segments": "1", "direction": "outbound-api"}
    return {}


class PlatformAPI:
    def __init__(self) -> None:
        self.calls: List[Call] = []
        self._lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                call = Call(self.command, self.path, dict(self.headers.items()), self.rfile.read(length))
                with api._lock:
                    api.calls.append(call)
                body = json.dumps(_reply(call)).encode()
                self.send_response(201 if call.platform == "twilio" else 200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self) -> PlatformAPI:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def find(self, predicate: Callable[[Call], bool]) -> List[Call]:
        with self._lock:
            return [call for call in self.calls if predicate(call)]

    def wait_for(self, predicate: Callable[[Call], bool], count: int = 1, timeout: float = 60.0) -> List[Call]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.find(predicate)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        raise AssertionError(f"expected {count} matching API call(s) within {timeout:.0f} s; "
                             f"recorded: {[c.path for c in self.calls]}")

    def environment(self) -> Dict[str, str]:
        """Settings that enable every platform channel against this server."""
        return dict(PLATFORM_SECRETS, TELEGRAM_API_URL=f"{self.url}/telegram",
                    TELEGRAM_WEBHOOK_URL="https://hipguide.example/webhooks/telegram/webhook",
                    SLACK_API_URL=f"{self.url}/slack/api/", FACEBOOK_GRAPH_URL=f"{self.url}/facebook",
                    TWILIO_API_URL=f"{self.url}/twilio")


# Test-only credentials in each platform's format (not secrets: nothing accepts them).
PLATFORM_SECRETS = {
    "TELEGRAM_ACCESS_TOKEN": "123456789:AAtest-token-for-the-loopback-api-0000",
    "TELEGRAM_SECRET_TOKEN": "telegram-test-secret",
    "SLACK_TOKEN": "xoxb-test-token",
    "SLACK_SIGNING_SECRET": "slack-test-signing-secret",
    "FACEBOOK_VERIFY": "fb-test-verify",
    "FACEBOOK_SECRET": "fb-test-app-secret",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "fb-test-page-token",
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "twilio-test-auth-token",
    "TWILIO_NUMBER": "+15005550006",
    "TWILIO_WHATSAPP_NUMBER": "whatsapp:+14155238886",
}
