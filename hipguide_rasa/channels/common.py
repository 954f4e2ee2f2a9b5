"""What every HipGuide channel shares: settings from the environment, a blueprint for a
platform that is not configured, one id space per channel, and numbered options for
platforms without buttons.

Secrets never come from credentials.yml: each channel names the environment variables it
needs and is enabled only when all of them are set; otherwise one log line says which are
missing and the channel registers no routes (its webhook answers 404).
"""

from __future__ import annotations

import hmac
import logging
import os
import re
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Sequence

from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """The environment variables of one channel, read once at start."""

    channel: str
    values: Dict[str, str]
    missing: List[str]

    @property
    def enabled(self) -> bool:
        return not self.missing

    def __getitem__(self, name: str) -> str:
        return self.values[name]

    def get(self, name: str, default: str = "") -> str:
        return self.values.get(name) or default


def read_settings(
    channel: str,
    required: Sequence[str],
    optional: Sequence[str] = (),
    environ: Mapping[str, str] | None = None,
) -> Settings:
    environ = os.environ if environ is None else environ
    values = {name: environ[name] for name in [*required, *optional] if environ.get(name)}
    missing = [name for name in required if name not in values]
    settings = Settings(channel, values, missing)
    if settings.enabled:
        logger.info("channel %s enabled", channel)
    else:
        logger.info("channel %s not enabled: %s not set", channel, ", ".join(missing))
    return settings


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison of a secret from a request (any characters) with ours."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode("utf-8", "replace"))


def bearer_token(request: Any) -> str:
    """The token of an ``Authorization: Bearer <token>`` header, or ""."""
    header = request.headers.get("Authorization") or ""
    return header[len("Bearer "):] if header.startswith("Bearer ") else ""


def add_health_route(blueprint: Blueprint) -> None:
    """``GET <channel>/`` answers ``{"status": "ok"}`` (load balancers and the tests use it)."""

    async def health(_: Any) -> Any:
        return response.json({"status": "ok"})

    blueprint.add_route(health, "/", methods=["GET"], name=f"{blueprint.name}_health")


def disabled_blueprint(channel: str) -> Blueprint:
    """A blueprint without routes: the platform's webhook is simply not there."""
    return Blueprint(f"{channel}_not_configured")


# ---- one id space per channel ----------------------------------------------------------
#
# A conversation's id is the channel's prefix and the id the platform gives the person
# (``sms:+447700900123``, ``tg:123456``, ``web:<session id>``, ``rest:<sender>``). The channel
# adds the prefix; a caller never can, so a REST caller who names a phone number as its
# ``sender`` reaches ``rest:+447700900123``, never that person's SMS conversation.

CHANNEL_PREFIXES: Dict[str, str] = {
    "rest": "rest", "web": "web", "twilio": "sms", "twilio_whatsapp": "wa",
    "telegram": "tg", "facebook": "fb", "slack": "slack",
}
_PREFIXES = frozenset(CHANNEL_PREFIXES.values())


def conversation_id(channel: str, platform_id: str) -> str:
    """The stored conversation id of the person ``platform_id`` on ``channel``."""
    return f"{CHANNEL_PREFIXES[channel]}:{platform_id}"


def platform_id(conversation: str) -> str:
    """The platform's own id (the recipient to send to) of a stored conversation id."""
    prefix, separator, rest = conversation.partition(":")
    return rest if separator and prefix in _PREFIXES else conversation


class PlatformOutput:
    """The channel's output with the conversation id turned back into the platform's id.

    Rasa sends every reply with ``send_response(tracker.sender_id, ...)``; the platform needs
    its own recipient (the phone number, the chat id, the socket.io room)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    def name(self) -> str:
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        await self.inner.send_response(platform_id(recipient_id), message)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self.inner, attribute)


OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def in_own_id_space(channel: str, on_new_message: OnNewMessage) -> OnNewMessage:
    """``on_new_message`` for messages of ``channel``: each goes to the channel's own
    conversation of its sender, and its replies go back to the platform's id."""
    if channel not in CHANNEL_PREFIXES:
        raise ValueError(f"no id space for channel {channel!r}")

    async def handle(message: UserMessage) -> Any:
        message.sender_id = conversation_id(channel, message.sender_id)
        message.output_channel = PlatformOutput(message.output_channel)
        return await on_new_message(message)

    return handle


# ---- numbered options ---------------------------------------------------------------

_NUMBER = re.compile(r"^\s*#?\s*(\d{1,2})\s*[.)]?\s*$")


def numbered_text(text: str, buttons: Sequence[Mapping[str, Any]]) -> str:
    """The message with its buttons as a numbered list, for SMS and WhatsApp."""
    options = "\n".join(f"{index}. {button['title']}" for index, button in enumerate(buttons, 1))
    return f"{text}\n{options}" if text else options


def last_buttons(events: Sequence[Mapping[str, Any]]) -> List[Mapping[str, Any]]:
    """The buttons offered since the person last wrote (the options they can answer)."""
    buttons: List[Mapping[str, Any]] = []
    for event in reversed(events):
        if event.get("event") == "user":
            break
        if event.get("event") == "bot":
            offered = (event.get("data") or {}).get("buttons") or []
            if offered:
                buttons = offered
                break
    return buttons


def resolve_number(text: str, events: Sequence[Mapping[str, Any]]) -> str:
    """A bare number answering a numbered list becomes that option's payload."""
    match = _NUMBER.match(text or "")
    if not match:
        return text
    buttons = last_buttons(events)
    index = int(match.group(1))
    if 1 <= index <= len(buttons):
        return str(buttons[index - 1].get("payload") or buttons[index - 1].get("title") or text)
    return text


async def resolve_number_for(app: Any, sender_id: str, text: str) -> str:
    """``resolve_number`` against the stored conversation ``sender_id`` (a conversation id)."""
    if not _NUMBER.match(text or ""):
        return text
    agent = getattr(app.ctx, "agent", None)
    if agent is None or agent.tracker_store is None:
        return text
    tracker = await agent.tracker_store.retrieve(sender_id)
    if tracker is None:
        return text
    return resolve_number(text, [event.as_dict() for event in tracker.events])
