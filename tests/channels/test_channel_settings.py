"""Channels read their settings from the environment; numbered options map back to payloads."""

from __future__ import annotations

import logging

import pytest

from hipguide_rasa.channels.common import numbered_text, read_settings, resolve_number
from hipguide_rasa.channels.facebook import HipGuideFacebookInput, signature_valid
from hipguide_rasa.channels.slack import HipGuideSlackInput
from hipguide_rasa.channels.telegram import TelegramInput
from hipguide_rasa.channels.twilio import TwilioInput, TwilioWhatsAppInput

PLATFORM_VARIABLES = ["TELEGRAM_", "SLACK_", "FACEBOOK_", "TWILIO_"]


@pytest.fixture()
def no_platform_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if any(name.startswith(prefix) for prefix in PLATFORM_VARIABLES):
            monkeypatch.delenv(name)


@pytest.mark.parametrize("channel, missing", [
    (TelegramInput, "TELEGRAM_ACCESS_TOKEN, TELEGRAM_WEBHOOK_URL, TELEGRAM_SECRET_TOKEN"),
    (HipGuideSlackInput, "SLACK_TOKEN, SLACK_SIGNING_SECRET"),
    (HipGuideFacebookInput, "FACEBOOK_VERIFY, FACEBOOK_SECRET, FACEBOOK_PAGE_ACCESS_TOKEN"),
    (TwilioInput, "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_NUMBER"),
    (TwilioWhatsAppInput, "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_WHATSAPP_NUMBER"),
])
def test_a_platform_without_its_variables_is_not_enabled_and_says_so(
    no_platform_settings: None, caplog: pytest.LogCaptureFixture, channel, missing  # type: ignore[no-untyped-def]
) -> None:
    with caplog.at_level(logging.INFO, logger="hipguide_rasa.channels.common"):
        instance = channel.from_credentials(None)
    assert f"channel {channel.name()} not enabled: {missing} not set" in caplog.text
    blueprint = instance.blueprint(lambda message: None)
    assert blueprint._future_routes == set()  # no webhook is registered


def test_a_platform_with_only_some_variables_names_the_rest(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="hipguide_rasa.channels.common"):
        settings = read_settings("slack", ["SLACK_TOKEN", "SLACK_SIGNING_SECRET"],
                                 environ={"SLACK_TOKEN": "xoxb-VALUE-NEVER-LOGGED"})
    assert not settings.enabled
    assert "channel slack not enabled: SLACK_SIGNING_SECRET not set" in caplog.text
    assert "VALUE-NEVER-LOGGED" not in caplog.text


BUTTONS = [{"title": "Left", "payload": "/describe_symptoms{\"side\": \"left\"}"},
           {"title": "Right", "payload": "/describe_symptoms{\"side\": \"right\"}"},
           {"title": "Both", "payload": "/describe_symptoms{\"side\": \"both\"}"}]


def test_buttons_become_numbered_lines() -> None:
    assert numbered_text("Which side is it?", BUTTONS) == "Which side is it?\n1. Left\n2. Right\n3. Both"


@pytest.mark.parametrize("reply, expected", [
    ("2", BUTTONS[1]["payload"]), (" 3. ", BUTTONS[2]["payload"]), ("#1", BUTTONS[0]["payload"]),
    ("4", "4"), ("0", "0"), ("2 weeks", "2 weeks"), ("right", "right"),
])
def test_a_number_answers_the_last_numbered_question(reply: str, expected: str) -> None:
    events = [{"event": "user", "text": "my hip hurts"}, {"event": "bot", "text": "Which side is it?",
                                                          "data": {"buttons": BUTTONS}}]
    assert resolve_number(reply, events) == expected


def test_a_number_after_a_question_without_options_stays_a_number() -> None:
    events = [{"event": "bot", "text": "Which side?", "data": {"buttons": BUTTONS}},
              {"event": "user", "text": "2"}, {"event": "bot", "text": "How old are you?", "data": {}}]
    assert resolve_number("45", events) == "45"
    assert resolve_number("2", events) == "2"


def test_messenger_signatures() -> None:
    import hashlib
    import hmac

    body = b'{"object":"page"}'
    good = "sha256=" + hmac.new(b"secret", body, hashlib.sha256).hexdigest()
    assert signature_valid("secret", body, {"X-Hub-Signature-256": good})
    assert not signature_valid("secret", body + b" ", {"X-Hub-Signature-256": good})
    assert not signature_valid("secret", body, {"X-Hub-Signature-256": good.replace("sha256", "md5")})
    assert not signature_valid("secret", body, {})
