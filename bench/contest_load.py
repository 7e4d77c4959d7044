"""Load test of the contest (一赛): N concurrent takers play a full daily round through the JSON API
against a running server, then the database is checked for lost or duplicated answers.

    .venv/bin/python bench/contest_load.py --quick                # 50 takers, SQLite, own server
    .venv/bin/python bench/contest_load.py                        # 300 takers, SQLite
    .venv/bin/python bench/contest_load.py --database-url postgres://postgres@127.0.0.1:5432/kx_bench

The script makes a fresh data directory (and migrates the database named by --database-url, if
any), creates the takers with bearer tokens, and starts gunicorn itself (gthread workers, persistent
database connections as `kexie serve` runs them). Each taker starts today's round (the response
carries the first question), then for each question thinks and POSTs the answer (the response
carries the next question); one answer in ten is sent twice at once (a double tap) and the second
must be refused (409), not counted; after one answer in ten the page is "reloaded" (GET of the
current question), which must resume at the same question.

lost       answers the server accepted (200) that are not in the database as answered
duplicated positions answered twice, or rounds whose score is not the sum of their answers
errors     HTTP errors other than the expected 409 on a double tap, and transport failures
The last line is one JSON object: users, errors, lost, duplicated, p95_ms (+ details).
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


def prepare(users: int, questions: int) -> tuple[int, list[str]]:
    """Migrate, seed the question bank and create the takers (in this process, via Django)."""
    sys.path.insert(0, str(REPO))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kexie.settings")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.utils import timezone

    from kexie.accounts.enums import OrganizationKind
    from kexie.accounts.models import Organization, User
    from kexie.accounts.services import create_api_token, load_seed_organizations
    from kexie.literacy import services
    from kexie.literacy.enums import PublishState, QuestionKind, ReviewState
    from kexie.literacy.models import Contest, Contestant, Dimension, Question

    call_command("migrate", verbosity=0)
    load_seed_organizations()
    services.load_reference_data()
    dimension = Dimension.objects.get(code="knowledge")
    have = Question.objects.filter(state=ReviewState.REVIEWED).count()
    Question.objects.bulk_create(
        Question(
            dimension=dimension,
            kind=QuestionKind.SINGLE,
            text=f"压测题{n}",
            options=["甲", "乙", "丙", "丁"],
            answer=[n % 4],
            difficulty=1 + n % 5,
            state=ReviewState.REVIEWED,
        )
        for n in range(max(0, 60 - have))
    )
    today = timezone.localdate()
    contest = Contest.objects.create(
        title=f"压测竞赛 {time.time_ns()}",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=1),
        questions_per_round=questions,
        seconds_per_question=30,
        state=PublishState.PUBLISHED,
    )
    districts = list(Organization.objects.filter(kind=OrganizationKind.DISTRICT_ASSOCIATION))
    password = make_password("Bench-Pass-2026")
    stamp = time.time_ns() % 10**9
    created = User.objects.bulk_create(
        User(username=f"bench{stamp}_{n}", password=password) for n in range(users)
    )
    created = list(User.objects.filter(username__startswith=f"bench{stamp}_"))
    Contestant.objects.bulk_create(
        Contestant(user=u, district=districts[n % len(districts)]) for n, u in enumerate(created)
    )
    tokens = [create_api_token(user=u, name="bench", days=1)[1] for u in created]
    return contest.pk, tokens


def check(contest_id: int, accepted: set[tuple[str, int]], tokens: list[str]) -> dict:
    from django.db.models import Count, Sum

    from kexie.accounts.models import ApiToken
    from kexie.accounts.services import TOKEN_PREFIX
    from kexie.core.crypto import sm3_hex
    from kexie.literacy.models import ContestAnswer, ContestAttempt

    user_of = dict(
        ApiToken.objects.filter(key_hash__in=[sm3_hex(t) for t in tokens]).values_list("key_hash", "user_id")
    )
    token_user = {t: user_of[sm3_hex(t)] for t in tokens if t.startswith(TOKEN_PREFIX)}
    answered = set(
        ContestAnswer.objects.filter(attempt__contest_id=contest_id, answered_at__isnull=False).values_list(
            "attempt__user_id", "position"
        )
    )
    lost = sum(1 for token, position in accepted if (token_user[token], position) not in answered)
    per_position = (
        ContestAnswer.objects.filter(attempt__contest_id=contest_id)
        .values("attempt_id", "position")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    mismatched = 0
    for attempt in ContestAttempt.objects.filter(contest_id=contest_id).annotate(
        total=Sum("answers__points"), answered=Count("answers")
    ):
        if (attempt.total or 0) != attempt.score or attempt.answered != attempt.position:
            mismatched += 1
    finished = ContestAttempt.objects.filter(contest_id=contest_id, finished_at__isnull=False).count()
    return {
        "lost": lost,
        "duplicated": per_position + mismatched,
        "finished_rounds": finished,
        "answers_in_db": len(answered),
    }


def run(  # noqa: PLR0915 - the taker loop reads best whole
    base: str, contest_id: int, tokens: list[str], think: tuple[float, float], seed: int
) -> dict:
    latencies: list[float] = []
    by_kind: dict[str, list[float]] = {"start": [], "answer": [], "serve": []}
    errors: list[str] = []
    accepted: set[tuple[str, int]] = set()
    refused_doubles = [0]
    lock = threading.Lock()

    def timed(session, method, url, **kwargs):
        started = time.perf_counter()
        try:
            response = session.request(method, url, timeout=30, **kwargs)
        except requests.RequestException as exc:
            with lock:
                errors.append(f"{method} {url}: {exc.__class__.__name__}")
            return None
        elapsed = (time.perf_counter() - started) * 1000
        kind = "start" if url.endswith("/rounds") else "answer" if method == "POST" else "serve"
        with lock:
            latencies.append(elapsed)
            by_kind[kind].append(elapsed)
        return response

    def taker(index: int) -> None:
        token = tokens[index]
        rng = random.Random(seed + index)  # noqa: S311 - load pattern, not a secret
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        time.sleep(rng.uniform(0, think[1]))
        response = timed(session, "POST", f"{base}/api/v1/literacy/contests/{contest_id}/rounds")
        if response is None or response.status_code != 201:
            with lock:
                errors.append(f"start {getattr(response, 'status_code', None)}")
            return
        served = response.json()
        while not served["finished"]:
            time.sleep(rng.uniform(*think))
            payload = {"position": served["position"], "choice": [rng.randrange(len(served["options"]))]}
            url = f"{base}/api/v1/literacy/contests/{contest_id}/rounds/today/answers"
            double = rng.random() < 0.1
            if double:
                with ThreadPoolExecutor(2) as pair:
                    results = list(
                        pair.map(
                            lambda n, url=url, payload=payload: timed(
                                requests.Session() if n else session,
                                "POST",
                                url,
                                json=payload,
                                headers={"Authorization": f"Bearer {token}"},
                            ),
                            range(2),
                        )
                    )
            else:
                results = [timed(session, "POST", url, json=payload)]
            codes = sorted(r.status_code for r in results if r is not None)
            if codes.count(200) != 1 or any(c not in (200, 409) for c in codes) or len(codes) != len(results):
                with lock:
                    errors.append(f"answer {codes}")
            if 200 not in codes:
                return
            with lock:
                accepted.add((token, payload["position"]))
                refused_doubles[0] += codes.count(409)
            served = next(r for r in results if r is not None and r.status_code == 200).json()["next"]
            if rng.random() < 0.1:  # the page is reloaded: the round resumes where it was
                response = timed(session, "GET", f"{base}/api/v1/literacy/contests/{contest_id}/rounds/today")
                if response is None or response.status_code != 200:
                    with lock:
                        errors.append(f"serve {getattr(response, 'status_code', None)}")
                    return
                resumed = response.json()
                if resumed.get("position") != served.get("position"):
                    with lock:
                        errors.append(f"resume {resumed.get('position')} != {served.get('position')}")
                served = resumed

    started = time.perf_counter()
    with ThreadPoolExecutor(len(tokens)) as pool:
        list(pool.map(taker, range(len(tokens))))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "latencies": latencies,
        "p95_by_kind": {k: round(sorted(v)[int(0.95 * (len(v) - 1))], 1) for k, v in by_kind.items() if v},
        "errors": errors,
        "accepted": accepted,
        "refused_doubles": refused_doubles[0],
        "wall_seconds": round(wall, 2),
    }


def main() -> None:  # noqa: PLR0915 - argument handling, set-up and report in one readable place
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="50 takers, 10 questions, short thinking")
    parser.add_argument("--users", type=int)
    parser.add_argument("--questions", type=int)
    parser.add_argument(
        "--think",
        type=float,
        nargs=2,
        metavar=("MIN", "MAX"),
        help="seconds of reading and thinking before each answer, uniform (default 3 12, quick 1 3)",
    )
    parser.add_argument("--database-url", default="")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    users = args.users or (50 if args.quick else 300)
    questions = args.questions or (10 if args.quick else 20)
    think = tuple(args.think) if args.think else ((1.0, 3.0) if args.quick else (3.0, 12.0))

    var_dir = tempfile.mkdtemp(prefix="kx-contest-load-")
    os.environ["KEXIE_VAR_DIR"] = var_dir
    os.environ["KEXIE_STAFF_2FA"] = "optional"
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    contest_id, tokens = prepare(users, questions)

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
            "--keep-alive",
            "75",  # longer than a taker thinks: no race between an idle close and the next request
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
                requests.get(f"{base}/api/v1/literacy/estimates", timeout=1)
                break
            except requests.RequestException:
                time.sleep(0.2)
        # Warm every worker up (imports, first connections) before the clock starts.
        with ThreadPoolExecutor(args.workers * 4) as warm:
            list(
                warm.map(
                    lambda _n: requests.get(f"{base}/api/v1/literacy/estimates", timeout=30),
                    range(args.workers * 16),
                )
            )
        result = run(base, contest_id, tokens, think, args.seed)
    finally:
        server.terminate()
        server.wait(timeout=20)
    verdict = check(contest_id, result["accepted"], tokens)
    latencies = result["latencies"]
    p95 = latencies[int(0.95 * (len(latencies) - 1))] if latencies else None
    summary = {
        "users": users,
        "questions": questions,
        "database": "postgresql" if args.database_url else "sqlite",
        "think_seconds": list(think),
        "requests": len(latencies),
        "errors": len(result["errors"]),
        "lost": verdict["lost"],
        "duplicated": verdict["duplicated"],
        "refused_double_taps": result["refused_doubles"],
        "finished_rounds": verdict["finished_rounds"],
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(p95, 1) if p95 is not None else None,
        "max_ms": round(latencies[-1], 1) if latencies else None,
        "wall_seconds": result["wall_seconds"],
        "p95_ms_by_request": result["p95_by_kind"],
    }
    if result["errors"]:
        print(json.dumps({"error_samples": result["errors"][:10]}, ensure_ascii=False))
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
