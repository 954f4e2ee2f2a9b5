"""``make eval-dialogue``: simulated patients talk to the really running servers.

Each case in tests/dialogue/cases.yml opens in its own words, answers the intake and every
yes/no follow-up question from its fact list. At the end the tracker's slots are read
through the (token-protected) HTTP API. Prints top-1, top-3, triage accuracy, red-flag
sensitivity, over-triage rate and the mean number of follow-up questions.
"""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List
from urllib.parse import quote

import yaml

from hipguide.knowledge.loader import load_knowledge
from hipguide.paths import PROJECT_ROOT
from hipguide.reasoning.triage import urgency
from hipguide_tools.typed_patient import Feel, TypedPatient, count_turn

CASES = PROJECT_ROOT / "tests" / "dialogue" / "cases.yml"
TARGETS = {"top1": 0.70, "top3": 0.90, "red_flag_sensitivity": 1.0, "over_triage": 0.20,
           "mean_questions": 8.0}
MAX_TURNS = 25


@dataclass
class CaseResult:
    case_id: str
    expected: str
    likely: List[str]
    triage: str | None
    expected_triage: str
    red_flags: List[str]
    expected_red_flag: str | None
    questions: int
    transcript: List[str] = field(default_factory=list)


class Patient:
    """Answers the assistant's questions from one case's facts."""

    def __init__(self, case: Dict[str, Any], questions: Dict[str, Any],
                 activities: frozenset = frozenset()):
        self.case = case
        self.activities = activities
        self.present = set(case.get("present", []))
        self.unsure = set(case.get("unsure", []))
        self.by_text = {q.question: (fid, q.yes_means) for fid, q in questions.items() if q.question}

    def reply(self, messages: List[Dict[str, Any]]) -> str | None:
        """The patient's next message, or None when the assistant has given its assessment."""
        for message in reversed(messages):
            text = message.get("text", "")
            payloads = [b.get("payload", "") for b in message.get("buttons", [])]
            if any("body_location" in p for p in payloads):
                return f'/describe_symptoms{{"body_location": "{self.case["location"]}"}}'
            if any('"onset"' in p for p in payloads):
                return f'/describe_symptoms{{"onset": "{self.case["onset"]}"}}'
            if any('"side"' in p for p in payloads):
                return f'/describe_symptoms{{"side": "{self.case.get("side", "right")}"}}'
            if any('"duration"' in p for p in payloads):
                return f'/describe_symptoms{{"duration": "{self.case.get("duration", "3 weeks")}"}}'
            if text.startswith("What makes it worse"):
                activities = [f for f in self.case.get("present", []) if f in self.activities]
                return (f'/describe_symptoms{{"activity": "{activities[0]}"}}' if activities
                        else "/deny")
            if text.startswith("How old are you"):
                return f"I'm {self.case['age']}"
            if text in self.by_text:
                finding, yes_means = self.by_text[text]
                if finding in self.unsure:
                    return "/unsure"
                has_it = finding in self.present
                return "/affirm" if has_it == (yes_means == "present") else "/deny"
        return None


def _post(url: str, sender: str, message: str) -> List[Dict[str, Any]]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return list(json.loads(response.read()))


def _slots(base: str, sender: str, token: str, channel: str = "rest") -> Dict[str, Any]:
    """The conversation's slots; a revision before per-channel ids (``make compare``
    against an older base) stored it under the bare sender."""
    from hipguide_rasa.channels.common import conversation_id

    tracker: Dict[str, Any] = {}
    for conversation in (conversation_id(channel, sender), sender):
        url = f"{base}/conversations/{quote(conversation, safe=':+/@')}/tracker?token={token}"
        with urllib.request.urlopen(url, timeout=60) as response:
            tracker = dict(json.loads(response.read()))
        if any(event.get("event") == "user" for event in tracker.get("events") or []):
            break
    return dict(tracker["slots"])


def activity_ids() -> frozenset:
    from hipguide.knowledge.schema import FindingType

    return frozenset(f.id for f in load_knowledge().findings.values()
                     if f.type == FindingType.activity)


class SMS:
    """Sends a patient's messages as signed Twilio SMS webhooks and reads the replies the
    assistant sent to the (loopback) Twilio API: numbered options, no buttons."""

    def __init__(self, base: str, platforms: Any) -> None:
        from hipguide_tools.platform_api import PLATFORM_SECRETS

        self.url = f"{base}/webhooks/twilio/webhook"
        self.platforms = platforms
        self.secrets = PLATFORM_SECRETS

    def send(self, phone: str, text: str) -> List[Dict[str, Any]]:
        from twilio.request_validator import RequestValidator

        seen = len(self.sent(phone))
        fields = {"MessageSid": f"SM{secrets.token_hex(16)}", "AccountSid": self.secrets["TWILIO_ACCOUNT_SID"],
                  "From": phone, "To": self.secrets["TWILIO_NUMBER"], "Body": text, "NumMedia": "0"}
        signature = RequestValidator(self.secrets["TWILIO_AUTH_TOKEN"]).compute_signature(self.url, fields)
        request = urllib.request.Request(self.url, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded",
                                                  "X-Twilio-Signature": signature})
        with urllib.request.urlopen(request, timeout=60):
            pass  # 204 once the turn is handled and its messages sent
        return [{"text": strip_options(body)} for body in self.sent(phone)[seen:]]

    def sent(self, phone: str) -> List[str]:
        return [str(c.data().get("Body") or "") for c in
                self.platforms.find(lambda c: c.path.endswith("/Messages.json") and c.data().get("To") == phone)]


def strip_options(body: str) -> str:
    """An SMS question without its numbered options (the patient reads the question)."""
    return body.split("\n1. ", 1)[0]


def run_case(case: Dict[str, Any], base: str, token: str, questions: Dict[str, Any],
             typed_seed: int | None = None, feel: Feel | None = None, sms: SMS | None = None) -> CaseResult:
    """One conversation. With ``typed_seed`` the patient types (TypedPatient), else presses
    buttons; with ``sms`` it goes through the Twilio SMS channel (typed, no buttons)."""
    sender = f"eval-{case['id']}-{secrets.token_hex(3)}"
    if sms is not None:
        sender = f"+4477{secrets.randbelow(10**8):08d}"
    feel = feel if feel is not None else Feel()
    typed = typed_seed is not None
    patient: Any = (TypedPatient(case, questions, activity_ids(), typed_seed, buttons=sms is None)
                    if typed_seed is not None else Patient(case, questions, activity_ids()))
    rest = f"{base}/webhooks/rest/webhook"
    message: str | None = case["opening"]
    transcript: List[str] = []
    assessed = False
    for _ in range(MAX_TURNS):
        if message is None:
            break
        transcript.append(f"patient: {message}")
        replies = sms.send(sender, message) if sms is not None else _post(rest, sender, message)
        transcript.extend(f"hipguide: {r.get('text', '')}" for r in replies)
        count_turn(replies, feel, case["id"])
        if any(r.get("text", "").startswith("Thanks. This is not a diagnosis") for r in replies):
            assessed = True
            break
        message = patient.reply(replies, feel) if typed else patient.reply(replies)
    if not assessed:
        feel.stalls += 1
        feel.notes.append(f"{case['id']}: no assessment")
    slots = _slots(base, sender, token, "twilio" if sms is not None else "rest")
    return CaseResult(
        case_id=case["id"], expected=case["expected"], likely=slots.get("likely_conditions") or [],
        triage=slots.get("triage_level"), expected_triage=case["triage"],
        red_flags=slots.get("red_flags") or [], expected_red_flag=case.get("red_flag"),
        questions=len(slots.get("asked_questions") or []), transcript=transcript,
    )


def summarise(results: List[CaseResult]) -> Dict[str, float]:
    n = len(results)
    flagged = [r for r in results if r.expected_red_flag]
    return {
        "cases": n,
        "top1": sum(bool(r.likely) and r.likely[0] == r.expected for r in results) / n,
        "top3": sum(r.expected in r.likely[:3] for r in results) / n,
        "triage_accuracy": sum(r.triage == r.expected_triage for r in results) / n,
        "red_flag_sensitivity": (sum(r.expected_red_flag in r.red_flags for r in flagged)
                                 / len(flagged)) if flagged else 1.0,
        "over_triage": sum(urgency(r.triage or "self_care") > urgency(r.expected_triage)
                           for r in results) / n,
        "under_triage": sum(urgency(r.triage or "self_care") < urgency(r.expected_triage)
                            for r in results) / n,
        "mean_questions": sum(r.questions for r in results) / n,
    }


def failures(summary: Dict[str, float]) -> List[str]:
    problems = [f"{k} {summary[k]:.2f} < {TARGETS[k]}" for k in ("top1", "top3", "red_flag_sensitivity")
                if summary[k] < TARGETS[k]]
    problems += [f"{k} {summary[k]:.2f} > {TARGETS[k]}" for k in ("over_triage", "mean_questions")
                 if summary[k] > TARGETS[k]]
    return problems


def all_cases() -> List[Path]:
    """Every case file: the 40 first cases and the 80 written later (cases_more.yml)."""
    return sorted(CASES.parent.glob("cases*.yml"))


def evaluate(base: str, token: str, cases_path: Path | List[Path] = CASES, typed_seed: int | None = None,
             feel: Feel | None = None, sms: SMS | None = None) -> List[CaseResult]:
    from hipguide.knowledge.repository import KnowledgeRepository
    from hipguide.knowledge.session import session_scope

    paths = cases_path if isinstance(cases_path, list) else [cases_path]
    cases = [case for path in paths for case in yaml.safe_load(path.read_text())["cases"]]
    load_knowledge()  # fail early, with a clear message, on bad knowledge files
    with session_scope() as session:
        questions = KnowledgeRepository(session).questions()
    return [run_case(case, base, token, questions, typed_seed, feel, sms) for case in cases]


def render(summary: Dict[str, float], results: List[CaseResult]) -> str:
    lines = ["### Dialogue: simulated patients through the running servers", "",
             f"{summary['cases']:.0f} cases (tests/dialogue/cases*.yml).", "",
             "| figure | value | target |", "|---|---|---|",
             f"| top-1 | {summary['top1']:.3f} | >= 0.70 |",
             f"| top-3 | {summary['top3']:.3f} | >= 0.90 |",
             f"| triage accuracy | {summary['triage_accuracy']:.3f} | - |",
             f"| red-flag sensitivity | {summary['red_flag_sensitivity']:.3f} | 1.00 |",
             f"| over-triage rate | {summary['over_triage']:.3f} | <= 0.20 |",
             f"| under-triage rate | {summary['under_triage']:.3f} | - |",
             f"| mean follow-up questions | {summary['mean_questions']:.2f} | <= 8 |", ""]
    misses = [r for r in results if not r.likely or r.likely[0] != r.expected
              or r.triage != r.expected_triage]
    if misses:
        lines.append("Cases not fully right: " + "; ".join(
            f"{r.case_id} (top: {', '.join(r.likely[:3]) or '-'}; triage {r.triage} vs "
            f"{r.expected_triage})" for r in misses))
    missed = [r for r in results if r.expected_red_flag and r.expected_red_flag not in r.red_flags]
    if missed:
        lines.append("Red flags missed: " + "; ".join(
            f"{r.case_id} (expected {r.expected_red_flag}, raised {', '.join(r.red_flags) or 'none'})"
            for r in missed))
    return "\n".join(lines) + "\n"


def main(argv: list | None = None) -> int:
    from hipguide_tools.eval_nlu import record
    from hipguide_tools.servers import Servers, free_port
    from hipguide_tools.train import train

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", default=None, help="print the transcript of this case id")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--sms", action="store_true",
                        help="through the Twilio SMS channel (a loopback Twilio API; typed answers only)")
    parser.add_argument("--typed", type=int, nargs="?", const=2026, default=None, metavar="SEED",
                        help="patients type their answers (seeded phrasings; a button in at most 30%% of turns)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here (make compare)")
    parser.add_argument("--model", type=Path, default=None, help="default: the model of the current data")
    parser.add_argument("--project-dir", type=Path, default=None,
                        help="run the servers from another copy of the project (make compare's 'before')")
    args = parser.parse_args(argv)
    token = secrets.token_urlsafe(16)
    if args.sms and args.typed is None:
        args.typed = 2026
    from hipguide_tools.platform_api import PlatformAPI

    platforms = PlatformAPI().start() if args.sms else None
    with tempfile.TemporaryDirectory() as tmp:
        project = {"project_dir": args.project_dir.resolve()} if args.project_dir else {}
        servers = Servers(
            model=args.model or train(), rasa_port=free_port(), action_port=free_port(), run_dir=Path(tmp),
            env={"TRACKER_STORE_URL": f"sqlite:///{tmp}/tracker.db", "HIPGUIDE_ENABLE_API": "1",
                 "HIPGUIDE_API_TOKEN": token, **(platforms.environment() if platforms else {})},
            **project,
        )
        servers.start()
        started = time.monotonic()
        feel = Feel()
        try:
            base = f"http://127.0.0.1:{servers.rasa_port}"
            results = evaluate(base, token, all_cases() if args.typed is not None else CASES,
                               typed_seed=args.typed, feel=feel,
                               sms=SMS(base, platforms) if platforms else None)
        finally:
            servers.stop()
            if platforms:
                platforms.stop()
    summary = summarise(results)
    text = render(summary, results)
    if args.typed is not None:
        summary.update(reask_rate=feel.reasked / max(feel.typed_answers, 1), dead_turns=feel.dead_turns,
                       loop_turns=feel.loop_turns, stalls=feel.stalls)
        channel = "SMS" if args.sms else "REST"
        text += (f"\nTyped answers through {channel} (seed {args.typed}): "
                 f"{feel.typed_answers} typed, {feel.buttons} buttons; "
                 f"asked again after a typed answer {feel.reasked} ({summary['reask_rate']:.1%}); "
                 f"dead turns {feel.dead_turns}; loop turns {feel.loop_turns}; stalls {feel.stalls}\n")
        text += "".join(f"  - {note}\n" for note in feel.notes[:40])
    print(text)
    print(f"({len(results)} conversations in {time.monotonic() - started:.0f} s)")
    for r in results:
        if args.show in (r.case_id, "all"):
            print(f"\n--- {r.case_id}\n" + "\n".join(r.transcript))
    if not args.no_record:
        record(text, "dialogue")
    if args.json:
        misses = [r.case_id for r in results if not r.likely or r.likely[0] != r.expected
                  or r.triage != r.expected_triage]
        args.json.write_text(json.dumps({**summary, "cases_not_fully_right": misses}, indent=1))
    problems = failures(summary)
    for problem in problems:
        print(f"below target: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
