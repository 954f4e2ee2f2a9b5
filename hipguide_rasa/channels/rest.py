"""The REST channel (``/webhooks/rest/webhook``) with its input checked before Rasa sees it.

Rasa 3.6 answers a JSON array or a body without ``sender`` with a 500, and passes any text,
however long, to the NLU pipeline. Here a malformed request gets a 4xx with a reason and
changes nothing: wrong content type (415), invalid UTF-8 or JSON, a body that is not an
object, a missing or oversized ``sender`` or a ``message`` that is not text (400), an empty
or whitespace-only message (400), and a message over ``MAX_MESSAGE_CHARS`` (413).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Awaitable, Callable, Dict, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from hipguide_rasa.channels.common import add_health_route
from hipguide_rasa.channels.web import MAX_MESSAGE_CHARS

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128


def parse(request: Request) -> Tuple[Dict[str, Any] | None, HTTPResponse | None]:
    """The request's JSON object, or the 4xx response that explains what is wrong."""
    def refuse(status: int, reason: str) -> Tuple[None, HTTPResponse]:
        return None, response.json({"error": reason}, status=status)

    content_type = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        return refuse(415, "send JSON with Content-Type: application/json")
    try:
        body = json.loads((request.body or b"").decode("utf-8"))
    except UnicodeDecodeError:
        return refuse(400, "the body is not valid UTF-8")
    except json.JSONDecodeError:
        return refuse(400, "the body is not valid JSON")
    if not isinstance(body, dict):
        return refuse(400, 'expected an object: {"sender": "...", "message": "..."}')
    sender, message = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
        return refuse(400, f'"sender" must be a non-empty string of at most {MAX_SENDER_CHARS} characters')
    if not isinstance(message, str):
        return refuse(400, '"message" must be a string')
    if not message.strip():
        return refuse(400, '"message" is empty')
    if len(message) > MAX_MESSAGE_CHARS:
        return refuse(413, f'"message" is longer than {MAX_MESSAGE_CHARS} characters')
    metadata = body.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        return refuse(400, '"metadata" must be an object')
    return body, None


class RestInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> RestInput:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest = Blueprint("hipguide_rest", __name__)
        add_health_route(rest)

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            body, refusal = parse(request)
            if refusal is not None or body is None:
                return refusal or response.json({"error": "bad request"}, status=400)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(body["message"], collector, body["sender"],
                                                 input_channel=self.name(), metadata=body.get("metadata") or {}))
            except asyncio.CancelledError:
                logger.info("a REST request was cancelled by its client")
            except Exception as error:
                logger.error("could not handle a message: %s", type(error).__name__)
                return response.json({"error": "the assistant could not handle this message"}, status=503)
            return response.json(collector.messages)

        return rest
