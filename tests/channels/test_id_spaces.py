"""Each channel has its own id space: a caller can name only conversations of its channel."""

from __future__ import annotations

import asyncio
from typing import Any, List

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from hipguide_rasa.channels.common import CHANNEL_PREFIXES, conversation_id, in_own_id_space, platform_id


@pytest.mark.parametrize("channel, raw, stored", [
    ("rest", "+447700900123", "rest:+447700900123"),
    ("twilio", "+447700900123", "sms:+447700900123"),
    ("twilio_whatsapp", "whatsapp:+447700900123", "wa:whatsapp:+447700900123"),
    ("telegram", "123456", "tg:123456"),
    ("web", "0" * 32, "web:" + "0" * 32),
])
def test_ids_are_prefixed_by_the_channel_and_come_back(channel: str, raw: str, stored: str) -> None:
    assert conversation_id(channel, raw) == stored
    assert platform_id(stored) == raw


def test_a_rest_sender_that_names_another_channel_stays_in_rest() -> None:
    stored = conversation_id("rest", "sms:+447700900123")
    assert stored == "rest:sms:+447700900123"
    assert stored != conversation_id("twilio", "+447700900123")
    assert platform_id(stored) == "sms:+447700900123"  # only the channel's own prefix is removed


def test_prefixes_are_distinct() -> None:
    assert len(set(CHANNEL_PREFIXES.values())) == len(CHANNEL_PREFIXES)


def test_messages_reach_the_channels_conversation_and_replies_the_platform_id() -> None:
    seen: List[Any] = []

    async def on_new_message(message: UserMessage) -> None:
        seen.append(message.sender_id)
        await message.output_channel.send_response(message.sender_id, {"text": "hello"})

    collector = CollectingOutputChannel()
    handle = in_own_id_space("twilio", on_new_message)
    asyncio.run(handle(UserMessage("hi", collector, "+447700900123", input_channel="twilio")))
    assert seen == ["sms:+447700900123"]
    assert collector.messages == [{"recipient_id": "+447700900123", "text": "hello"}]


def test_an_unknown_channel_is_refused() -> None:
    with pytest.raises(ValueError):
        in_own_id_space("carrier_pigeon", lambda message: None)  # type: ignore[arg-type, return-value]
