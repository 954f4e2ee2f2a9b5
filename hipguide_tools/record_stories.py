"""``python -m hipguide_tools.record_stories``: record test stories from real conversations.

Drives the dialogue cases (tests/dialogue/cases.yml) and a set of side-question scenarios
through the running servers with the simulated patient, then exports each conversation
with Rasa's story writer (user text, intents, actions, slots) into tests/test_stories.yml.
Review the diff before committing it: the file is the regression suite that
`rasa test --fail-on-prediction-errors` runs in `make test`.
"""

from __future__ import annotations

import secrets
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any, Dict, List, Tuple
from urllib.parse import quote

import yaml

from hipguide.paths import PROJECT_ROOT
from hipguide_tools.eval_dialogue import CASES, MAX_TURNS, Patient, _post, activity_ids
from hipguide_tools.servers import rest_conversation

OUTPUT = PROJECT_ROOT / "tests" / "test_stories.yml"

# Extra scenarios: (id, case to answer from, messages injected before given turns).
SIDE_TRIPS: List[Dict[str, Any]] = [
    {"id": "why_asking_during_intake", "case": "gtps_runner", "inject": {1: "why do you ask?"}},
    {"id": "treatment_question_during_intake", "case": "hip_oa", "inject": {1: "does glucosamine help?"}},
    {"id": "condition_question_during_questions", "case": "fnsf_female", "inject": {3: "what is a stress fracture?"}},
    {"id": "bot_challenge_during_intake", "case": "itbs", "inject": {1: "am I talking to a bot?"}},
    {"id": "greeting_then_description", "case": "pht_runner", "prefix": ["hello"]},
    {"id": "summary_after_assessment", "case": "si_joint",
     "suffix": ["can I get a summary to show my doctor?", "thanks", "bye"]},
    {"id": "handoff_after_assessment", "case": "septic", "suffix": ["I want to talk to a real doctor"]},
    {"id": "treatment_after_assessment", "case": "gtps_walker", "suffix": ["should I stretch it?", "is ice any good?"]},
    {"id": "out_of_scope_then_back", "case": "adductor", "prefix": ["what's the weather like?"]},
    {"id": "correction_after_assessment", "case": "hip_flexor", "suffix": ["actually it started after a fall"]},
]


def _story(base: str, sender: str, token: str) -> str:
    url = f"{base}/conversations/{quote(rest_conversation(sender), safe=':+/@')}/story?token={token}"
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode()


def converse(base: str, case: Dict[str, Any], questions: Dict[str, Any],
             trip: Dict[str, Any] | None = None) -> str:
    trip = trip or {}
    sender = f"record-{trip.get('id', case['id'])}-{secrets.token_hex(3)}"
    rest = f"{base}/webhooks/rest/webhook"
    patient = Patient(case, questions, activity_ids())
    for text in trip.get("prefix", []):
        _post(rest, sender, text)
    message: str | None = case["opening"]
    for turn in range(MAX_TURNS):
        if message is None:
            break
        if turn in trip.get("inject", {}):
            _post(rest, sender, trip["inject"][turn])
        replies = _post(rest, sender, message)
        if any(r.get("text", "").startswith("Thanks. This is not a diagnosis") for r in replies):
            break
        message = patient.reply(replies)
    for text in trip.get("suffix", []):
        _post(rest, sender, text)
    return sender


def main(argv: list | None = None) -> int:
    from hipguide.knowledge.repository import KnowledgeRepository
    from hipguide.knowledge.session import session_scope
    from hipguide_tools.servers import Servers, free_port
    from hipguide_tools.train import train

    cases = {c["id"]: c for c in yaml.safe_load(CASES.read_text())["cases"]}
    with session_scope() as session:
        questions = KnowledgeRepository(session).questions()
    token = secrets.token_urlsafe(16)
    stories: List[Tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        servers = Servers(model=train(), rasa_port=free_port(), action_port=free_port(),
                          run_dir=Path(tmp),
                          env={"TRACKER_STORE_URL": f"sqlite:///{tmp}/tracker.db",
                               "HIPGUIDE_ENABLE_API": "1", "HIPGUIDE_API_TOKEN": token})
        servers.start()
        base = f"http://127.0.0.1:{servers.rasa_port}"
        try:
            for name, case in cases.items():
                stories.append((name, _story(base, converse(base, case, questions), token)))
            for trip in SIDE_TRIPS:
                sender = converse(base, cases[trip["case"]], questions, trip)
                stories.append((trip["id"], _story(base, sender, token)))
        finally:
            servers.stop()
    combined: List[Dict[str, Any]] = []
    for name, text in stories:
        for story in yaml.safe_load(text).get("stories", []):
            story["story"] = name
            combined.append(story)
    header = ("# Test conversations recorded from the running assistant by\n"
              "# `python -m hipguide_tools.record_stories`, reviewed, and replayed by\n"
              "# `rasa test --fail-on-prediction-errors` in `make test`.\n")
    OUTPUT.write_text(header + yaml.safe_dump({"version": "3.1", "stories": combined},
                                              sort_keys=False, allow_unicode=True, width=100))
    print(f"wrote {len(combined)} stories to {OUTPUT.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
