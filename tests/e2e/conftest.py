"""The real Rasa server and action server, started once for the whole test run."""

from __future__ import annotations

import json
import secrets
import shutil
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Dict, Iterator

import pytest

from hipguide.knowledge.build import build_database
from hipguide_rasa.channels.common import conversation_id
from hipguide_tools.platform_api import PlatformAPI
from hipguide_tools.servers import Servers, free_port
from hipguide_tools.train import train

RETENTION_DAYS = 30  # the test servers purge conversations idle for longer, every 3 s
MAX_EVENTS = 1500  # stored events per conversation (the longest test conversation has some 300)


class RunningAssistant:
    def __init__(self, servers: Servers, token: str, tracker_db: Path, platforms: PlatformAPI):
        self.servers = servers
        self.token = token
        self.tracker_db = tracker_db
        self.platforms = platforms

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.servers.rasa_port}"

    def say(self, sender: str, text: str) -> list:
        return self.servers.send(sender, text)

    def tracker(self, sender: str, channel: str = "rest") -> Dict[str, Any]:
        """The stored conversation of ``sender`` (the platform's id) on ``channel``."""
        # Rasa's API does not percent-decode the id: send ":" "+" "/" "@" as they are.
        conversation = urllib.parse.quote(conversation_id(channel, sender), safe=":+/@")
        url = (f"http://127.0.0.1:{self.servers.rasa_port}/conversations/{conversation}/tracker"
               f"?token={self.token}")
        with urllib.request.urlopen(url, timeout=30) as response:
            return dict(json.loads(response.read()))


@pytest.fixture(scope="session")
def assistant(kb, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningAssistant]:  # type: ignore[no-untyped-def]
    workdir = Path(tmp_path_factory.mktemp("servers"))
    knowledge_db = f"sqlite:///{workdir / 'hipguide.db'}"
    build_database(kb, knowledge_db)
    tracker_db = workdir / "tracker.db"
    token = secrets.token_urlsafe(16)
    model = train()  # a no-op when `make train` already trained this fingerprint
    platforms = PlatformAPI().start()  # every messaging channel talks to this recorder
    servers = Servers(
        model=model, rasa_port=free_port(), action_port=free_port(), run_dir=workdir,
        env={"DATABASE_URL": knowledge_db, "TRACKER_STORE_URL": f"sqlite:///{tracker_db}",
             "HIPGUIDE_ENABLE_API": "1", "HIPGUIDE_API_TOKEN": token,
             "HIPGUIDE_RETENTION_DAYS": str(RETENTION_DAYS), "HIPGUIDE_RETENTION_INTERVAL": "3",
             "HIPGUIDE_MAX_EVENTS": str(MAX_EVENTS),
             **platforms.environment()},
    )
    try:
        servers.start()
        yield RunningAssistant(servers, token, tracker_db, platforms)
    finally:
        servers.stop()
        platforms.stop()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Chromium's own background traffic is switched off: the page must make no request but ours.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's headless Chromium through playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: `make test` installs it (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
