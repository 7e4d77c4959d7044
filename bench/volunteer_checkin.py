"""Load test of QR check-in: N volunteers check in to one activity within a minute through the JSON
API of a running server; then the database is checked for lost and duplicated check-ins.

    .venv/bin/python bench/volunteer_checkin.py --quick              # 100 volunteers in 15 s, SQLite
    .venv/bin/python bench/volunteer_checkin.py                      # 500 volunteers in 60 s, SQLite
    .venv/bin/python bench/volunteer_checkin.py --database-url postgres://postgres@127.0.0.1:5432/kx_bench

The script makes a fresh data directory (and migrates the database named by --database-url, if any),
creates the activity, the volunteers (nine in ten signed up beforehand, one in ten walk-ins) with
bearer tokens, and starts gunicorn itself (gthread workers, as `kexie serve` runs it). Each volunteer
arrives at a uniformly random moment of the window and POSTs the token read from the activity's QR
code; one in ten taps twice at once (the second must be refused with 409, not counted).

checkins    volunteers the server checked in (200)
lost        volunteers answered 200 whose sign-up is not checked in in the database
duplicates  volunteers with more than one sign-up row, or more than one check-in audit event
errors      HTTP answers other than 200 (and 409 for a second tap), and transport failures
The last line is one JSON object: checkins, errors, lost, duplicates, p95_ms (+ details).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(users: int) -> tuple[int, str, list[str]]:
    """Migrate, seed, create the activity and the volunteers (in this process, via Django)."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from kexie.accounts.models import Organization, User
    from kexie.accounts.services import create_api_token, load_seed_organizations
    from kexie.outreach import services
    from kexie.outreach.models import Activity, SignUp, Volunteer

    call_command("migrate", verbosity=0)
    load_seed_organizations()
    now = timezone.now()
    activity = Activity.objects.create(
        title=f"压测：全国科普日科普集市 {time.time_ns()}",
        kind="fair",
        audience="public",
        district="500103",
        organizer=Organization.objects.get(code="500103"),
        place="解放碑",
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=3),
        volunteers_needed=0,
    )
    password = make_password("Bench-Pass-2026")
    stamp = time.time_ns() % 10**9
    User.objects.bulk_create(User(username=f"vol{stamp}_{n}", password=password) for n in range(users))
    created = list(User.objects.filter(username__startswith=f"vol{stamp}_").order_by("pk"))
    Volunteer.objects.bulk_create(
        Volunteer(
            user=u,
            real_name=f"志愿者{n}",
            id_number="110101199003076712",
            mobile="13800000000",
            district="500103",
        )
        for n, u in enumerate(created)
    )
    volunteers = list(Volunteer.objects.filter(user__in=created).order_by("pk"))
    SignUp.objects.bulk_create(
        SignUp(activity=activity, volunteer=v) for n, v in enumerate(volunteers) if n % 10 != 9
    )
    tokens = [create_api_token(user=u, name="bench", days=1)[1] for u in created]
    return activity.pk, services.checkin_token(activity, "in"), tokens


def check(activity_id: int, accepted: set[str], tokens: list[str]) -> dict:
    from django.db.models import Count

    from kexie.accounts.models import ApiToken
    from kexie.core.crypto import sm3_hex
    from kexie.core.models import AuditEvent
    from kexie.outreach.models import SignUp

    user_of = dict(
        ApiToken.objects.filter(key_hash__in=[sm3_hex(t) for t in tokens]).values_list("key_hash", "user_id")
    )
    checked = set(
        SignUp.objects.filter(activity_id=activity_id, checked_in_at__isnull=False).values_list(
            "volunteer__user_id", flat=True
        )
    )
    lost = sum(1 for token in accepted if user_of[sm3_hex(token)] not in checked)
    rows = SignUp.objects.filter(activity_id=activity_id)
    double_rows = rows.values("volunteer_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
    double_events = (
        AuditEvent.objects.filter(action="outreach.signup.check_in", object_id__in=ids)
        .values("object_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    return {"lost": lost, "duplicates": double_rows + double_events, "checked_in_in_db": len(checked)}


def run(base: str, qr_token: str, tokens: list[str], window: float, seed: int) -> dict:
    latencies: list[float] = []
    errors: list[str] = []
    accepted: set[str] = set()
    refused = [0]
    lock = threading.Lock()
    url = f"{base}/api/v1/outreach/scan"
    start = time.perf_counter()

    def post(session, token):
        began = time.perf_counter()
        try:
            response = session.post(
                url, json={"token": qr_token}, headers={"Authorization": f"Bearer {token}"}, timeout=30
            )
        except requests.RequestException as exc:
            with lock:
                errors.append(exc.__class__.__name__)
            return None
        with lock:
            latencies.append((time.perf_counter() - began) * 1000)
        return response

    def volunteer(index: int) -> None:
        rng = random.Random(seed + index)  # noqa: S311 - load pattern, not a secret
        token = tokens[index]
        delay = rng.uniform(0, window) - (time.perf_counter() - start)
        if delay > 0:
            time.sleep(delay)
        if rng.random() < 0.1:  # a double tap: two requests at once
            with ThreadPoolExecutor(2) as pair:
                results = list(pair.map(lambda _n: post(requests.Session(), token), range(2)))
        else:
            results = [post(requests.Session(), token)]
        codes = sorted(r.status_code for r in results if r is not None)
        if codes.count(200) != 1 or any(c not in (200, 409) for c in codes) or len(codes) != len(results):
            with lock:
                errors.append(f"scan {codes}")
        if 200 in codes:
            with lock:
                accepted.add(token)
                refused[0] += codes.count(409)

    with ThreadPoolExecutor(min(len(tokens), 200)) as pool:
        list(pool.map(volunteer, range(len(tokens))))
    wall = time.perf_counter() - start
    latencies.sort()
    return {
        "latencies": latencies,
        "errors": errors,
        "accepted": accepted,
        "refused": refused[0],
        "wall": wall,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="100 volunteers within 15 seconds")
    parser.add_argument("--users", type=int)
    parser.add_argument("--window", type=float, help="seconds over which the volunteers arrive (default 60)")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="per worker; 2 × 4 suits two cores")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    users = args.users or (100 if args.quick else 500)
    window = args.window or (15.0 if args.quick else 60.0)

    os.environ["KEXIE_VAR_DIR"] = tempfile.mkdtemp(prefix="kx-checkin-")
    os.environ["KEXIE_STAFF_2FA"] = "optional"
    os.environ.setdefault("KEXIE_FIELD_KEY", "auto")
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    activity_id, qr_token, tokens = prepare(users)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - fixed argument list, no shell
        [
            sys.executable,
            "-m",
            "gunicorn",
            "kexie.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(args.threads),
            "--backlog",
            "2048",
            "--timeout",
            "60",
        ],
        cwd=REPO,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                requests.get(f"{base}/api/v1/outreach/public/activities", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        with ThreadPoolExecutor(args.workers * 4) as warm:
            list(
                warm.map(
                    lambda _n: requests.get(f"{base}/api/v1/outreach/public/activities", timeout=30),
                    range(args.workers * 16),
                )
            )
        result = run(base, qr_token, tokens, window, args.seed)
    finally:
        server.terminate()
        server.wait(timeout=20)
    verdict = check(activity_id, result["accepted"], tokens)
    latencies = result["latencies"]
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else None
    if result["errors"]:
        print(json.dumps({"error_samples": result["errors"][:10]}, ensure_ascii=False))
    print(
        json.dumps(
            {
                "volunteers": users,
                "window_seconds": window,
                "database": "postgresql" if args.database_url else "sqlite",
                "requests": len(latencies),
                "checkins": len(result["accepted"]),
                "checked_in_in_db": verdict["checked_in_in_db"],
                "errors": len(result["errors"]),
                "lost": verdict["lost"],
                "duplicates": verdict["duplicates"],
                "refused_double_taps": result["refused"],
                "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
                "p95_ms": round(p95, 1) if p95 is not None else None,
                "max_ms": round(latencies[-1], 1) if latencies else None,
                "wall_seconds": round(result["wall"], 1),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
