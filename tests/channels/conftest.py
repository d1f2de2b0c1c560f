"""The messaging channels' servers, shared by the modules that test them end to end.

`live` (the action server and a Rasa server with all three channels configured) and `fakes` (the
loopback Telegram, Twilio and Meta APIs) start once for the whole package: each Rasa start costs
about half a minute. A module that needs servers of its own (other settings) defines fixtures of
its own names, or of these names, which then take precedence in that module.
"""

from __future__ import annotations

import pytest

from devtools.servers import Servers
from tests.channels import helpers as h
from tests.channels.fakes import FakeProviders


@pytest.fixture(scope="package")
def fakes():
    running = FakeProviders().start()
    yield running
    running.stop()


@pytest.fixture(scope="package")
def live(fakes, tmp_path_factory):
    """Action server and Rasa server with all three channels configured."""
    servers = Servers(tmp_path_factory.mktemp("channels"), extra_env=h.channel_env(fakes))
    try:
        servers.start_both()
        yield servers
    finally:
        servers.stop()
