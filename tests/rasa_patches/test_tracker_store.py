"""The tracker store keeps recent conversations in memory only while the database agrees.

Real SQL databases (SQLite, and PostgreSQL when reachable); "another server" is a second
store on the same database, as in the two-server scale-out."""

from __future__ import annotations

import json
import time
from typing import List

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker, EventVerbosity

from hipguide_rasa import privacy
from hipguide_rasa.tracker_store import EnvironmentSQLTrackerStore, kept_conversations


def _store(url: str, monkeypatch: pytest.MonkeyPatch, kept: str = "") -> EnvironmentSQLTrackerStore:
    monkeypatch.setenv("TRACKER_STORE_URL", url)
    monkeypatch.setenv("HIPGUIDE_KEPT_CONVERSATIONS", kept)
    return EnvironmentSQLTrackerStore()


def _session(sender: str, start: float) -> List[Event]:
    return [ActionExecuted("action_session_start", timestamp=start), SessionStarted(timestamp=start + 0.01),
            ActionExecuted("action_listen", timestamp=start + 0.02)]


def _turn(text: str, at: float) -> List[Event]:
    return [UserUttered(text, {"name": "describe_symptoms", "confidence": 0.9}, timestamp=at),
            SlotSet("pain_location", "groin", timestamp=at + 0.01),
            BotUttered("Which side?", timestamp=at + 0.02), ActionExecuted("action_listen", timestamp=at + 0.03)]


def _state(tracker: DialogueStateTracker) -> dict:
    return json.loads(json.dumps(tracker.current_state(EventVerbosity.ALL)))


async def _rasas_own(store: EnvironmentSQLTrackerStore, sender: str) -> DialogueStateTracker | None:
    return await SQLTrackerStore.retrieve(store, sender)


async def _new_conversation(store: EnvironmentSQLTrackerStore, sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker.from_events(sender, _session(sender, time.time() - 10), slots=[])
    await store.save(tracker)  # holds action_session_start: not what Rasa reads back, not kept
    tracker = await store.retrieve(sender)
    assert tracker is not None
    return tracker


async def check_kept(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _store(url, monkeypatch)
    tracker = await _new_conversation(store, "kept")
    for event in _turn("my groin hurts", time.time()):
        tracker.update(event)
    await store.save(tracker)

    again = await store.retrieve("kept")
    assert again is tracker  # no rows decoded, no events replayed
    assert _state(again) == _state(await _rasas_own(store, "kept"))

    # another server answers the next turn: the kept tracker is stale and is not used
    other = _store(url, monkeypatch)
    theirs = await other.retrieve("kept")
    assert theirs is not None and theirs is not tracker
    for event in _turn("the left one", time.time() + 1):
        theirs.update(event)
    await other.save(theirs)
    mine = await store.retrieve("kept")
    assert mine is not tracker
    assert [e.text for e in mine.events if isinstance(e, UserUttered)] == ["my groin hurts", "the left one"]
    assert _state(mine) == _state(await _rasas_own(store, "kept"))

    # a turn that failed before saving leaves the database as it was: so does the store
    mine.update(UserUttered("lost", timestamp=time.time() + 2))
    assert [e.text for e in (await store.retrieve("kept")).events if isinstance(e, UserUttered)][-1] == "the left one"

    # the conversation deleted elsewhere (privacy: forget me) is gone here too
    assert privacy.delete_conversation("kept", url) > 0
    assert await store.retrieve("kept") is None
    store.engine.dispose()
    other.engine.dispose()


async def test_kept_trackers_on_sqlite(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    await check_kept(f"sqlite:///{tmp_path / 'tracker.db'}", monkeypatch)


@pytest.mark.postgres
async def test_kept_trackers_on_postgres(postgres_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    await check_kept(postgres_url, monkeypatch)


async def test_a_session_that_expired_this_turn_is_read_back_as_rasa_reads_it(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    store = _store(f"sqlite:///{tmp_path / 'tracker.db'}", monkeypatch)
    tracker = await _new_conversation(store, "sessions")
    for event in _turn("my groin hurts", time.time() - 5) + _session("sessions", time.time()):
        tracker.update(event)
    await store.save(tracker)
    back = await store.retrieve("sessions")
    assert back is not tracker
    assert not any(isinstance(e, UserUttered) for e in back.events)  # the old session is not read
    assert _state(back) == _state(await _rasas_own(store, "sessions"))
    assert await store.retrieve("sessions") is back  # and from now on it is kept
    store.engine.dispose()


async def test_the_number_kept_is_bounded(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    store = _store(url, monkeypatch, kept="2")
    trackers = [await _new_conversation(store, f"person-{n}") for n in range(3)]
    assert await store.retrieve("person-0") is not trackers[0]  # the oldest was let go
    assert await store.retrieve("person-2") is trackers[2]
    store.engine.dispose()

    none = _store(url, monkeypatch, kept="0")
    first = await none.retrieve("person-1")
    assert first is not None and await none.retrieve("person-1") is not first
    none.engine.dispose()


@pytest.mark.parametrize("value, expected", [("", 256), ("0", 0), ("12", 12), ("-3", 0)])
def test_kept_conversations_setting(monkeypatch: pytest.MonkeyPatch, value: str, expected: int) -> None:
    monkeypatch.setenv("HIPGUIDE_KEPT_CONVERSATIONS", value)
    assert kept_conversations() == expected


def test_a_bad_setting_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIPGUIDE_KEPT_CONVERSATIONS", "lots")
    with pytest.raises(ValueError, match="HIPGUIDE_KEPT_CONVERSATIONS must be a whole number"):
        kept_conversations()


async def test_rows_written_for_a_kept_tracker_are_the_rows_rasa_writes(
        tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine, text

    ours = _store(f"sqlite:///{tmp_path / 'ours.db'}", monkeypatch)
    rasas = SQLTrackerStore(dialect="sqlite", db=str(tmp_path / "rasa.db"))
    tracker_ours = await _new_conversation(ours, "rows")
    tracker_rasa = DialogueStateTracker.from_events("rows", _session("rows", time.time() - 10), slots=[])
    await rasas.save(tracker_rasa)
    tracker_rasa = await rasas.retrieve("rows")
    for number in range(1, 4):
        for event in _turn(f"message {number}", time.time() + number):
            tracker_ours.update(event)
            tracker_rasa.update(event)
        await ours.save(tracker_ours)
        await rasas.save(tracker_rasa)
        assert await ours.retrieve("rows") is tracker_ours  # the rows written count as the kept ones

    def rows(path: str) -> list:
        engine = create_engine(f"sqlite:///{tmp_path / path}")
        with engine.connect() as connection:
            found = connection.execute(text(
                "SELECT type_name, intent_name, action_name, data FROM events ORDER BY id")).fetchall()
        engine.dispose()
        return [tuple(r) for r in found]

    mine, theirs = rows("ours.db"), rows("rasa.db")
    assert len(mine) == len(theirs) == 3 + 3 * 4
    assert mine[3:] == theirs[3:]  # byte for byte; the session start rows differ in their timestamps
    assert [r[:3] for r in mine[:3]] == [r[:3] for r in theirs[:3]]
    ours.engine.dispose()
    rasas.engine.dispose()
