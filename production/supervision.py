"""The production profile's parts under supervisord (the `supervisor` package, pinned in
requirements.txt): `python -m production` writes var/production/supervisord.conf from the settings,
runs supervisord, starts the parts through its XML-RPC interface in order (each one answering
before the next that needs it), and then watches them.

supervisord restarts a part that exits: at once if it had been running for STARTSECS seconds, else
with a growing delay (1 s, 2 s, ... STARTRETRIES times). A crash loop stops the profile: a part
that supervisord gave up on (FATAL), or one started CRASH_LOOP_STARTS times within
CRASH_LOOP_SECONDS. Each part logs to var/production/<part>.log (supervisord's own log is
supervisord.log); `supervisorctl -c var/production/supervisord.conf status` shows each part's
state, pid and uptime, `... tail -f rasa-1` its log. supervisord keeps no count of restarts: the
watch counts the starts its log records ("spawned: 'rasa-1' with pid ..."), every one, also two
within a second, and writes each part's restarts (its starts but the first) to restarts.json
beside supervisord's socket, for the console's Parts page.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import time
import xmlrpc.client
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from production import supervisor_rpc
from production.stack import ROOT, VENV_BIN, Process

STARTSECS = 10  # a part that exits sooner did not start: restarted after 1 s, 2 s, ... then FATAL
STARTRETRIES = 5
CRASH_LOOP_STARTS = 5  # ... and one that runs longer but is (re)started this often in
CRASH_LOOP_SECONDS = 60  # this many seconds is crash-looping too
STOPWAITSECS = 20  # SIGTERM (PostgreSQL: SIGINT, its fast shutdown), then SIGKILL to the group


@dataclass
class Part:
    """One program of supervisord.conf."""

    name: str  # supervisord's program name: rasa-1, actions-2, console, nginx, postgres, redis
    label: str  # for people: "Rasa server 1"
    command: list[str]
    log: Path
    health: Callable[[], bool] | None = None  # answers (the part can take work)
    user: str | None = None  # supervisord switches to it (it runs as root then)
    stopsignal: str = "TERM"
    directory: Path = ROOT  # its working directory
    starts: deque = field(default_factory=lambda: deque(maxlen=CRASH_LOOP_STARTS))
    spawns: int = 0  # starts by supervisord (its log), the first included
    restarts: int = 0  # the starts after the first


def http_health(url: str) -> Callable[[], bool]:
    import requests

    def check() -> bool:
        try:
            return requests.get(url, timeout=2).status_code < 500
        except requests.RequestException:
            return False
    return check


def port_health(port: int) -> Callable[[], bool]:
    def check() -> bool:
        with socket.socket() as sock:
            sock.settimeout(1)
            return sock.connect_ex(("127.0.0.1", port)) == 0
    return check


def process_part(name: str, process: Process) -> Part:
    return Part(name, process.name, process.args, process.log, http_health(process.health))


def _quote(value: str) -> str:
    # supervisord expands %(name)s in its values: a literal % is written %%.
    return value.replace("%", "%%")


def render_config(parts: list[Part], directory: Path) -> str:
    lines = [
        "; Written by production/supervision.py at every start of `python -m production`.",
        "; supervisorctl -c THIS_FILE status | tail -f PART | restart PART",
        "[unix_http_server]",
        f"file={_quote(str(directory / 'supervisor.sock'))}",
        "chmod=0700",
        "",
        "[supervisord]",
        "nodaemon=true",
        f"logfile={_quote(str(directory / 'supervisord.log'))}",
        "logfile_maxbytes=10MB",
        "logfile_backups=3",
        "loglevel=info",  # its "spawned:" lines are the restart counts (SpawnLog)
        f"pidfile={_quote(str(directory / 'supervisord.pid'))}",
        f"childlogdir={_quote(str(directory))}",
        f"directory={_quote(str(ROOT))}",
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
        "[supervisorctl]",
        f"serverurl=unix://{_quote(str(directory / 'supervisor.sock'))}",
        "",
    ]
    for part in parts:
        lines += [
            f"[program:{part.name}]",
            f"command={_quote(shlex.join(part.command))}",
            f"directory={_quote(str(part.directory))}",
            # Started by `python -m production` in order (the first Rasa server creates the
            # tables before the others start); from then on supervisord keeps them running.
            "autostart=false",
            "autorestart=true",
            f"startsecs={STARTSECS}",
            f"startretries={STARTRETRIES}",
            f"stopsignal={part.stopsignal}",
            f"stopwaitsecs={STOPWAITSECS}",
            "stopasgroup=true",
            "killasgroup=true",
            "redirect_stderr=true",
            f"stdout_logfile={_quote(str(part.log))}",
            "stdout_logfile_maxbytes=20MB",
            "stdout_logfile_backups=3",
        ]
        if part.user:
            lines.append(f"user={part.user}")
        lines.append("")
    return "\n".join(lines)


class Supervisor:
    """supervisord running `parts`, with its XML-RPC interface on a unix socket."""

    def __init__(self, parts: list[Part], directory: Path, env: dict[str, str]) -> None:
        self.parts = {part.name: part for part in parts}
        self.directory = directory
        self.env = env
        self.conf = directory / "supervisord.conf"
        self.socket = directory / "supervisor.sock"
        # {"supervisord_pid": ..., "parts": {name: restarts}}
        self.restarts_file = directory / supervisor_rpc.RESTARTS_FILE
        self.spawn_log = SpawnLog(directory / "supervisord.log")
        self.process: subprocess.Popen | None = None

    # -- supervisord itself ---------------------------------------------------------------------
    def rpc(self) -> xmlrpc.client.ServerProxy:
        return supervisor_rpc.connect(str(self.socket))

    def start(self) -> None:
        shutdown_leftover(self.directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.conf.write_text(render_config(list(self.parts.values()), self.directory))
        self.conf.chmod(0o600)  # the Rasa servers' API token is on their command line
        log = (self.directory / "supervisord.out").open("ab")
        self.spawn_log = SpawnLog(self.directory / "supervisord.log")  # from its end: this run
        # Its own session: Ctrl-C in the terminal reaches `python -m production` only, which then
        # stops the parts in order.
        self.process = subprocess.Popen(
            [str(VENV_BIN / "supervisord"), "-n", "-c", str(self.conf)], cwd=ROOT, env=self.env,
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 20
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"supervisord exited:\n{tail(self.directory / 'supervisord.out')}")
            try:
                if self.rpc().supervisor.getState()["statename"] == "RUNNING":
                    self.record_restarts()
                    return
            except (OSError, xmlrpc.client.Fault):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("supervisord did not answer on its socket:\n"
                                   f"{tail(self.directory / 'supervisord.log')}")
            time.sleep(0.1)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def shutdown(self) -> None:
        """Stop every part (in reverse order of start) and supervisord."""
        if not self.alive():
            return
        try:
            rpc = self.rpc()
            for name in reversed(list(self.parts)):
                with contextlib.suppress(xmlrpc.client.Fault):  # not running
                    rpc.supervisor.stopProcess(name, True)
            rpc.supervisor.shutdown()
        except OSError:
            self.process.terminate()
        try:
            self.process.wait(timeout=STOPWAITSECS + 10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    # -- the parts -------------------------------------------------------------------------------
    def start_part(self, name: str) -> None:
        """Start it (no wait for startsecs) and note the start."""
        self.rpc().supervisor.startProcess(name, False)
        self.parts[name].starts.append(time.monotonic())

    def wait_healthy(self, name: str, timeout: float = 300) -> None:
        part = self.parts[name]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            state = self.info(name)["statename"]
            if state in {"FATAL", "EXITED", "STOPPED"}:
                raise RuntimeError(f"{part.label} did not start ({state}); end of {part.log}:\n"
                                   f"{tail(part.log)}")
            if state in {"STARTING", "RUNNING"} and (part.health is None or part.health()):
                return
            time.sleep(0.3)
        raise TimeoutError(f"{part.label} did not answer in {timeout:.0f} s; end of {part.log}:\n"
                           f"{tail(part.log)}")

    def info(self, name: str) -> dict:
        return self.rpc().supervisor.getProcessInfo(name)

    def count_restarts(self) -> None:
        """Add the starts supervisord logged since the last look; write the counts if changed."""
        changed = False
        for name, spawns in self.spawn_log.read().items():
            part = self.parts.get(name)
            if part is not None:
                part.spawns += spawns
                part.restarts = max(0, part.spawns - 1)
                changed = True
        if changed:
            self.record_restarts()

    def record_restarts(self) -> None:
        """Write each part's restart count for the console (atomically: it may be reading)."""
        assert self.process is not None
        state = {"supervisord_pid": self.process.pid,
                 "parts": {name: part.restarts for name, part in self.parts.items()}}
        temporary = self.restarts_file.with_suffix(".tmp")
        temporary.write_text(json.dumps(state))
        os.replace(temporary, self.restarts_file)

    def watch(self, report: Callable[[str], None] = print, interval: float = 1.0) -> str:
        """Until supervisord or a part fails for good: returns why, with the end of its log.
        Each restart is reported."""
        infos = self.rpc().supervisor.getAllProcessInfo()
        pids = {info["name"]: info["pid"] for info in infos}
        states = {info["name"]: info["statename"] for info in infos}
        while True:
            time.sleep(interval)
            if not self.alive():
                return f"supervisord exited; see {self.directory / 'supervisord.log'}"
            try:
                infos = self.rpc().supervisor.getAllProcessInfo()
            except (OSError, xmlrpc.client.Fault):
                continue  # busy or shutting down; checked again next time
            self.count_restarts()  # after the states: every start they show is in the log
            now = time.monotonic()
            for info in infos:
                name, state = info["name"], info["statename"]
                part = self.parts[name]
                if state == "FATAL":
                    return crash_loop(part, f"it exited within {STARTSECS} s of starting, "
                                            f"{STARTRETRIES} retries in a row")
                # An exit: seen as such, or as a new start of a part that was running.
                if state != states[name] and (state in {"EXITED", "BACKOFF"} or (
                        state == "STARTING" and states[name] == "RUNNING")):
                    report(f"{part.label} ({name}) exited unexpectedly (exit status "
                           f"{info['exitstatus']}, see {part.log}); restarting it")
                states[name] = state
                if info["pid"] and info["pid"] != pids[name]:
                    pids[name] = info["pid"]
                    part.starts.append(now)
                    if (len(part.starts) == CRASH_LOOP_STARTS
                            and now - part.starts[0] <= CRASH_LOOP_SECONDS):
                        return crash_loop(part, f"it was started {CRASH_LOOP_STARTS} times in "
                                                f"{now - part.starts[0]:.0f} s")


class SpawnLog:
    """The starts supervisord's log records, read on from where the last look ended (from the
    end of the file as it was when created: an earlier run's lines are not counted)."""

    SPAWNED = re.compile(r" spawned: '([^']+)' with pid \d+")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offset = path.stat().st_size if path.exists() else 0

    def read(self) -> dict[str, int]:
        """part name -> starts since the last read."""
        try:
            with self.path.open("rb") as log:
                if os.fstat(log.fileno()).st_size < self.offset:
                    self.offset = 0  # rotated (supervisord.log.1): the new file from its start
                log.seek(self.offset)
                text = log.read()
        except OSError:
            return {}
        end = text.rfind(b"\n") + 1  # whole lines only; the rest next time
        self.offset += end
        counts: dict[str, int] = {}
        for name in self.SPAWNED.findall(text[:end].decode(errors="replace")):
            counts[name] = counts.get(name, 0) + 1
        return counts


def crash_loop(part: Part, why: str) -> str:
    return (f"stopped: {part.label} ({part.name}) is crash-looping: {why}.\n"
            f"End of its log {part.log}:\n{tail(part.log)}")


def tail(path: Path, chars: int = 3000) -> str:
    if not path.exists():
        return "(no log)"
    with path.open("rb") as file:
        file.seek(max(0, path.stat().st_size - chars))
        return file.read().decode(errors="replace")


def shutdown_leftover(directory: Path) -> None:
    """A supervisord of an earlier run that was killed without stopping it (and its parts)."""
    sock = directory / "supervisor.sock"
    if not sock.exists():
        return
    rpc = supervisor_rpc.connect(str(sock))
    try:
        rpc.supervisor.stopAllProcesses(True)
        rpc.supervisor.shutdown()
    except (OSError, xmlrpc.client.Fault):
        return
    pid_file = directory / "supervisord.pid"
    deadline = time.monotonic() + STOPWAITSECS + 10
    while time.monotonic() < deadline:
        try:
            os.kill(int(pid_file.read_text().strip()), 0)
        except (OSError, ValueError):
            return
        time.sleep(0.2)


def kill_part(directory: Path, name: str, signum: int = signal.SIGKILL) -> int:
    """Send `signum` to the part's main process (for the tests and for people); returns its pid."""
    rpc = supervisor_rpc.connect(str(directory / "supervisor.sock"))
    pid = rpc.supervisor.getProcessInfo(name)["pid"]
    if not pid:
        raise RuntimeError(f"{name} is not running")
    os.kill(pid, signum)
    return pid
