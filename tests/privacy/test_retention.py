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


@pytest.mark.parametrize("value, expected", [("", None), ("30", 30.0), ("0.5", 0.5)])
def test_retention_setting(value: str, expected) -> None:  # type: ignore[no-untyped-def]
    assert privacy.retention_days({"HIPGUIDE_RETENTION_DAYS": value}) == expected


@pytest.mark.parametrize("value", ["0", "-3", "thirty"])
def test_a_bad_retention_setting_is_refused(value: str) -> None:
    with pytest.raises(ValueError):
        privacy.retention_days({"HIPGUIDE_RETENTION_DAYS": value})


def test_the_command_refuses_a_missing_period(monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("HIPGUIDE_RETENTION_DAYS", raising=False)
    assert privacy.main(["purge"]) == 2
    assert "HIPGUIDE_RETENTION_DAYS" in capsys.readouterr().err
