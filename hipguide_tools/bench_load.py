"""``make bench-load K=16 T=60``: K simultaneous people holding ten-turn conversations with
HipGuide for T seconds, through the REST channel of freshly started servers (SQLite, or
``TRACKER_STORE_URL`` / ``LOCK_STORE_URL`` when set). Prints throughput, p50/p95/p99 latency,
the error count and each process's peak memory."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Sequence

from hipguide_tools.load import HIPGUIDE_SCRIPT, drive, peak_rss_mb
from hipguide_tools.servers import Servers, free_port
from hipguide_tools.train import train


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", "--concurrency", type=int, default=16)
    parser.add_argument("-t", "--seconds", type=float, default=60.0)
    args = parser.parse_args(argv)
    if args.concurrency < 1 or args.seconds <= 0:
        parser.error("K must be at least 1 and T more than 0")
    with tempfile.TemporaryDirectory(prefix="hipguide-load-") as work:
        # LOCK_STORE_URL and DATABASE_URL pass through from the environment as they are.
        env = {"TRACKER_STORE_URL": os.environ.get("TRACKER_STORE_URL") or f"sqlite:///{Path(work) / 'tracker.db'}"}
        servers = Servers(model=train(), rasa_port=free_port(), action_port=free_port(), run_dir=Path(work), env=env)
        servers.start()
        try:
            drive(servers.rest_url, HIPGUIDE_SCRIPT, 1, conversations=1, prefix="warmup")
            print(f"{args.concurrency} people for {args.seconds:.0f} s...", flush=True)
            result = drive(servers.rest_url, HIPGUIDE_SCRIPT, args.concurrency, seconds=args.seconds)
            memory = {name: peak_rss_mb(p.pid) for name, p in zip(("action server", "Rasa server"),
                                                                   servers.processes, strict=True)}
        finally:
            servers.stop()
    summary = result.summary()
    print(f"messages        {summary['requests']} in {summary['seconds']} s")
    print(f"throughput      {summary['throughput_rps']} messages/s")
    print(f"latency         p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, p99 {summary['p99_ms']} ms")
    print(f"errors          {summary['errors']}")
    for name, mb in memory.items():
        print(f"peak memory     {name}: {mb} MiB")
    return 1 if summary["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
