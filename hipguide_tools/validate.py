"""``make validate``: every check a change to the data must pass, in one command.

1. knowledge files (data/knowledge): schema, references, evidence statuses;
2. generated NLU files are fresh (data/nlu/generated matches the knowledge files);
3. ``rasa data validate --fail-on-warnings``: domain, NLU data, and the story structure
   (no two stories or rules that predict different actions after the same history, with the
   dialogue policies' max_history);
4. test stories and review files (hipguide_tools.review_check).

Every step runs even when an earlier one fails, so one run lists every problem.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path
from typing import List, Tuple

import yaml

from hipguide.paths import PROJECT_ROOT

# Library chatter that says nothing about the data being checked.
NOISE = re.compile(r"tensorflow|W036|warnings\.warn|DeprecationWarning|declare_namespace|pkg_resources|"
                   r"PEP 420|MovedIn20Warning|DeclarativeMeta|setParseAction|cuda|from jax import|"
                   r"Processed story blocks| INFO |More info at|is not used in any story or rule", re.IGNORECASE)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def max_history(config: Path = PROJECT_ROOT / "config.yml") -> int:
    """The largest max_history of the configured policies (5 when none sets one)."""
    policies = (yaml.safe_load(config.read_text()) or {}).get("policies") or []
    values = [int(p["max_history"]) for p in policies if isinstance(p, dict) and p.get("max_history")]
    return max(values, default=5)


def steps() -> List[Tuple[str, List[str]]]:
    from hipguide_tools.servers import rasa_executable

    python = sys.executable
    return [
        ("knowledge files", [python, "-m", "hipguide.knowledge.build", "--check"]),
        ("generated NLU files are fresh", [python, "-m", "hipguide.language.generate", "--check"]),
        ("Rasa data, domain and story structure",
         [rasa_executable(), "data", "validate", "--fail-on-warnings", "--max-history", str(max_history())]),
        ("test stories and review files", [python, "-m", "hipguide_tools.review_check"]),
    ]


def main(argv: List[str] | None = None) -> int:
    from hipguide_tools.servers import project_environment

    env = project_environment()
    results = []
    for number, (name, command) in enumerate(steps(), start=1):
        print(f"[{number}/4] {name} ...", flush=True)
        started = time.monotonic()
        completed = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
        seconds = time.monotonic() - started
        output = "\n".join(line for line in ANSI.sub("", completed.stdout + completed.stderr).splitlines()
                           if line.strip() and not NOISE.search(line))
        ok = completed.returncode == 0
        if not ok:
            print(output)
        elif name.startswith("test stories") and completed.stdout.strip():
            print("      " + completed.stdout.strip().splitlines()[-1])
        results.append((name, ok, seconds))
        print(f"      {'ok' if ok else 'FAILED'} ({seconds:.0f} s)", flush=True)
    failed = [name for name, ok, _ in results if not ok]
    if failed:
        print(f"make validate: FAILED: {', '.join(failed)}. Nothing was changed; fix the errors above.")
        return 1
    print("make validate: all 4 checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
