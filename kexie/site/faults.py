"""Faults the platform answers clearly instead of with a stack trace: the database unreachable
(503, and the next request reconnects by itself) and the disk full while a file is stored (507, and
no partial or orphaned file is left behind).

- :class:`SafeFileSystemStorage` (``STORAGES["default"]``) writes an upload to a temporary file
  beside its destination and links it into place only when every byte is written: a reader never
  sees half a file, and a failed write (ENOSPC, EIO, a kill) leaves nothing under the real name.
- :class:`FaultMiddleware` remembers the files a request stored inside a transaction; when the
  transaction does not commit (the service failed after the first file), those files are deleted.
- :func:`server_error_view` (``handler500``) answers an unreachable database with a Chinese 503
  page (JSON under ``/api/``) and a full disk with a 507 page; every other error keeps the plain
  500 page. The error is still logged (``django.request``) with its traceback for the operator.

Recovery needs no restart: connections are persistent with health checks
(``conn_health_checks=True`` in settings), so a connection the server dropped is noticed at the
next request and replaced.
"""

from __future__ import annotations

import contextvars
import errno
import os
import sys
import tempfile
from contextlib import suppress

from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

DISK_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}

_pending_uploads: contextvars.ContextVar[set[str] | None] = contextvars.ContextVar(
    "pending_uploads", default=None
)


class StorageFull(OSError):
    """No room left to store a file (the original OSError is its cause)."""


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class SafeFileSystemStorage(FileSystemStorage):
    """FileSystemStorage that never leaves a partial file under a stored name."""

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=".upload-", suffix=".part", dir=directory)
        try:
            try:
                for chunk in content.chunks():
                    _write_all(fd, chunk if isinstance(chunk, bytes) else chunk.encode("utf-8"))
                os.fsync(fd)
            finally:
                os.close(fd)
            while True:
                try:
                    os.link(temporary, full_path)  # atomic, and fails instead of overwriting
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        except OSError as exc:
            if exc.errno in DISK_ERRNOS:
                raise StorageFull(exc.errno, os.strerror(exc.errno)) from exc
            raise
        finally:
            with suppress(FileNotFoundError):
                os.unlink(temporary)
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        name = os.path.relpath(full_path, self.location).replace("\\", "/")
        _remember_until_commit(self, name)
        return name


class _Forget:
    """The on-commit callback of a stored file: once it has run, the file belongs to committed data."""

    def __init__(self, pending: set, storage: FileSystemStorage, name: str):
        self.pending, self.storage, self.name = pending, storage, name

    def __call__(self) -> None:
        self.pending.discard(self)


def _remember_until_commit(storage: FileSystemStorage, name: str) -> None:
    pending = _pending_uploads.get()
    if pending is None or not connection.in_atomic_block:
        return
    forget = _Forget(pending, storage, name)
    pending.add(forget)
    # Run when the transaction commits; dropped by Django when the (save)point the file was stored
    # in rolls back, which is how the middleware tells a file of rolled-back data.
    transaction.on_commit(forget)


def _orphans(pending: set) -> list[_Forget]:
    """Files whose transaction rolled back: their callback neither ran nor waits for a commit (a
    transaction still open around the request, as in a test case, keeps its files)."""
    waiting = {id(func) for _sids, func, _robust in connection.run_on_commit}
    return [entry for entry in pending if id(entry) not in waiting]


class FaultMiddleware:
    """Deletes files a request stored in a transaction that never committed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        pending: set = set()
        token = _pending_uploads.set(pending)
        try:
            return self.get_response(request)
        finally:
            _pending_uploads.reset(token)
            for entry in _orphans(pending):
                with suppress(OSError):
                    entry.storage.delete(entry.name)


def _fault_kind(exc: BaseException | None) -> str | None:
    while exc is not None:
        if isinstance(exc, OperationalError | InterfaceError) or (
            isinstance(exc, DatabaseError) and "connection" in str(exc).lower()
        ):
            return "database"
        if isinstance(exc, StorageFull) or (isinstance(exc, OSError) and exc.errno in DISK_ERRNOS):
            return "disk"
        exc = exc.__cause__ or exc.__context__
    return None


def server_error_view(request, *args, **kwargs):
    """handler500: a 503 for an unreachable database, a 507 for a full disk, else a plain 500."""
    kind = _fault_kind(sys.exc_info()[1])
    if kind == "database":
        status = 503
        title = _("The service is temporarily unavailable")
        message = _(
            "The database cannot be reached at the moment. Nothing you sent was saved. Please try "
            "again in a minute; the platform reconnects by itself."
        )
    elif kind == "disk":
        status = 507
        title = _("The file could not be stored")
        message = _(
            "The server has no room left to store files. Nothing was saved and no partial file was "
            "kept. Please try again later and tell the system administrator."
        )
    else:
        status = 500
        title = _("Server error")
        message = _("Something went wrong on our side. Nothing was saved; please try again.")
    if request.path.startswith("/api/") or request.path == "/healthz":
        response = JsonResponse({"detail": message, "status": "unavailable" if status == 503 else "error"})
    else:
        # A page of its own: base.html would reach the database again (navigation, user, to-dos).
        response = HttpResponse(render_to_string("site/error.html", {"title": title, "message": message}))
    response.status_code = status
    if status == 503:
        response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response
