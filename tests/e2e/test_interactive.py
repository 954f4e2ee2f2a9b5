"""`make interactive` starts Rasa's interactive learning on the project, on loopback only."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import time
from pathlib import Path

import pexpect
import pytest
import yaml

from hipguide_tools.review_check import Checker
from hipguide_tools.servers import free_port
from tests.e2e.test_security import listening_addresses

pytestmark = pytest.mark.servers
PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOOPBACK = {"0100007F", "00000000000000000000000001000000"}


DOWN = "\x1b[B"
CLEAR_LINE = "\x15"  # Ctrl-U: clear the suggested default path


def answer(child: pexpect.spawn, prompt: str, text: str) -> None:
    child.expect(prompt, timeout=60)
    time.sleep(0.5)  # let questionary draw the prompt before typing
    child.send(CLEAR_LINE)
    child.sendline(text)


def test_interactive_learning_runs_a_turn_and_exports_what_was_taught(tmp_path: Path) -> None:
    rasa_port, action_port = free_port(), free_port()
    tracker = tmp_path / "tracker.db"
    env = {**os.environ, "HIPGUIDE_INTERACTIVE_TRACKER_STORE_URL": f"sqlite:///{tracker}"}
    child = pexpect.spawn(sys.executable, ["-m", "hipguide_tools.interactive", "--rasa-port", str(rasa_port),
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
        child.expect(r"wants to run[^']*'[^']*action_listen", timeout=120)
        child.send("y")
        child.expect("Type out your own message")  # the location buttons, as a choice
        time.sleep(1)
        child.sendcontrol("c")  # Rasa 3.6 crashed here; now it leads to the typing prompt
        child.expect("Your input", timeout=60)
        time.sleep(1)
        child.sendcontrol("c")
        child.expect("Do you want to stop", timeout=60)
        time.sleep(1)
        child.send(DOWN * 4 + "\r")  # Continue, Undo Last, Fork, Start Fresh, Export & Quit
        answer(child, "Export stories to", str(tmp_path / "stories.yml"))
        answer(child, "Export NLU data to", str(tmp_path / "nlu.yml"))
        answer(child, "Export domain file to", str(tmp_path / "domain.yml"))
        child.expect(pexpect.EOF, timeout=120)
    finally:
        if child.isalive():
            child.kill(signal.SIGTERM)  # the launcher stops interactive learning and the action server
            child.expect(pexpect.EOF, timeout=90)
        child.close()
    assert not listening_addresses(rasa_port) and not listening_addresses(action_port)
    with sqlite3.connect(tracker) as db:  # the interactive conversation went to its own tracker store
        texts = [row[0] for row in db.execute("SELECT data FROM events WHERE type_name = 'user'")]
    assert any("my hip hurts after running" in text for text in texts)
    # what was taught, in files the project's checks accept: a training story (intents, not
    # words) and NLU examples for review/
    checker = Checker(PROJECT_ROOT)
    assert checker.nlu([tmp_path / "nlu.yml"]) == 1
    story = yaml.safe_load((tmp_path / "stories.yml").read_text())["stories"][0]["steps"]
    assert story[0].get("intent") == "describe_symptoms" and "user" not in story[0]
    assert {"action": "intake_form"} in story
    assert checker.problems == []
