"""What every HipGuide channel shares: settings from the environment, a blueprint for a
platform that is not configured, and numbered options for platforms without buttons.

Secrets never come from credentials.yml: each channel names the environment variables it
needs and is enabled only when all of them are set; otherwise one log line says which are
missing and the channel registers no routes (its webhook answers 404).
"""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Sequence

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


def add_health_route(blueprint: Blueprint) -> None:
    """``GET <channel>/`` answers ``{"status": "ok"}`` (load balancers and the tests use it)."""

    async def health(_: Any) -> Any:
        return response.json({"status": "ok"})

    blueprint.add_route(health, "/", methods=["GET"], name=f"{blueprint.name}_health")


def disabled_blueprint(channel: str) -> Blueprint:
    """A blueprint without routes: the platform's webhook is simply not there."""
    return Blueprint(f"{channel}_not_configured")


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
    """``resolve_number`` against the stored conversation of ``sender_id``."""
    if not _NUMBER.match(text or ""):
        return text
    agent = getattr(app.ctx, "agent", None)
    if agent is None or agent.tracker_store is None:
        return text
    tracker = await agent.tracker_store.retrieve(sender_id)
    if tracker is None:
        return text
    return resolve_number(text, [event.as_dict() for event in tracker.events])
