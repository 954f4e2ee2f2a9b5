"""Each messaging platform's real webhook format, signed the way the platform signs it,
posted to the running Rasa server; the replies are captured on the loopback API server
(tests/e2e/platform_api.py) that stands in for the platform. Unsigned and badly signed
requests are refused and change nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Dict, Tuple

import pytest
from twilio.request_validator import RequestValidator

from hipguide_tools.platform_api import PLATFORM_SECRETS, Call

pytestmark = pytest.mark.servers


def post(url: str, body: bytes, headers: Dict[str, str]) -> Tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def get(url: str) -> Tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def user_events(assistant, sender: str, channel: str) -> list:  # type: ignore[no-untyped-def]
    return [e for e in assistant.tracker(sender, channel)["events"] if e["event"] == "user"]


def new_id() -> int:
    return random.randint(10**8, 10**9)


# ---- Telegram ---------------------------------------------------------------------------

def telegram_update(chat_id: int, text: str | None = None, button: str | None = None) -> bytes:
    user = {"id": chat_id, "is_bot": False, "first_name": "Test"}
    chat = {"id": chat_id, "type": "private", "first_name": "Test"}
    if button is not None:
        update = {"update_id": new_id(), "callback_query": {
            "id": str(new_id()), "from": user, "chat_instance": "1", "data": button,
            "message": {"message_id": 2, "date": int(time.time()), "chat": chat, "text": "question"}}}
    else:
        update = {"update_id": new_id(), "message": {"message_id": 1, "date": int(time.time()),
                                                      "chat": chat, "from": user, "text": text}}
    return json.dumps(update).encode()


def telegram_sent(assistant, chat_id: int) -> list:  # type: ignore[no-untyped-def]
    return assistant.platforms.find(lambda c: c.path.endswith("/sendMessage")
                                    and str(c.data().get("chat_id")) == str(chat_id))


def test_telegram_sets_its_webhook_with_the_secret_token_at_start(assistant) -> None:  # type: ignore[no-untyped-def]
    calls = assistant.platforms.wait_for(lambda c: c.path.endswith("/setWebhook"))
    data = calls[0].data()
    assert data["url"] == "https://hipguide.example/webhooks/telegram/webhook"
    assert data["secret_token"] == PLATFORM_SECRETS["TELEGRAM_SECRET_TOKEN"]
    assert PLATFORM_SECRETS["TELEGRAM_ACCESS_TOKEN"] in calls[0].path


def test_telegram_message_and_button_press_get_replies(assistant) -> None:  # type: ignore[no-untyped-def]
    url = f"{assistant.url}/webhooks/telegram/webhook"
    secret = {"Content-Type": "application/json",
              "X-Telegram-Bot-Api-Secret-Token": PLATFORM_SECRETS["TELEGRAM_SECRET_TOKEN"]}
    chat = new_id()
    # The first webhook after start is the one Rasa 3.6 failed with "Event loop is closed".
    status, _ = post(url, telegram_update(chat, "my hip hurts after running"), secret)
    assert status == 200
    sent = telegram_sent(assistant, chat)
    question = next(c.data() for c in sent if "Where exactly does it hurt" in c.data()["text"])
    keyboard = json.loads(question["reply_markup"])["inline_keyboard"]
    buttons = {row[0]["text"]: row[0]["callback_data"] for row in keyboard}
    assert "Outside of hip" in buttons

    status, _ = post(url, telegram_update(chat, button=buttons["Outside of hip"]), secret)
    assert status == 200
    assert "Which side" in telegram_sent(assistant, chat)[-1].data()["text"]
    assert assistant.tracker(str(chat), "telegram")["slots"]["pain_location"] == "outer_hip"


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}])
def test_telegram_refuses_requests_without_the_secret_token(assistant, headers) -> None:  # type: ignore[no-untyped-def]
    chat = new_id()
    status, _ = post(f"{assistant.url}/webhooks/telegram/webhook", telegram_update(chat, "hello"),
                     {"Content-Type": "application/json", **headers})
    assert status == 403
    assert telegram_sent(assistant, chat) == []
    assert user_events(assistant, str(chat), "telegram") == []


# ---- Slack ------------------------------------------------------------------------------

def slack_headers(body: bytes, secret: str = PLATFORM_SECRETS["SLACK_SIGNING_SECRET"],
                  timestamp: int | None = None) -> Dict[str, str]:
    stamp = str(timestamp if timestamp is not None else int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": f"v0={digest}"}


def slack_event(user: str, text: str) -> bytes:
    return json.dumps({
        "token": "ignored", "team_id": "T1", "api_app_id": "A1", "type": "event_callback",
        "event_id": f"Ev{new_id()}", "event_time": int(time.time()),
        "authorizations": [{"user_id": "UBOT"}],
        "event": {"type": "message", "channel": f"D{user}", "user": user, "text": text,
                  "ts": f"{time.time():.6f}", "channel_type": "im"},
    }).encode()


def slack_posts(assistant, user: str) -> list:  # type: ignore[no-untyped-def]
    return assistant.platforms.find(lambda c: c.path.endswith("chat.postMessage")
                                    and c.data().get("channel") == f"D{user}")


def test_slack_signed_message_gets_a_reply_with_buttons(assistant) -> None:  # type: ignore[no-untyped-def]
    user = f"U{new_id()}"
    body = slack_event(user, "my hip hurts after running")
    status, _ = post(f"{assistant.url}/webhooks/slack/webhook", body, slack_headers(body))
    assert status == 200
    calls = assistant.platforms.wait_for(
        lambda c: c.path.endswith("chat.postMessage") and c.data().get("channel") == f"D{user}"
        and "Where exactly" in json.dumps(c.data()))
    blocks = json.dumps(calls[-1].data()["blocks"])
    assert "Outside of hip" in blocks and "outer_hip" in blocks
    assert calls[-1].headers["Authorization"] == f"Bearer {PLATFORM_SECRETS['SLACK_TOKEN']}"


@pytest.mark.parametrize("how", ["unsigned", "wrong secret", "replayed (10 minutes old)"])
def test_slack_refuses_unsigned_or_badly_signed_requests(assistant, how) -> None:  # type: ignore[no-untyped-def]
    user = f"U{new_id()}"
    body = slack_event(user, "my hip hurts after running")
    headers = {
        "unsigned": {"Content-Type": "application/json"},
        "wrong secret": slack_headers(body, secret="not-the-secret"),
        "replayed (10 minutes old)": slack_headers(body, timestamp=int(time.time()) - 600),
    }[how]
    status, _ = post(f"{assistant.url}/webhooks/slack/webhook", body, headers)
    assert status == 400
    time.sleep(1.0)  # Slack messages are handled in the background: give a bad one time to show
    assert slack_posts(assistant, user) == []
    assert user_events(assistant, user, "slack") == []


# ---- Facebook Messenger -----------------------------------------------------------------

def messenger_event(user: str, text: str | None = None, quick_reply: str | None = None) -> bytes:
    message: Dict[str, object] = {"mid": f"m.{new_id()}", "text": text or "option"}
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    return json.dumps({"object": "page", "entry": [{"id": "PAGE", "time": int(time.time() * 1000), "messaging": [
        {"sender": {"id": user}, "recipient": {"id": "PAGE"}, "timestamp": int(time.time() * 1000),
         "message": message}]}]}).encode()


def messenger_headers(body: bytes, secret: str = PLATFORM_SECRETS["FACEBOOK_SECRET"]) -> Dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}


def messenger_sent(assistant, user: str) -> list:  # type: ignore[no-untyped-def]
    def to_user(call: Call) -> bool:
        return call.path.startswith("/facebook/me/messages") and call.data()["recipient"]["id"] == user
    return assistant.platforms.find(to_user)


def test_messenger_signed_message_gets_quick_replies_and_takes_one(assistant) -> None:  # type: ignore[no-untyped-def]
    user = str(new_id())
    url = f"{assistant.url}/webhooks/facebook/webhook"
    body = messenger_event(user, "my hip hurts after running")
    status, _ = post(url, body, messenger_headers(body))
    assert status == 200
    question = next(c.data()["message"] for c in messenger_sent(assistant, user)
                    if "Where exactly" in c.data()["message"].get("text", ""))
    replies = {r["title"]: r["payload"] for r in question["quick_replies"]}  # 7 options: quick replies
    assert len(replies) == 7 and "Outside of hip" in replies
    assert "access_token=" + PLATFORM_SECRETS["FACEBOOK_PAGE_ACCESS_TOKEN"] in messenger_sent(assistant, user)[0].path

    body = messenger_event(user, "Outside of hip", quick_reply=replies["Outside of hip"])
    status, _ = post(url, body, messenger_headers(body))
    assert status == 200
    assert "Which side" in messenger_sent(assistant, user)[-1].data()["message"]["attachment"]["payload"]["text"]
    assert assistant.tracker(user, "facebook")["slots"]["pain_location"] == "outer_hip"


@pytest.mark.parametrize("how", ["unsigned", "wrong secret"])
def test_messenger_refuses_unsigned_or_badly_signed_requests(assistant, how) -> None:  # type: ignore[no-untyped-def]
    user = str(new_id())
    body = messenger_event(user, "my hip hurts")
    headers = {"Content-Type": "application/json"} if how == "unsigned" else messenger_headers(body, "wrong")
    status, _ = post(f"{assistant.url}/webhooks/facebook/webhook", body, headers)
    assert status == 403
    assert messenger_sent(assistant, user) == []
    assert user_events(assistant, user, "facebook") == []


def test_messenger_webhook_verification_needs_the_verify_token(assistant) -> None:  # type: ignore[no-untyped-def]
    base = f"{assistant.url}/webhooks/facebook/webhook?hub.mode=subscribe&hub.challenge=12345"
    assert get(f"{base}&hub.verify_token={PLATFORM_SECRETS['FACEBOOK_VERIFY']}") == (200, b"12345")
    assert get(f"{base}&hub.verify_token=wrong")[0] == 403


# ---- Twilio SMS and WhatsApp ------------------------------------------------------------

def twilio_post(assistant, channel: str, fields: Dict[str, str], sign: str | None = "right"):  # type: ignore[no-untyped-def]
    url = f"{assistant.url}/webhooks/{channel}/webhook"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if sign is not None:
        token = PLATFORM_SECRETS["TWILIO_AUTH_TOKEN"] if sign == "right" else "wrong-token"
        headers["X-Twilio-Signature"] = RequestValidator(token).compute_signature(url, fields)
    return post(url, urllib.parse.urlencode(fields).encode(), headers)


def twilio_fields(sender: str, to: str, text: str) -> Dict[str, str]:
    return {"MessageSid": f"SM{new_id()}", "AccountSid": PLATFORM_SECRETS["TWILIO_ACCOUNT_SID"],
            "From": sender, "To": to, "Body": text, "NumMedia": "0"}


def twilio_sent(assistant, recipient: str) -> list:  # type: ignore[no-untyped-def]
    return assistant.platforms.find(lambda c: c.path.endswith("/Messages.json") and c.data().get("To") == recipient)


@pytest.mark.parametrize("channel, sender, number", [
    ("twilio", "+4477009{:05d}", PLATFORM_SECRETS["TWILIO_NUMBER"]),
    ("twilio_whatsapp", "whatsapp:+4477009{:05d}", PLATFORM_SECRETS["TWILIO_WHATSAPP_NUMBER"]),
])
def test_twilio_numbered_options_and_a_number_as_the_answer(assistant, channel, sender, number) -> None:  # type: ignore[no-untyped-def]
    sender = sender.format(random.randint(0, 99999))
    status, _ = twilio_post(assistant, channel, twilio_fields(sender, number, "my hip hurts after running"))
    assert status == 204
    sent = [c.data() for c in twilio_sent(assistant, sender)]
    question = next(m["Body"] for m in sent if "Where exactly" in m["Body"])
    assert "\n1. Groin\n2. Front of hip\n3. Outside of hip\n" in question
    assert "/describe_symptoms" not in question  # payloads never leak into the text
    assert all(m["From"] == number for m in sent)
    account, token = PLATFORM_SECRETS["TWILIO_ACCOUNT_SID"], PLATFORM_SECRETS["TWILIO_AUTH_TOKEN"]
    auth = base64.b64encode(f"{account}:{token}".encode())
    assert twilio_sent(assistant, sender)[0].headers["Authorization"] == f"Basic {auth.decode()}"

    status, _ = twilio_post(assistant, channel, twilio_fields(sender, number, "3"))
    assert status == 204
    assert "Which side" in twilio_sent(assistant, sender)[-1].data()["Body"]
    assert assistant.tracker(sender, channel)["slots"]["pain_location"] == "outer_hip"


@pytest.mark.parametrize("sign", [None, "wrong"])
def test_twilio_refuses_unsigned_or_badly_signed_requests(assistant, sign) -> None:  # type: ignore[no-untyped-def]
    sender = f"+4477008{random.randint(0, 99999):05d}"
    status, _ = twilio_post(assistant, "twilio", twilio_fields(sender, PLATFORM_SECRETS["TWILIO_NUMBER"], "hi"), sign)
    assert status == 403
    assert twilio_sent(assistant, sender) == []
    assert user_events(assistant, sender, "twilio") == []
