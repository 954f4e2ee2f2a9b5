"""The web chat: a page served by the Rasa server itself and its socket.io channel.

``WebChatInput`` replaces Rasa's ``SocketIOInput`` blueprint to fix what Rasa 3.6 gets wrong
for a page like ours:

* ``enter_room`` is a coroutine in python-socketio >= 5.10 and Rasa does not await it, so
  with session persistence the person never joins their session's room and no reply
  reaches the page. Here it is awaited.
* Rasa turns cross-origin checks off (``cors_allowed_origins=[]``); here the socket accepts
  the page's own origin, plus ``HIPGUIDE_WEB_ORIGINS`` (comma-separated) if set.
* A message is posted to the session this socket joined, never to a ``session_id`` the
  client names in the message, and a session id must look like one we issue (32 hex).

The page is at ``/chat/``; only the files in ``STATIC_FILES`` are served, each with a
Content-Security-Policy that allows nothing outside this origin.
"""

from __future__ import annotations

import logging
import os
import re
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from hipguide_rasa.channels.common import in_own_id_space

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WEB_DIR = PROJECT_ROOT / "web"
VENDOR_DIR = PROJECT_ROOT / "build" / "web"

STATIC_FILES: Dict[str, Tuple[Path, str]] = {
    "index.html": (WEB_DIR / "index.html", "text/html; charset=utf-8"),
    "chat.js": (WEB_DIR / "chat.js", "application/javascript; charset=utf-8"),
    "chat.css": (WEB_DIR / "chat.css", "text/css; charset=utf-8"),
    "favicon.svg": (WEB_DIR / "favicon.svg", "image/svg+xml"),
    "socket.io.min.js": (VENDOR_DIR / "socket.io.min.js", "application/javascript; charset=utf-8"),
}

CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-cache",
}

SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_MESSAGE_CHARS = 4000


def _origins_from_environment() -> List[str]:
    return [origin.strip() for origin in os.environ.get("HIPGUIDE_WEB_ORIGINS", "").split(",") if origin.strip()]


class WebChatInput(SocketIOInput):
    """socket.io for the HipGuide page, with the page and its files."""

    @classmethod
    def name(cls) -> str:
        return "web"

    def url_prefix(self) -> str:
        return "/chat"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> WebChatInput:
        credentials = credentials or {}
        return cls(
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            origins=_origins_from_environment() or list(credentials.get("origins") or []),
        )

    def __init__(self, socketio_path: str = "/socket.io", origins: List[str] | None = None) -> None:
        super().__init__(session_persistence=True, socketio_path=socketio_path)
        self.origins = origins or []

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        # None = same origin only (engine.io compares Origin with Host); a list adds others.
        allowed: List[str] | None = self.origins or None
        on_new_message = in_own_id_space(self.name(), on_new_message)
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=allowed)
        self.sio = sio
        web = SocketBlueprint(sio, self.socketio_path or "/socket.io", "hipguide_web", __name__)

        @web.route("/", methods=["GET", "HEAD"], strict_slashes=True)
        async def page(_: Request) -> HTTPResponse:
            return await _static("index.html")

        @web.route("", methods=["GET", "HEAD"], strict_slashes=True, name="hipguide_web_bare")
        async def bare(_: Request) -> HTTPResponse:
            return response.redirect("/chat/", headers=dict(SECURITY_HEADERS))  # redirect() adds Location

        @web.route("/<name:str>", methods=["GET", "HEAD"])
        async def static_file(_: Request, name: str) -> HTTPResponse:
            return await _static(name)

        @sio.on("connect")
        async def connect(sid: str, environ: Dict, auth: Dict | None = None) -> bool:
            return True

        @sio.on("session_request")
        async def session_request(sid: str, data: Any) -> None:
            requested = data.get("session_id") if isinstance(data, dict) else None
            session_id = requested if isinstance(requested, str) and SESSION_ID.match(requested) else uuid.uuid4().hex
            await sio.enter_room(sid, session_id)  # awaited: the Rasa 3.6 defect
            await sio.save_session(sid, {"session_id": session_id})
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: str, data: Any) -> None:
            session = await sio.get_session(sid)
            session_id = session.get("session_id") if session else None
            text = data.get("message") if isinstance(data, dict) else None
            if not session_id or not isinstance(text, str):
                await sio.emit("hipguide_error", {"code": "bad_message"}, room=sid)
                return
            if len(text) > MAX_MESSAGE_CHARS:
                await sio.emit("hipguide_error", {"code": "message_too_long", "limit": MAX_MESSAGE_CHARS}, room=sid)
                return
            message = UserMessage(
                text, SocketIOOutput(sio, self.bot_message_evt), session_id, input_channel=self.name(), metadata={}
            )
            await on_new_message(message)

        return web


async def _static(name: str) -> HTTPResponse:
    entry = STATIC_FILES.get(name)
    if entry is None or not entry[0].is_file():
        return response.text("not found", status=404, headers=dict(SECURITY_HEADERS))
    path, content_type = entry
    return response.raw(path.read_bytes(), content_type=content_type, headers=dict(SECURITY_HEADERS))
