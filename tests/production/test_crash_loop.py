"""production/supervision.py with small stand-in parts (no Rasa, a few seconds each): supervisord
restarts a part that crashes and the others keep running; a crash loop ends the watch, naming the
part and showing the end of its log; shutting down stops every part."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
import xmlrpc.client
from pathlib import Path

import pytest

from console.parts import read_parts
from production import supervision
from production.supervision import Part, Supervisor

pytestmark = pytest.mark.slow

SLEEPER = [sys.executable, "-c", "import time; print('steady up', flush=True); time.sleep(600)"]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead too.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(") ")[1][0] != "Z"


def run(parts: list[Part], directory: Path, action, during=None,
        ) -> tuple[str, list[str], Supervisor]:
    """`action` before the watch begins (as `python -m production` starts the parts), `during`
    once it watches."""
    supervisor = Supervisor(parts, directory, dict(os.environ))
    reported: list[str] = []
    result: list[str] = []
    supervisor.start()
    try:
        action(supervisor)
        watcher = threading.Thread(
            target=lambda: result.append(supervisor.watch(reported.append, interval=0.2)),
            daemon=True)
        watcher.start()
        if during:
            time.sleep(0.5)
            during(supervisor)
        watcher.join(timeout=120)
        assert result, "the crash loop was not noticed"
        return result[0], reported, supervisor
    finally:
        pids = [info["pid"] for info in supervisor.rpc().supervisor.getAllProcessInfo()
                if info["pid"]] if supervisor.alive() else []
        supervisor.shutdown()
        assert not supervisor.alive()
        assert not any(alive(pid) for pid in pids), "a part outlived the shutdown"


def test_a_crashed_part_is_restarted_and_a_part_that_never_starts_is_a_crash_loop(tmp_path):
    steady = Part("steady", "steady part", SLEEPER, tmp_path / "steady.log")
    flaky = Part("flaky", "flaky part", ["sh", "-c", "echo boom: no database; exit 3"],
                 tmp_path / "flaky.log")
    pids: dict[str, int] = {}

    def action(supervisor: Supervisor) -> None:
        supervisor.start_part("steady")
        deadline = time.monotonic() + 30
        while supervisor.info("steady")["statename"] != "RUNNING":  # after STARTSECS
            assert time.monotonic() < deadline
            time.sleep(0.2)
        up = {part.name: part for part in read_parts(str(tmp_path / "supervisor.sock"))}
        assert up["steady"].state == "up" and up["steady"].since <= time.time()
        assert up["flaky"].state == "down"  # not started yet
        assert up["steady"].restarts == 0 and up["flaky"].restarts == 0

    def during(supervisor: Supervisor) -> None:
        pids["before"] = supervision.kill_part(tmp_path, "steady", signal.SIGKILL)
        try:
            supervisor.rpc().supervisor.startProcess("flaky", False)
        except xmlrpc.client.Fault as fault:
            # The part exits at once; when it has already exited by the time supervisord looks
            # (even with wait=False), supervisord answers SPAWN_ERROR. It has been started either
            # way, which is all this step needs: what follows checks the restarts.
            assert "SPAWN_ERROR" in fault.faultString, fault
        # What the console's admin sees (console/parts.py): both coming back.
        time.sleep(0.5)
        seen = {part.name: part.state for part in read_parts(str(tmp_path / "supervisor.sock"))}
        assert seen == {"steady": "restarting", "flaky": "restarting"}, seen
        # The restart is counted (the watch looks every 0.2 s here), since the new start.
        deadline = time.monotonic() + 10
        while (steady := {p.name: p for p in read_parts(str(tmp_path / "supervisor.sock"))}[
                "steady"]).restarts != 1:
            assert time.monotonic() < deadline, steady
            time.sleep(0.1)
        assert steady.state in {"restarting", "up"} and steady.pid != pids["before"]
        assert time.time() - 10 < steady.since <= time.time()

    reason, reported, supervisor = run([steady, flaky], tmp_path, action, during)
    assert reason.startswith("stopped: flaky part (flaky) is crash-looping"), reason
    assert "boom: no database" in reason and str(tmp_path / "flaky.log") in reason
    assert any(line.startswith("steady part (steady) exited unexpectedly") for line in reported)
    assert (tmp_path / "steady.log").read_text().count("steady up") == 2


def test_a_part_that_keeps_crashing_after_starting_is_a_crash_loop(tmp_path, monkeypatch):
    """Running past STARTSECS each time, so supervisord restarts it at once, for ever: the watch
    stops it after CRASH_LOOP_STARTS starts within CRASH_LOOP_SECONDS."""
    monkeypatch.setattr(supervision, "STARTSECS", 1)
    crasher = Part("crasher", "crashing part",
                   ["sh", "-c", "echo crashing soon; sleep 1.5; exit 1"], tmp_path / "crasher.log")
    steady = Part("steady", "steady part", SLEEPER, tmp_path / "steady.log")

    def action(supervisor: Supervisor) -> None:
        supervisor.start_part("steady")
        supervisor.start_part("crasher")

    started = time.monotonic()
    reason, reported, supervisor = run([steady, crasher], tmp_path, action)
    assert reason.startswith("stopped: crashing part (crasher) is crash-looping: it was started "
                             f"{supervision.CRASH_LOOP_STARTS} times"), reason
    assert "crashing soon" in reason
    assert time.monotonic() - started < supervision.CRASH_LOOP_SECONDS
    assert sum("crashing part (crasher) exited unexpectedly" in line for line in reported) >= 3
    # Counted for the console: the first start is no restart.
    assert supervisor.parts["crasher"].restarts == supervision.CRASH_LOOP_STARTS - 1
    assert supervisor.parts["steady"].restarts == 0
    assert json.loads((tmp_path / "restarts.json").read_text())["parts"] == {
        "steady": 0, "crasher": supervision.CRASH_LOOP_STARTS - 1}
    assert (tmp_path / "steady.log").read_text().count("steady up") == 1


def test_restarts_within_one_look_of_the_watch_are_all_counted(tmp_path):
    """The console's restart count comes from supervisord's log, not from the pids the watch
    sees once a second: a part killed again right after its restart counts twice."""
    steady = Part("steady", "steady part", SLEEPER, tmp_path / "steady.log")
    supervisor = Supervisor([steady], tmp_path, dict(os.environ))
    supervisor.start()
    try:
        supervisor.start_part("steady")
        threading.Thread(target=supervisor.watch, kwargs={"report": lambda _: None},
                         daemon=True).start()
        first = supervision.kill_part(tmp_path, "steady", signal.SIGKILL)
        deadline = time.monotonic() + 10
        while supervisor.info("steady")["pid"] in (0, first):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        supervision.kill_part(tmp_path, "steady", signal.SIGKILL)  # within the same second
        deadline = time.monotonic() + 15
        while read_parts(str(tmp_path / "supervisor.sock"))[0].restarts != 2:
            assert time.monotonic() < deadline, read_parts(str(tmp_path / "supervisor.sock"))
            time.sleep(0.2)
    finally:
        supervisor.shutdown()
