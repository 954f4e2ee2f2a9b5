"""One HTTP session per endpoint and event loop, kept open between action calls.

Rasa 3.6's ``EndpointConfig.request`` opens a new ``aiohttp.ClientSession`` (and with it a
new connection pool and TCP connection) for every call to the action server, and closes it
afterwards: three to six times per turn. :func:`install` makes ``EndpointConfig.session``
lend a session that stays open, keyed by the endpoint's headers and credentials and by the
running event loop (a session belongs to one loop), so connections are kept alive between
calls. Requests, timeouts, errors and responses are those of Rasa's own code, which still
does the request; only who owns the session changes.

Applied by :func:`hipguide_rasa.adaptations.apply`; on a Rasa version other than the pinned
one it is not applied (with a warning) and Rasa opens a session per call as it always does.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Tuple

import aiohttp
from rasa.utils.endpoints import EndpointConfig

from hipguide_rasa.rasa_version import pinned_rasa

logger = logging.getLogger(__name__)

FEATURE = "the kept-alive action server session (hipguide_rasa.action_session)"

_ORIGINAL_SESSION = EndpointConfig.session
_Key = Tuple[int, Tuple[Tuple[str, str], ...], Tuple[Tuple[str, str], ...]]
_sessions: Dict[_Key, Tuple[asyncio.AbstractEventLoop, aiohttp.ClientSession]] = {}


class _Lent:
    """``async with endpoint.session() as session`` without closing it at the end."""

    def __init__(self, session: aiohttp.ClientSession) -> None:
        self._session = session

    async def __aenter__(self) -> aiohttp.ClientSession:
        return self._session

    async def __aexit__(self, *exc: Any) -> None:
        return None


def _key(endpoint: EndpointConfig, loop: asyncio.AbstractEventLoop) -> _Key:
    headers = tuple(sorted((str(k), str(v)) for k, v in (endpoint.headers or {}).items()))
    auth = tuple(sorted((str(k), str(v)) for k, v in (endpoint.basic_auth or {}).items()))
    return id(loop), headers, auth


def shared_session(endpoint: EndpointConfig) -> Any:
    """The open session for ``endpoint`` on the running loop (Rasa's own when none runs)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return _ORIGINAL_SESSION(endpoint)
    key = _key(endpoint, loop)
    held = _sessions.get(key)
    if held is None or held[0] is not loop or held[1].closed:
        held = (loop, _ORIGINAL_SESSION(endpoint))
        _sessions[key] = held
    return _Lent(held[1])


async def close_sessions() -> None:
    """Close the sessions of the running loop (server shutdown)."""
    loop = asyncio.get_running_loop()
    for key, (owner, session) in list(_sessions.items()):
        if owner is loop:
            del _sessions[key]
            await session.close()


def install() -> bool:
    """Lend kept-open sessions; False (Rasa unchanged) on another Rasa version."""
    if not pinned_rasa(FEATURE, logger):
        return False
    EndpointConfig.session = shared_session
    return True
