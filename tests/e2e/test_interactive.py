"""`make interactive` starts Rasa's interactive learning on the project, on loopback only."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
from pathlib import Path

import pexpect
import pytest

from hipguide.tools.servers import free_port
from tests.e2e.test_security import listening_addresses

pytestmark = pytest.mark.servers
PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = {"0100007F", "00000000000000000000000001000000"}


def test_interactive_learning_starts_and_runs_a_turn_through_the_action_server(tmp_path: Path) -> None:
    rasa_port, action_port = free_port(), free_port()
    tracker = tmp_path / "tracker.db"
    env = {**os.environ, "HIPGUIDE_INTERACTIVE_TRACKER_STORE_URL": f"sqlite:///{tracker}"}
    child = pexpect.spawn(sys.executable, ["-m", "hipguide.tools.interactive", "--rasa-port", str(rasa_port),
                                           "--action-port", str(action_port), "--run-dir", str(tmp_path)],
                          cwd=str(PROJECT_ROOT), env=env, encoding="utf-8", timeout=300, dimensions=(50, 200))
    child.logfile_read = (tmp_path / "terminal.txt").open("w")
    try:
        child.expect("Your input")
        assert listening_addresses(rasa_port) <= LOOPBACK and listening_addresses(rasa_port)
        assert listening_addresses(action_port) <= LOOPBACK and listening_addresses(action_port)
        child.sendline("my hip hurts after running")
        child.expect("Is the intent 'describe_symptoms' correct", timeout=120)
        child.send("y")
        child.expect(r"wants to run[^']*'[^']*intake_form", timeout=120)
        child.send("y")
        child.expect("Where exactly does it hurt", timeout=120)  # the form asked its first question
    finally:
        child.kill(signal.SIGTERM)  # the launcher stops interactive learning and the action server
        child.expect(pexpect.EOF, timeout=90)
        child.close()
    assert not listening_addresses(rasa_port) and not listening_addresses(action_port)
    with sqlite3.connect(tracker) as db:  # the interactive conversation went to its own tracker store
        texts = [row[0] for row in db.execute("SELECT data FROM events WHERE type_name = 'user'")]
    assert any("my hip hurts after running" in text for text in texts)
