"""The news demo: a notice with attachment, news in a topic, two typical cases from the ledger, one
typical person with consent, an item waiting with a screened word; loading it twice adds nothing."""

from __future__ import annotations

from kexie.accounts.models import User
from kexie.experts.demo import load_demo as load_experts
from kexie.news import demo, queries
from kexie.news.enums import Column, VersionState
from kexie.news.models import ItemVersion, NewsItem
from kexie.policy.demo import load_demo_policy as load_policy
from kexie.site.demo import DEMO_USERS, load_demo_users


def test_demo_loads_every_column_and_is_idempotent(orgs, media):
    load_demo_users()
    users = {u.username: u for u in User.objects.filter(username__in=[row[0] for row in DEMO_USERS])}
    load_policy(users)
    load_experts(users)
    logins = demo.load_demo(users)
    assert {name for name, _ in logins} == {"xuanchuan_head"}
    public = queries.public_items()
    for column in Column:
        assert public.filter(column=column).exists(), column
    assert public.filter(column=Column.CASE, source_case__isnull=False).count() == 2
    person = public.get(column=Column.PERSON)
    assert person.expert_id and person.consent_at
    notice = public.filter(column=Column.NOTICE).first()
    assert notice.published_version.attachments.count() == 1
    topic = public.get(column=Column.TOPIC)
    assert public.filter(topic=topic).count() == 2
    waiting = ItemVersion.objects.get(state=VersionState.IN_REVIEW)
    assert waiting.screen_hits == ["史上最"]
    assert (
        NewsItem.objects.filter(published_version__isnull=False).exclude(pk__in=public).count() == 1
    )  # scheduled
    count = NewsItem.objects.count()
    demo.load_demo(users)
    assert NewsItem.objects.count() == count
