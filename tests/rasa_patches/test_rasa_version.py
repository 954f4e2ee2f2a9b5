"""On a Rasa other than the pinned one, every adaptation of Rasa's code refuses to apply and
says why: the safety ones with an error, the speed-ups with a warning, Rasa left as it is."""

from __future__ import annotations

import logging
from typing import Any, Callable

import pytest
import rasa
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

import hipguide_rasa  # noqa: F401  (applies HipGuide's Rasa adaptations)
from hipguide_rasa import (
    action_result_validation,
    action_session,
    inbound_guard,
    interactive,
    offline_safety_answer,
    policy_cache,
    rasa_version,
    tracker_caches,
)
from hipguide_rasa.rasa_version import PINNED_RASA_VERSION, UnpinnedRasaError, pinned_rasa, require_pinned_rasa

OTHER = "3.7.0"


@pytest.fixture()
def other_rasa(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rasa, "__version__", OTHER)


def test_the_pinned_version_is_the_installed_one() -> None:
    assert rasa.__version__ == PINNED_RASA_VERSION
    require_pinned_rasa("anything")
    assert pinned_rasa("anything", logging.getLogger(__name__))


def test_another_version_is_refused_with_a_clear_message(other_rasa: None) -> None:
    with pytest.raises(UnpinnedRasaError) as refused:
        require_pinned_rasa("the thing under test")
    message = str(refused.value)
    assert message.startswith("the thing under test not applied: written for Rasa 3.6.21, this is Rasa 3.7.0")
    assert "rasa==3.6.21" in message and "hipguide_rasa/rasa_version.py" in message


def test_a_speed_up_is_skipped_with_a_warning(other_rasa: None, caplog: pytest.LogCaptureFixture) -> None:
    assert not pinned_rasa("the speed-up under test", logging.getLogger(__name__))
    assert "the speed-up under test not applied: written for Rasa 3.6.21, this is Rasa 3.7.0" in caplog.text


SAFETY = [
    (offline_safety_answer.apply, RemoteAction, "run"),
    (inbound_guard.install, Agent, "handle_message"),
]
SPEED_UPS = [
    (action_result_validation.apply, RemoteAction, "_validate_action_result"),
    (action_session.install, EndpointConfig, "session"),
    (tracker_caches.install, DialogueStateTracker, "past_states"),
    (policy_cache.install, policy_cache.TEDPolicy, "predict_action_probabilities"),
]


def rasas_own(owner: type, name: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Put a stand-in for Rasa's own function in place (undone after the test)."""

    def own(*args: Any, **kwargs: Any) -> None:
        return None

    monkeypatch.setattr(owner, name, own)
    return own


@pytest.mark.parametrize("apply, owner, name", SAFETY, ids=["offline_safety_answer", "inbound_guard"])
def test_a_safety_adaptation_refuses_with_an_error(apply: Callable[[], Any], owner: type, name: str,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    own = rasas_own(owner, name, monkeypatch)
    monkeypatch.setattr(rasa, "__version__", OTHER)
    with pytest.raises(UnpinnedRasaError, match=r"written for Rasa 3\.6\.21, this is Rasa 3\.7\.0"):
        apply()
    assert owner.__dict__[name] is own


@pytest.mark.parametrize("apply, owner, name", SPEED_UPS,
                         ids=["action_result_validation", "action_session", "tracker_caches", "policy_cache"])
def test_a_speed_up_leaves_rasa_as_it_is(apply: Callable[[], Any], owner: type, name: str,
                                          monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    own = rasas_own(owner, name, monkeypatch)
    monkeypatch.setattr(rasa, "__version__", OTHER)
    assert apply() is False
    assert owner.__dict__[name] is own
    assert "written for Rasa 3.6.21, this is Rasa 3.7.0" in caplog.text


def test_the_interactive_launcher_refuses(other_rasa: None) -> None:
    import rasa.cli.utils
    from sanic import Sanic

    run, ask = Sanic.run, rasa.cli.utils.payload_from_button_question
    with pytest.raises(UnpinnedRasaError, match="rasa interactive"):
        interactive.main([])
    assert Sanic.run is run and rasa.cli.utils.payload_from_button_question is ask


def test_the_helper_reads_rasas_own_version_string(other_rasa: None) -> None:
    assert rasa_version.installed_rasa_version() == OTHER
