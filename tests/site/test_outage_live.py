"""PostgreSQL unreachable while a real gunicorn serves: requests get the Chinese 503 page, and once the
database is back the same workers answer 200 without a restart. The shared PostgreSQL server is not
stopped (other sessions use it): the site reaches it through a TCP relay this test cuts and restores,
which the site sees exactly as a server that went away (connections reset, then refused)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import suppress

import pytest
from django.db import connection

from tests.site.conftest import REPO, database_url, process_env

pytestmark = pytest.mark.django_db(transaction=True)


class Relay:
    """A TCP relay 127.0.0.1:port → the database server; stop() drops every connection."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.sockets: list[socket.socket] = []
        self.listener: socket.socket | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen(64)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            with self.lock:
                self.sockets += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with suppress(OSError):
            sink.shutdown(socket.SHUT_RDWR)

    def stop(self) -> None:
        if self.listener is not None:
            with suppress(OSError):
                self.listener.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept()
            self.listener.close()
            self.listener = None
        with self.lock:
            for sock in self.sockets:
                with suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                sock.close()
            self.sockets.clear()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - our own server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def wait_for(url: str, status: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    code = 0
    while time.monotonic() < deadline:
        with suppress(OSError):
            code, _ = get(url)
            if code == status:
                return code
        time.sleep(0.3)
    return code


def test_postgres_outage_gives_503_and_recovers_without_restart(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("a database server outage concerns PostgreSQL (DATABASE_URL=postgres://…)")
    settings_dict = connection.settings_dict
    relay = Relay((settings_dict.get("HOST") or "127.0.0.1", int(settings_dict.get("PORT") or 5432)))
    relay.start()
    url = database_url().replace(f":{settings_dict.get('PORT') or 5432}/", f":{relay.port}/")
    env = process_env(tmp_path / "var", url, DB_CONN_MAX_AGE="60")
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "kexie.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--worker-class", "gthread", "--threads", "4", "--log-level", "critical"],
        env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        assert wait_for(f"{base}/healthz", 200, 60) == 200
        for _ in range(5):  # persistent connections are open now
            assert get(f"{base}/healthz")[0] == 200
            assert get(f"{base}/accounts/login/")[0] == 200

        relay.stop()  # the database goes away: open connections reset, new ones refused
        outage = (
            [get(f"{base}/healthz") for _ in range(3)]
            + [get(f"{base}/transfer/") for _ in range(2)]
            + [get(f"{base}/api/v1/transfer/public/demands")]
        )
        for code, body in outage:
            assert code == 503, body[:300]
            assert "Traceback" not in body and "psycopg" not in body
        assert "服务暂时不可用" in outage[-2][1]
        assert "数据库" in json.loads(outage[-1][1])["detail"]  # the API answers JSON, in Chinese too
        assert server.poll() is None

        relay.start()  # back: the same worker reconnects on its next request
        assert wait_for(f"{base}/healthz", 200, 10) == 200
        assert get(f"{base}/transfer/")[0] == 200

        # A backend killed by the server (restart, failover, idle timeout) is replaced transparently.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        assert get(f"{base}/healthz")[0] == 200
        assert server.poll() is None  # never restarted
    finally:
        server.terminate()
        server.wait(timeout=20)
        relay.stop()
