"""No conversation id or message text in the logs, whoever logs it (Rasa, socket.io, us).

A conversation id works as a key: with it, a web session can be joined and a REST or API
caller can name the conversation. Every log record is rewritten before any handler sees
it: conversation ids (``web:...``, ``sms:...``) and bare web session ids (32 hex) become the
review tool's label (the first 10 hex of their SHA-256, ``conversation_label``), and Rasa's
"Failed to parse arguments in line '<message>'" warnings lose the message.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

from hipguide_rasa.channels.common import CHANNEL_PREFIXES

_CONVERSATION = re.compile(
    r"\b(?:" + "|".join(sorted(set(CHANNEL_PREFIXES.values()))) + r"):[^\s'\",;)\]}]+")
_SESSION = re.compile(r"\b[0-9a-f]{32}\b")
_QUOTED_LINE = re.compile(r"(in line )'.*?'(?=\.\s|\.?$)", re.DOTALL)


def conversation_label(sender_id: str) -> str:
    """A stable, non-reversible name for a conversation (first 10 hex of its SHA-256)."""
    return hashlib.sha256(sender_id.encode()).hexdigest()[:10]


def redact(text: str) -> str:
    text = _QUOTED_LINE.sub(r"\1(message withheld)", text)
    text = _CONVERSATION.sub(lambda m: f"conversation {conversation_label(m.group(0))}", text)
    return _SESSION.sub(lambda m: f"session {conversation_label(m.group(0))}", text)


def install() -> None:
    """Rewrite every log record from now on (idempotent)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "_hipguide_redacting", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = current(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit: leave it to logging
            return record
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return record

    factory._hipguide_redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
