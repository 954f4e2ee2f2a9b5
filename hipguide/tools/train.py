"""``python -m hipguide.tools.train``: train a Rasa model only when its inputs changed.

The model is named by a fingerprint of everything training reads (config, domain, the
training data and the Rasa version). If ``models/hipguide-<fingerprint>.tar.gz`` exists,
nothing is trained; otherwise ``rasa train`` runs and the older models are pruned.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterable, List

PROJECT_ROOT = Path(__file__).resolve().parents[2]
MODELS_DIR = PROJECT_ROOT / "models"
KEEP_MODELS = 3


def training_inputs(root: Path = PROJECT_ROOT) -> List[Path]:
    files = [root / "config.yml", root / "domain.yml"]
    files += sorted(p for p in (root / "data").rglob("*.yml") if "knowledge" not in p.parts)
    return files


def fingerprint(files: Iterable[Path], root: Path = PROJECT_ROOT) -> str:
    from importlib.metadata import version

    digest = hashlib.sha256(f"rasa={version('rasa')}".encode())
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def model_path(root: Path = PROJECT_ROOT) -> Path:
    """Where the model for the current inputs lives (whether or not it exists yet)."""
    return root / "models" / f"hipguide-{fingerprint(training_inputs(root), root)}.tar.gz"


def prune(keep: Path, models_dir: Path = MODELS_DIR) -> None:
    others = sorted((p for p in models_dir.glob("hipguide-*.tar.gz") if p != keep),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEEP_MODELS - 1:]:
        old.unlink()


def train(root: Path = PROJECT_ROOT, force: bool = False) -> Path:
    target = model_path(root)
    if target.exists() and not force:
        print(f"model up to date: {target.relative_to(root)}")
        return target
    print(f"training {target.relative_to(root)} (inputs changed since the last model)...",
          flush=True)
    started = time.monotonic()
    from hipguide.tools.servers import rasa_executable

    subprocess.run(
        [rasa_executable(), "train", "--fixed-model-name", target.name[: -len(".tar.gz")],
         "--out", str(target.parent)],
        cwd=root, check=True, env={**os.environ, "PYTHONPATH": str(root)},
    )
    print(f"trained in {time.monotonic() - started:.0f} s: {target.relative_to(root)}")
    prune(target, target.parent)
    return target


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true")
    parser.add_argument("--print-path", action="store_true", help="print the model path only")
    args = parser.parse_args(argv)
    if args.print_path:
        print(model_path())
        return 0
    try:
        train(force=args.force)
    except subprocess.CalledProcessError as error:
        print(f"error: rasa train failed with exit code {error.returncode}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
