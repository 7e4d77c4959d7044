"""`kexie serve`: the web server (gunicorn) and the job consumer (Huey), supervised together."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve kexie: gunicorn for the web and one Huey consumer for background jobs."
    # The system checks run in gunicorn's master once the application is loaded (kexie/site/wsgi.py),
    # where they cost a third of a second instead of importing everything twice before the start.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=8, help="threads per worker (gthread)")
        parser.add_argument("--no-consumer", action="store_true", help="do not start the Huey consumer")

    def handle(self, *args, host, port, workers, threads, no_consumer, **options):
        children: list[subprocess.Popen] = []
        web = [
            sys.executable,
            "-m",
            "gunicorn",
            "kexie.site.wsgi:application",
            # Load the application once in the master and fork the workers from it: a worker is
            # ready at once and shares the imported code (see kexie/site/wsgi.py).
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
        children.append(subprocess.Popen(web))  # noqa: S603 - fixed argument list, no shell
        if not no_consumer:
            consumer = [sys.executable, "-m", "kexie.cli", "run_huey", "--workers", "1"]
            children.append(subprocess.Popen(consumer))  # noqa: S603

        def stop(*_args):
            for child in children:
                if child.poll() is None:
                    child.terminate()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            stop()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        codes = [child.returncode for child in children]
        if any(code not in (0, -signal.SIGTERM, -signal.SIGINT) for code in codes):
            raise SystemExit(1)
