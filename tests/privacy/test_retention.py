"""Deleting one conversation and purging old ones, on Rasa's real SQL tracker store
(SQLite, and PostgreSQL when reachable)."""

from __future__ import annotations

import time
from typing import Dict

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from hipguide_rasa import privacy

DAY = 86400.0


async def fill(url: str, last_seen_days_ago: Dict[str, float], now: float) -> None:
    parsed = make_url(url)
    store = SQLTrackerStore(dialect=parsed.drivername, host=parsed.host, port=parsed.port, db=parsed.database,
                            username=parsed.username, password=parsed.password)
    for sender, days in last_seen_days_ago.items():
        stamp = now - days * DAY
        tracker = DialogueStateTracker.from_events(sender, [
            ActionExecuted("action_listen", timestamp=stamp - 60),
            UserUttered("my hip hurts", timestamp=stamp - 30),
            ActionExecuted("action_listen", timestamp=stamp),
        ])
        await store.save(tracker)
    store.engine.dispose()


async def check_retention(url: str) -> None:
    now = time.time()
    await fill(url, {"old-1": 40, "old-2": 31, "recent": 2, "edge": 29.9}, now)
    assert privacy.purge(30, url, now=now) == 2
    assert privacy.purge(30, url, now=now) == 0  # nothing left to purge
    assert privacy.delete_conversation("recent", url) == 3
    assert privacy.delete_conversation("recent", url) == 0
    assert privacy.purge(29, url, now=now) == 1  # "edge" goes with a shorter period


async def test_retention_and_delete_on_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    await check_retention(f"sqlite:///{tmp_path / 'tracker.db'}")


@pytest.mark.postgres
async def test_retention_and_delete_on_postgres(postgres_url: str) -> None:
    await check_retention(postgres_url)


def test_an_empty_store_is_fine(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'none.db'}"
    assert privacy.purge(30, url) == 0
    assert privacy.delete_conversation("anyone", url) == 0


@pytest.mark.parametrize("value, expected", [("", 90.0), ("off", None), ("OFF", None), ("30", 30.0), ("0.5", 0.5)])
def test_retention_setting(value: str, expected) -> None:  # type: ignore[no-untyped-def]
    assert privacy.retention_days({"HIPGUIDE_RETENTION_DAYS": value}) == expected


@pytest.mark.parametrize("value", ["0", "-3", "thirty"])
def test_a_bad_retention_setting_is_refused(value: str) -> None:
    with pytest.raises(ValueError):
        privacy.retention_days({"HIPGUIDE_RETENTION_DAYS": value})


def test_the_command_refuses_to_purge_with_retention_off(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("HIPGUIDE_RETENTION_DAYS", "off")
    assert privacy.main(["purge"]) == 2
    assert "HIPGUIDE_RETENTION_DAYS" in capsys.readouterr().err


async def check_migration(url: str) -> None:
    parsed = make_url(url)
    store = SQLTrackerStore(dialect=parsed.drivername, host=parsed.host, port=parsed.port, db=parsed.database,
                            username=parsed.username, password=parsed.password)
    stamp = time.time()
    for sender, channel in [("+447700900123", "twilio"), ("whatsapp:+447700900123", "twilio_whatsapp"),
                            ("123456", "telegram"), ("someone", "rest"), ("rest:done", "rest"),
                            ("shell-user", "cmdline"), ("taken", "rest"), ("rest:taken", "rest")]:
        await store.save(DialogueStateTracker.from_events(sender, [
            ActionExecuted("action_listen", timestamp=stamp),
            UserUttered("my hip hurts", input_channel=channel, timestamp=stamp + 1),
        ]))
    store.engine.dispose()

    assert privacy.migrate_ids(url) == {"renamed": 4, "already": 2, "unknown": 1, "clash": 1}
    engine = privacy._engine(url)
    with engine.connect() as connection:
        senders = {row[0] for row in connection.execute(privacy.select(privacy.EVENTS.c.sender_id).distinct())}
    engine.dispose()
    assert senders == {"sms:+447700900123", "wa:whatsapp:+447700900123", "tg:123456", "rest:someone",
                       "rest:done", "shell-user", "taken", "rest:taken"}
    assert privacy.migrate_ids(url) == {"renamed": 0, "already": 6, "unknown": 1, "clash": 1}  # idempotent


async def test_migration_to_channel_id_spaces_on_sqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    await check_migration(f"sqlite:///{tmp_path / 'tracker.db'}")


@pytest.mark.postgres
async def test_migration_to_channel_id_spaces_on_postgres(postgres_url: str) -> None:
    await check_migration(postgres_url)
