"""The crawl over every demo role: every link a role sees answers (no 403/404/500), and no page shows a
raw code, an untranslated message or a "---------" empty choice.

Starting from the role's home (and, for anonymous visitors, the portal), the crawler follows the links
of each page it reaches — the navigation, the home's to-do and module links, and the links on those
pages — up to a cap per role. The demo data is loaded once for the module in a transaction that is
rolled back at the end.
"""

from __future__ import annotations

import os
import re
from collections import deque
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client

from kexie.accounts.models import User
from kexie.site.demo import EXTRA_LOGINS, load_demo
from tests.conftest import verify_session

# Pages per role: the home, every navigation and home link, and a sample of the pages behind them.
CAP = 90
SKIP_PREFIXES = ("/api/", "/i18n/", "/jsi18n/", "/static/", "/media/", "/healthz", "/admin/")
SKIP_SUFFIXES = (".csv", ".xlsx", ".svg", ".pdf", ".docx", ".png", ".zip")
# Action codes such as accounts.login or policy.task.update, question codes shown as text.
APPS = "|".join(
    ("accounts", "policy", "transfer", "experts", "surveys", "literacy", "core", "search")
    + ("calls", "talent", "thinktank", "outreach", "societies")
)
RAW_CODE = re.compile(rf"\b({APPS})\.[a-z_]+(\.[a-z_]+)?\b")
EMPTY_CHOICE = "---------"


def _catalogue_msgids() -> set[str]:
    """English msgids of the zh_Hans catalogue that a page should never show as they are."""
    po = Path(__file__).resolve().parents[2] / "kexie" / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    ids = set()
    current = None
    for line in po.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            current = line[7:-1]
        elif line.startswith('"') and current is not None:
            current += line[1:-1]
        else:
            if current and len(current) >= 6 and " " in current and "%" not in current and "{" not in current:
                ids.add(current.replace('\\"', '"'))
            current = None
    return ids


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.texts: list[str] = []
        self.options: list[str] = []
        self._skip = 0
        self._in_option = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "option":
            self._in_option = True
        for name in ("placeholder", "title", "aria-label"):
            if attrs.get(name):
                self.texts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "option":
            self._in_option = False

    def handle_data(self, data):
        if self._skip:
            return
        text = data.strip()
        if text:
            self.texts.append(text)
            if self._in_option:
                self.options.append(text)


@pytest.fixture(scope="module")
def demo_logins(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            printed = load_demo()
            yield list(dict.fromkeys(username for username, _description in [*printed, *EXTRA_LOGINS]))
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _crawl(client: Client, start: list[str], msgids: set[str]) -> tuple[dict, list[str]]:
    seen: dict[str, int] = {}
    problems: list[str] = []
    queue = deque((url, "(start)") for url in start)
    while queue and len(seen) < CAP:
        url, parent = queue.popleft()
        if url in seen:
            continue
        response = client.get(url, follow=True)
        seen[url] = response.status_code
        if response.status_code >= 400:
            problems.append(f"{url} answers {response.status_code} (linked from {parent})")
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        page = _Page()
        page.feed(response.content.decode("utf-8", "replace"))
        for text in page.texts:
            if EMPTY_CHOICE in text:
                problems.append(f"{url}: an empty choice shows {EMPTY_CHOICE!r}")
            match = RAW_CODE.search(text)
            if match and "@" not in text:
                problems.append(f"{url}: raw code {match.group(0)!r} in {text[:80]!r}")
            if text in msgids:
                problems.append(f"{url}: untranslated {text!r}")
        final = response.request["PATH_INFO"]
        for href in page.links:
            target = urljoin(final, href)
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or href.startswith(("#", "mailto:", "javascript:")):
                continue
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if path.startswith(SKIP_PREFIXES) or parts.path.endswith(SKIP_SUFFIXES) or path in seen:
                continue
            queue.append((path, url))
    return seen, sorted(set(problems))


@pytest.mark.once
@pytest.mark.django_db
def test_every_demo_role_crawls_clean(demo_logins, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    msgids = _catalogue_msgids()
    report = {}
    for username in [None, *demo_logins]:
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        if username is not None:
            verify_session(client, User.objects.get(username=username))
        seen, problems = _crawl(client, ["/"], msgids)
        assert len(seen) > 3, f"{username}: only {seen}"
        if problems:
            report[username or "anonymous"] = problems
    text = "\n".join(f"{who}:\n  " + "\n  ".join(p) for who, p in report.items())
    if os.environ.get("KEXIE_CRAWL_REPORT"):
        Path(os.environ["KEXIE_CRAWL_REPORT"]).write_text(text, encoding="utf-8")
    assert report == {}, "\n".join(f"{who}:\n  " + "\n  ".join(p) for who, p in report.items())


@pytest.mark.django_db
def test_dashboard_figures_reconcile(demo_logins, client):
    """Tiles, the breakdown export filtered on each light, and the bulletin count the same tasks."""
    from django.utils import timezone

    from kexie.policy import dashboard_queries as dq
    from kexie.policy.exports.breakdown import breakdown_tasks
    from kexie.policy.exports.bulletin import compose_bulletin

    leader = User.objects.get(username="leader")
    notice = dq.confirmed_notices()[0]
    board = dq.build_dashboard(leader, notice, dq.DashboardFilters())
    totals = board.totals
    assert totals["tasks"] == sum(totals["lights"].values()) == sum(totals["states"].values())
    assert totals["lights"]["done"] == totals["states"]["completed"]
    assert totals["cancelled"] >= 1  # the demo cancels one split task: it is counted apart
    for light, count in totals["lights"].items():
        assert breakdown_tasks(user=leader, notice=notice, light=light).count() == count, light
    bulletin = compose_bulletin(notice=notice, number="1", as_of=timezone.localdate())
    assert bulletin.counts["total"] == totals["tasks"]
    assert bulletin.counts["completed"] == totals["states"]["completed"]
    assert bulletin.counts["red"] == totals["lights"]["red"]
    # The page shows the same numbers.
    verify_session(client, leader)
    html = client.get("/supervision/").content.decode()
    shown = dict(re.findall(r'data-total="([\w-]+)">(\d+)<', html))
    assert int(shown["tasks"]) == totals["tasks"]
    for light in ("red", "amber", "green", "grey"):
        assert int(shown[f"light-{light}"]) == totals["lights"][light]
    assert int(shown["completed"]) == totals["lights"]["done"]


@pytest.mark.django_db
def test_role_homes_lead_to_their_work(demo_logins, client):
    """Each role's home names its work; no external user sees supervision; a district sees its tasks."""
    homes = {}
    for username in ("leader", "kechuang_staff", "yuzhong", "enterprise_demo", "expert_demo", "citizen_demo"):
        client.logout()
        verify_session(client, User.objects.get(username=username))
        homes[username] = client.get("/").content.decode()
    assert "待审批的销号申请" in homes["leader"]
    assert "等待审核的技术需求" in homes["kechuang_staff"]
    assert 'data-home="district"' in homes["yuzhong"] and "督办：我的任务" in homes["yuzhong"]
    for external in ("enterprise_demo", "expert_demo", "citizen_demo"):
        assert 'data-nav-group="supervision"' not in homes[external], external
        assert "/supervision/" not in homes[external], external
        assert "您尚未加入任何单位" not in homes[external]
    assert 'data-testid="home-enterprise"' in homes["enterprise_demo"], homes["enterprise_demo"][-6000:]
    assert 'data-testid="home-expert"' in homes["expert_demo"]
    assert 'data-testid="home-citizen"' in homes["citizen_demo"]
    client.logout()
    portal = client.get("/")
    assert portal.status_code == 200 and 'data-testid="portal"' in portal.content.decode()


@pytest.mark.django_db
def test_measure_pages_name_their_modules_or_say_none(demo_logins, client, monkeypatch):
    from kexie.core import menus
    from kexie.policy.models import Measure

    verify_session(client, User.objects.get(username="leader"))
    notice_measures = {m.number: m for m in Measure.objects.filter(notice__state="confirmed")}
    with_module = client.get(f"/supervision/measures/{notice_measures[2].pk}/").content.decode()
    assert 'data-menu="transfer.public_demands"' in with_module
    serving = {n for entry in menus.entries() for n in entry.measures}
    for number in sorted(set(notice_measures) - serving):  # measures no installed app serves yet
        html = client.get(f"/supervision/measures/{notice_measures[number].pk}/").content.decode()
        assert "本举措的业务模块尚未上线，进度以部门报送为准" in html, number
    # A measure whose module is taken away says so in words.
    kept = {key: e for key, e in menus._registry.items() if 3 not in e.measures}
    monkeypatch.setattr(menus, "_registry", kept)
    html = client.get(f"/supervision/measures/{notice_measures[3].pk}/").content.decode()
    assert "本举措的业务模块尚未上线，进度以部门报送为准" in html
