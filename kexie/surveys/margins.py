"""Reading population margins from an uploaded .xlsx, with every problem named by sheet and row."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from kexie.core.spreadsheets import ImportRefused, cell_text, open_workbook

VARIABLE_HEADERS = {"variable", "变量", "变量名"}
CATEGORY_HEADERS = {"category", "类别", "分类"}
POPULATION_HEADERS = {"population", "人口", "人口数", "总体"}
# Margins agree on the population total to this relative tolerance.
TOTAL_TOLERANCE = 1e-6


@dataclass
class MarginTable:
    margins: dict[str, dict[str, float]] = field(default_factory=dict)
    # Where each category was read, for messages: {variable: {category: "Sheet …, row …"}}
    rows: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(next(iter(self.margins.values())).values()) if self.margins else 0.0


_cell = cell_text


def read_margins(file) -> MarginTable:  # noqa: PLR0912, PLR0915 - one pass that reports every row's problems
    """Sheets either have the columns variable, category, population (English or Chinese headers)
    or are named after the variable and have category, population."""
    try:
        workbook = open_workbook(file)
    except ImportRefused as exc:
        raise ValidationError(exc.messages, code="bad_file") from None
    table = MarginTable()
    errors: list[str] = []
    for sheet in workbook.worksheets:
        rows = sheet.iter_rows(values_only=True)
        header = [_cell(v).lower() for v in next(rows, ())]
        columns = {}
        for n, name in enumerate(header):
            for key, names in (
                ("variable", VARIABLE_HEADERS),
                ("category", CATEGORY_HEADERS),
                ("population", POPULATION_HEADERS),
            ):
                if name in names:
                    columns[key] = n
        if not header or not any(header):
            continue
        if "category" not in columns or "population" not in columns:
            errors.append(
                _("Sheet %(sheet)s: the first row must name the columns variable, category and population.")
                % {"sheet": sheet.title}
            )
            continue
        for number, row in enumerate(rows, start=2):
            if not any(_cell(v) for v in row):
                continue
            where = _("Sheet %(sheet)s, row %(row)s") % {"sheet": sheet.title, "row": number}
            variable = _cell(row[columns["variable"]]) if "variable" in columns else sheet.title.strip()
            category = _cell(row[columns["category"]]) if columns["category"] < len(row) else ""
            raw = row[columns["population"]] if columns["population"] < len(row) else None
            if not variable:
                errors.append(_("%(where)s: the variable is empty.") % {"where": where})
                continue
            if not category:
                errors.append(_("%(where)s: the category is empty.") % {"where": where})
                continue
            try:
                population = float(str(raw).replace(",", "")) if raw is not None and _cell(raw) else math.nan
            except ValueError:
                population = math.nan
            if not math.isfinite(population) or population < 0:
                errors.append(
                    _("%(where)s: the population of %(category)s must be a number of zero or more.")
                    % {"where": where, "category": category}
                )
                continue
            seen = table.rows.setdefault(variable, {})
            if category in seen:
                errors.append(
                    _("%(where)s: %(variable)s = %(category)s appears twice (also %(other)s).")
                    % {"where": where, "variable": variable, "category": category, "other": seen[category]}
                )
                continue
            seen[category] = where
            table.margins.setdefault(variable, {})[category] = population
    workbook.close()
    if not errors and not table.margins:
        errors.append(_("The file contains no margins."))
    if not errors:
        totals = {variable: sum(values.values()) for variable, values in table.margins.items()}
        reference = max(totals.values())
        if reference <= 0 or any(abs(t - reference) > TOTAL_TOLERANCE * reference for t in totals.values()):
            errors.append(
                _("The margins do not sum to the same population total: %(totals)s.")
                % {"totals": "; ".join(f"{v} = {t:,.0f}" for v, t in totals.items())}
            )
    if errors:
        raise ValidationError(errors, code="invalid")
    return table
