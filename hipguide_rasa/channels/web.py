"""The web chat: a page served by the Rasa server itself and its socket.io channel.

``WebChatInput`` replaces Rasa's ``SocketIOInput`` blueprint to fix what Rasa 3.6 gets wrong
for a page like ours:

* ``enter_room`` is a coroutine in python-socketio >= 5.10 and Rasa does not await it, so
  with session persistence the person never joins their session's room and no reply
  reaches the page. Here it is awaited.
* Rasa turns cross-origin checks off (``cors_allowed_origins=[]``); here the socket accepts
  the page's own origin, plus ``HIPGUIDE_WEB_ORIGINS`` (comma-separated) if set.
* A message is posted to the session this socket joined, never to a ``session_id`` the
  client names in the message. A session id is joined only if this server (or another
  sharing its tracker store) issued it, and only while no other socket holds it; otherwise
  the page gets a new one. "New conversation" leaves the old session's room.
* Rate limits per connection and per address (``web_sessions.RateLimits``); a message over
  a limit, or one that cannot be handled, gets a ``hipguide_error`` event the page shows:
  nothing is dropped silently.
* Frames and request bodies are limited to 64 KB.

The page is at ``/chat/``; only the files in ``STATIC_FILES`` are served, each with a
Content-Security-Policy that allows nothing outside this origin.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Tuple

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from hipguide.paths import PROJECT_ROOT
from hipguide_rasa.channels.common import in_own_id_space
from hipguide_rasa.channels.web_sessions import RateLimits, SessionRegistry

logger = logging.getLogger(__name__)

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
MAX_FRAME_BYTES = 64 * 1024


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

    def __init__(self, socketio_path: str = "/socket.io", origins: List[str] | None = None,
                 registry: SessionRegistry | None = None, limits: RateLimits | None = None) -> None:
        super().__init__(session_persistence=True, socketio_path=socketio_path)
        self.origins = origins or []
        self.registry = registry or SessionRegistry()
        self.limits = limits or RateLimits()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> SocketBlueprint:
        # None = same origin only (engine.io compares Origin with Host); a list adds others.
        allowed: List[str] | None = self.origins or None
        on_new_message = in_own_id_space(self.name(), on_new_message)
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=allowed, max_http_buffer_size=MAX_FRAME_BYTES)
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

        async def in_thread(function: Callable[..., Any], *args: Any) -> Any:
            return await asyncio.get_running_loop().run_in_executor(None, function, *args)

        def held_by_another(session_id: str, sid: str) -> bool:
            return any(other != sid for other, _ in sio.manager.get_participants("/", session_id))

        @sio.on("connect")
        async def connect(sid: str, environ: Dict, auth: Dict | None = None) -> bool:
            request = environ.get("sanic.request")
            address = str(getattr(request, "ip", "") or environ.get("REMOTE_ADDR") or "unknown")
            if not self.limits.connect(address):
                logger.warning("web chat: too many connections from one address")
                return False
            await sio.save_session(sid, {"address": address})
            return True

        @sio.on("disconnect")
        async def disconnect(sid: str) -> None:
            session = await sio.get_session(sid)
            self.limits.disconnect(sid, (session or {}).get("address", "unknown"))

        @sio.on("session_request")
        async def session_request(sid: str, data: Any) -> None:
            session = await sio.get_session(sid) or {}
            requested = data.get("session_id") if isinstance(data, dict) else None
            if (isinstance(requested, str) and SESSION_ID.match(requested)
                    and not held_by_another(requested, sid) and await in_thread(self.registry.issued, requested)):
                session_id = requested
            else:
                session_id = await in_thread(self.registry.issue)
            previous = session.get("session_id")
            if previous and previous != session_id:
                await sio.leave_room(sid, previous)  # "New conversation": no more replies of the old one
            await sio.enter_room(sid, session_id)  # awaited: the Rasa 3.6 defect
            await sio.save_session(sid, {**session, "session_id": session_id})
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
            if not self.limits.allow(sid, session.get("address", "unknown")):
                await sio.emit("hipguide_error", {"code": "rate_limited"}, room=sid)
                return
            message = UserMessage(
                text, SocketIOOutput(sio, self.bot_message_evt), session_id, input_channel=self.name(), metadata={}
            )
            try:
                await on_new_message(message)
            except Exception as error:  # a lock timeout under load, a store that is down
                logger.error("web chat: a message could not be handled: %s", type(error).__name__)
                await sio.emit("hipguide_error", {"code": "busy"}, room=sid)

        return web


async def _static(name: str) -> HTTPResponse:
    entry = STATIC_FILES.get(name)
    if entry is None or not entry[0].is_file():
        return response.text("not found", status=404, headers=dict(SECURITY_HEADERS))
    path, content_type = entry
    return response.raw(path.read_bytes(), content_type=content_type, headers=dict(SECURITY_HEADERS))
