"""The REST channel (``/webhooks/rest/webhook``) with its input checked before Rasa sees it.

Rasa 3.6 answers a JSON array or a body without ``sender`` with a 500, and passes any text,
however long, to the NLU pipeline. Here a malformed request gets a 4xx with a reason and
changes nothing: wrong content type (415), invalid UTF-8 or JSON, a body that is not an
object, a missing or oversized ``sender`` or a ``message`` that is not text (400), an empty
or whitespace-only message (400), and a message over ``MAX_MESSAGE_CHARS`` (413). ``metadata`` is accepted but not
kept: nothing in HipGuide reads it, and stored it was a way to fill the database.

Who may call it: with ``HIPGUIDE_REST_TOKEN`` set, only requests carrying
``Authorization: Bearer <token>`` (401 otherwise); without it, only programs on this machine
talking to the server directly (a loopback address and no proxy headers; 403 otherwise).
Either way a REST ``sender`` names a conversation in the REST channel's own id space
(``rest:<sender>``): it can never reach a conversation of another channel.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import logging
import os
from typing import Any, Awaitable, Callable, Dict, Tuple

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from hipguide_rasa.channels.common import add_health_route, bearer_token, in_own_id_space, same_secret
from hipguide_rasa.channels.web import MAX_MESSAGE_CHARS

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
TOKEN_VARIABLE = "HIPGUIDE_REST_TOKEN"
PROXY_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


def _is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%")[0]).is_loopback
    except ValueError:
        return False


def refusal(request: Request, token: str | None) -> HTTPResponse | None:
    """None when the caller may use the REST channel, else the 401/403 that says why."""
    if token:
        if same_secret(bearer_token(request), token):
            return None
        return response.json({"error": "a valid REST token is required (Authorization: Bearer ...)"},
                             status=401, headers={"WWW-Authenticate": "Bearer"})
    direct = not any(request.headers.get(name) for name in PROXY_HEADERS)
    if direct and _is_loopback(request.conn_info.client_ip if request.conn_info else ""):
        return None
    return response.json({"error": f"the REST channel answers only this machine unless {TOKEN_VARIABLE} is set"},
                         status=403)


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
    except RecursionError:
        return refuse(400, "the body is nested too deeply")
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
        token = os.environ.get(TOKEN_VARIABLE) or None
        logger.info("channel rest: %s", "token required" if token else f"this machine only ({TOKEN_VARIABLE} not set)")
        return cls(token)

    def __init__(self, token: str | None = None) -> None:
        self.token = token

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = in_own_id_space(self.name(), on_new_message)
        rest = Blueprint("hipguide_rest", __name__)
        add_health_route(rest)

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            denied = refusal(request, self.token)
            if denied is not None:
                return denied
            body, refused = parse(request)
            if refused is not None or body is None:
                return refused or response.json({"error": "bad request"}, status=400)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(body["message"], collector, body["sender"],
                                                 input_channel=self.name(), metadata={}))
            except asyncio.CancelledError:
                logger.info("a REST request was cancelled by its client")
            except Exception as error:
                logger.error("could not handle a message: %s", type(error).__name__)
                return response.json({"error": "the assistant could not handle this message"}, status=503)
            return response.json(collector.messages)

        return rest
