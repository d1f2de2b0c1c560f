"""A real conversation over the REST channel with both servers running."""

import uuid

import pytest
import requests

from clinic import load_profile

pytestmark = pytest.mark.servers
CLINIC = load_profile()


def texts(replies):
    return [r.get("text", "") for r in replies]


def new_sender():
    return f"e2e-{uuid.uuid4().hex[:8]}"


def test_first_message_gets_the_welcome_with_disclaimer_and_emergency_number(servers):
    replies = texts(servers.send(new_sender(), "hello there"))
    assert "not medical advice" in replies[0]
    assert CLINIC.emergency_number in replies[0] and CLINIC.name in replies[0]
    assert len(replies) >= 2, "the greeting itself follows the welcome"


def test_a_conversation_across_topics(servers):
    sender = new_sender()
    servers.send(sender, "hi")
    procedure = " ".join(
        texts(servers.send(sender, "what do they actually do during the injection"))
    )
    assert "two minutes" in procedure and "bandage" in procedure
    activity = " ".join(texts(servers.send(sender, "can i go to the gym the day after the shots")))
    assert "3 or 4 days" in activity
    contact = " ".join(texts(servers.send(sender, "what's your phone number")))
    assert CLINIC.phone in contact
    medicine = " ".join(texts(servers.send(sender, "should i stop taking my eliquis before it?")))
    assert "can't tell you to stop or keep" in medicine
    assert "yes" not in medicine.lower().split()


def test_buttons_are_offered_and_their_payloads_answer(servers):
    sender = new_sender()
    replies = servers.send(sender, "what are trigger points")
    buttons = [b for r in replies for b in r.get("buttons", [])]
    assert buttons, "follow-up topics are offered as buttons"
    procedure = next(b for b in buttons if b["payload"] == "/ask_procedure")
    answer = " ".join(texts(servers.send(sender, procedure["payload"])))
    assert "two minutes" in answer


@pytest.mark.parametrize(
    "message",
    ["", "   ", "x" * 10_000, "why? " * 2_000, "😀😀😀", "🙏",
     "¿Qué es una inyección en un punto gatillo?", "注射后可以洗澡吗",
     "<script>alert(1)</script>", "\u0000\u0001"],
    ids=["empty", "blank", "10k-chars", "10k-words", "emoji", "one-emoji", "spanish", "chinese",
         "html", "control-chars"],
)
def test_odd_messages_get_a_sensible_reply_and_the_server_stays_up(servers, message):
    sender = new_sender()
    replies = texts(servers.send(sender, message))
    assert replies and all(replies), f"no reply to {message[:30]!r}"
    assert requests.get(f"{servers.url}/", timeout=5).status_code == 200
    follow_up = " ".join(texts(servers.send(sender, "how long does the procedure take")))
    assert "few minutes" in follow_up


def test_http_api_needs_the_token(servers):
    sender = new_sender()
    servers.send(sender, "hi")
    no_token = requests.get(f"{servers.url}/conversations/{sender}/tracker", timeout=10)
    wrong = requests.get(f"{servers.url}/conversations/{sender}/tracker",
                         params={"token": "wrong"}, timeout=10)
    assert no_token.status_code in (401, 403) and wrong.status_code in (401, 403)
    assert servers.tracker(sender)["sender_id"] == sender
