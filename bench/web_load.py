"""Web load: server CPU per request and latency of kexie's pages against a bare Django page.

A closed-loop generator (N users, each sending its next request when the previous answer arrived,
keep-alive) runs against ``kexie serve`` (2 workers, gthread) on a demo instance, and against a bare
Django page of similar size served by the same gunicorn setup (bench/_bare_site.py). Phases are
interleaved — bare page, then the kexie page, for every page — so that both see the same machine.
Server CPU is read from /proc (user + system time of the server's process tree) before and after
each phase: per request it hardly depends on the load other programs put on the machine, unlike
latency. Prints, per page, rps, p50_ms, p95_ms, errors, cpu_ms_per_request, cpu_ratio_to_bare at
10 users, and rps, p95_ms, errors at 50 users; the last line is JSON.

    .venv/bin/python bench/web_load.py [--quick] [--fresh] [--seconds 10]

The demo instance lives in var/bench-web (``kexie demo --no-serve`` on first use or with --fresh).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench._common import REPO, emit  # noqa: E402

VAR = REPO / "var" / "bench-web"
TICKS = os.sysconf("SC_CLK_TCK")

PREPARE = r"""
import json
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from kexie.accounts.models import User
from kexie.policy.models import Measure
from kexie.transfer.models import Demand
from kexie.literacy.models import Contest

def session(username):
    user = User.objects.get(username=username)
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.set_expiry(24 * 3600)
    store.create()
    return store.session_key

measure = Measure.objects.order_by("number").filter(number=9).first() or Measure.objects.first()
demand = Demand.objects.filter(state="published").order_by("pk").first()
contest = Contest.objects.order_by("pk").first()
print(json.dumps({
    "sessions": {u: session(u) for u in ["leader", "kechuang_staff", "kepu_head", "zhanlue_staff"]},
    "measure": measure.pk,
    "demand": demand.pk if demand else None,
    "contest": contest.pk if contest else None,
}))
"""


def env() -> dict[str, str]:
    result = dict(os.environ)
    result.update(
        {
            "KEXIE_VAR_DIR": str(VAR),
            "KEXIE_STAFF_2FA": "optional",
            "KEXIE_FIELD_KEY": "auto",
            "KEXIE_SESSION_TIMEOUT_MINUTES": "1440",
            "KEXIE_TESTING": "0",
            "LOG_LEVEL": "ERROR",
        }
    )
    result.pop("DATABASE_URL", None)
    result.pop("REDIS_URL", None)
    return result


def kexie(*args: str, capture: bool = True) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "kexie.cli", *args],
        env=env(), cwd=REPO, capture_output=capture, text=True, check=True,
    )  # fmt: skip
    return result.stdout if capture else ""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tree_cpu_seconds(root: int) -> float:
    """User + system CPU of ``root`` and all its descendants (live ones), from /proc."""
    children: dict[int, list[int]] = {}
    stats: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        fields = raw[raw.rindex(")") + 2 :].split()
        pid, ppid = int(entry.name), int(fields[1])
        children.setdefault(ppid, []).append(pid)
        # utime, stime, and the waited-for children's cutime, cstime
        stats[pid] = sum(int(x) for x in fields[11:15]) / TICKS
    total, stack = 0.0, [root]
    while stack:
        pid = stack.pop()
        total += stats.get(pid, 0.0)
        stack.extend(children.get(pid, []))
    return total


def wait_ready(port: int, path: str = "/healthz", timeout: float = 120) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server on port {port} did not answer {path}")


def load(port: int, path: str, cookie: str, users: int, seconds: float) -> dict:
    """Closed loop: ``users`` threads, each with a keep-alive connection, for ``seconds``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    headers = {"Cookie": cookie, "Accept-Language": "zh-hans"} if cookie else {"Accept-Language": "zh-hans"}

    def user() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[float] = []
        bad = 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except (OSError, http.client.HTTPException):
                bad += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine.append(time.perf_counter() - started)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    threads = [threading.Thread(target=user) for _ in range(users)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    n = len(latencies)
    return {
        "requests": n,
        "rps": round(n / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if n else None,
        "p95_ms": round(latencies[min(n - 1, int(n * 0.95))] * 1000, 1) if n else None,
        "errors": errors[0],
    }


def measured(pid: int, port: int, path: str, cookie: str, *, users: int, seconds: float) -> dict:
    before = tree_cpu_seconds(pid)
    result = load(port, path, cookie, users, seconds)
    used = tree_cpu_seconds(pid) - before
    result["cpu_ms_per_request"] = round(used * 1000 / max(1, result["requests"]), 1)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short phases (3 s), fewer pages")
    parser.add_argument("--fresh", action="store_true", help="rebuild the demo instance")
    parser.add_argument("--seconds", type=float, default=None)
    args = parser.parse_args()
    seconds = args.seconds or (3.0 if args.quick else 10.0)

    if args.fresh or not (VAR / "kexie.sqlite3").exists():
        VAR.mkdir(parents=True, exist_ok=True)
        started = time.monotonic()
        kexie("demo", "--no-serve")
        print(f"demo instance prepared in {time.monotonic() - started:.1f} s", file=sys.stderr)
    info = json.loads(kexie("shell", "-c", PREPARE).strip().splitlines()[-1])
    sessions = info["sessions"]

    pages = [
        ("home", "/", "leader"),
        ("dashboard", "/supervision/", "leader"),
        ("measure", f"/supervision/measures/{info['measure']}/", "leader"),
        ("tasks", "/supervision/tasks/", "leader"),
        ("transfer", "/transfer/", "kechuang_staff"),
        ("matching", f"/transfer/demands/{info['demand']}/matches/", "kechuang_staff"),
        ("contest", f"/literacy/contests/{info['contest']}/", "kepu_head"),
        ("search", "/search/?q=%E6%99%BA%E8%83%BD%E5%88%B6%E9%80%A0", "kechuang_staff"),
        ("surveys", "/surveys/", "zhanlue_staff"),
    ]
    if args.quick:
        pages = [p for p in pages if p[0] in {"home", "dashboard", "matching", "surveys", "tasks"}]
    pages = [p for p in pages if "None" not in p[1]]

    kexie_port, bare_port = free_port(), free_port()
    started = time.monotonic()
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "kexie.cli", "serve", "--port", str(kexie_port),
         "--workers", "2", "--no-consumer"],
        env=env(), cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    bare = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "bench._bare_site:application",
            "--bind",
            f"127.0.0.1:{bare_port}",
            "--workers",
            "2",
            "--worker-class",
            "gthread",
            "--threads",
            "8",
            "--keep-alive",
            "75",
        ],
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        first_200 = wait_ready(kexie_port)
        # A signed-in page through both workers: the first request of each pays its imports.
        first_page = time.monotonic() - started
        for _ in range(4):
            load(kexie_port, "/supervision/", f"sessionid={sessions['leader']}", 1, 0.01)
        first_page = time.monotonic() - started
        wait_ready(bare_port, "/")
        load(bare_port, "/", "", 2, 1.0)  # warm both workers

        results: dict[str, dict] = {}
        bare_runs = []
        for name, path, username in pages:
            cookie = f"sessionid={sessions[username]}"
            load(kexie_port, path, cookie, 2, 0.5)  # warm this page in both workers
            bare_runs.append(measured(bare.pid, bare_port, "/", "", users=10, seconds=seconds))
            results[name] = measured(server.pid, kexie_port, path, cookie, users=10, seconds=seconds)
        bare_cpu = statistics.median(r["cpu_ms_per_request"] for r in bare_runs)
        for name, path, username in pages:
            at50 = load(kexie_port, path, f"sessionid={sessions[username]}", 50, max(2.0, seconds / 2))
            results[name]["cpu_ratio_to_bare"] = round(results[name]["cpu_ms_per_request"] / bare_cpu, 2)
            results[name]["at_50_users"] = {k: at50[k] for k in ("rps", "p95_ms", "errors")}
        bare_summary = {
            "rps": round(statistics.median(r["rps"] for r in bare_runs), 1),
            "p50_ms": round(statistics.median(r["p50_ms"] for r in bare_runs), 1),
            "p95_ms": round(statistics.median(r["p95_ms"] for r in bare_runs), 1),
            "errors": sum(r["errors"] for r in bare_runs),
            "cpu_ms_per_request": bare_cpu,
            "cpu_ratio_to_bare": 1.0,
        }
    finally:
        for process in (server, bare):
            os.killpg(process.pid, signal.SIGTERM)
        for process in (server, bare):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)

    for name, row in results.items():
        print(
            f"{name:<10} rps {row['rps']:>6}  p50 {row['p50_ms']:>7} ms  p95 {row['p95_ms']:>7} ms  "
            f"errors {row['errors']}  cpu {row['cpu_ms_per_request']:>6} ms "
            f"({row['cpu_ratio_to_bare']}x bare)  "
            f"@50: p95 {row['at_50_users']['p95_ms']} ms, errors {row['at_50_users']['errors']}",
            file=sys.stderr,
        )
    emit(
        {
            "bench": "web_load",
            "quick": args.quick,
            "users": 10,
            "seconds_per_phase": seconds,
            "load_average_1m": os.getloadavg()[0],
            "serve_first_200_s": round(first_200, 2),
            "serve_first_signed_in_page_s": round(first_page, 2),
            "bare": bare_summary,
            "pages": results,
            "targets": {
                "cpu_ratio_max": 3,
                "p95_ms_at_10_max": 300,
                "errors_at_50": 0,
                "all_met": all(
                    r["cpu_ratio_to_bare"] <= 3 and r["p95_ms"] <= 300 and r["at_50_users"]["errors"] == 0
                    for r in results.values()
                ),
            },
        }
    )


if __name__ == "__main__":
    main()
