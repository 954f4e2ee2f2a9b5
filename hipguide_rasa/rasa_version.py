"""The one Rasa version HipGuide's adaptations of Rasa's internals were written against.

Several modules here replace private parts of Rasa (``RemoteAction.run``, ``Agent.handle_message``,
``DialogueStateTracker.past_states``, ...). Their code mirrors Rasa 3.6.21's, so on another
version each one refuses to apply, naming itself, both versions and what to do:

- :func:`require_pinned_rasa` raises :class:`UnpinnedRasaError`: for adaptations Rasa must not
  run without (the offline safety answer, the inbound guard, the interactive launcher's
  loopback);
- :func:`pinned_rasa` logs the same message as a warning and returns False: for speed-ups,
  whose absence leaves Rasa's own (slower, equivalent) code in place.
"""

from __future__ import annotations

import logging

PINNED_RASA_VERSION = "3.6.21"  # constraints.txt and pyproject.toml pin it


class UnpinnedRasaError(RuntimeError):
    """The installed Rasa is not the version an adaptation was written for."""


def installed_rasa_version() -> str:
    import rasa

    return str(rasa.__version__)


def version_problem(feature: str) -> str | None:
    """Why ``feature`` may not replace Rasa's code here, or None on the pinned version."""
    installed = installed_rasa_version()
    if installed == PINNED_RASA_VERSION:
        return None
    return (f"{feature} not applied: written for Rasa {PINNED_RASA_VERSION}, this is Rasa {installed} "
            f"(it replaces private Rasa code of that version). Install rasa=={PINNED_RASA_VERSION} "
            "(constraints.txt), or check the adaptation against the new Rasa and change PINNED_RASA_VERSION "
            "in hipguide_rasa/rasa_version.py")


def require_pinned_rasa(feature: str) -> None:
    """Raise :class:`UnpinnedRasaError` unless the installed Rasa is the pinned version."""
    problem = version_problem(feature)
    if problem is not None:
        raise UnpinnedRasaError(problem)


def pinned_rasa(feature: str, logger: logging.Logger) -> bool:
    """True on the pinned Rasa; otherwise log why ``feature`` is not applied and return False."""
    problem = version_problem(feature)
    if problem is not None:
        logger.warning("%s", problem)
        return False
    return True
