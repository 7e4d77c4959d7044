"""Working days on the Chinese calendar (with 调休 make-up days), through the ``chinese_calendar``
package. For a year the package has no data for yet, weekends are the only days off and the caller
is told so (the publicity page says the window was computed without the holiday calendar)."""

from __future__ import annotations

import datetime as dt

import chinese_calendar


def is_workday(day: dt.date) -> tuple[bool, bool]:
    """(is a working day, the holiday calendar knew the year)."""
    try:
        return chinese_calendar.is_workday(day), True
    except NotImplementedError:
        return day.weekday() < 5, False


def next_workday(day: dt.date) -> tuple[dt.date, bool]:
    """``day`` itself if it is a working day, else the next one."""
    known = True
    while True:
        work, ok = is_workday(day)
        known = known and ok
        if work:
            return day, known
        day += dt.timedelta(days=1)


def window(start: dt.date, days: int) -> tuple[dt.date, dt.date, bool]:
    """A window of ``days`` working days starting on the first working day from ``start``:
    (first day, last day, the holiday calendar covered every day)."""
    first, known = next_workday(start)
    day, counted = first, 1
    while counted < days:
        day += dt.timedelta(days=1)
        work, ok = is_workday(day)
        known = known and ok
        if work:
            counted += 1
    return first, day, known
