"""The old scientists' archive (measure 5): catalogue records with required metadata, checksums verified,
access levels that hold on pages, downloads, search and the API."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kexie.search import index
from kexie.search.documents import Filters
from kexie.search.sources import scopes_for
from kexie.workers import queries, services
from kexie.workers.enums import AccessLevel, ItemType
from kexie.workers.models import ArchiveItem

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def metadata(**extra):
    values = {
        "title": "水库坝工讲义手稿",
        "creator": "陈守仁",
        "date": "1978-09",
        "item_type": ItemType.MANUSCRIPT,
        "rights": "经家属授权",
        "provenance": "2024 年度采集",
        "access": AccessLevel.PUBLIC,
        "subject": "水利工程，坝工",
    }
    values.update(extra)
    return values


@pytest.fixture
def collection(curator):
    return services.create_collection(
        scientist_name="陈守仁", born=1931, field="水利工程", access=AccessLevel.PUBLIC, by=curator
    )


def add(collection, curator, **extra):
    return services.add_archive_item(
        collection=collection, by=curator, upload=SimpleUploadedFile("讲义.pdf", PDF), **metadata(**extra)
    )


def test_item_is_catalogued_with_checksum_and_identifier(collection, curator, media):
    item = add(collection, curator)
    assert item.identifier.startswith("LKX-") and item.sha256 and item.size == len(PDF)
    assert services.verify_archive()["failed"] == 0


def test_missing_metadata_is_named_and_nothing_is_stored(collection, curator, media):
    with pytest.raises(ValidationError) as info:
        add(collection, curator, creator="", rights="", date="1978-13")
    assert set(info.value.message_dict) == {"creator", "rights", "date"}
    assert "责任者" in info.value.message_dict["creator"][0]
    assert ArchiveItem.objects.count() == 0
    assert not any(media.rglob("*.pdf")) if media.exists() else True


def test_forged_file_is_refused(collection, curator, media):
    with pytest.raises(ValidationError) as info:
        services.add_archive_item(
            collection=collection,
            by=curator,
            upload=SimpleUploadedFile("照片.png", b"not a png at all"),
            **metadata(),
        )
    assert "照片.png" in info.value.message_dict["file"][0]
    assert ArchiveItem.objects.count() == 0


def test_a_changed_file_fails_the_fixity_check(collection, curator, media):
    item = add(collection, curator)
    with open(item.file.path, "ab") as handle:
        handle.write(b"tampered")
    assert services.verify_archive() == {"checked": 1, "failed": 1}
    assert ArchiveItem.objects.get(pk=item.pk).verify_failed


def test_only_archive_units_catalogue(collection, kepu_staff, media):
    with pytest.raises(PermissionDenied):
        add(collection, kepu_staff)


def test_restricted_item_never_reaches_pages_search_or_downloads(
    collection, curator, kepu_staff, client, login, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        public = add(collection, curator, title="坝工讲义公开手稿")
        internal = add(collection, curator, title="坝工往来书信内部", access=AccessLevel.INTERNAL)
        restricted = add(collection, curator, title="坝工口述史受限", access=AccessLevel.RESTRICTED)
    # anonymous: public only
    assert set(queries.archive_items_visible_to(None)) == {public}
    assert client.get(reverse("workers:archive_item", args=[restricted.pk])).status_code == 404
    assert client.get(reverse("workers:archive_file", args=[internal.pk])).status_code == 404
    body = client.get(reverse("workers:exhibition")).content.decode()
    assert "坝工讲义公开手稿" in body and "内部" not in body and "受限" not in body
    # staff of another department: public and internal, never restricted
    assert set(queries.archive_items_visible_to(kepu_staff)) == {public, internal}
    staff = login(kepu_staff)
    assert staff.get(reverse("workers:archive_file", args=[restricted.pk])).status_code == 404
    # the index never holds the restricted item; the public sees only public hits
    hits = index.query("坝工", kinds=["archive"], limit=10).hits
    assert {h.id for h in hits} == {str(public.pk), str(internal.pk)}
    source, scope = scopes_for(None)["archive"]
    assert scope.flags == ("public",)
    public_hits = index.query("坝工", kinds=["archive"], limit=10, filters=Filters(flags=scope.flags)).hits
    assert {h.id for h in public_hits} == {str(public.pk)}
    # the curator sees all three
    assert set(queries.archive_items_visible_to(curator)) == {public, internal, restricted}


def test_global_search_page_finds_public_items_for_anonymous(
    collection, curator, client, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        add(collection, curator, title="坝工讲义公开手稿")
        add(collection, curator, title="坝工往来书信内部", access=AccessLevel.INTERNAL)
    body = client.get(reverse("search:results"), {"q": "坝工"}).content.decode()
    assert "讲义公开手稿" in body and 'data-kind="archive"' in body
    assert "往来书信内部" not in body
