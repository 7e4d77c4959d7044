"""The job consumer down while the site writes: reminders and search-index updates wait in the queue
(Huey's SQLite file, or Redis when configured) and run once each when a real consumer comes back;
a second start runs nothing again."""

from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from email import message_from_bytes
from pathlib import Path

import pytest
from django.utils import timezone

from kexie.accounts.enums import Role
from kexie.policy import services
from kexie.policy.models import Reminder, Task
from tests.conftest import require_service
from tests.site.conftest import REPO, database_url, process_env

pytestmark = pytest.mark.django_db(transaction=True)

PRODUCE = """
from kexie.accounts.models import User
from kexie.experts import services as experts
from kexie.policy import services
by = User.objects.get(username="kechuang")
print("reminded", services.send_due_reminders())
for i in range(3):
    experts.create_expert(by=by, name=f"离线专家{i}", organization_name="重庆大学", keywords=["储能材料"])
"""


def pending(env: dict) -> int:
    """Jobs waiting in the queue the processes of ``env`` use, read from outside as an operator would."""
    from huey import RedisHuey, SqliteHuey

    if env.get("REDIS_URL"):
        return RedisHuey("kexie", url=env["REDIS_URL"]).pending_count()
    return SqliteHuey("kexie", filename=str(Path(env["KEXIE_VAR_DIR"]) / "huey.sqlite3")).pending_count()


FIND = """
from kexie.search import index
from kexie.search.documents import Filters
hits = index.query("离线专家", kinds=["expert"], limit=20)
print("found", len(hits.hits))
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(params=["sqlite", "redis"])
def queue_env(request, tmp_path):
    """A process environment whose job queue is Huey's SQLite file, or a private Redis server (never
    the shared one: its queue name would mix with other instances' jobs)."""
    extra = {"HUEY_IMMEDIATE": "0"}
    server = None
    if request.param == "redis":
        require_service(shutil.which("redis-server") is not None, "redis-server is not installed")
        port = _free_port()
        server = subprocess.Popen(
            ["redis-server", "--port", str(port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        extra["REDIS_URL"] = f"redis://127.0.0.1:{port}/0"
        time.sleep(0.5)
    else:
        extra["REDIS_URL"] = ""
    yield process_env(tmp_path / "var", database_url(), **extra)
    if server is not None:
        server.terminate()
        server.wait(timeout=10)


def shell(code: str, env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "kexie.cli", "shell", "-c", code],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def value(output: str, key: str) -> int:
    return int(next(line.split()[1] for line in output.splitlines() if line.startswith(key)))


def mails(var: Path) -> list[str]:
    subjects = []
    for file in sorted((var / "mail").glob("*")) if (var / "mail").exists() else []:
        for chunk in file.read_bytes().split(b"-" * 79):
            if chunk.strip():
                subjects.append(message_from_bytes(chunk.strip()).get("Subject", ""))
    return subjects


def run_consumer_until_idle(env: dict, seconds: float = 60) -> None:
    consumer = subprocess.Popen(
        [sys.executable, "-m", "kexie.cli", "run_huey", "--workers", "1", "--delay", "0.1"],
        env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + seconds
        time.sleep(2)
        while pending(env) > 0:
            assert consumer.poll() is None, consumer.stderr.read().decode()[-3000:]
            assert time.monotonic() < deadline, "the consumer did not drain the queue"
            time.sleep(0.5)
        time.sleep(1.5)  # the last job dequeued is finishing
    finally:
        consumer.send_signal(signal.SIGINT)
        try:
            consumer.wait(timeout=20)
        except subprocess.TimeoutExpired:
            consumer.kill()


def test_jobs_queued_while_the_consumer_is_down_run_once_when_it_returns(
    notice, make_user, queue_env, tmp_path
):
    from tests.conftest import load_reference_data

    load_reference_data()
    make_user("kechuang", role=Role.DEPARTMENT_STAFF, org_name="科学技术创新部")
    leads = sorted(set(Task.objects.filter(measure__notice=notice).values_list("lead__name", flat=True)))
    for i, lead in enumerate(leads):
        make_user(f"lead{i}", role=Role.DEPARTMENT_STAFF, org_name=lead, email=f"lead{i}@example.cn")
    Task.objects.filter(measure__notice=notice).update(due_date=timezone.localdate() - timedelta(days=1))
    services.refresh_lights()
    var = tmp_path / "var"

    # The consumer is down: the site keeps writing, the jobs wait in the queue.
    produced = shell(PRODUCE, queue_env)
    reminded = value(produced, "reminded")
    assert reminded == Task.objects.filter(measure__notice=notice).count() == Reminder.objects.count()
    assert pending(queue_env) == reminded + 3  # one mail per reminder, 3 index jobs
    assert mails(var) == []
    assert value(shell(FIND, queue_env), "found") == 0

    run_consumer_until_idle(queue_env)
    sent = mails(var)
    assert len(sent) == reminded, sent  # every reminder mailed, none twice
    assert value(shell(FIND, queue_env), "found") == 3
    before = Reminder.objects.count()

    # A second start (the consumer restarted): nothing runs twice, the catch-up job reminds nobody
    # already reminded within the interval.
    run_consumer_until_idle(queue_env, seconds=30)
    assert len(mails(var)) == reminded
    assert Reminder.objects.count() == before
    assert value(shell(FIND, queue_env), "found") == 3
