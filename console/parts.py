"""The production profile's parts as supervisord sees them (its XML-RPC interface on a unix
socket; production/supervision.py), for the admin's "Parts" page: each part's state, since when,
and how often it was restarted (supervisord keeps no count: `python -m production` counts them in
restarts.json beside the socket)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from production import supervisor_rpc

# supervisord's states, as the page names them.
STATES = {"RUNNING": "up", "STARTING": "restarting", "BACKOFF": "restarting",
          "STOPPING": "stopping", "STOPPED": "down", "EXITED": "down", "FATAL": "down",
          "UNKNOWN": "down"}


@dataclass(frozen=True)
class PartState:
    name: str
    state: str  # up, restarting, stopping, down
    detail: str  # supervisord's own state and description
    since: float | None  # Unix time the part entered this state (start or stop), if known
    pid: int
    restarts: int | None = None  # since the profile started; None: not known


def read_parts(socket_path: str, timeout: float = 5) -> list[PartState]:
    """Every part, in supervisord's order. OSError / xmlrpc.client.Error when it cannot be asked."""
    proxy = supervisor_rpc.connect(socket_path, timeout)
    infos = proxy.supervisor.getAllProcessInfo()
    restarts = read_restarts(Path(socket_path).parent / supervisor_rpc.RESTARTS_FILE,
                             proxy.supervisor.getPID())
    parts = []
    for info in infos:
        state = STATES.get(info["statename"], "down")
        since = info["start"] if state in {"up", "restarting"} else info["stop"]
        parts.append(PartState(info["name"], state, f"{info['statename']}: {info['description']}",
                               since or None, info["pid"], restarts.get(info["name"])))
    return parts


def read_restarts(path: Path, supervisord_pid: int) -> dict[str, int]:
    """The restart counts the production command keeps for this supervisord ({} when there are
    none, or they are left from an earlier run)."""
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(state, dict) or state.get("supervisord_pid") != supervisord_pid:
        return {}
    return {name: count for name, count in (state.get("parts") or {}).items()
            if isinstance(count, int)}


def age(since: float | None, now: float | None = None) -> str:
    """'3 h 12 min', '45 s': how long ago."""
    if not since:
        return ""
    seconds = max(0, int((now or time.time()) - since))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"
