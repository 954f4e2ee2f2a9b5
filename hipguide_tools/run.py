"""``make run``: start the action server and the Rasa server, print where to chat.

Ctrl-C stops both.
"""

from __future__ import annotations

import argparse
import signal
import sys
import time

from hipguide_tools.servers import Servers, StartupError
from hipguide_tools.train import model_path


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rasa-port", type=int, default=5005)
    parser.add_argument("--action-port", type=int, default=5055)
    args = parser.parse_args(argv)
    model = model_path()
    if not model.exists():
        print(f"error: no model at {model}; run `make train` first", file=sys.stderr)
        return 1
    servers = Servers(model=model, rasa_port=args.rasa_port, action_port=args.action_port)
    print("starting the action server and the Rasa server (loading the model takes a minute)...",
          flush=True)
    try:
        servers.start()
    except StartupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(
        "\nHipGuide is running.\n"
        f"  Chat page:      http://127.0.0.1:{args.rasa_port}/chat/\n"
        f"  Chat (REST):    POST {servers.rest_url}\n"
        f"  Try:            curl -s -XPOST {servers.rest_url} -H 'Content-Type: application/json' "
        "-d '{\"sender\": \"me\", \"message\": \"my hip hurts after running\"}'\n"
        f"  Action server:  http://127.0.0.1:{args.action_port}/health\n"
        f"  Logs:           {servers.run_dir}/rasa.log, {servers.run_dir}/actions.log\n"
        "Press Ctrl-C to stop both servers.",
        flush=True,
    )
    stopping = False

    def stop(_signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        while not stopping:
            for process in servers.processes:
                if process.poll() is not None:
                    print("a server stopped unexpectedly; see the logs above", file=sys.stderr)
                    stopping = True
            time.sleep(0.5)
    finally:
        print("stopping...", flush=True)
        servers.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
