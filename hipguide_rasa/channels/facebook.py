"""Facebook Messenger: Rasa's channel with proper authentication and buttons.

* The POST webhook must carry ``X-Hub-Signature-256`` (HMAC-SHA256 of the body with the app
  secret), or Rasa's older ``X-Hub-Signature`` (SHA-1). A missing or wrong signature gets
  403 (Rasa answered 200 "not validated").
* More than three buttons go out as quick replies (Rasa dropped them and sent text only).

Environment: FACEBOOK_VERIFY, FACEBOOK_SECRET, FACEBOOK_PAGE_ACCESS_TOKEN (required);
FACEBOOK_GRAPH_URL (optional, default https://graph.facebook.com/v<version>).
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any, Awaitable, Callable, Dict, List

from fbmessenger.elements import Text as FBText
from rasa.core.channels.channel import UserMessage
from rasa.core.channels.facebook import FacebookInput, Messenger, MessengerBot
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

REQUIRED = ("FACEBOOK_VERIFY", "FACEBOOK_SECRET", "FACEBOOK_PAGE_ACCESS_TOKEN")
OPTIONAL = ("FACEBOOK_GRAPH_URL",)
MAX_QUICK_REPLIES = 13
MAX_TITLE = 20


def signature_valid(secret: str, body: bytes, headers: Any) -> bool:
    for header, algorithm in (("X-Hub-Signature-256", hashlib.sha256), ("X-Hub-Signature", hashlib.sha1)):
        given = headers.get(header)
        if given:
            method, _, digest = given.partition("=")
            expected = hmac.new(secret.encode(), body, algorithm).hexdigest()
            return method == algorithm().name and same_secret(digest, expected)
    return False


class HipGuideMessengerBot(MessengerBot):
    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        if len(buttons) <= 3:
            await super().send_text_with_buttons(recipient_id, text, buttons, **kwargs)
            return
        replies = [
            {"content_type": "text", "title": button["title"][:MAX_TITLE], "payload": button["payload"]}
            for button in buttons[:MAX_QUICK_REPLIES]
        ]
        self.send(recipient_id, FBText(text=text, quick_replies=self._convert_to_quick_reply(replies)))


class HipGuideMessenger(Messenger):
    def __init__(self, settings: Settings, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        super().__init__(settings["FACEBOOK_PAGE_ACCESS_TOKEN"], on_new_message)
        if settings.get("FACEBOOK_GRAPH_URL"):
            self.client.graph_url = settings["FACEBOOK_GRAPH_URL"].rstrip("/")

    async def _handle_user_message(self, text: str, sender_id: str, metadata: Dict[str, Any] | None) -> None:
        out_channel = HipGuideMessengerBot(self.client)
        await self.on_new_message(
            UserMessage(text, out_channel, sender_id, input_channel=self.name(), metadata=metadata)
        )


class HipGuideFacebookInput(FacebookInput):
    @classmethod
    def name(cls) -> str:
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> HipGuideFacebookInput:
        return cls(read_settings(cls.name(), REQUIRED, OPTIONAL))

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__(settings.get("FACEBOOK_VERIFY"), settings.get("FACEBOOK_SECRET"),
                         settings.get("FACEBOOK_PAGE_ACCESS_TOKEN"))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if not self.settings.enabled:
            return disabled_blueprint(self.name())
        on_new_message = in_own_id_space(self.name(), on_new_message)
        facebook = Blueprint("hipguide_facebook", __name__)
        add_health_route(facebook)

        @facebook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token") or ""
            if same_secret(token, self.fb_verify):
                return response.text(request.args.get("hub.challenge") or "")
            return response.text("wrong verify token", status=403)

        @facebook.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not signature_valid(self.fb_secret, request.body, request.headers):
                return response.json({"error": "missing or wrong X-Hub-Signature-256"}, status=403)
            payload = request.json
            if not isinstance(payload, dict) or not isinstance(payload.get("entry"), list):
                return response.json({"error": "expected a Messenger webhook event"}, status=400)
            messenger = HipGuideMessenger(self.settings, on_new_message)
            await messenger.handle(payload, self.get_metadata(request))
            return response.text("success")

        return facebook
