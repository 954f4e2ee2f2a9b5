"""Slack: Rasa's channel (it checks ``X-Slack-Signature`` against the signing secret and
rejects stale timestamps) with settings from the environment and a configurable API address.

Environment: SLACK_TOKEN, SLACK_SIGNING_SECRET (required); SLACK_CHANNEL, SLACK_API_URL
(optional; the tests point SLACK_API_URL at a loopback recorder).
"""

from __future__ import annotations

from typing import Any, Awaitable, Callable, Dict, List

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot, SlackInput
from sanic import Blueprint

from hipguide_rasa.channels.common import Settings, disabled_blueprint, in_own_id_space, read_settings

REQUIRED = ("SLACK_TOKEN", "SLACK_SIGNING_SECRET")
OPTIONAL = ("SLACK_CHANNEL", "SLACK_API_URL")
MAX_BUTTONS = 25  # per actions block (Rasa 3.6 still assumed 5 and dropped all buttons above it)


class HipGuideSlackBot(SlackBot):
    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        elements = [
            {"type": "button", "text": {"type": "plain_text", "text": button["title"]}, "value": button["payload"]}
            for button in buttons[:MAX_BUTTONS]
        ]
        blocks = [{"type": "section", "text": {"type": "plain_text", "text": text}},
                  {"type": "actions", "elements": elements}]
        await self._post_message(channel=self.slack_channel or recipient_id, as_user=True, text=text, blocks=blocks)


class HipGuideSlackInput(SlackInput):
    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> HipGuideSlackInput:
        settings = read_settings(cls.name(), REQUIRED, OPTIONAL)
        return cls(settings)

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        super().__init__(
            slack_token=settings.get("SLACK_TOKEN"),
            slack_channel=settings.get("SLACK_CHANNEL") or None,
            slack_signing_secret=settings.get("SLACK_SIGNING_SECRET"),
            slack_retry_reason_header="x-slack-retry-reason",
            slack_retry_number_header="x-slack-retry-num",
        )

    def _validate_credentials(self) -> None:
        """Rasa raises on a missing secret; here a missing secret disables the channel."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        if not self.settings.enabled:
            return disabled_blueprint(self.name())
        return super().blueprint(in_own_id_space(self.name(), on_new_message))

    def get_output_channel(self, channel: str | None = None, thread_id: str | None = None) -> OutputChannel:
        bot = HipGuideSlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy)
        api_url = self.settings.get("SLACK_API_URL")
        if api_url:
            bot.client.base_url = api_url.rstrip("/") + "/"
        return bot
