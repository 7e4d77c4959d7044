"""Working days (工作日) on the Chinese calendar, with 调休: the ``chinese_calendar`` package.

Reply deadlines, 公示 windows and other "N working days" periods are counted here. The package knows
the State Council's holiday schedule for the years it was released with; a later year (published each
November) falls back to Monday–Friday until the package is updated, and ``is_known`` says so.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar


def is_known(day: date) -> bool:
    """Whether the official holiday schedule of ``day``'s year is known to the calendar package."""
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_workday(day):
            counted += 1
    return day


def workdays_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` ≤ ``start``)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day):
            count += 1
    return count


def next_workday(day: date) -> tuple[date, bool]:
    """``day`` itself if it is a working day, else the next one; and whether the calendar knew it."""
    known = True
    while True:
        known = known and is_known(day)
        if is_workday(day):
            return day, known
        day += timedelta(days=1)


def window(start: date, days: int) -> tuple[date, date, bool]:
    """A window of ``days`` working days (a 公示 period) from the first working day on or after
    ``start``: (first day, last day, whether the holiday calendar covered every day)."""
    first, known = next_workday(start)
    day, counted = first, 1
    while counted < days:
        day += timedelta(days=1)
        known = known and is_known(day)
        if is_workday(day):
            counted += 1
    return first, day, known
