"""Notice import beyond the core services: reading an upload, mapping unknown unit names to
organizations (or creating them), saving and confirming an edited draft, discarding a draft.

The draft JSON keeps the shape of `parser.ParsedNotice.to_dict()`; a unit name mapped to an existing
organization is replaced in the draft by that organization's name, so the mapping survives a save
without adding keys to the draft.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kexie.accounts import services as accounts_services
from kexie.accounts.enums import OrganizationKind
from kexie.accounts.models import Organization
from kexie.core.services import record_event
from kexie.policy import rules, services
from kexie.policy.enums import NoticeState
from kexie.policy.models import Notice
from kexie.policy.notices.extract import NoticeFileError, OcrNeeded, extract_text
from kexie.policy.notices.parser import ParsedNotice

__all__ = [
    "NoticeFileError",
    "OcrNeeded",
    "UnitChoice",
    "chinese_numeral",
    "confirm_draft",
    "discard_draft",
    "guess_kind",
    "max_upload_bytes",
    "measures_without_departments",
    "parse_json",
    "read_path",
    "read_upload",
    "save_draft",
    "split_units",
    "unknown_units",
    "upload_bytes",
]

# Unit lists typed by staff: the separators a notice uses, and line breaks. A separator inside
# brackets, as in 市级学会（协会、研究会）, does not split.
_UNIT_SEPARATORS = "、，,；;\n"
_OPEN, _CLOSE = "（(", "）)"

# The kind a new organization most likely is, from the end of its name.
_KIND_BY_SUFFIX: tuple[tuple[tuple[str, ...], str], ...] = (
    (("科学技术协会", "科协"), OrganizationKind.DISTRICT_ASSOCIATION),
    (("学会", "协会", "研究会", "联合会"), OrganizationKind.SOCIETY),
    (("研究院", "研究所", "研究中心", "实验室"), OrganizationKind.INSTITUTE),
    (("大学", "学院"), OrganizationKind.UNIVERSITY),
    (("公司", "集团", "企业"), OrganizationKind.ENTERPRISE),
    (("委员会", "人民政府", "局", "厅", "委"), OrganizationKind.DECISION_DEPARTMENT),
    (("部", "办公室", "处", "室"), OrganizationKind.DEPARTMENT),
    (("中心", "馆", "报", "社"), OrganizationKind.AFFILIATED_UNIT),
)


def max_upload_bytes() -> int:
    return settings.MAX_UPLOAD_MB * 1024 * 1024


# --- reading ---------------------------------------------------------------------------------------


def read_upload(upload, *, defer_ocr: bool = False) -> str:
    """The normalised text of an uploaded notice file; raises NoticeFileError with the user's message.
    With `defer_ocr`, a scan raises OcrNeeded (its pages counted and within the limit) instead of
    being recognised here: the page queues it as a background job (`scans.start_scan`).

    At most one byte more than the limit is read, so an oversized upload is refused by
    `extract_text` with its size message without being held in memory whole."""
    limit = max_upload_bytes()
    return extract_text(upload_bytes(upload), upload.name or "", max_bytes=limit, defer_ocr=defer_ocr)


def upload_bytes(upload) -> bytes:
    """The upload's content, at most one byte over the size limit."""
    upload.seek(0)
    return upload.read(max_upload_bytes() + 1)


def read_path(path: str | Path) -> str:
    """The normalised text of a notice file on disk (for the commands); raises NoticeFileError."""
    path = Path(path)
    limit = max_upload_bytes()
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise NoticeFileError(_("The file “%(name)s” does not exist.") % {"name": str(path)}) from None
    except IsADirectoryError:
        raise NoticeFileError(_("“%(name)s” is a directory, not a file.") % {"name": str(path)}) from None
    except PermissionError:
        raise NoticeFileError(_("The file “%(name)s” cannot be read.") % {"name": str(path)}) from None
    return extract_text(data, path.name, max_bytes=limit)


def parse_json(parsed: ParsedNotice) -> dict:
    """The parse in the documented shape of `kexie parse-notice --json`: `to_dict()` without the
    clause offsets, which only make sense next to the stored text."""
    data = parsed.to_dict()
    for section in data["sections"]:
        for measure in section["measures"]:
            measure.pop("start", None)
            measure.pop("end", None)
    return data


def chinese_numeral(number: int) -> str:
    """1 → 一, 10 → 十, 16 → 十六, 23 → 二十三: how a notice numbers its sections (up to 99)."""
    digits = "零一二三四五六七八九"
    if not 0 < number < 100:
        return str(number)
    tens, units = divmod(number, 10)
    return f"{digits[tens] if tens > 1 else ''}{'十' if tens else ''}{digits[units] if units else ''}"


# --- unit names ------------------------------------------------------------------------------------


def split_units(value: str) -> list[str]:
    """Unit names from a typed list ("科学技术普及部、宣传文化部"), in order, without repeats."""
    names: list[str] = []
    depth, current = 0, []
    for char in value:
        if char in _OPEN:
            depth += 1
        elif char in _CLOSE and depth:
            depth -= 1
        if char in _UNIT_SEPARATORS and depth == 0:
            names.append("".join(current))
            current = []
        else:
            current.append(char)
    names.append("".join(current))
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))


def unknown_units(draft: dict) -> list[str]:
    """The unit names of a draft that match no organization, in order of first appearance."""
    names = services.draft_unit_names(draft)
    return [name for name, org in services.match_organizations(names).items() if org is None]


def measures_without_departments(draft: dict) -> list[int]:
    """Numbers of the measures that name no responsible unit: confirming gives them no task."""
    return [
        measure["number"]
        for section in draft.get("sections", [])
        for measure in section.get("measures", [])
        if not measure.get("departments")
    ]


def guess_kind(name: str) -> str:
    for suffixes, kind in _KIND_BY_SUFFIX:
        if name.endswith(suffixes):
            return kind
    return OrganizationKind.OTHER


@dataclass(frozen=True)
class UnitChoice:
    """What staff decided for one unknown unit name: an existing organization, or a new one.

    `remember` adds the name to the existing organization's other names, so that later notices
    writing it the same way match by themselves."""

    name: str
    organization: Organization | None = None
    new_name: str = ""
    new_kind: str = ""
    remember: bool = False


def _rename_units(draft: dict, renames: dict[str, str]) -> dict:
    draft = copy.deepcopy(draft)
    for section in draft.get("sections", []):
        for measure in section.get("measures", []):
            departments = list(dict.fromkeys(renames.get(n, n) for n in measure.get("departments", [])))
            lead = measure.get("lead")
            lead = renames.get(lead, lead) if lead else (departments[0] if departments else None)
            measure["departments"] = departments
            measure["lead"] = lead
            measure["co"] = [name for name in departments if name != lead]
    return draft


def _apply_choices(*, notice: Notice, draft: dict, choices: Iterable[UnitChoice], by) -> dict:
    """Create the new organizations and remember names, and rename mapped units in the draft.
    Choices for names that are not (or no longer) unknown are ignored."""
    unknown = set(unknown_units(draft))
    root = Organization.objects.filter(name=accounts_services.ROOT_NAME).first()
    renames: dict[str, str] = {}
    applied: dict[str, dict] = {}
    for choice in choices:
        if choice.name not in unknown or choice.name in renames:
            continue
        if choice.organization is not None:
            # Re-read under a lock: the aliases are extended, not overwritten with a stale list.
            org = Organization.objects.select_for_update().get(pk=choice.organization.pk)
            if choice.remember and choice.name not in org.aliases and choice.name != org.name:
                accounts_services.update_organization(
                    organization=org, by=by, aliases=[*org.aliases, choice.name]
                )
            applied[choice.name] = {"organization": org.pk, "created": False, "remembered": choice.remember}
        elif choice.new_kind:
            new_name = (choice.new_name or choice.name).strip()
            if choice.new_kind not in OrganizationKind.values:
                raise ValidationError(
                    _("“%(kind)s” is not a kind of organization.") % {"kind": choice.new_kind}
                )
            org = accounts_services.create_organization(
                name=new_name,
                kind=choice.new_kind,
                parent=root,
                by=by,
                aliases=[choice.name] if choice.name != new_name else [],
            )
            applied[choice.name] = {"organization": org.pk, "created": True}
        else:
            continue
        renames[choice.name] = org.name
    if applied:
        record_event(notice, "policy.notice.map_units", actor=by, after=applied)
    return _rename_units(draft, renames)


def _check_draft_shape(draft: dict) -> None:
    numbers = [m.get("number") for s in draft.get("sections", []) for m in s.get("measures", [])]
    if not numbers:
        raise ValidationError(_("The notice has no measures."))
    if len(set(numbers)) != len(numbers):
        raise ValidationError(_("Two measures have the same number."))
    for target in draft.get("targets", []):
        if target.get("measure") not in numbers:
            raise ValidationError(
                _("A target refers to measure %(number)s, which the notice does not have.")
                % {"number": target.get("measure")}
            )


# --- writes ----------------------------------------------------------------------------------------


@transaction.atomic
def save_draft(*, notice: Notice, draft: dict, by, choices: Iterable[UnitChoice] = ()) -> Notice:
    """Keep staff's edits of a draft, with the unit names they mapped or created so far."""
    if not rules.can_import_notice(by):
        raise PermissionDenied
    # The lock makes a second, concurrent confirmation wait and then find the notice confirmed,
    # before it creates any organization.
    locked = Notice.objects.select_for_update().filter(pk=notice.pk).first()
    if locked is None or locked.state != NoticeState.DRAFT:
        raise ValidationError(_("Only a draft notice can be edited."))
    _check_draft_shape(draft)
    draft = _apply_choices(notice=notice, draft=draft, choices=choices, by=by)
    return services.update_notice_draft(notice=notice, draft=draft, by=by)


@transaction.atomic
def confirm_draft(
    *, notice: Notice, draft: dict, by, choices: Iterable[UnitChoice] = (), due_date: date | None = None
) -> Notice:
    """Save the edits and confirm the notice in one transaction: every unit must then match an
    organization, else nothing is saved (not the edits, nor the organizations created)."""
    notice = save_draft(notice=notice, draft=draft, by=by, choices=choices)
    mapping = services.match_organizations(services.draft_unit_names(notice.draft))
    return services.confirm_notice(notice=notice, mapping=mapping, by=by, due_date=due_date)


@transaction.atomic
def discard_draft(*, notice: Notice, by) -> None:
    """Delete a draft that will not be confirmed; the audit trail keeps what it was."""
    if not rules.can_import_notice(by):
        raise PermissionDenied
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.state != NoticeState.DRAFT:
        raise ValidationError(_("Only a draft notice can be discarded."))
    record_event(
        notice,
        "policy.notice.discard",
        actor=by,
        before={"doc_number": notice.doc_number, "title": notice.title, "source_name": notice.source_name},
    )
    notice.delete()
