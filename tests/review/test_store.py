"""The review tool reads what Rasa's own SQL tracker store wrote, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from hipguide_rasa.review.__main__ import main
from hipguide_rasa.review.export import conversation_label
from hipguide_rasa.review.store import ConversationStore, StoreError

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def parse(intent: str, confidence: float, text: str) -> dict:
    return {"intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text}


async def save(url: str, sender: str, events: list) -> None:
    parsed = make_url(url)
    store = SQLTrackerStore(Domain.load(str(PROJECT_ROOT / "domain.yml")), dialect=parsed.drivername,
                            host=parsed.host, port=parsed.port, db=parsed.database,
                            username=parsed.username, password=parsed.password)
    await store.save(DialogueStateTracker.from_events(sender, events))
    store.engine.dispose()


async def test_list_show_and_export_on_each_database(database_url: str, capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    now = time.time()
    flagged, calm = "+447700900123", "telegram:55501234"  # sender ids can be phone numbers
    await save(database_url, flagged, [
        ActionExecuted("action_session_start", timestamp=now - 50), SessionStarted(timestamp=now - 50),
        ActionExecuted("action_listen", timestamp=now - 50),
        UserUttered("numb when I wipe", parse_data=parse("describe_symptoms", 0.52, "numb when I wipe"),
                    timestamp=now - 40),
        ActionExecuted("action_validate_slot_mappings", timestamp=now - 39),
        SlotSet("red_flags", ["RF4"], timestamp=now - 39), SlotSet("triage_level", "emergency", timestamp=now - 39),
        BotUttered("Please go to an emergency department now.", timestamp=now - 39),
        ActionExecuted("action_listen", timestamp=now - 38),
    ])
    await save(database_url, calm, [
        ActionExecuted("action_session_start", timestamp=now - 20), SessionStarted(timestamp=now - 20),
        ActionExecuted("action_listen", timestamp=now - 20),
        UserUttered("hello", parse_data=parse("greet", 0.99, "hello"), timestamp=now - 10),
        ActionExecuted("utter_greet", timestamp=now - 9), BotUttered("Hi, I'm HipGuide.", timestamp=now - 9),
        ActionExecuted("action_listen", timestamp=now - 9),
    ])
    store = ConversationStore(database_url)
    assert store.sender_ids() == [calm, flagged]  # most recent first
    assert main(["--db", database_url, "list", "--red-flag", "--low-confidence"]) == 0
    rows = capsys.readouterr().out.splitlines()[1:]
    assert [row.split()[0] for row in rows] == [conversation_label(flagged)]
    assert "red flag RF4" in rows[0] and "low confidence 0.52" in rows[0] and "emergency" in rows[0]
    assert main(["--db", database_url, "show", conversation_label(calm)[:4]]) == 0
    shown = capsys.readouterr().out
    assert "person: hello" in shown and "intent: greet 0.99" in shown and "hipguide: Hi, I'm HipGuide." in shown
    assert main(["--db", database_url, "story", conversation_label(flagged), "--out", str(tmp_path)]) == 0
    (written,) = tmp_path.glob("*.yml")
    assert flagged not in written.read_text()
    steps = yaml.safe_load(written.read_text())["stories"][0]["steps"]
    assert steps[0] == {"intent": "describe_symptoms", "user": "numb when I wipe"}
    assert {"slot_was_set": [{"red_flags": ["RF4"]}]} in steps


def test_an_unreachable_database_is_a_clear_error(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--db", "postgresql://nobody@127.0.0.1:1/none", "list"]) == 1
    assert "cannot open the tracker store postgresql://nobody@127.0.0.1:1/none" in capsys.readouterr().err


def test_a_store_that_cannot_be_opened_is_named_without_its_password() -> None:
    with pytest.raises(StoreError) as raised:  # nothing listens on port 1: refused at once
        ConversationStore("postgresql://hipguide:s3cret@127.0.0.1:1/tracker")
    assert "s3cret" not in str(raised.value) and "hipguide:***@127.0.0.1:1" in str(raised.value)
