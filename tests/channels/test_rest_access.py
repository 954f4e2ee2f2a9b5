"""Who may use the REST channel: a token holder, or (without a token) this machine only."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Dict

import pytest
from sanic.request import Request

from hipguide_rasa.channels.rest import refusal


def request(headers: Dict[str, str], client_ip: str = "127.0.0.1") -> Request:
    made = Request(b"/webhooks/rest/webhook", headers, "1.1", "POST", None, None)  # type: ignore[arg-type]
    made.conn_info = SimpleNamespace(client_ip=client_ip)  # type: ignore[assignment]
    return made


@pytest.mark.parametrize("ip, headers, allowed", [
    ("127.0.0.1", {}, True),
    ("::1", {}, True),
    ("192.0.2.10", {}, False),
    ("127.0.0.1", {"X-Forwarded-For": "203.0.113.9"}, False),  # through a proxy on this machine
    ("127.0.0.1", {"Forwarded": "for=203.0.113.9"}, False),
])
def test_without_a_token_only_direct_local_callers(ip: str, headers: Dict[str, str], allowed: bool) -> None:
    denied = refusal(request(headers, ip), None)
    assert (denied is None) == allowed
    if denied is not None:
        assert denied.status == 403


@pytest.mark.parametrize("header, allowed", [
    ("Bearer s3cret-token", True),
    ("Bearer wrong", False),
    ("s3cret-token", False),
    ("Bearer s\u00e9cret", False),
    ("", False),
])
def test_with_a_token_every_caller_needs_it(header: str, allowed: bool) -> None:
    headers = {"Authorization": header} if header else {}
    denied = refusal(request(headers, "192.0.2.10"), "s3cret-token")
    assert (denied is None) == allowed
    if denied is not None:
        assert denied.status == 401 and denied.headers["WWW-Authenticate"] == "Bearer"
