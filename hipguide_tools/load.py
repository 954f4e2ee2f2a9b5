"""Drive conversations through a Rasa server's REST channel and measure what the user waits.

Used by ``make bench`` (HipGuide against a plain ``rasa init`` assistant) and by the load
tests. Each simulated person holds whole conversations (a script of messages) under their
own sender id; latency is the time from sending a message to having all of its replies.
"""

from __future__ import annotations

import json
import statistics
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Sequence

# A runner with outer-hip pain, through the intake and the follow-up questions to advice.
HIPGUIDE_SCRIPT = (
    "my hip hurts after running",
    '/describe_symptoms{"body_location": "outer_hip"}',
    "the right one",
    "it came on gradually over a few weeks",
    "I'm 47",
    "no", "no", "no", "no",
    "thanks",
)
# Forty turns through the intake and follow-up forms, side questions, a correction and a
# second complaint: how the cost of a turn grows with the conversation (make bench).
LONG_SCRIPT = (
    "my hip hurts after running", "the outside of it", "right", "gradually over a few weeks", "47",
    "no", "no", "no", "no", "no", "no",
    "what is bursitis?", "does ice help?", "is foam rolling any good?", "why do you ask?",
    "actually it's my left hip, not the right", "thanks",
    "I also get a sharp pain in my groin when I sprint", "suddenly", "2 days ago",
    "no", "no", "no", "no", "no", "no",
    "what could it be?", "can I keep running?", "what is a labral tear?", "does stretching help?",
    "not sure", "no", "how long will it take to get better?", "is glucosamine any good?", "thanks",
    "what about physio?", "can you sum it up for my GP?", "ok", "does ice help?", "thanks, bye",
)
# The same number of turns for the rasa init assistant (moodbot): its own intents.
BASELINE_SCRIPT = (
    "hello", "I am sad", "yes", "are you a bot?", "hi", "great", "goodbye", "hey there", "not good", "no",
)


@dataclass
class LoadResult:
    latencies: List[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[index]

    def summary(self) -> Dict[str, float]:
        return {"requests": self.requests, "errors": self.errors, "seconds": round(self.elapsed, 1),
                "throughput_rps": round(self.throughput, 2), "p50_ms": round(self.percentile(50) * 1000, 1),
                "p95_ms": round(self.percentile(95) * 1000, 1), "p99_ms": round(self.percentile(99) * 1000, 1),
                "mean_ms": round(statistics.fmean(self.latencies) * 1000, 1) if self.latencies else float("nan")}


def send(url: str, sender: str, message: str, timeout: float = 120.0) -> list:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return list(json.loads(response.read()))


def drive(url: str, script: Sequence[str], concurrency: int, seconds: float | None = None,
          conversations: int | None = None, prefix: str = "load") -> LoadResult:
    """``concurrency`` people each hold conversations until ``seconds`` pass or, in all,
    ``conversations`` have been held. Every turn of a started conversation is completed."""
    result = LoadResult()
    lock = threading.Lock()
    started = time.monotonic()
    counter = iter(range(10**9))

    def person() -> None:
        while True:
            with lock:
                number = next(counter)
            if conversations is not None and number >= conversations:
                return
            if seconds is not None and time.monotonic() - started >= seconds:
                return
            sender = f"{prefix}-{uuid.uuid4().hex[:12]}"
            for message in script:
                began = time.monotonic()
                try:
                    send(url, sender, message)
                except (urllib.error.URLError, OSError, ValueError):
                    with lock:
                        result.errors += 1
                    continue
                with lock:
                    result.latencies.append(time.monotonic() - began)

    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        for future in [pool.submit(person) for _ in range(concurrency)]:
            future.result()
    result.elapsed = time.monotonic() - started
    return result


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory (VmHWM) plus its children's, in MiB."""
    total = 0.0
    for process in [pid, *_children(pid)]:
        try:
            for line in Path(f"/proc/{process}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            continue
    return round(total, 1)


def _children(pid: int) -> List[int]:
    found: List[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found + [g for c in found for g in _children(c)]


def turn_latencies(url: str, script: Sequence[str], conversations: int, prefix: str = "long") -> Dict[int, List[float]]:
    """Seconds each turn (1-based) took, over ``conversations`` held one after another."""
    turns: Dict[int, List[float]] = {}
    for _ in range(conversations):
        sender = f"{prefix}-{uuid.uuid4().hex[:12]}"
        for number, message in enumerate(script, start=1):
            began = time.monotonic()
            send(url, sender, message)
            turns.setdefault(number, []).append(time.monotonic() - began)
    return turns


@dataclass
class Burst:
    """``messages`` sent at once by one person: how long until the last was answered."""

    sender: str
    texts: List[str]
    drained_s: float
    answered: int


def burst(url: str, messages: int = 20, prefix: str = "burst", gap_s: float = 0.005) -> Burst:
    """``messages`` sent by one sender ``gap_s`` apart (so their order of arrival is known),
    each on its own connection; returns when every one was answered."""
    sender = f"{prefix}-{uuid.uuid4().hex[:12]}"
    texts = [f"my hip hurts, message {n}" for n in range(messages)]
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=messages) as pool:
        futures = []
        for text in texts:
            futures.append(pool.submit(send, url, sender, text))
            time.sleep(gap_s)
        answered = sum(1 for future in futures if future.result())
    return Burst(sender, texts, time.monotonic() - started, answered)
