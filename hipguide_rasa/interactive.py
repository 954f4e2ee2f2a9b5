"""``python -m hipguide_rasa.interactive <rasa interactive options>``: Rasa's interactive
learning, bound to the loopback interface.

Rasa 3.6 serves interactive learning with its HTTP API switched on and no token, and hard-codes
``host="0.0.0.0"`` (``rasa.core.training.interactive._serve_application``), so anyone on the
network could read or write the conversations a trainer is teaching. This launcher makes Sanic
listen on ``HIPGUIDE_HOST`` (127.0.0.1 unless set) and otherwise runs ``rasa interactive``
unchanged. `make interactive` (hipguide_tools.interactive) starts the action server first.

It also mends one Rasa defect: Ctrl-C at a question with buttons makes questionary return
None, and ``rasa.cli.utils.payload_from_button_question`` then crashes on ``None.rfind``, which
ends the session and loses what was taught. Here Ctrl-C there leads to the typing prompt, where
a second Ctrl-C opens Rasa's stop menu (Continue, Undo, Fork, Start Fresh, Export & Quit).

Both replace Rasa code of the pinned version; on another Rasa the launcher refuses to start
(:func:`hipguide_rasa.rasa_version.require_pinned_rasa`).
"""

from __future__ import annotations

import functools
import os
import sys
from typing import Any, Callable, List

from hipguide_rasa.rasa_version import require_pinned_rasa

FEATURE = "rasa interactive on the loopback interface, with Ctrl-C at a button mended (hipguide_rasa.interactive)"


def loopback(run: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(run)
    def run_on_loopback(self: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["host"] = os.environ.get("HIPGUIDE_HOST", "127.0.0.1")
        return run(self, *args, **kwargs)

    run_on_loopback.hipguide_loopback = True  # type: ignore[attr-defined]
    return run_on_loopback


def tolerate_cancel(ask: Callable[..., Any]) -> Callable[..., Any]:
    """``payload_from_button_question`` that treats Ctrl-C (None) as "type your own message"."""
    import rasa.cli.utils

    @functools.wraps(ask)
    async def ask_button(question: Any) -> str:
        original_ask = question.ask_async

        async def ask_async(*args: Any, **kwargs: Any) -> Any:
            answer = await original_ask(*args, **kwargs)
            return rasa.cli.utils.FREE_TEXT_INPUT_PROMPT if answer is None else answer

        question.ask_async = ask_async
        return await ask(question)

    ask_button.hipguide_cancel = True  # type: ignore[attr-defined]
    return ask_button


def main(argv: List[str] | None = None) -> None:
    import rasa.cli.utils
    from sanic import Sanic

    require_pinned_rasa(FEATURE)
    if not getattr(Sanic.run, "hipguide_loopback", False):
        Sanic.run = loopback(Sanic.run)  # type: ignore[method-assign]
    if not getattr(rasa.cli.utils.payload_from_button_question, "hipguide_cancel", False):
        rasa.cli.utils.payload_from_button_question = tolerate_cancel(rasa.cli.utils.payload_from_button_question)
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", "interactive", *(sys.argv[1:] if argv is None else argv)]
    rasa_main()


if __name__ == "__main__":
    main()
