"""Action calls share one kept-alive HTTP session instead of opening one per call.

A real aiohttp server on loopback records the client port of each request: one port for
all calls means one kept-alive connection."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, AsyncIterator, Dict, List, Tuple

import pytest
from aiohttp import web
from rasa.utils.endpoints import EndpointConfig

from hipguide_rasa import action_session


async def _server(seen: List[Dict[str, Any]]) -> web.AppRunner:
    async def webhook(request: web.Request) -> web.Response:
        peer = request.transport.get_extra_info("peername") if request.transport else None
        seen.append({"port": peer[1] if peer else None, "token": request.headers.get("X-Token"),
                     "body": await request.json()})
        return web.json_response({"events": [], "responses": [{"text": "ok"}]})

    app = web.Application()
    app.router.add_post("/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner


def _url(runner: web.AppRunner) -> str:
    port = runner.addresses[0][1]
    return f"http://127.0.0.1:{port}/webhook"


@contextlib.asynccontextmanager
async def _serving() -> AsyncIterator[Tuple[str, List[Dict[str, Any]]]]:
    """(webhook URL, requests seen) of a loopback server; shared sessions closed after."""
    seen: List[Dict[str, Any]] = []
    runner = await _server(seen)
    try:
        yield _url(runner), seen
    finally:
        await action_session.close_sessions()
        await runner.cleanup()


async def _calls(endpoint: EndpointConfig, n: int) -> List[Any]:
    return [await endpoint.request(json={"call": i}, method="post") for i in range(n)]


def test_calls_share_one_connection_and_return_what_the_server_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(EndpointConfig, "session", action_session.shared_session)

    async def scenario() -> None:
        async with _serving() as (url, seen):
            results = await _calls(EndpointConfig(url), 5)
            assert results == [{"events": [], "responses": [{"text": "ok"}]}] * 5
            assert [s["body"] for s in seen] == [{"call": i} for i in range(5)]
            assert len({s["port"] for s in seen}) == 1  # one kept-alive connection

    asyncio.run(scenario())


def test_rasa_alone_opens_a_connection_per_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the change saves: without it every call is a new connection."""
    monkeypatch.setattr(EndpointConfig, "session", action_session._ORIGINAL_SESSION)

    async def scenario() -> None:
        async with _serving() as (url, seen):
            await _calls(EndpointConfig(url), 3)
            assert len({s["port"] for s in seen}) == 3

    asyncio.run(scenario())


def test_endpoints_with_other_headers_get_their_own_session(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(EndpointConfig, "session", action_session.shared_session)

    async def scenario() -> None:
        async with _serving() as (url, seen):
            first = EndpointConfig(url, headers={"X-Token": "a"})
            second = EndpointConfig(url, headers={"X-Token": "b"})
            await first.request(json={}, method="post")
            await second.request(json={}, method="post")
            await first.request(json={}, method="post")
            assert [s["token"] for s in seen] == ["a", "b", "a"]
            assert seen[0]["port"] == seen[2]["port"] != seen[1]["port"]

    asyncio.run(scenario())


def test_a_new_event_loop_gets_a_new_session(monkeypatch: pytest.MonkeyPatch) -> None:
    """A session belongs to the loop it was made on (each asyncio.run is a new loop)."""
    monkeypatch.setattr(EndpointConfig, "session", action_session.shared_session)
    ports: List[Any] = []

    async def one_call() -> None:
        seen: List[Dict[str, Any]] = []
        runner = await _server(seen)  # no close_sessions: the next loop must not reuse this one
        try:
            assert await EndpointConfig(_url(runner)).request(json={}, method="post")
            ports.append(seen[0]["port"])
        finally:
            await runner.cleanup()

    asyncio.run(one_call())
    asyncio.run(one_call())  # would fail with "attached to a different loop" if reused
    assert len(ports) == 2


def test_installed_by_the_package() -> None:
    import hipguide_rasa  # noqa: F401  (applies HipGuide's Rasa adaptations)

    assert EndpointConfig.session is action_session.shared_session
