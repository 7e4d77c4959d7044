"""Scanned notices: text recognition in a background job (Huey), with progress, then the draft.

`start_scan` keeps the checked upload (its page count is within the limit) and queues the job once the
row is committed; `run_scan`, in the job, recognises page after page, writing the progress as it goes,
and creates the draft with each page's confidence in one transaction at the end. A failure leaves no
notice and no draft: the scan is marked failed with the user's message, and its file is dropped.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kexie.core.services import record_event
from kexie.policy import rules, services
from kexie.policy.enums import ScanState
from kexie.policy.models import NoticeScan
from kexie.policy.notices.extract import NoticeFileError, recognise_scan
from kexie.policy.notices.importing import max_upload_bytes
from kexie.policy.notices.parser import NoticeParseError, parse_notice

__all__ = ["run_scan", "start_scan"]

logger = logging.getLogger(__name__)


@transaction.atomic
def start_scan(*, data: bytes, source_name: str, pages: int, by) -> NoticeScan:
    """Keep a scan whose pages were counted (and checked against the limit) and queue its recognition."""
    if not rules.can_import_notice(by):
        raise PermissionDenied
    scan = NoticeScan.objects.create(
        source_name=source_name[:200],
        data=data,
        pages=pages,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        created_by=by,
    )
    record_event(
        scan, "policy.notice.scan", actor=by, after={"source_name": scan.source_name, "pages": pages}
    )
    from kexie.policy import tasks as jobs  # the jobs module imports the services

    transaction.on_commit(lambda: jobs.recognise_notice_scan(scan.pk))
    return scan


def run_scan(scan_id: int) -> int | None:
    """Recognise a queued scan and create its draft; returns the draft notice's id, or None if the scan
    failed (its `error` says why) or was already taken by another run."""
    claimed = NoticeScan.objects.filter(pk=scan_id, state=ScanState.QUEUED).update(state=ScanState.RUNNING)
    if not claimed:
        return None
    scan = NoticeScan.objects.select_related("created_by").get(pk=scan_id)
    with translation.override(scan.language or settings.LANGUAGE_CODE):
        try:
            result = recognise_scan(
                bytes(scan.data),
                scan.source_name or "scan.pdf",
                max_bytes=max_upload_bytes(),
                progress=lambda done, total: NoticeScan.objects.filter(pk=scan_id).update(pages_done=done),
            )
            parsed = parse_notice(result.text)
            return _finish(scan_id, text=result.text, parsed=parsed, quality=result.quality())
        except (NoticeFileError, NoticeParseError) as exc:
            _fail(scan_id, exc.message)
        except Exception:
            # An unexpected failure (tesseract missing mid-run, the database…) must not leave the page
            # polling for ever; the details go to the log.
            logger.exception("Text recognition of notice scan %s failed", scan_id)
            _fail(
                scan_id,
                _("Text recognition failed. Please try again later, or upload the Word or text version."),
            )
    return None


@transaction.atomic
def _finish(scan_id: int, *, text: str, parsed, quality: dict) -> int:
    scan = NoticeScan.objects.select_for_update().select_related("created_by").get(pk=scan_id)
    notice = services.create_notice_draft(
        text=text, source_name=scan.source_name, by=scan.created_by, parsed=parsed
    )
    scan.notice = notice
    scan.state = ScanState.DONE
    scan.pages_done = scan.pages
    scan.quality = quality
    scan.data = b""
    scan.finished_at = timezone.now()
    scan.save(update_fields=["notice", "state", "pages_done", "quality", "data", "finished_at"])
    return notice.pk


@transaction.atomic
def _fail(scan_id: int, message: str) -> None:
    NoticeScan.objects.filter(pk=scan_id).update(
        state=ScanState.FAILED, error=message, data=b"", finished_at=timezone.now()
    )
