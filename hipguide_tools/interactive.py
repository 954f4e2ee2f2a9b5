"""``make interactive``: teach HipGuide by talking to it (Rasa's interactive learning).

Trains if the data changed, starts the action server, then runs ``rasa interactive`` on the
current model, listening on 127.0.0.1 only (hipguide_rasa.interactive). Conversations held in
interactive mode are kept apart from real ones, in var/interactive/tracker.db. When you save,
Rasa asks where to write; docs/trainers.md says which files to choose.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import List

from hipguide.paths import PROJECT_ROOT
from hipguide_tools.servers import Servers, StartupError, project_environment, write_endpoints

RUN_DIR = PROJECT_ROOT / "var" / "interactive"


def command(model: Path, endpoints: Path, port: int) -> List[str]:
    return [sys.executable, "-m", "hipguide_rasa.interactive", "--model", str(model), "--endpoints", str(endpoints),
            "--port", str(port), "--skip-visualization"]


def environment() -> dict:
    """Interactive conversations go to their own tracker store, apart from real ones."""
    return project_environment(extra={"TRACKER_STORE_URL": os.environ.get(
        "HIPGUIDE_INTERACTIVE_TRACKER_STORE_URL", f"sqlite:///{RUN_DIR / 'tracker.db'}")})


def _stop(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: List[str] | None = None) -> int:
    from hipguide_tools.train import train

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--action-port", type=int, default=5055)
    parser.add_argument("--run-dir", type=Path, default=RUN_DIR, help="logs and the endpoints file")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)  # run the clean-up below on `kill` too, not only on Ctrl-C
    model = train()
    actions = Servers(model=model, rasa_port=args.rasa_port, action_port=args.action_port, run_dir=args.run_dir)
    try:
        actions.start_actions()
    except StartupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    endpoints = write_endpoints(args.run_dir / "endpoints.yml", args.action_port)
    print(f"action server ready on 127.0.0.1:{args.action_port}; starting interactive learning "
          "(loading the model takes a minute)...", flush=True)
    interactive = None
    try:
        interactive = subprocess.Popen(command(model, endpoints, args.rasa_port), cwd=PROJECT_ROOT,
                                       env=environment())
        return interactive.wait()
    except KeyboardInterrupt:
        return 130
    finally:
        if interactive is not None and interactive.poll() is None:
            interactive.terminate()
            try:
                interactive.wait(timeout=30)
            except subprocess.TimeoutExpired:
                interactive.kill()
        actions.stop()


if __name__ == "__main__":
    sys.exit(main())
