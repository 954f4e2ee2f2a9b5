"""Security defaults of the running servers: loopback only, the API behind its token, and
no message text in the logs."""

from __future__ import annotations

import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Set

import pytest

pytestmark = pytest.mark.servers


def listening_addresses(port: int) -> Set[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp*)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                found.add(address)
    return found


def test_both_servers_listen_on_loopback_only(assistant) -> None:  # type: ignore[no-untyped-def]
    loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1
    for port in (assistant.servers.rasa_port, assistant.servers.action_port):
        addresses = listening_addresses(port)
        assert addresses and addresses <= loopback, (port, addresses)


@pytest.mark.parametrize("query", ["", "?token=wrong"])
def test_the_http_api_needs_the_token(assistant, query: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{assistant.url}/conversations/someone/tracker{query}", timeout=30)
    assert refused.value.code == 401


def test_no_message_text_in_the_logs(assistant) -> None:  # type: ignore[no-untyped-def]
    marker = f"zebra{uuid.uuid4().hex[:10]}"
    assistant.say(f"log-{uuid.uuid4().hex[:8]}", f"my hip hurts after running {marker}")
    for name in ("rasa", "actions"):
        log = (assistant.servers.run_dir / f"{name}.log").read_text(errors="replace")
        assert marker not in log, f"message text found in {name}.log"
