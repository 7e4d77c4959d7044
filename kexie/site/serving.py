"""`kexie serve` without Django: the supervisor of gunicorn (web) and one Huey consumer (jobs).

`kexie serve` used to set Django up in this process (every app imported, ~1.1 s of CPU, 5–14 s on a
busy two-core machine) only to start two other processes that set it up again. kexie/cli.py sends
`serve` here before Django loads; gunicorn loads the application once in its master (``--preload``,
kexie/site/wsgi.py: URL configuration, views, scipy, the system checks) and forks the workers ready.
The consumer starts when the web answers (or after ``CONSUMER_DELAY`` seconds), so that on two cores
its imports do not slow the first page down.
"""

from __future__ import annotations

import argparse
import http.client
import signal
import subprocess
import sys
import time

CONSUMER_DELAY = 30.0


def parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kexie serve",
        description="Serve kexie: gunicorn for the web and one Huey consumer for background jobs.",
    )
    add_arguments(parser)
    return parser


def add_arguments(parser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="threads per worker (gthread)")
    parser.add_argument("--no-consumer", action="store_true", help="do not start the Huey consumer")


def web_command(*, host: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "kexie.site.wsgi:application",
        # Load the application once in the master and fork the workers from it: a worker is ready at
        # once and shares the imported code (see kexie/site/wsgi.py).
        "--preload",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        # Threads: a request waiting on the database (or a slow phone) does not hold a process.
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--keep-alive",
        "75",
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
    ]


def _answers(host: str, port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1" if host in ("0.0.0.0", "") else host, port, timeout=2)  # noqa: S104
        conn.request("GET", "/healthz")
        conn.getresponse().read()
        conn.close()
        return True
    except (OSError, http.client.HTTPException):
        return False


def run(*, host: str, port: int, workers: int, threads: int, no_consumer: bool) -> int:
    children: list[subprocess.Popen] = []
    children.append(subprocess.Popen(web_command(host=host, port=port, workers=workers, threads=threads)))  # noqa: S603
    stopping = []

    def stop(*_args):
        stopping.append(True)
        for child in children:
            if child.poll() is None:
                child.terminate()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    consumer_due = None if no_consumer else time.monotonic() + CONSUMER_DELAY
    try:
        while not stopping and all(child.poll() is None for child in children):
            if consumer_due is not None and (time.monotonic() >= consumer_due or _answers(host, port)):
                consumer = [sys.executable, "-m", "kexie.cli", "run_huey", "--workers", "1"]
                children.append(subprocess.Popen(consumer))  # noqa: S603 - fixed argument list, no shell
                consumer_due = None
            time.sleep(0.5)
    finally:
        stop()
        for child in children:
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
    codes = [child.returncode for child in children]
    return 1 if any(code not in (0, -signal.SIGTERM, -signal.SIGINT) for code in codes) else 0


def main(argv: list[str]) -> None:
    args = parser().parse_args(argv)
    raise SystemExit(
        run(
            host=args.host,
            port=args.port,
            workers=args.workers,
            threads=args.threads,
            no_consumer=args.no_consumer,
        )
    )
