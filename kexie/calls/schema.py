"""The application form as data, and the answers checked against it.

A schema is ``{"sections": [{"key", "title", "fields": [field, …]}, …]}``; a field is
``{"key", "label", "type", "required", …}`` with, per type:

- ``text``: ``max_length`` (default 200); ``longtext``: ``min_length``, ``max_length`` (default 5000)
- ``number``: ``min``, ``max``, ``integer``; ``date``: ``min``, ``max`` (ISO dates)
- ``choice``: ``choices`` (``[[value, label], …]``), ``multiple``
- ``persons``: ``columns`` (``[{"key", "label"}, …]``), ``max_rows`` — a person table (team, referees)
- ``file``: ``extensions`` (``["pdf", …]``), ``max_size_mb`` (default 10)

``validate_schema`` refuses a schema that does not make sense (every problem at once, in Chinese,
naming the section and field); ``clean_answers`` checks a nominee's answers and returns the errors
per field key.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

FIELD_TYPES = ("text", "longtext", "number", "date", "choice", "persons", "file")
KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
MAX_FILE_MB = 50


def fields_of(schema: dict) -> list[dict]:
    return [f for section in (schema or {}).get("sections", []) for f in section.get("fields", [])]


def field_map(schema: dict) -> dict[str, dict]:
    return {f["key"]: f for f in fields_of(schema)}


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _date(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def validate_schema(schema) -> None:  # noqa: PLR0912 - one check per kind of mistake
    """Raise ValidationError listing every problem of ``schema``; return None when it is usable."""
    errors: list[str] = []
    if not isinstance(schema, dict) or not isinstance(schema.get("sections"), list) or not schema["sections"]:
        raise ValidationError(_("The form needs a list of sections (“sections”) with at least one section."))
    seen: set[str] = set()
    for s_index, section in enumerate(schema["sections"], start=1):
        if not isinstance(section, dict):
            errors.append(_("Section %(n)s is not an object.") % {"n": s_index})
            continue
        title = section.get("title") or _("section %(n)s") % {"n": s_index}
        fields = section.get("fields")
        if not isinstance(fields, list) or not fields:
            errors.append(_("Section “%(section)s” has no fields.") % {"section": title})
            continue
        for f_index, field in enumerate(fields, start=1):
            where = {"section": title, "n": f_index}
            if not isinstance(field, dict):
                errors.append(_("Section “%(section)s”, field %(n)s is not an object.") % where)
                continue
            key = field.get("key", "")
            label = field.get("label") or key or str(f_index)
            where["field"] = label
            if not isinstance(key, str) or not KEY.match(key):
                errors.append(
                    _(
                        "Section “%(section)s”, field “%(field)s”: the key must start with a letter and use "
                        "only lower-case letters, digits and underscores."
                    )
                    % where
                )
            elif key in seen:
                errors.append(
                    _("Section “%(section)s”: the key “%(key)s” is used twice.") % {**where, "key": key}
                )
            seen.add(key)
            if not field.get("label"):
                errors.append(_("Section “%(section)s”, field %(n)s has no label.") % where)
            kind = field.get("type")
            if kind not in FIELD_TYPES:
                errors.append(
                    _("Field “%(field)s”: unknown type “%(type)s”; use one of %(types)s.")
                    % {**where, "type": kind, "types": "、".join(FIELD_TYPES)}
                )
                continue
            errors += _check_field_options(field, kind, where)
    if errors:
        raise ValidationError(errors)


def _check_field_options(field: dict, kind: str, where: dict) -> list[str]:  # noqa: PLR0912
    errors = []
    for bound in ("min_length", "max_length", "max_rows", "max_size_mb"):
        if bound in field and (not isinstance(field[bound], int) or field[bound] < 0):
            errors.append(
                _("Field “%(field)s”: “%(option)s” must be a whole number ≥ 0.") % {**where, "option": bound}
            )
    lengths = (field.get("min_length"), field.get("max_length"))
    if all(isinstance(n, int) for n in lengths) and lengths[0] > lengths[1]:
        errors.append(_("Field “%(field)s”: the minimum length is above the maximum.") % where)
    if kind == "number":
        for bound in ("min", "max"):
            if bound in field and not _is_number(field[bound]):
                errors.append(
                    _("Field “%(field)s”: “%(option)s” must be a number.") % {**where, "option": bound}
                )
        if _is_number(field.get("min")) and _is_number(field.get("max")) and field["min"] > field["max"]:
            errors.append(_("Field “%(field)s”: the minimum is above the maximum.") % where)
    if kind == "date":
        for bound in ("min", "max"):
            if bound in field and _date(field[bound]) is None:
                errors.append(
                    _("Field “%(field)s”: “%(option)s” must be a date such as 2026-06-30.")
                    % {**where, "option": bound}
                )
    if kind == "choice":
        choices = field.get("choices")
        ok = (
            isinstance(choices, list)
            and choices
            and all(isinstance(c, list | tuple) and len(c) == 2 for c in choices)
        )
        if not ok:
            errors.append(_("Field “%(field)s”: a choice needs “choices” as [[value, label], …].") % where)
    if kind == "persons":
        columns = field.get("columns")
        if (
            not isinstance(columns, list)
            or not columns
            or not all(isinstance(c, dict) and c.get("key") for c in columns)
        ):
            errors.append(_("Field “%(field)s”: a person table needs “columns” with a key each.") % where)
    if kind == "file":
        extensions = field.get("extensions")
        if not isinstance(extensions, list) or not extensions:
            errors.append(
                _("Field “%(field)s”: a file field needs its allowed types (“extensions”).") % where
            )
        size = field.get("max_size_mb", 10)
        if isinstance(size, int) and not 0 < size <= MAX_FILE_MB:
            errors.append(
                _("Field “%(field)s”: the size limit must be between 1 and %(max)s MB.")
                % {**where, "max": MAX_FILE_MB}
            )
    return errors


def clean_answers(schema: dict, data: dict, *, final: bool, files: dict | None = None) -> tuple[dict, dict]:
    """Check ``data`` against ``schema``: (cleaned answers, {field key: message}). With ``final``
    (submitting) required fields must be filled; a draft may be incomplete but not wrong. ``files``
    maps file-field keys to the names already attached."""
    cleaned: dict = {}
    errors: dict[str, str] = {}
    files = files or {}
    for field in fields_of(schema):
        key, label, kind = field["key"], field.get("label", field["key"]), field["type"]
        value = data.get(key)
        if kind == "file":
            if final and field.get("required") and not files.get(key):
                errors[key] = _("“%(field)s”: please attach the file.") % {"field": label}
            continue
        empty = value is None or value in ("", [], {})
        if empty:
            if final and field.get("required"):
                errors[key] = _("“%(field)s” is required.") % {"field": label}
            continue
        try:
            cleaned[key] = _clean_value(field, value)
        except ValidationError as exc:
            errors[key] = exc.messages[0]
    return cleaned, errors


def _clean_value(field: dict, value):  # noqa: C901, PLR0912 - one branch per field type
    label, kind = field.get("label", field["key"]), field["type"]
    if kind in ("text", "longtext"):
        text = str(value).strip()
        limit = field.get("max_length", 200 if kind == "text" else 5000)
        if len(text) > limit:
            raise ValidationError(
                _("“%(field)s” is too long: %(n)s characters, at most %(max)s.")
                % {"field": label, "n": len(text), "max": limit}
            )
        if len(text) < field.get("min_length", 0):
            raise ValidationError(
                _("“%(field)s” is too short: %(n)s characters, at least %(min)s.")
                % {"field": label, "n": len(text), "min": field["min_length"]}
            )
        return text
    if kind == "number":
        try:
            number = float(str(value).strip())
        except ValueError:
            raise ValidationError(_("“%(field)s” must be a number.") % {"field": label}) from None
        if field.get("integer") and not number.is_integer():
            raise ValidationError(_("“%(field)s” must be a whole number.") % {"field": label})
        if "min" in field and number < field["min"] or "max" in field and number > field["max"]:
            raise ValidationError(
                _("“%(field)s” must be between %(min)s and %(max)s.")
                % {"field": label, "min": field.get("min", "—"), "max": field.get("max", "—")}
            )
        return int(number) if field.get("integer") else number
    if kind == "date":
        day = _date(value)
        if day is None:
            raise ValidationError(_("“%(field)s” must be a date such as 1990-05-01.") % {"field": label})
        if "min" in field and day < _date(field["min"]) or "max" in field and day > _date(field["max"]):
            raise ValidationError(
                _("“%(field)s” must be between %(min)s and %(max)s.")
                % {"field": label, "min": field.get("min", "—"), "max": field.get("max", "—")}
            )
        return day.isoformat()
    if kind == "choice":
        allowed = {str(c[0]) for c in field["choices"]}
        values = value if isinstance(value, list) else [value]
        if not field.get("multiple") and len(values) > 1:
            raise ValidationError(_("“%(field)s”: choose one.") % {"field": label})
        bad = [str(v) for v in values if str(v) not in allowed]
        if bad:
            raise ValidationError(
                _("“%(field)s”: “%(value)s” is not one of the choices.") % {"field": label, "value": bad[0]}
            )
        return [str(v) for v in values] if field.get("multiple") else str(values[0])
    if kind == "persons":
        if not isinstance(value, list):
            raise ValidationError(_("“%(field)s” must be a table of people.") % {"field": label})
        keys = [c["key"] for c in field["columns"]]
        rows = []
        for row in value:
            if not isinstance(row, dict):
                raise ValidationError(_("“%(field)s” must be a table of people.") % {"field": label})
            cleaned = {k: str(row.get(k, "")).strip()[:200] for k in keys}
            if any(cleaned.values()):
                rows.append(cleaned)
        if len(rows) > field.get("max_rows", 20):
            raise ValidationError(
                _("“%(field)s”: at most %(max)s rows.") % {"field": label, "max": field.get("max_rows", 20)}
            )
        return rows
    raise ValidationError(_("“%(field)s”: unknown field type.") % {"field": label})


def check_file(field: dict, upload) -> None:
    """The type and size limits of a file field; the content signature is checked by core.uploads."""
    from kexie.core.uploads import check_upload

    label = field.get("label", field["key"])
    name = getattr(upload, "name", "") or ""
    extension = Path(name).suffix.lower().lstrip(".")
    allowed = [e.lower().lstrip(".") for e in field.get("extensions", [])]
    if extension not in allowed:
        raise ValidationError(
            _("“%(field)s”: “%(name)s” is not an accepted type; accepted: %(allowed)s.")
            % {"field": label, "name": name, "allowed": "、".join(allowed)}
        )
    limit = field.get("max_size_mb", 10)
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(
            _("“%(field)s”: “%(name)s” is %(size).1f MB, larger than the limit of %(max)s MB.")
            % {"field": label, "name": name, "size": upload.size / 1024 / 1024, "max": limit}
        )
    try:
        check_upload(upload, name=name)
    except ValidationError as exc:
        raise ValidationError(
            _("“%(field)s”: %(problem)s") % {"field": label, "problem": exc.messages[0]}
        ) from None


def display_value(field: dict, value) -> str:
    if value in (None, "", []):
        return ""
    if field["type"] == "choice":
        labels = {str(c[0]): str(c[1]) for c in field["choices"]}
        values = value if isinstance(value, list) else [value]
        return "、".join(labels.get(str(v), str(v)) for v in values)
    if field["type"] == "persons":
        return "；".join("，".join(v for v in row.values() if v) for row in value)
    return str(value)
