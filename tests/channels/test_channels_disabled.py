"""With no channel variables the Rasa server still comes up; each channel logs one line and its
webhook answers 503 without passing anything to the assistant."""

from __future__ import annotations

import pytest
import requests

from channels.meta_whatsapp import MetaWhatsAppInput
from channels.telegram import TelegramInput
from channels.twilio_whatsapp import TwilioWhatsAppInput
from devtools.servers import Servers

pytestmark = pytest.mark.servers
CHANNELS = [TelegramInput, TwilioWhatsAppInput, MetaWhatsAppInput]


@pytest.fixture(scope="module")
def bare(tmp_path_factory):
    servers = Servers(tmp_path_factory.mktemp("no_channels"))
    for channel in CHANNELS:
        for name in (*channel.REQUIRED, *channel.OPTIONAL):
            servers.env.pop(name, None)
    try:
        servers.start_rasa()  # the action server is not needed here
        yield servers
    finally:
        servers.stop()


def test_the_server_comes_up_and_rest_still_works(bare):
    assert requests.get(f"{bare.url}/", timeout=10).status_code == 200
    assert requests.get(f"{bare.url}/webhooks/rest/", timeout=10).status_code == 200


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.name())
def test_each_disabled_channel_logged_exactly_one_line(bare, channel):
    log = (bare.workdir / "rasa.log").read_text()
    expected = f"{channel.name()} channel disabled: {', '.join(channel.REQUIRED)} not set"
    assert log.count(f"{channel.name()} channel disabled") == 1
    assert expected in log


@pytest.mark.parametrize("channel", CHANNELS, ids=lambda c: c.name())
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_disabled_webhooks_answer_503_and_nothing_reaches_the_assistant(bare, channel, method):
    sender = f"disabled-{channel.name()}-{method}"
    reply = requests.request(
        method, f"{bare.url}/webhooks/{channel.name()}/webhook", timeout=10,
        json={"update_id": 1, "message": {"chat": {"id": sender}, "text": "hi"}, "From": sender},
        params={"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
    )
    assert reply.status_code == 503
    body = reply.json()
    assert "not configured" in body["error"] and body["missing"] == list(channel.REQUIRED)
    events = bare.tracker(sender)["events"]
    assert not [e for e in events if e["event"] == "user"]
    assert requests.get(f"{bare.url}/webhooks/{channel.name()}/", timeout=10).status_code == 503

