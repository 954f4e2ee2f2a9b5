"""``make bench``: HipGuide against a plain ``rasa init`` assistant, in the same run.

Both are trained from scratch (empty Rasa cache) with the project's virtual environment,
started the same way (action server + Rasa server on loopback, REST channel), run side by
side and driven with the same load in alternating rounds (a shared machine that changes
speed during the run weighs on both): conversations of ten turns at concurrency 1 and 16,
and 20 messages sent at once by one person. HipGuide alone then holds 40-turn conversations
(turn 3 against turn 40). Prints a table of
HipGuide / baseline ratios and writes it, with the machine's details, into
``docs/benchmarks.md`` (section "Latency, throughput, memory and training time").
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import Dict, List, Sequence, Tuple

from hipguide_tools.load import (
    BASELINE_SCRIPT,
    HIPGUIDE_SCRIPT,
    LONG_SCRIPT,
    Burst,
    LoadResult,
    burst,
    drive,
    peak_rss_mb,
    turn_latencies,
)
from hipguide_tools.servers import PROJECT_ROOT, Servers, free_port, rasa_executable, rest_conversation

BENCHMARKS_MD = PROJECT_ROOT / "docs" / "benchmarks.md"
SECTION = "## Latency, throughput, memory and training time"
TARGETS = {  # figure: (largest allowed HipGuide / baseline ratio, or smallest for throughput)
    "p95 latency, concurrency 1": ("<=", 1.5),
    "throughput, concurrency 16": (">=", 0.7),
    "Rasa server peak memory": ("<=", 1.3),
}


@dataclass
class Measurement:
    training_s: float
    ready_s: float
    c1: LoadResult
    c16: LoadResult
    rasa_mb: float
    actions_mb: float
    turns: Dict[int, LoadResult] | None = None  # turn number -> latencies over long conversations
    burst: Burst | None = None  # BURST messages at once from one person
    burst_in_order: bool | None = None  # all kept, in the order sent (read from the tracker store)


def train(project: Path, out: Path, cache: Path) -> float:
    """Full training (an empty cache) of ``project``; returns seconds."""
    env = {**os.environ, "RASA_CACHE_DIRECTORY": str(cache), "RASA_TELEMETRY_ENABLED": "false",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(project), os.environ.get("PYTHONPATH")]))}
    started = time.monotonic()
    subprocess.run([rasa_executable(), "train", "--out", str(out), "--fixed-model-name", "bench"],
                   cwd=project, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    return time.monotonic() - started


LONG_GROWTH = 1.2  # largest allowed turn-40 / turn-3 p95
LONG_TURNS = (3, 40)  # compared in long conversations: early in the intake, and at the end


ROUNDS = 3  # each load is split into rounds that alternate between the two assistants
BURST = 20  # messages sent at once by one person


def combine(parts: Sequence[LoadResult]) -> LoadResult:
    return LoadResult(latencies=[x for p in parts for x in p.latencies], errors=sum(p.errors for p in parts),
                      elapsed=sum(p.elapsed for p in parts))


@dataclass
class Contender:
    """One assistant under test: its servers and the script its conversations follow."""

    name: str
    servers: Servers
    script: Sequence[str]
    training_s: float
    ready_s: float = 0.0
    c1: List[LoadResult] = field(default_factory=list)
    c16: List[LoadResult] = field(default_factory=list)

    def start(self) -> None:
        print(f"[{self.name}] starting servers", flush=True)
        started = time.monotonic()
        self.servers.start()
        self.ready_s = time.monotonic() - started
        drive(self.servers.rest_url, self.script, concurrency=1, conversations=1, prefix=f"{self.name}-warmup")


def stored_user_texts(tracker_db: Path, sender: str) -> List[str]:
    """What the person said, in the order HipGuide's SQL tracker store kept it."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(tracker_db)) as db:
        rows = db.execute("SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
                          (rest_conversation(sender),)).fetchall()
    return [json.loads(data).get("text") for (data,) in rows]


def measure(hipguide: Contender, baseline: Contender, c1_conversations: int, c16_seconds: float,
            long_conversations: int = 0, tracker_db: Path | None = None) -> Tuple[Measurement, Measurement]:
    """Both assistants run side by side and take turns: ``ROUNDS`` rounds of each load,
    alternating, so a machine that slows down or speeds up during the run (shared cores)
    weighs on both alike."""
    both = (hipguide, baseline)
    try:
        for contender in both:
            contender.start()
        for number in range(1, ROUNDS + 1):
            for c in both:
                print(f"[{c.name}] round {number}/{ROUNDS}: concurrency 1, then 16 for "
                      f"{c16_seconds / ROUNDS:.0f} s", flush=True)
                c.c1.append(drive(c.servers.rest_url, c.script, concurrency=1,
                                  conversations=max(1, round(c1_conversations / ROUNDS)), prefix=f"{c.name}-c1"))
                c.c16.append(drive(c.servers.rest_url, c.script, concurrency=16, seconds=c16_seconds / ROUNDS,
                                   prefix=f"{c.name}-c16"))
        bursts = {}
        for c in both:
            print(f"[{c.name}] {BURST} messages at once from one person", flush=True)
            bursts[c.name] = burst(c.servers.rest_url, BURST, prefix=f"{c.name}-burst")
        turns = None
        if long_conversations:
            print(f"[hipguide] {long_conversations} conversations of {len(LONG_SCRIPT)} turns", flush=True)
            latencies = turn_latencies(hipguide.servers.rest_url, LONG_SCRIPT, long_conversations,
                                       prefix="hipguide-long")
            turns = {n: LoadResult(latencies=latencies[n]) for n in LONG_TURNS}
        kept = bursts["hipguide"]
        in_order = tracker_db is not None and stored_user_texts(tracker_db, kept.sender) == kept.texts
        results = []
        for c in both:
            actions, rasa = c.servers.processes[0].pid, c.servers.processes[1].pid
            results.append(Measurement(c.training_s, c.ready_s, combine(c.c1), combine(c.c16), peak_rss_mb(rasa),
                                       peak_rss_mb(actions), turns if c is hipguide else None,
                                       bursts[c.name], in_order if c is hipguide else None))
        return results[0], results[1]
    finally:
        for contender in both:
            contender.servers.stop()


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def table(hipguide: Measurement, baseline: Measurement) -> List[List[str]]:
    def row(label: str, a: float, b: float, unit: str, digits: int = 0) -> List[str]:
        target = TARGETS.get(label)
        verdict = ""
        if target and b:
            value = a / b
            ok = value <= target[1] if target[0] == "<=" else value >= target[1]
            verdict = f"{target[0]} {target[1]}: {'met' if ok else 'MISSED'}"
        return [label, f"{a:.{digits}f} {unit}", f"{b:.{digits}f} {unit}", ratio(a, b), verdict]

    h, b = hipguide, baseline
    rows = [
        row("p50 latency, concurrency 1", h.c1.percentile(50) * 1000, b.c1.percentile(50) * 1000, "ms"),
        row("p95 latency, concurrency 1", h.c1.percentile(95) * 1000, b.c1.percentile(95) * 1000, "ms"),
        row("p50 latency, concurrency 16", h.c16.percentile(50) * 1000, b.c16.percentile(50) * 1000, "ms"),
        row("p95 latency, concurrency 16", h.c16.percentile(95) * 1000, b.c16.percentile(95) * 1000, "ms"),
        row("throughput, concurrency 16", h.c16.throughput, b.c16.throughput, "msg/s", 1),
        row("Rasa server peak memory", h.rasa_mb, b.rasa_mb, "MiB"),
        row("action server peak memory", h.actions_mb, b.actions_mb, "MiB"),
        row("start to ready", h.ready_s, b.ready_s, "s", 1),
        row("full training", h.training_s, b.training_s, "s"),
    ]
    rows.append(["errors (c1 + c16)", str(h.c1.errors + h.c16.errors), str(b.c1.errors + b.c16.errors), "", ""])
    training_ok = "met" if h.training_s <= 300 else "MISSED"
    rows[-2][4] = f"<= 300 s: {training_ok}"
    if h.burst is not None and b.burst is not None:
        limit = BURST * h.c1.percentile(95) + 1.0
        ok = h.burst.drained_s <= limit and h.burst.answered == BURST and bool(h.burst_in_order)
        kept = "all kept in order" if h.burst_in_order else "NOT all kept in order"
        rows.append([f"{BURST} messages at once from one person: last answered after",
                     f"{h.burst.drained_s:.1f} s", f"{b.burst.drained_s:.1f} s",
                     ratio(h.burst.drained_s, b.burst.drained_s),
                     f"<= {BURST} x p95 + 1 s = {limit:.1f} s, {kept}: {'met' if ok else 'MISSED'}"])
    if h.turns:
        early, late = (h.turns[n] for n in LONG_TURNS)
        for p in (50, 95):
            rows.append([f"p{p}, turn {LONG_TURNS[0]} / turn {LONG_TURNS[1]} of a {len(LONG_SCRIPT)}-turn conversation",
                         f"{early.percentile(p) * 1000:.0f} / {late.percentile(p) * 1000:.0f} ms", "-",
                         ratio(late.percentile(p), early.percentile(p)), ""])
        growth = late.percentile(95) / early.percentile(95)
        rows[-1][4] = f"<= {LONG_GROWTH}: {'met' if growth <= LONG_GROWTH else 'MISSED'}"
    return rows


def markdown(rows: List[List[str]], machine: Dict[str, str], notes: List[str]) -> str:
    lines = [SECTION, "", f"Measured by `make bench` on {time.strftime('%Y-%m-%d')}. "
             "Baseline: a plain `rasa init` assistant (moodbot, Rasa's default config, in-memory tracker "
             "store, an empty action server) trained and run in the same run with the same virtual "
             "environment; both running side by side and driven through the REST channel with ten-turn "
             f"conversations, in {ROUNDS} alternating rounds of each load.", "",
             "| figure | HipGuide | baseline | ratio | target |", "|---|---|---|---|---|"]
    lines += [f"| {' | '.join(r)} |" for r in rows]
    lines += ["", "Machine: " + ", ".join(f"{k} {v}" for k, v in machine.items()) + ".", ""]
    lines += [f"- {note}" for note in notes]
    return "\n".join(lines).rstrip() + "\n"


def machine_details() -> Dict[str, str]:
    mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    return {"cores": str(os.cpu_count()), "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
            "CPU": _cpu_model(), "OS": platform.platform(terse=True), "Python": platform.python_version(),
            "Rasa": version("rasa"), "TensorFlow": version("tensorflow"), "spaCy": version("spacy"),
            "SQLAlchemy": version("sqlalchemy")}


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def record(text: str, path: Path = BENCHMARKS_MD) -> None:
    existing = path.read_text() if path.exists() else "# Benchmarks\n"
    if SECTION in existing:
        before, _, after = existing.partition(SECTION)
        rest = after.split("\n## ", 1)
        existing = before.rstrip() + "\n\n" + text + ("\n## " + rest[1] if len(rest) > 1 else "")
    else:
        existing = existing.rstrip() + "\n\n" + text
    path.write_text(existing)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=6, help="conversations at concurrency 1")
    parser.add_argument("--seconds", type=float, default=45.0, help="duration at concurrency 16")
    parser.add_argument("--long", type=int, default=20,
                        help="40-turn conversations (turn 3 against turn 40); 8 made the p95 the slowest of 8")
    parser.add_argument("--no-record", action="store_true", help="print only; leave docs/benchmarks.md")
    args = parser.parse_args(argv)

    work = Path(tempfile.mkdtemp(prefix="hipguide-bench-"))
    try:
        baseline_dir = work / "baseline"
        import rasa.cli

        shutil.copytree(Path(rasa.cli.__file__).parent / "initial_project", baseline_dir,
                        ignore=shutil.ignore_patterns("__pycache__"))
        (baseline_dir / "credentials.yml").write_text("rest:\n")
        print("training HipGuide from scratch...", flush=True)
        hipguide_training = train(PROJECT_ROOT, work / "models-hipguide", work / "cache-hipguide")
        print(f"  {hipguide_training:.0f} s\ntraining the rasa init baseline from scratch...", flush=True)
        baseline_training = train(baseline_dir, work / "models-baseline", work / "cache-baseline")
        print(f"  {baseline_training:.0f} s", flush=True)

        hipguide, baseline = measure(
            Contender("hipguide", Servers(
                model=work / "models-hipguide" / "bench.tar.gz", rasa_port=free_port(), action_port=free_port(),
                run_dir=work / "run-hipguide", env={"TRACKER_STORE_URL": f"sqlite:///{work / 'tracker.db'}"}),
                HIPGUIDE_SCRIPT, hipguide_training),
            Contender("baseline", Servers(
                model=work / "models-baseline" / "bench.tar.gz", rasa_port=free_port(), action_port=free_port(),
                run_dir=work / "run-baseline", project_dir=baseline_dir, tracker_store=None, prompt_locks=False),
                BASELINE_SCRIPT, baseline_training),
            args.conversations, args.seconds, args.long, tracker_db=work / "tracker.db")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    rows = table(hipguide, baseline)
    width = [max(len(r[i]) for r in [*rows, ["figure", "HipGuide", "baseline", "ratio", "target"]]) for i in range(5)]
    print()
    for r in [["figure", "HipGuide", "baseline", "ratio", "target"], *rows]:
        print("  ".join(cell.ljust(width[i]) for i, cell in enumerate(r)))
    machine = machine_details()
    print("\n" + ", ".join(f"{k} {v}" for k, v in machine.items()))
    notes = [f"HipGuide: {hipguide.c1.requests} messages at concurrency 1, {hipguide.c16.requests} in "
             f"{hipguide.c16.elapsed:.0f} s at concurrency 16; baseline: {baseline.c1.requests} and "
             f"{baseline.c16.requests} in {baseline.c16.elapsed:.0f} s.",
             "HipGuide keeps every conversation in its SQL tracker store (SQLite here) and calls its "
             "action server on most turns; the baseline keeps conversations in memory and calls no action."]
    if not args.no_record:
        record(markdown(rows, machine, notes))
        print(f"recorded in {BENCHMARKS_MD.relative_to(PROJECT_ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
