"""``python -m hipguide_rasa.interactive <rasa interactive options>``: Rasa's interactive
learning, bound to the loopback interface.

Rasa 3.6 serves interactive learning with its HTTP API switched on and no token, and hard-codes
``host="0.0.0.0"`` (``rasa.core.training.interactive._serve_application``), so anyone on the
network could read or write the conversations a trainer is teaching. This launcher makes Sanic
listen on ``HIPGUIDE_HOST`` (127.0.0.1 unless set) and otherwise runs ``rasa interactive``
unchanged. `make interactive` (hipguide.tools.interactive) starts the action server first.
"""

from __future__ import annotations

import functools
import os
import sys
from typing import Any, Callable, List


def loopback(run: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(run)
    def run_on_loopback(self: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["host"] = os.environ.get("HIPGUIDE_HOST", "127.0.0.1")
        return run(self, *args, **kwargs)

    run_on_loopback.hipguide_loopback = True  # type: ignore[attr-defined]
    return run_on_loopback


def main(argv: List[str] | None = None) -> None:
    from sanic import Sanic

    if not getattr(Sanic.run, "hipguide_loopback", False):
        Sanic.run = loopback(Sanic.run)  # type: ignore[method-assign]
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", "interactive", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
