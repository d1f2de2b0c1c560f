"""supervisord's XML-RPC interface over its unix socket, for the profile, its tests and the
console's "Parts" page (one client; supervisor.xmlrpc's own transport has no timeout)."""

from __future__ import annotations

import http.client
import socket
import xmlrpc.client

# The restart count of each part, which supervisord does not keep: written by the production
# command's watch (production/supervision.py) beside the socket, read by the console.
RESTARTS_FILE = "restarts.json"


class _UnixStreamConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("127.0.0.1", timeout=timeout)
        self.path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


class _UnixStreamTransport(xmlrpc.client.Transport):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__()
        self.path, self.timeout = path, timeout

    def make_connection(self, host):  # noqa: ANN001 - xmlrpc's signature
        return _UnixStreamConnection(self.path, self.timeout)


def connect(socket_path: str, timeout: float = 30) -> xmlrpc.client.ServerProxy:
    """A proxy for supervisord at `socket_path` (calls raise OSError / xmlrpc.client.Error)."""
    return xmlrpc.client.ServerProxy("http://127.0.0.1",
                                     transport=_UnixStreamTransport(socket_path, timeout))
