"""App-wide HTTP rules of the Rasa server, applied when it starts (listed in credentials.yml).

* Request bodies are limited to ``HIPGUIDE_MAX_BODY_BYTES`` (default 64 KB; Sanic's default
  is 100 MB): no channel needs more, and an oversized request gets 413 before it is read.
* A request that makes a JSON parser recurse too deeply (``[[[[...``) gets 400, not 500.
* Every response carries ``X-Content-Type-Options: nosniff``, ``Referrer-Policy:
  no-referrer`` and, unless it sets its own, ``Cache-Control: no-store``: health answers
  must not sit in shared caches.
* ``GET /`` no longer names the Rasa version.
"""

from __future__ import annotations

import logging
import os
from typing import Any, Awaitable, Callable, Dict

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

DEFAULT_MAX_BODY_BYTES = 64 * 1024
ALWAYS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}
BANNER = "HipGuide is running."


def max_body_bytes() -> int:
    value = os.environ.get("HIPGUIDE_MAX_BODY_BYTES", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else DEFAULT_MAX_BODY_BYTES


async def add_security_headers(request: Request, answer: HTTPResponse) -> HTTPResponse | None:
    if request.path == "/" and request.method in ("GET", "HEAD") and answer.status == 200:
        answer = response.text(BANNER)  # instead of "Hello from Rasa: <version>"
    for name, value in ALWAYS.items():
        answer.headers.setdefault(name, value)
    answer.headers.setdefault("Cache-Control", "no-store")
    return answer


def too_deep(request: Request, error: Exception) -> HTTPResponse:
    return response.json({"error": "the body is nested too deeply"}, status=400)


def too_large(request: Request, error: Exception) -> HTTPResponse:
    return response.json({"error": f"the request is longer than {max_body_bytes()} bytes"}, status=413)


class HardeningInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "hardening"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> HardeningInput:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("hipguide_hardening", __name__)

        @bp.listener("before_server_start")
        async def harden(app: Any, loop: Any) -> None:
            app.config.REQUEST_MAX_SIZE = max_body_bytes()
            app.error_handler.add(RecursionError, too_deep)
            app.error_handler.add(PayloadTooLarge, too_large)
            app.register_middleware(add_security_headers, attach_to="response")
            logger.info("request bodies limited to %d bytes", app.config.REQUEST_MAX_SIZE)

        return bp
