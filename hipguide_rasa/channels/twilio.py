"""Twilio SMS and WhatsApp: Rasa's channel with request signatures and numbered options.

* Every webhook must carry a valid ``X-Twilio-Signature`` (HMAC-SHA1 over the public URL and
  the sorted form fields, keyed with the auth token); otherwise 403. Rasa did not check it.
* SMS and WhatsApp have no buttons: options go out as a numbered list in the same message,
  and a reply that is just a number is taken as that option.
* Messages go out without blocking the server (the Twilio client is synchronous).

Environment: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_NUMBER (SMS) or
TWILIO_WHATSAPP_NUMBER (``whatsapp:+...``); TWILIO_WEBHOOK_URL (the public URL Twilio calls,
needed behind a proxy) and TWILIO_API_URL (tests) are optional.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.twilio import TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioRestException
from twilio.request_validator import RequestValidator

from hipguide_rasa.channels.common import (
    Settings,
    add_health_route,
    conversation_id,
    disabled_blueprint,
    in_own_id_space,
    numbered_text,
    read_settings,
    resolve_number_for,
)

logger = logging.getLogger(__name__)


class HipGuideTwilioOutput(TwilioOutput):
    def __init__(self, account_sid: str, auth_token: str, number: str, api_url: str | None = None) -> None:
        super().__init__(account_sid, auth_token, number)
        if api_url:
            self.api.base_url = api_url.rstrip("/")

    async def _send_message(self, message_data: Dict[str, Any]) -> Any:
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(None, lambda: self.messages.create(**message_data))
        except TwilioRestException as error:
            logger.error("twilio refused a message: status %s", error.status)
            return None

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        await self.send_text_message(recipient_id, numbered_text(text, buttons))


class TwilioInput(InputChannel):
    """SMS through Twilio."""

    number_variable = "TWILIO_NUMBER"

    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> TwilioInput:
        required = ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", cls.number_variable)
        return cls(read_settings(cls.name(), required, ("TWILIO_WEBHOOK_URL", "TWILIO_API_URL")))

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def get_output_channel(self) -> HipGuideTwilioOutput:
        return HipGuideTwilioOutput(
            self.settings["TWILIO_ACCOUNT_SID"], self.settings["TWILIO_AUTH_TOKEN"],
            self.settings[self.number_variable], self.settings.get("TWILIO_API_URL") or None,
        )

    def is_authentic(self, request: Request) -> bool:
        signature = request.headers.get("X-Twilio-Signature", "")
        url = self.settings.get("TWILIO_WEBHOOK_URL") or request.url
        params = {key: values[0] for key, values in request.form.items()}
        return bool(signature) and RequestValidator(self.settings["TWILIO_AUTH_TOKEN"]).validate(url, params, signature)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if not self.settings.enabled:
            return disabled_blueprint(self.name())
        on_new_message = in_own_id_space(self.name(), on_new_message)
        twilio = Blueprint(f"hipguide_{self.name()}", __name__)
        add_health_route(twilio)

        @twilio.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.is_authentic(request):
                return response.text("missing or wrong X-Twilio-Signature", status=403)
            sender, text = request.form.get("From"), request.form.get("Body")
            if not sender or text is None:
                return response.text("expected From and Body", status=400)
            text = await resolve_number_for(request.app, conversation_id(self.name(), sender), text.replace("¡", "@"))
            await on_new_message(
                UserMessage(text, self.get_output_channel(), sender, input_channel=self.name(), metadata={})
            )
            return response.text("", status=204)

        return twilio


class TwilioWhatsAppInput(TwilioInput):
    """WhatsApp through Twilio: the same webhook format, a ``whatsapp:`` number."""

    number_variable = "TWILIO_WHATSAPP_NUMBER"

    @classmethod
    def name(cls) -> str:
        return "twilio_whatsapp"
