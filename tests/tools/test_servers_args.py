"""The Rasa server's command line, read back by Rasa's own argument parser."""

from __future__ import annotations

from pathlib import Path

import pytest

from hipguide_tools.servers import Servers


@pytest.mark.parametrize("token", ["plain-token_1", "-starts-with-a-dash", "--looks-like-an-option"])
def test_the_api_token_reaches_rasa_whatever_it_starts_with(token: str) -> None:
    from rasa.__main__ import create_argument_parser

    servers = Servers(model=Path("model.tar.gz"), env={"HIPGUIDE_ENABLE_API": "1", "HIPGUIDE_API_TOKEN": token})
    parsed = create_argument_parser().parse_args(servers.rasa_args(Path("endpoints.yml"))[1:])
    assert parsed.enable_api is True
    assert parsed.auth_token == token
