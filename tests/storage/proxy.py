"""A TCP proxy on loopback that cuts uploads mid-body, as a flaky network or a restarting MinIO does."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlparse

BODY_SENT_BEFORE_CUT = 64 * 1024


class DroppingProxy:
    """Forwards to `upstream`; the first `drops` PUT requests lose their connection after 64 KiB of body."""

    def __init__(self, upstream: str, drops: int) -> None:
        parsed = urlparse(upstream)
        self.upstream = (parsed.hostname or "127.0.0.1", parsed.port or 80)
        self.drops_left = drops
        self.dropped = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def _take_drop(self) -> bool:
        with self._lock:
            if self.drops_left == 0:
                return False
            self.drops_left -= 1
            self.dropped += 1
            return True

    def _serve(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed: the test is over
                return
            threading.Thread(target=self._relay, args=(client,), daemon=True).start()

    def _relay(self, client: socket.socket) -> None:
        upstream = socket.create_connection(self.upstream)
        threading.Thread(target=_pump, args=(upstream, client), daemon=True).start()
        budget: int | None = None
        with client, upstream:
            while data := _recv(client):
                if budget is None and data.startswith(b"PUT ") and self._take_drop():
                    budget = len(data) + BODY_SENT_BEFORE_CUT  # the headers, then part of the body
                if budget is not None:
                    data = data[:budget]
                    budget -= len(data)
                upstream.sendall(data)
                if budget == 0:
                    return  # both sockets close: the client sees the connection drop mid-upload

    @contextmanager
    def running(self) -> Iterator[DroppingProxy]:
        threading.Thread(target=self._serve, daemon=True).start()
        try:
            yield self
        finally:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept loop
            self._listener.close()


def _recv(sock: socket.socket) -> bytes:
    try:
        return sock.recv(65536)
    except OSError:
        return b""


def _pump(source: socket.socket, sink: socket.socket) -> None:
    while data := _recv(source):
        try:
            sink.sendall(data)
        except OSError:
            return
