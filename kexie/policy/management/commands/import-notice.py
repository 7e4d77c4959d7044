"""`kexie import-notice FILE [--user USERNAME] [--confirm] [--due-date YYYY-MM-DD]`: read a notice
into a draft, and with --confirm confirm it at once when every unit matches an organization."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from kexie.accounts.enums import Role
from kexie.accounts.models import User
from kexie.policy import services
from kexie.policy.models import Notice, Task
from kexie.policy.notices import importing
from kexie.policy.notices.parser import NoticeParseError

BAD_INPUT = 2  # the file or the arguments: nothing was saved
REFUSED = 1  # the notice was read but could not be confirmed, or the user may not import


class Command(BaseCommand):
    help = (
        "Import a notice (.txt, .docx or .pdf) as a draft to check in the browser; with --confirm, "
        "confirm it at once when every responsible unit matches an organization."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the notice: a .txt, .docx or .pdf file")
        parser.add_argument(
            "--user",
            help="the supervision officer or leader who imports it (default: the first active supervision "
            "officer, else the first leader)",
        )
        parser.add_argument("--confirm", action="store_true", help="confirm the notice right away")
        parser.add_argument("--due-date", type=_date, help="default due date of the tasks (YYYY-MM-DD)")

    def handle(self, *args, file: str, user: str | None, confirm: bool, due_date: date | None, **options):
        by = _user(user)
        try:
            text = importing.read_path(file)
        except importing.NoticeFileError as exc:
            raise CommandError(exc.message, returncode=BAD_INPUT) from None
        try:
            with transaction.atomic():
                notice = services.create_notice_draft(text=text, source_name=Path(file).name, by=by)
                if confirm:
                    notice = self._confirm(notice, by=by, due_date=due_date)
        except NoticeParseError as exc:
            raise CommandError(exc.message, returncode=BAD_INPUT) from None
        except PermissionDenied:
            raise CommandError(
                _("%(user)s may not import notices: that needs the supervision officer or leader role.")
                % {"user": by.get_username()},
                returncode=REFUSED,
            ) from None
        self._report(notice, confirmed=confirm)

    def _confirm(self, notice: Notice, *, by, due_date: date | None) -> Notice:
        unknown = importing.unknown_units(notice.draft)
        if unknown:
            raise CommandError(
                _(
                    "Not confirmed, and nothing was saved: these units match no organization: %(names)s. "
                    "Import the notice without --confirm and map them on its draft page."
                )
                % {"names": "、".join(unknown)},
                returncode=REFUSED,
            )
        try:
            return importing.confirm_draft(notice=notice, draft=notice.draft, by=by, due_date=due_date)
        except ValidationError as exc:
            raise CommandError(
                _("Not confirmed, and nothing was saved: %(reason)s") % {"reason": " ".join(exc.messages)},
                returncode=REFUSED,
            ) from None

    def _report(self, notice: Notice, *, confirmed: bool) -> None:
        measures = sum(len(s.get("measures", [])) for s in notice.draft.get("sections", []))
        values = {"id": notice.pk, "title": notice.title, "measures": measures}
        without = importing.measures_without_departments(notice.draft)
        if without:
            self.stderr.write(
                _("Measures without a responsible unit (no task): %(numbers)s")
                % {"numbers": "、".join(map(str, without))}
            )
        if confirmed:
            values["tasks"] = Task.objects.filter(measure__notice=notice).count()
            self.stdout.write(
                self.style.SUCCESS(
                    _("Confirmed notice %(id)s “%(title)s”: measures: %(measures)s, tasks: %(tasks)s.")
                    % values
                )
            )
            self.stdout.write(reverse("policy:notice_detail", args=[notice.pk]))
            return
        self.stdout.write(
            self.style.SUCCESS(_("Draft notice %(id)s “%(title)s” saved: measures: %(measures)s.") % values)
        )
        unknown = importing.unknown_units(notice.draft)
        if unknown:
            self.stdout.write(
                _("Units that match no organization: %(names)s") % {"names": "、".join(unknown)}
            )
        self.stdout.write(
            _("Check and confirm it at %(path)s") % {"path": reverse("policy:notice_draft", args=[notice.pk])}
        )


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value}
        ) from None


def _user(username: str | None) -> User:
    if username:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(
                _("There is no active user “%(user)s”.") % {"user": username}, returncode=BAD_INPUT
            )
        return user
    for role in (Role.SUPERVISOR, Role.LEADER):
        user = (
            User.objects.filter(is_active=True, memberships__role=role, memberships__is_active=True)
            .order_by("pk")
            .first()
        )
        if user is not None:
            return user
    raise CommandError(
        _("Name the importing user with --user USERNAME: no supervision officer or leader account exists."),
        returncode=BAD_INPUT,
    )
