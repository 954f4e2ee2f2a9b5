"""Telegram, with the two things Rasa 3.6 gets wrong fixed.

* "Event loop is closed": Rasa's ``get_output_channel`` sets the webhook with
  ``asyncio.run``, which binds the bot's HTTP session to a loop it then closes, so the first
  real webhook fails. Here the bot is created inside the server's loop and the webhook is
  set from an ``after_server_start`` listener.
* Authentication: Telegram sends the ``secret_token`` given to ``setWebhook`` back in the
  ``X-Telegram-Bot-Api-Secret-Token`` header; a request without the right one is refused
  (403). Rasa instead called ``getMe`` on every update, which proves nothing about the sender.

Environment: TELEGRAM_ACCESS_TOKEN, TELEGRAM_WEBHOOK_URL, TELEGRAM_SECRET_TOKEN (required);
TELEGRAM_API_URL (optional, default https://api.telegram.org; the tests point it at a
loopback recorder).
"""

from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, List

from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from hipguide_rasa.channels.common import (
    Settings,
    add_health_route,
    disabled_blueprint,
    in_own_id_space,
    read_settings,
    same_secret,
)

logger = logging.getLogger(__name__)

REQUIRED = ("TELEGRAM_ACCESS_TOKEN", "TELEGRAM_WEBHOOK_URL", "TELEGRAM_SECRET_TOKEN")
OPTIONAL = ("TELEGRAM_API_URL",)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class HipGuideTelegramOutput(TelegramOutput):
    """Rasa's Telegram output with a configurable API address; buttons one per row."""

    def __init__(self, access_token: str, api_url: str | None = None) -> None:
        # TelegramOutput.__init__ takes only the token; aiogram's Bot takes the server.
        super(TelegramOutput, self).__init__(
            access_token, server=TelegramAPIServer.from_base(api_url) if api_url else TELEGRAM_PRODUCTION
        )

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        markup = InlineKeyboardMarkup()
        for button in buttons:
            markup.row(InlineKeyboardButton(button["title"], callback_data=button["payload"]))
        await self.send_message(recipient_id, text, reply_markup=markup)


class TelegramInput(InputChannel):
    """Webhook for Telegram updates (messages and inline-button presses)."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> TelegramInput:
        return cls(read_settings(cls.name(), REQUIRED, OPTIONAL))

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._output: HipGuideTelegramOutput | None = None

    def get_output_channel(self) -> HipGuideTelegramOutput:
        if self._output is None:  # created lazily, inside the server's event loop
            self._output = HipGuideTelegramOutput(
                self.settings["TELEGRAM_ACCESS_TOKEN"], self.settings.get("TELEGRAM_API_URL") or None
            )
        return self._output

    async def set_webhook(self) -> bool:
        result = await self.get_output_channel().request(
            "setWebhook",
            {"url": self.settings["TELEGRAM_WEBHOOK_URL"], "secret_token": self.settings["TELEGRAM_SECRET_TOKEN"]},
        )
        return bool(result)

    def is_authentic(self, request: Request) -> bool:
        return same_secret(request.headers.get(SECRET_HEADER), self.settings["TELEGRAM_SECRET_TOKEN"])

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if not self.settings.enabled:
            return disabled_blueprint(self.name())
        on_new_message = in_own_id_space(self.name(), on_new_message)
        telegram = Blueprint("hipguide_telegram", __name__)
        add_health_route(telegram)

        @telegram.listener("after_server_start")
        async def register_webhook(app: Any, loop: Any) -> None:
            try:
                ok = await self.set_webhook()
                logger.info("telegram webhook %s", "set" if ok else "not accepted by Telegram")
            except Exception as error:  # the server still starts; the log says why
                logger.warning("telegram webhook could not be set: %s", type(error).__name__)

        @telegram.listener("before_server_stop")
        async def close_session(app: Any, loop: Any) -> None:
            if self._output is not None:
                await self._output.session.close()

        @telegram.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.is_authentic(request):
                return response.json({"error": "missing or wrong secret token"}, status=403)
            body = request.json
            if not isinstance(body, dict):
                return response.json({"error": "expected a Telegram update object"}, status=400)
            update = Update(**body)
            if update.callback_query is not None and update.callback_query.message is not None:
                chat, text = update.callback_query.message.chat, update.callback_query.data
            else:
                message = update.message or update.edited_message
                if message is None or message.text is None:
                    return response.json({"status": "ignored"})  # stickers, photos, joins
                chat, text = message.chat, message.text
            await on_new_message(
                UserMessage(text, self.get_output_channel(), str(chat.id), input_channel=self.name(),
                            metadata={})
            )
            return response.json({"status": "ok"})

        return telegram
