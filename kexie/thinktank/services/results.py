"""The results library (成果库): files with their text extracted for search, access levels, the
public column (智库专栏) and recommendations to 中国科协."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kexie.core.services import record_event, snapshot
from kexie.core.transitions import transition
from kexie.core.uploads import check_upload, read_upload
from kexie.policy.notices.extract import NoticeFileError, extract_text
from kexie.thinktank import rules
from kexie.thinktank.enums import OPEN_PROJECT_STATES, Access, Field, ResultKind, SearchKind
from kexie.thinktank.models import Project, Result
from kexie.thinktank.services.common import reindex, require

RESULT_FIELDS = ["title", "kind", "access", "column_published_at", "project_id", "file_name"]
FILE_EXTENSIONS = (".docx", ".pdf")
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 200_000


def read_result_file(upload) -> tuple[str, bytes, str]:
    """(name, bytes, extracted text) of an uploaded .docx or .pdf, or a ValidationError on ``file``."""
    name = Path(getattr(upload, "name", "") or "").name
    if Path(name).suffix.lower() not in FILE_EXTENSIONS:
        raise ValidationError(
            {"file": _("“%(name)s”: only .docx and .pdf files are accepted.") % {"name": name}}
        )
    if getattr(upload, "size", 0) > MAX_FILE_BYTES:
        raise ValidationError({"file": _("“%(name)s” is larger than 20 MB.") % {"name": name}})
    try:
        check_upload(upload, name=name)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from None
    data = read_upload(upload)
    try:
        text = extract_text(data, name, max_bytes=MAX_FILE_BYTES)
    except NoticeFileError as exc:
        raise ValidationError({"file": exc.message}) from None
    return name, data, text[:MAX_TEXT_CHARS]


def _validate(*, title: str, authors: str, year: int, kind: str, access: str, field: str) -> dict:
    errors = {}
    if not title.strip():
        errors["title"] = _("Give the result a title.")
    if not authors.strip():
        errors["authors"] = _("Name the authors.")
    if not 2000 <= year <= timezone.localdate().year + 1:
        errors["year"] = _("Give a year between 2000 and next year.")
    if kind not in ResultKind.values:
        errors["kind"] = _("Choose a kind of result.")
    if access not in Access.values:
        errors["access"] = _("Choose an access level.")
    if field and field not in Field.values:
        errors["field"] = _("Choose a field from the list.")
    return errors


@transaction.atomic
def add_result(
    *,
    by,
    title: str,
    authors: str,
    year: int,
    kind: str = ResultKind.REPORT,
    access: str = Access.INTERNAL,
    summary: str = "",
    keywords: list[str] = (),
    field: str = "",
    project: Project | None = None,
    upload=None,
) -> Result:
    """A result in the library. A project's deliverable comes from its account or the managers while
    the project runs; anything else from the managers. The file's text is indexed for search."""
    if project is not None:
        require(rules.can_deliver(by, project))
    else:
        require(rules.can_manage(by))
    errors = _validate(title=title, authors=authors, year=year, kind=kind, access=access, field=field)
    if project is not None and project.state not in OPEN_PROJECT_STATES:
        errors["project"] = _("A closed project takes no more deliverables.")
    file_name, data, text = "", b"", ""
    if upload is not None:
        try:
            file_name, data, text = read_result_file(upload)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    result = Result.objects.create(
        title=title.strip(),
        authors=authors.strip(),
        year=year,
        kind=kind,
        access=access,
        summary=summary,
        keywords=[k.strip() for k in keywords if k.strip()],
        field=field,
        project=project,
        file_name=file_name,
        full_text=text,
        created_by=by,
        updated_by=by,
    )
    if data:
        result.file.save(file_name, ContentFile(data), save=False)
        result.save(update_fields=["file"])
    record_event(result, "thinktank.result.add", actor=by, after=snapshot(result, RESULT_FIELDS))
    reindex(SearchKind.RESULT, result.pk)
    return result


@transaction.atomic
def set_access(*, result: Result, by, access: str) -> Result:
    """Change the access level; a result made internal leaves the public column at once."""
    require(rules.can_manage(by))
    if access not in Access.values:
        raise ValidationError({"access": _("Choose an access level.")})
    before = snapshot(result, RESULT_FIELDS)
    values = {"access": access, "updated_by": by}
    if access == Access.INTERNAL:
        values["column_published_at"] = None
    result = transition(result, expected=Access.values, field="access", values=values)
    record_event(
        result, "thinktank.result.access", actor=by, before=before, after=snapshot(result, RESULT_FIELDS)
    )
    reindex(SearchKind.RESULT, result.pk)
    return result


@transaction.atomic
def publish_to_column(*, result: Result, by) -> Result:
    """Into the public column (智库专栏): public results only."""
    require(rules.can_disseminate(by))
    before = snapshot(result, RESULT_FIELDS)
    updated = Result.objects.filter(
        pk=result.pk, access=Access.PUBLIC, column_published_at__isnull=True
    ).update(column_published_at=timezone.now(), updated_by=by, updated_at=timezone.now())
    if not updated:
        result.refresh_from_db()
        if result.access != Access.PUBLIC:
            raise ValidationError(_("An internal result cannot go into the public column."))
        raise ValidationError(_("This result is already in the column."))
    result.refresh_from_db()
    record_event(
        result, "thinktank.result.column", actor=by, before=before, after=snapshot(result, RESULT_FIELDS)
    )
    reindex(SearchKind.RESULT, result.pk)
    return result


@transaction.atomic
def withdraw_from_column(*, result: Result, by) -> Result:
    require(rules.can_disseminate(by))
    Result.objects.filter(pk=result.pk).update(
        column_published_at=None, updated_by=by, updated_at=timezone.now()
    )
    result.refresh_from_db()
    record_event(result, "thinktank.result.withdraw", actor=by)
    reindex(SearchKind.RESULT, result.pk)
    return result


@transaction.atomic
def recommend_result_to_cast(*, result: Result, by, on: date | None = None) -> Result:
    """推荐优秀调研成果至中国科协."""
    require(rules.can_manage(by))
    if result.recommended_to_cast_on is not None:
        raise ValidationError(_("This result is already recommended to CAST."))
    result.recommended_to_cast_on = on or timezone.localdate()
    result.updated_by = by
    result.save(update_fields=["recommended_to_cast_on", "updated_by", "updated_at"])
    record_event(result, "thinktank.result.recommend", actor=by, after={"on": result.recommended_to_cast_on})
    return result
