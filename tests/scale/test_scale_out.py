"""Scale-out on this machine: two Rasa servers and two action servers on loopback sharing
one PostgreSQL database (conversations and the condition database) and one Redis lock
store. 50 simulated people each hold a 10-turn conversation, their messages alternating
between the two Rasa servers. Afterwards every conversation is complete and in order in
PostgreSQL, no message is lost or duplicated, and no server logged a lock error.

Run by ``make test-scale`` (also called by ``.ci/run``)."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List

import pytest
from sqlalchemy import create_engine, text

from hipguide.knowledge.build import build_database
from hipguide_tools.load import HIPGUIDE_SCRIPT, send
from hipguide_tools.servers import Servers, free_port
from hipguide_tools.train import train

pytestmark = [pytest.mark.scale, pytest.mark.postgres, pytest.mark.redis]

PEOPLE = 50
CONCURRENCY = 10


def test_two_rasa_servers_share_postgres_and_redis(kb, postgres_url: str, redis_url: str,  # type: ignore[no-untyped-def]
                                                   tmp_path: Path) -> None:
    build_database(kb, postgres_url)  # the condition database on PostgreSQL too
    env = {"DATABASE_URL": postgres_url, "TRACKER_STORE_URL": postgres_url, "LOCK_STORE_URL": redis_url}
    model = train()
    fleet = [Servers(model=model, rasa_port=free_port(), action_port=free_port(), run_dir=tmp_path / name, env=env)
             for name in ("a", "b")]
    try:
        for servers in fleet:
            servers.start(wait=False)
        for servers in fleet:
            servers.wait_ready(300)
        sent: Dict[str, List[str]] = {}
        failures: List[str] = []

        def person(number: int) -> None:
            sender = f"scale-{number:03d}"
            sent[sender] = []
            for turn, message in enumerate(HIPGUIDE_SCRIPT):
                server = fleet[(number + turn) % 2]  # alternate between the two Rasa servers
                try:
                    replies = send(server.rest_url, sender, message)
                    sent[sender].append(message)
                    if not replies:
                        failures.append(f"{sender} turn {turn}: no reply")
                except Exception as error:  # recorded, then asserted on below
                    failures.append(f"{sender} turn {turn}: {error}")

        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=CONCURRENCY) as pool:
            list(pool.map(person, range(PEOPLE)))
        elapsed = time.monotonic() - started
        print(f"\nscale-out: {PEOPLE} people x {len(HIPGUIDE_SCRIPT)} turns through 2 Rasa servers in "
              f"{elapsed:.1f} s ({PEOPLE * len(HIPGUIDE_SCRIPT) / elapsed:.1f} messages/s)")
        assert failures == []

        engine = create_engine(postgres_url, future=True)
        with engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT sender_id, type_name, timestamp, data FROM events WHERE sender_id LIKE 'rest:scale-%' "
                "ORDER BY id")).all()
        engine.dispose()
        by_sender: Dict[str, list] = {}
        for sender, kind, stamp, data in rows:
            by_sender.setdefault(sender, []).append((kind, stamp, json.loads(data)))
        assert len(by_sender) == PEOPLE
        for sender, events in by_sender.items():
            said = [d["text"] for kind, _, d in events if kind == "user"]
            assert said == list(HIPGUIDE_SCRIPT), sender  # every message once, in order
            stamps = [stamp for _, stamp, _ in events]
            assert stamps == sorted(stamps), f"{sender}: events out of order"
            bot_after_each = [i for i, (kind, _, _) in enumerate(events) if kind == "bot"]
            assert len(bot_after_each) >= len(HIPGUIDE_SCRIPT), f"{sender}: a turn went unanswered"
        slots = {sender: [d for kind, _, d in events if kind == "slot" and d.get("name") == "pain_location"]
                 for sender, events in by_sender.items()}
        assert all(s and s[-1]["value"] == "outer_hip" for s in slots.values())

        for servers in fleet:
            log = (servers.run_dir / "rasa.log").read_text(errors="replace")
            assert "LockError" not in log and "Could not acquire lock" not in log
            assert "Traceback" not in log
    finally:
        for servers in fleet:
            servers.stop()
