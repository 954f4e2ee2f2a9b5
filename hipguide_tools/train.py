"""``python -m hipguide_tools.train`` (``make train``): train only what changed, and say so.

The model is named by a fingerprint of everything training reads (config, domain, the
training data and the Rasa version). If ``models/hipguide-<fingerprint>.tar.gz`` exists,
nothing is trained. Otherwise the files that changed since the newest model are listed, and
``rasa train`` runs with Rasa's training cache (``.rasa/cache``): only components whose
inputs changed are trained again, the others are restored from the cache. Progress shows
each component as it trains and the epochs of the neural ones; the full Rasa log is kept in
``var/train.log``. Older models are pruned (the newest three stay).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Dict, Iterable, List

from hipguide.paths import PROJECT_ROOT

MODELS_DIR = PROJECT_ROOT / "models"
KEEP_MODELS = 3
STARTED = re.compile(r"Starting to train component '(\w+)'")
FINISHED = re.compile(r"Finished training component '(\w+)'")
EPOCHS = re.compile(r"Epochs:\s+(\d+)%.*?(\d+)/(\d+)")


def training_inputs(root: Path = PROJECT_ROOT) -> List[Path]:
    files = [root / "config.yml", root / "domain.yml"]
    files += sorted(p for p in (root / "data").rglob("*.yml") if "knowledge" not in p.parts)
    return files


def file_hashes(files: Iterable[Path], root: Path = PROJECT_ROOT) -> Dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


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


def manifest_path(model: Path) -> Path:
    return model.with_name(model.name[: -len(".tar.gz")] + ".inputs.json")


def changes(old: Dict[str, str], new: Dict[str, str]) -> List[str]:
    """``changed: data/x.yml``-style lines between two input manifests."""
    lines = [f"added:   {name}" for name in sorted(new.keys() - old.keys())]
    lines += [f"removed: {name}" for name in sorted(old.keys() - new.keys())]
    lines += [f"changed: {name}" for name in sorted(new.keys() & old.keys()) if new[name] != old[name]]
    return lines


def what_retrains(changed: List[str]) -> str:
    names = [line.split(":", 1)[1].strip() for line in changed]
    if any(n in ("config.yml", "domain.yml") for n in names):
        return "config.yml or domain.yml changed: the components that depend on them train again"
    parts = []
    if any(n.startswith("data/nlu") for n in names):
        parts.append("NLU examples changed: the intent classifier trains again")
    if any(n.startswith(("data/stories", "data/rules")) for n in names):
        parts.append("stories or rules changed: the dialogue policies train again")
    return "; ".join(parts) or "Rasa's cache decides what trains again"


def previous_manifest(models_dir: Path, exclude: Path) -> tuple | None:
    manifests = sorted((p for p in models_dir.glob("hipguide-*.inputs.json") if p != manifest_path(exclude)),
                       key=lambda p: p.stat().st_mtime, reverse=True)
    for path in manifests:
        model = path.with_name(path.name.replace(".inputs.json", ".tar.gz"))
        if model.exists():
            return model, json.loads(path.read_text())
    return None


def prune(keep: Path, models_dir: Path = MODELS_DIR) -> None:
    others = sorted((p for p in models_dir.glob("hipguide-*.tar.gz") if p != keep),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[KEEP_MODELS - 1:]:
        old.unlink()
        manifest_path(old).unlink(missing_ok=True)


class Progress:
    """Turns Rasa's training output into one line per component and an epoch counter."""

    def __init__(self, out: IO[str] = sys.stdout) -> None:
        self.out = out
        self.trained: List[str] = []
        self.started: Dict[str, float] = {}
        self.last_epoch_report: Dict[str, int] = {}
        self.current: str | None = None

    def feed(self, line: str) -> None:
        if match := STARTED.search(line):
            self.current = match.group(1)
            self.started[self.current] = time.monotonic()
            self.trained.append(self.current)
            print(f"  training {self.current} ...", file=self.out, flush=True)
        elif match := FINISHED.search(line):
            name = match.group(1)
            seconds = time.monotonic() - self.started.get(name, time.monotonic())
            print(f"  trained  {name} in {seconds:.0f} s", file=self.out, flush=True)
        elif (match := EPOCHS.search(line)) and self.current:
            percent, done, total = (int(g) for g in match.groups())
            step = percent // 25
            if done < total and step > self.last_epoch_report.get(self.current, 0):
                self.last_epoch_report[self.current] = step
                print(f"    {self.current}: epoch {done}/{total}", file=self.out, flush=True)


def run_rasa_train(target: Path, root: Path, log_path: Path) -> Progress:
    from hipguide_tools.servers import project_environment, rasa_executable

    log_path.parent.mkdir(parents=True, exist_ok=True)
    progress = Progress()
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [rasa_executable(), "train", "--fixed-model-name", target.name[: -len(".tar.gz")],
             "--out", str(target.parent)],
            cwd=root, env=project_environment(root),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1,
        )
        assert process.stdout is not None
        buffer = ""
        while chunk := process.stdout.read(256):
            log.write(chunk)
            buffer += chunk
            *lines, buffer = re.split(r"[\r\n]", buffer)  # tqdm redraws with \r
            for line in lines:
                progress.feed(line)
        progress.feed(buffer)
        returncode = process.wait()
    if returncode != 0:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-30:])
        print(tail, file=sys.stderr)
        raise subprocess.CalledProcessError(returncode, "rasa train")
    return progress


def train(root: Path = PROJECT_ROOT, force: bool = False) -> Path:
    target = model_path(root)
    if target.exists() and not force:
        print(f"model up to date: {target.relative_to(root)}")
        if not manifest_path(target).exists():  # a model trained before manifests existed
            manifest_path(target).write_text(json.dumps(file_hashes(training_inputs(root), root), indent=1))
        return target
    hashes = file_hashes(training_inputs(root), root)
    previous = previous_manifest(target.parent, target) if target.parent.exists() else None
    if previous:
        changed = changes(previous[1], hashes)
        print(f"inputs changed since {previous[0].relative_to(root)}:")
        for line in changed or ["(none: the Rasa version or file names changed)"]:
            print(f"  {line}")
        print(f"  -> {what_retrains(changed)}; unchanged components come from Rasa's cache (.rasa/cache)")
    else:
        print("no earlier model: training every component (later runs reuse .rasa/cache)")
    print(f"training {target.relative_to(root)} (full Rasa log: var/train.log)...", flush=True)
    started = time.monotonic()
    progress = run_rasa_train(target, root, root / "var" / "train.log")
    reused = ", the rest restored from the cache" if previous else ""
    print(f"trained in {time.monotonic() - started:.0f} s: {target.relative_to(root)} "
          f"({len(progress.trained)} component(s) trained{reused})")
    manifest_path(target).write_text(json.dumps(hashes, indent=1, sort_keys=True))
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
        print(f"error: rasa train failed with exit code {error.returncode} (full log: var/train.log)",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
