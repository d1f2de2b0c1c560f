"""nginx (Debian's package) as the load balancer of the production trial: one upstream of Rasa
replicas (the public port) and one of action servers (the port the replicas call)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from production.net import wait_for_port

INSTALL_HINT = "install it with `sudo scripts/install_services.sh nginx`"

CONFIG = """\
# Written by production/nginx.py; regenerated at every start.
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
daemon off;
events {{ worker_connections 4096; }}

http {{
    # No request bodies (patient messages) are logged, and no query strings (the API token).
    log_format lb '$remote_addr [$time_local] "$request_method $uri" $status '
                  '$upstream_addr $request_time';
    access_log {dir}/access.log lb;
    server_tokens off;
    # Bodies and replies stay in memory: a chat message is small, and no temporary files are
    # written where another user could read them.
    client_max_body_size 1m;
    client_body_buffer_size 1m;
    proxy_max_temp_file_size 0;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;

    map $http_upgrade $connection_upgrade {{ default upgrade; '' ''; }}

    # Round robin: consecutive messages of one conversation go to different replicas (the Redis
    # lock store keeps one conversation on one replica at a time). A replica that refuses
    # connections is skipped for {fail_seconds} s, then tried with one request, so a restarted one
    # takes traffic at most {fail_seconds} s after it answers. A request that could not be sent (the
    # connection refused) goes to the other replica, whatever its method. A POST that was sent is
    # never resent (proxy_next_upstream without non_idempotent), since the replica may have handled
    # it: the client gets 502, also when it was written on a kept-alive connection to a replica
    # dying at that moment (nginx cannot tell the two apart). GETs are resent.
    upstream rasa {{
{rasa_servers}
        keepalive 64;
    }}
    # socket.io (the website widget) needs every request of one socket on one replica.
    upstream rasa_sticky {{
        hash $remote_addr consistent;
{rasa_servers}
    }}
    upstream actions {{
{action_servers}
        keepalive 64;
    }}

    server {{
        listen {listen}:{public_port};
        proxy_http_version 1.1;
        proxy_set_header Host $host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_next_upstream error timeout;
        proxy_read_timeout 120s;

        location /socket.io/ {{
            proxy_pass http://rasa_sticky;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }}
        location / {{
            proxy_pass http://rasa;
            proxy_set_header Connection "";
        }}
    }}

    server {{
        listen 127.0.0.1:{actions_port};
        location / {{
            proxy_pass http://actions;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_next_upstream error timeout;
            proxy_read_timeout {action_timeout}s;
        }}
    }}
}}
"""


def render(directory: Path, rasa_ports: list[int], action_ports: list[int], public_port: int,
           actions_port: int, action_timeout: int, listen: str = "127.0.0.1",
           fail_seconds: int = 2) -> str:
    def servers(ports: list[int]) -> str:
        return "\n".join(
            f"        server 127.0.0.1:{port} max_fails=1 fail_timeout={fail_seconds}s;"
            for port in ports)
    return CONFIG.format(dir=directory, rasa_servers=servers(rasa_ports),
                         action_servers=servers(action_ports), listen=listen,
                         public_port=public_port, actions_port=actions_port,
                         action_timeout=action_timeout, fail_seconds=fail_seconds)


class Nginx:
    def __init__(self, directory: Path) -> None:
        self.binary = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(self.binary).exists():
            raise RuntimeError(f"nginx not found; {INSTALL_HINT}")
        self.directory = directory.resolve()
        self.process: subprocess.Popen | None = None

    def prepare(self, config: str) -> list[str]:
        """Write and check the configuration; returns nginx's command line."""
        (self.directory / "tmp").mkdir(parents=True, exist_ok=True)
        conf = self.directory / "nginx.conf"
        conf.write_text(config)
        args = [self.binary, "-p", str(self.directory), "-e", str(self.directory / "error.log"),
                "-c", str(conf)]
        check = subprocess.run([*args, "-t"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"nginx rejected {conf}:\n{check.stderr}")
        return args

    def start(self, config: str, ports: list[int]) -> None:
        args = self.prepare(config)
        self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        for port in ports:
            try:
                wait_for_port(port, timeout=10)
            except TimeoutError:
                time.sleep(0.2)
                raise RuntimeError(
                    f"nginx did not listen on {port}:\n{self.error_tail()}") from None

    def error_tail(self, chars: int = 2000) -> str:
        log = self.directory / "error.log"
        return log.read_text(errors="replace")[-chars:] if log.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: fast shutdown
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def listeners(ports: list[int]) -> set[int]:
    """The nginx processes listening on any of `ports`."""
    wanted = set(ports)
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError), open(table) as lines:
            for line in list(lines)[1:]:
                fields = line.split()
                if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) in wanted:
                    inodes.add(f"socket:[{fields[9]}]")
    found = set()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if (proc / "comm").read_text().strip() != "nginx":
                continue
            if any(os.readlink(fd) in inodes for fd in (proc / "fd").iterdir()):
                found.add(int(proc.name))
    return found


def run(directory: Path, ports: list[int]) -> None:
    """`python -m production.nginx DIR PORT...`: supervisord's nginx program, in the foreground
    (`daemon off`). The workers of a master killed with SIGKILL keep listening (and serving), so
    a new master could not bind the ports: they get SIGQUIT first, nginx's graceful shutdown
    (they close the listening sockets at once and finish the requests they are serving), SIGKILL
    if they still listen after 5 s. A connection made in the moment between is refused, never
    half-served."""
    for signum in (signal.SIGQUIT, signal.SIGKILL):
        orphans = listeners(ports)
        for pid in orphans:
            with contextlib.suppress(OSError):
                os.kill(pid, signum)
        deadline = time.monotonic() + 5
        while orphans and listeners(ports) and time.monotonic() < deadline:
            time.sleep(0.02)
        if not listeners(ports):
            break
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    os.execv(binary, [binary, "-p", str(directory), "-e", str(directory / "error.log"),
                      "-c", str(directory / "nginx.conf")])


if __name__ == "__main__":
    run(Path(sys.argv[1]), [int(port) for port in sys.argv[2:]])
