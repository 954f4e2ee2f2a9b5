"""``make test-stories``: replay every test story against the current model.

Replays tests/test_stories.yml and the reviewed conversations in review/stories/ with
``rasa test --fail-on-prediction-errors`` (one model load for all of them) and prints how
many stories and actions were predicted exactly. Failed stories are written, with the
predictions that differed, to results/failed_test_stories.yml.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import List

from hipguide.paths import PROJECT_ROOT


def story_files(root: Path = PROJECT_ROOT) -> List[Path]:
    return [root / "tests" / "test_stories.yml", *sorted((root / "review" / "stories").glob("*.yml"))]


def replay(model: Path, out: Path, root: Path = PROJECT_ROOT,
           files: List[Path] | None = None) -> subprocess.CompletedProcess:
    """``rasa test core`` on all story files (or ``files``) together, copied into one folder."""
    from hipguide_tools.servers import project_environment, rasa_executable

    with tempfile.TemporaryDirectory() as folder:
        for index, path in enumerate(files or story_files(root)):
            shutil.copy(path, Path(folder) / f"{index:03d}-{path.name}")
        return subprocess.run(
            [rasa_executable(), "test", "core", "--stories", folder, "--fail-on-prediction-errors",
             "--model", str(model), "--out", str(out)],
            cwd=root, capture_output=True, text=True, timeout=1800,
            env=project_environment(root),
        )


def summary(output: str) -> List[str]:
    """Rasa's own evaluation lines: stories and actions predicted correctly."""
    wanted = re.compile(r"(Evaluation Results on (CONVERSATION|END-TO-END|ACTION) level|Correct:|F1-Score)",
                        re.IGNORECASE)
    from hipguide_tools.validate import ANSI

    return [ANSI.sub("", line.split(" - ", 1)[-1]).strip()
            for line in output.splitlines() if wanted.search(line)]


def main(argv: List[str] | None = None) -> int:
    from hipguide_tools.train import train

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PROJECT_ROOT / "results")
    args = parser.parse_args(argv)
    files = story_files()
    print(f"replaying {len(files)} story file(s): " + ", ".join(str(p.relative_to(PROJECT_ROOT)) for p in files),
          flush=True)
    completed = replay(train(), args.out)
    for line in summary(completed.stdout + completed.stderr):
        print("  " + line)
    if completed.returncode != 0:
        failed = args.out / "failed_test_stories.yml"
        print((completed.stdout + completed.stderr)[-2500:])
        print(f"FAILED: some predictions differ from the stories; see {failed} (marked '# predicted: ...')")
        return 1
    print("all test stories replay exactly")
    return 0


if __name__ == "__main__":
    sys.exit(main())
