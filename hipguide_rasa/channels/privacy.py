"""Privacy endpoints on the Rasa server: deleting a conversation, and the retention job.

* ``DELETE /webhooks/privacy/conversations/<conversation id>`` deletes one person's conversation
  (the id as stored: ``sms:+447700900123``, ``web:<session id>``; percent-encode what a URL
  cannot carry). 404 when nothing is stored under that id.
  It exists only when the HTTP API is on (``HIPGUIDE_ENABLE_API=1``) and needs the API token
  (``Authorization: Bearer <HIPGUIDE_API_TOKEN>`` or ``?token=``); otherwise use
  ``python -m hipguide_rasa.privacy delete <sender_id>``.
* Conversations idle for longer than ``HIPGUIDE_RETENTION_DAYS`` (90 unless set; ``off``
  keeps them) are deleted when the server starts and then every
  ``HIPGUIDE_RETENTION_INTERVAL`` seconds (default 3600).
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any, Awaitable, Callable, Dict
from urllib.parse import unquote

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from hipguide_rasa import privacy
from hipguide_rasa.channels.common import bearer_token, same_secret

logger = logging.getLogger(__name__)


class PrivacyInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "privacy"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> PrivacyInput:
        token = os.environ.get("HIPGUIDE_API_TOKEN") if os.environ.get("HIPGUIDE_ENABLE_API") == "1" else None
        return cls(token or None, privacy.retention_days(),
                   float(os.environ.get("HIPGUIDE_RETENTION_INTERVAL") or 3600))

    def __init__(self, token: str | None, retention_days: float | None, interval: float = 3600) -> None:
        self.token = token
        self.retention_days = retention_days
        self.interval = interval

    def authorised(self, request: Request) -> bool:
        given = bearer_token(request) or request.args.get("token") or ""
        return same_secret(given, self.token or "")

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("hipguide_privacy", __name__)

        if self.retention_days:
            @bp.listener("after_server_start")
            async def start_retention(app: Any, loop: Any) -> None:
                app.ctx.hipguide_retention = asyncio.ensure_future(self._retention_loop())

            @bp.listener("before_server_stop")
            async def stop_retention(app: Any, loop: Any) -> None:
                app.ctx.hipguide_retention.cancel()

        if self.token:
            @bp.route("/conversations/<sender_id:path>", methods=["DELETE"])
            async def delete_conversation(request: Request, sender_id: str) -> HTTPResponse:
                if not self.authorised(request):
                    return response.json({"error": "a valid API token is required"}, status=401)
                conversation = unquote(sender_id)  # "wa:whatsapp%3A%2B44..." and ids with "/"
                deleted = await asyncio.get_running_loop().run_in_executor(
                    None, privacy.delete_conversation, conversation)
                if not deleted:
                    return response.json({"error": "no stored conversation has this id"}, status=404)
                return response.json({"deleted_events": deleted})
        else:
            logger.info("conversation delete endpoint off (the HTTP API is off); use python -m hipguide_rasa.privacy")
        return bp

    @staticmethod
    def _forget_web_sessions(days: float) -> None:
        from hipguide_rasa.channels.web_sessions import SessionRegistry

        registry = SessionRegistry()
        try:
            registry.forget_older_than(days)
        finally:
            registry.close()

    async def _retention_loop(self) -> None:
        days = float(self.retention_days or 0)
        while True:
            try:
                removed = await asyncio.get_running_loop().run_in_executor(None, privacy.purge, days)
                logger.info("retention: deleted %d conversations idle for over %g days", removed, days)
                await asyncio.get_running_loop().run_in_executor(None, self._forget_web_sessions, days)
            except Exception as error:  # keep serving; try again next time
                logger.warning("retention purge failed: %s", type(error).__name__)
            await asyncio.sleep(self.interval)
