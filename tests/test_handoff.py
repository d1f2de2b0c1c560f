"""Handoff to a person (docs/handoff.md), through the doors users use: the REST channel for the
patient, Rasa's HTTP API through console/rasa_api.py for the staff.

The servers run once for the module, with CLINIC_NOW at a moment within the clinic profile's
hours; they are then restarted with CLINIC_NOW outside them, which is also the restart that a
handoff must outlive. The tests run in file order. The first tests need no server: the weekly
hours, the profile and the API client's own rules.
"""

from __future__ import annotations

import time
import uuid
from datetime import datetime, timedelta

import pytest
import requests

from clinic import hours, load_profile
from clinic.profile import ClinicProfile
from console import rasa_api
from content.model import fill, response
from devtools.servers import Servers

CLINIC = load_profile()
STAFF = "Ada Nurse"
QUESTION = "what is a trigger point injection?"
ANSWER = "shot of medicine"  # in the answer to QUESTION (content/answers/what_is_tpi.yml)
EMERGENCY = "since the injection i can't breathe properly"
ASK_PERSON = "can I talk to someone please?"
MESSAGE = "please could a nurse call me back about moving my injection to friday"


def text(name: str) -> str:
    return fill(response(name).text, **CLINIC.as_slots())


IN_HOURS_TEXT = text("utter_request_human_in_hours")
OUT_OF_HOURS_TEXT = text("utter_request_human_out_of_hours")
MESSAGE_LEFT_TEXT = text("utter_message_left")


def moment(open_: bool) -> str:
    """A moment in the week of 2026-01-05 (a Monday) when the clinic is (not) open, by its hours:
    the test follows the profile."""
    tz = hours.zone(CLINIC.timezone)
    start = datetime(2026, 1, 5, 0, 0, tzinfo=tz)
    for step in range(7 * 48):
        candidate = start + timedelta(minutes=30 * step + 15)
        if CLINIC.is_open(candidate) is open_:
            return candidate.replace(tzinfo=None).isoformat(timespec="minutes")
    raise AssertionError(f"the profile's clinic is {'never' if open_ else 'always'} open")


# --- no server -----------------------------------------------------------------------------------
def test_weekly_hours_are_read_shown_and_asked():
    weekly = hours.parse_weekly({"Monday": "08:00-12:00, 13:00-17:30", "tuesday": "08:00-12:00, "
                                 "13:00-17:30", "saturday": "09:00-12:00", "sunday": "closed"})
    assert hours.describe(weekly) == ("Monday and Tuesday, 8 am to 12 pm and 1 pm to 5:30 pm; "
                                      "Saturday, 9 am to 12 pm")
    tz = hours.zone("Europe/London")
    monday = datetime(2026, 1, 5, tzinfo=tz)
    assert hours.is_open(weekly, tz, monday.replace(hour=8))
    assert not hours.is_open(weekly, tz, monday.replace(hour=12, minute=30))  # lunch
    assert not hours.is_open(weekly, tz, monday.replace(hour=17, minute=30))  # closing time
    assert not hours.is_open(weekly, tz, monday + timedelta(days=2, hours=10))  # Wednesday
    # An aware moment elsewhere is compared in the clinic's zone: 04:00 in New York is 09:00 here.
    new_york = datetime(2026, 1, 10, 4, 0, tzinfo=hours.zone("America/New_York"))
    assert hours.is_open(weekly, tz, new_york)
    five_days = hours.parse_weekly({d: "08:00-17:00" for d in hours.DAYS[:5]})
    assert hours.describe(five_days) == "Monday to Friday, 8 am to 5 pm"


@pytest.mark.parametrize("data, problem", [
    ("Monday to Friday, 8 am to 5 pm", "not a text"),
    ({"monday": "8-5"}, "HH:MM-HH:MM"),
    ({"monday": "17:00-08:00"}, "within a day"),
    ({"monday": "08:00-12:00, 11:00-13:00"}, "overlap"),
    ({"funday": "08:00-12:00"}, "unknown day"),
    ({"monday": "closed"}, "never open"),
])
def test_unreadable_hours_are_a_clear_error(data, problem):
    with pytest.raises(hours.HoursError, match=problem):
        hours.parse_weekly(data)


def test_the_profile_text_is_made_from_the_hours_and_clinic_now_stands_in_for_the_clock(
        tmp_path, monkeypatch):
    path = tmp_path / "profile.yml"
    path.write_text("name: Lakeside\nphone: '01234'\nbooking_url: https://x.example\n"
                    "emergency_number: '999'\ntimezone: Europe/London\n"
                    "opening_hours:\n  saturday: '10:00-14:00'\n")
    profile = load_profile(path)
    assert profile.opening_hours == "Saturday, 10 am to 2 pm"
    assert profile.as_slots()["opening_hours"] == "Saturday, 10 am to 2 pm"
    monkeypatch.setenv("CLINIC_NOW", "2026-01-10T11:00")  # a Saturday, London time
    assert profile.is_open()
    monkeypatch.setenv("CLINIC_NOW", "2026-01-10T11:00-05:00")  # 16:00 in London
    assert not profile.is_open()
    path.write_text(path.read_text().replace("Europe/London", "Mars/Olympus"))
    with pytest.raises(ValueError, match="timezone"):
        load_profile.__wrapped__(path)
    # A profile built in code without hours (the older tests do) is never open.
    assert not ClinicProfile("X", "1", "weekdays", "https://x.example", "999").is_open()


def test_the_client_signs_replies_and_knows_whatsapps_24_hours():
    assert rasa_api.signed_text(" Ada  Nurse ", "Hello.", "Lakeside") == \
        "Ada Nurse (Lakeside): Hello."
    now = time.time()
    state = rasa_api.ConversationState("s", True, None, "meta_whatsapp", now - 23 * 3600, None)
    assert rasa_api.whatsapp_window_open(state, now)
    late = rasa_api.ConversationState("s", True, None, "twilio_whatsapp", now - 25 * 3600, None)
    assert not rasa_api.whatsapp_window_open(late, now)
    web = rasa_api.ConversationState("s", True, None, "socketio", now - 99 * 3600, None)
    assert rasa_api.whatsapp_window_open(web, now)
    for bad in ("", "  "):
        with pytest.raises(ValueError):
            rasa_api.send_staff_reply("http://127.0.0.1:9", "t", "s", bad, "hi")
        with pytest.raises(ValueError):
            rasa_api.send_staff_reply("http://127.0.0.1:9", "t", "s", STAFF, bad)


def test_an_unreachable_rasa_is_an_error_without_the_token():
    with pytest.raises(rasa_api.RasaAPIError) as error:
        rasa_api.take_over("http://127.0.0.1:9", "secret-token", "s", STAFF)
    assert error.value.status is None and "secret-token" not in str(error.value)


def test_a_session_start_carries_over_the_handoff_and_nothing_else():
    """serving/rasa_patches.py (applied by tests/conftest.py as by `python -m serving`)."""
    import asyncio

    from rasa.core.actions.action import ActionSessionStart
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SessionStarted, SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    from devtools.servers import ROOT

    domain = Domain.load(str(ROOT / "domain"))
    for before, carried in (([SlotSet("handoff_by", STAFF)], [SlotSet("handoff_by", STAFF)]),
                            ([SlotSet("handoff_by", STAFF), SlotSet("handoff_by", None)], []),
                            ([], [])):
        tracker = DialogueStateTracker.from_events(
            "s", [*before, SlotSet("escalation_level", "doctor")], domain.slots)
        events = asyncio.run(ActionSessionStart().run(None, None, tracker, domain))
        assert isinstance(events[0], SessionStarted)
        assert [e for e in events if isinstance(e, SlotSet)] == carried


def test_only_the_message_right_after_the_offer_is_the_message_left():
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet
    from rasa.shared.core.events import UserUttered as User

    from rasa_components import handoff

    offer = [ActionExecuted(handoff.UTTER_OUT_OF_HOURS), BotUttered("offer"),
             ActionExecuted("action_listen")]
    assert handoff.answers_message_offer([*offer, User("call me")])
    assert not handoff.answers_message_offer([*offer, User("hi"), ActionExecuted("utter_greet"),
                                              ActionExecuted("action_listen"), User("call me")])
    for between in (SessionStarted(), SlotSet("handoff_by", None),
                    BotUttered("Ada: hi", metadata={"staff": "Ada"})):
        assert not handoff.answers_message_offer([*offer, between, User("call me")])


# --- the servers ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """Both servers, with the clinic open (CLINIC_NOW); `reopen(closed=True)` restarts Rasa."""
    servers = Servers(tmp_path_factory.mktemp("handoff"),
                      extra_env={"CLINIC_NOW": moment(open_=True)})
    try:
        servers.start_both()
        yield servers
    finally:
        servers.stop()


def restart_rasa(servers: Servers, **env: str) -> float:
    started = time.monotonic()
    Servers._stop(servers.rasa)
    servers.env.update(env)
    servers.start_rasa()
    return time.monotonic() - started


def new_sender() -> str:
    return f"handoff-{uuid.uuid4().hex[:8]}"


def said(replies: list[dict]) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def events(servers: Servers, sender: str) -> list[dict]:
    return servers.tracker(sender)["events"]


def slot_events(servers: Servers, sender: str, name: str) -> list[dict]:
    return [e for e in events(servers, sender) if e["event"] == "slot" and e["name"] == name]


def take_over(servers: Servers, sender: str) -> rasa_api.Handoff:
    return rasa_api.take_over(servers.url, servers.token, sender, STAFF)


needs_servers = pytest.mark.servers


@needs_servers
def test_asking_for_a_person_in_opening_hours(live):
    sender = new_sender()
    live.send(sender, "hello")
    replies = said(live.send(sender, ASK_PERSON))
    assert replies == IN_HOURS_TEXT
    assert "staff member" in replies and CLINIC.emergency_number in replies
    assert CLINIC.phone in replies
    stored = events(live, sender)
    asked = max(i for i, e in enumerate(stored) if e["event"] == "user")
    assert stored[asked]["parse_data"]["intent"]["name"] == "request_human"
    [requested] = [e for e in stored[asked:] if e["event"] == "slot"
                   and e["name"] == "person_requested"]
    assert requested["value"] == "in_hours"
    # The assistant goes on answering until a staff member takes over.
    assert ANSWER in said(live.send(sender, QUESTION))
    assert len(slot_events(live, sender, "person_requested")) == 1


@needs_servers
def test_a_staff_member_takes_over_answers_and_hands_back(live):
    sender = new_sender()
    assert ANSWER in said(live.send(sender, QUESTION))

    handoff = take_over(live, sender)
    assert (handoff.handoff_by, handoff.previous) == (STAFF, None)
    assert live.tracker(sender)["slots"]["handoff_by"] == STAFF

    # The assistant stays silent: the question is stored for the staff member, not answered.
    assert live.send(sender, QUESTION) == []
    stored = events(live, sender)
    last_user = max(i for i, e in enumerate(stored) if e["event"] == "user")
    assert stored[last_user]["text"] == QUESTION
    assert [e.get("name") for e in stored[last_user:] if e["event"] == "action"] == [
        "action_listen"]
    assert not [e for e in stored[last_user:] if e["event"] == "bot"]

    # A warning sign still gets the safety reply at once, and its escalation is recorded.
    alarm = said(live.send(sender, EMERGENCY))
    assert alarm.startswith("🚨") and CLINIC.emergency_number in alarm
    assert live.tracker(sender)["slots"]["escalation_level"] == "emergency"
    assert ANSWER not in alarm and "not medical advice" not in alarm

    reply = rasa_api.send_staff_reply(live.url, live.token, sender, STAFF, "Hello, I'm here.")
    assert reply.channel == "rest" and not reply.pushed  # REST answers requests only
    assert reply.text == f"{STAFF} ({CLINIC.name}): Hello, I'm here."
    bot = [e for e in events(live, sender) if e["event"] == "bot"][-1]
    assert bot["text"] == reply.text and bot["metadata"]["staff"] == STAFF
    assert not [e for e in events(live, sender) if e["event"] == "user"
                and "staff" in (e.get("metadata") or {})], "no staff text as a patient message"

    state = rasa_api.conversation_state(live.url, live.token, sender)
    assert (state.handoff_by, state.channel, state.exists) == (STAFF, "rest", True)
    assert time.time() - state.last_patient_message_at < 60

    back = rasa_api.hand_back(live.url, live.token, sender, "Bo Colleague")
    assert (back.handoff_by, back.previous) == (None, STAFF)
    assert ANSWER in said(live.send(sender, QUESTION))
    assert [e["value"] for e in slot_events(live, sender, "handoff_by")] == [STAFF, None]


@needs_servers
def test_the_api_refuses_a_wrong_token_and_an_unknown_conversation(live):
    with pytest.raises(rasa_api.RasaAPIError) as error:
        rasa_api.take_over(live.url, "not-the-token", new_sender(), STAFF)
    assert error.value.status == 401 and "not-the-token" not in str(error.value)
    unknown = new_sender()
    for call in (lambda: take_over(live, unknown),
                 lambda: rasa_api.send_staff_reply(live.url, live.token, unknown, STAFF, "Hi.")):
        with pytest.raises(rasa_api.RasaAPIError) as error:
            call()
        assert error.value.status == 404
    # (Rasa answers a read of an unknown id with a fresh session of its own, stored nowhere.)
    kept = [e for e in live.tracker(unknown)["events"] if e["event"] in ("user", "bot", "slot")]
    assert kept == [], "nothing was written"


# Taken over before the session expiry and the restart, checked after them.
KEPT: dict[str, str] = {}


@needs_servers
def test_a_new_session_during_a_handoff_keeps_it(live):
    sender = KEPT["sender"] = new_sender()
    live.send(sender, "hello")
    take_over(live, sender)
    # An hour of silence (the session's expiry, domain/session.yml): the patient's last message
    # is dated two hours back, through the API, so the next message starts a new session.
    requests.post(f"{live.url}/conversations/{sender}/tracker/events",
                  params={"token": live.token}, timeout=30,
                  json=[{"event": "user", "text": "(two hours earlier)", "input_channel": "rest",
                         "parse_data": {"intent": {"name": "greet", "confidence": 1.0},
                                        "entities": []},
                         "timestamp": time.time() - 7200}]).raise_for_status()

    assert live.send(sender, QUESTION) == []  # no welcome, no answer: still taken over
    stored = events(live, sender)
    started = max(i for i, e in enumerate(stored) if e["event"] == "session_started")
    assert started > 0, "the message started a new session"
    carried = [e for e in stored[started:] if e["event"] == "slot" and e["name"] == "handoff_by"]
    assert [e["value"] for e in carried] == [STAFF]
    assert live.tracker(sender)["slots"]["handoff_by"] == STAFF


@needs_servers
def test_after_a_restart_the_handoff_holds_and_the_clinic_is_closed(live):
    sender = KEPT.get("sender")
    if sender is None:  # this test run alone
        sender = new_sender()
        live.send(sender, "hello")
        take_over(live, sender)
    seconds = restart_rasa(live, CLINIC_NOW=moment(open_=False))
    print(f"Rasa restarted in {seconds:.1f} s")
    assert live.tracker(sender)["slots"]["handoff_by"] == STAFF
    assert live.send(sender, QUESTION) == []
    rasa_api.hand_back(live.url, live.token, sender, STAFF)
    assert ANSWER in said(live.send(sender, QUESTION))


@needs_servers
def test_outside_opening_hours_the_patient_can_leave_a_message(live):
    sender = new_sender()
    live.send(sender, "hi")
    offer = said(live.send(sender, "human please"))
    assert offer == OUT_OF_HOURS_TEXT
    for detail in (CLINIC.opening_hours, CLINIC.phone, CLINIC.emergency_number):
        assert detail in offer
    assert slot_events(live, sender, "person_requested") == []

    assert said(live.send(sender, MESSAGE)) == MESSAGE_LEFT_TEXT
    stored = events(live, sender)
    [left] = [i for i, e in enumerate(stored) if e["event"] == "slot"
              and e["name"] == "person_requested"]
    assert stored[left]["value"] == "message"
    patient = [e for e in stored[:left] if e["event"] == "user"][-1]
    assert patient["text"] == MESSAGE, "the message left is the user event before the slot"

    # Only the next message is the message: the one after is answered as usual.
    assert ANSWER in said(live.send(sender, QUESTION))
    assert len(slot_events(live, sender, "person_requested")) == 1


@needs_servers
def test_a_warning_sign_after_the_offer_gets_the_safety_reply_not_the_message_reply(live):
    sender = new_sender()
    live.send(sender, "hi")
    live.send(sender, "can i speak to a real person")
    alarm = said(live.send(sender, EMERGENCY))
    assert alarm.startswith("🚨") and MESSAGE_LEFT_TEXT not in alarm
    assert slot_events(live, sender, "person_requested") == []
    assert live.tracker(sender)["slots"]["escalation_level"] == "emergency"


def test_conversation_ids_go_into_the_path_as_they_are():
    """Sanic does not decode %-escapes in Rasa's routes: Twilio's ids keep their ':' and '+'."""
    assert rasa_api._url("http://r/", "whatsapp:+15550001", "tracker") == \
        "http://r/conversations/whatsapp:+15550001/tracker"
    for unaddressable in ("a b", "a?b", "a#b", "50%", "josé"):
        with pytest.raises(ValueError, match="cannot be addressed"):
            rasa_api._url("http://r", unaddressable, "tracker")
