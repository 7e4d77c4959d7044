"""`kexie parse-notice FILE [--json]`: print what the parser reads in a notice, touching no database."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kexie.policy.enums import Comparator
from kexie.policy.notices.importing import NoticeFileError, chinese_numeral, parse_json, read_path
from kexie.policy.notices.parser import NoticeParseError, ParsedNotice, parse_notice

# Exit status for a file that cannot be read as a notice (as for a usage error).
BAD_INPUT = 2


class Command(BaseCommand):
    help = "Parse a notice (.txt, .docx or .pdf) and print the result; nothing is saved."
    # No system checks: they are not needed to parse a file, and the command must not touch the database.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="the notice: a .txt, .docx or .pdf file")
        parser.add_argument("--json", action="store_true", dest="as_json", help="print the parse as JSON")

    def handle(self, *args, file: str, as_json: bool = False, **options):
        parsed = parse_file(file)
        if as_json:
            self.stdout.write(_dumps(parse_json(parsed)))
        else:
            self.stdout.write(summary(parsed))


def parse_file(file: str) -> ParsedNotice:
    try:
        return parse_notice(read_path(file))
    except (NoticeFileError, NoticeParseError) as exc:
        raise CommandError(exc.message, returncode=BAD_INPUT) from None


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def _value(value) -> str:
    return str(value) if value not in (None, "", []) else "—"


def summary(parsed: ParsedNotice) -> str:
    """A readable account of the parse, in the user's language."""
    lines = [
        _("Document number: %(value)s") % {"value": _value(parsed.doc_number)},
        _("Issuer: %(value)s") % {"value": _value(parsed.issuer)},
        _("Date: %(value)s") % {"value": _value(parsed.date.isoformat() if parsed.date else None)},
        _("Title: %(value)s") % {"value": _value(parsed.title)},
        _("Recipients: %(value)s") % {"value": _value("、".join(parsed.recipients))},
        "",
    ]
    for section in parsed.sections:
        if section.number is not None or section.title:
            label = f"{chinese_numeral(section.number)}、" if section.number else ""
            lines.append(f"{label}{section.title or ''}")
        for measure in section.measures:
            lines.append(f"  {measure.number}. {measure.title}")
            if measure.departments:
                units = "、".join(
                    _("%(unit)s (lead)") % {"unit": unit} if unit == measure.lead else unit
                    for unit in measure.departments
                )
                lines.append("     " + _("Responsible units: %(units)s") % {"units": units})
            else:
                lines.append("     " + _("Responsible units: none found"))
    if parsed.targets:
        lines += ["", _("Quantitative targets:")]
        for target in parsed.targets:
            values = {
                "number": target.measure,
                "year": target.year,
                "metric": target.metric,
                "comparator": Comparator(target.comparator).label,
                "value": target.value,
                "unit": target.unit or "",
            }
            if target.year:
                line = (
                    _("Measure %(number)s: by %(year)s, %(metric)s %(comparator)s %(value)s%(unit)s") % values
                )
            else:
                line = _("Measure %(number)s: %(metric)s %(comparator)s %(value)s%(unit)s") % values
            lines.append("  " + line)
    measures = len(parsed.measures)
    lines += [
        "",
        _("Sections: %(sections)s, measures: %(measures)s, targets: %(targets)s.")
        % {"sections": len(parsed.sections), "measures": measures, "targets": len(parsed.targets)},
    ]
    return "\n".join(lines)
