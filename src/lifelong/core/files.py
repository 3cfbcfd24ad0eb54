"""File storage: every upload is kept under the data directory, typed by its content.

Nothing here is reachable from a public URL. A view that serves a file first checks the
caller's access to whatever the file belongs to, then calls `open_file`.
"""

import hashlib
import io
import zipfile
from collections.abc import Iterable
from typing import IO

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from lifelong.core.audit import Action, record_event
from lifelong.core.exceptions import ValidationFailed
from lifelong.core.models import StoredFile

__all__ = ["KINDS", "detect_kind", "open_file", "store_file"]

# What each accepted kind is served as.
KINDS = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
}


def detect_kind(head: bytes, whole: IO[bytes] | None = None) -> str | None:
    """Return the kind of a file from its first bytes (and, for ZIP, its members), or None.

    The name and the browser's claimed type are never trusted: a renamed executable stays
    unknown.
    """
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04") and whole is not None:
        try:
            with zipfile.ZipFile(whole) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            whole.seek(0)
        if "[Content_Types].xml" not in names:
            return None
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        return None
    if b"\x00" not in head:
        # Text: CSV is accepted as text of any encoding; the importer decodes it strictly.
        return "csv"
    return None


def _read_head(upload: IO[bytes]) -> bytes:
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    return head


@transaction.atomic
def store_file(
    upload: File,
    *,
    acting_user: User | None,
    allowed: Iterable[str],
    max_bytes: int | None = None,
) -> StoredFile:
    """Check an upload's size and type, keep it under the data directory and return its row.

    Refuses, with a message naming the limit, a file over `max_bytes` (default: the
    LIFELONG_MAX_UPLOAD_BYTES setting) or of a kind not in `allowed`.
    """
    limit = max_bytes or settings.LIFELONG_MAX_UPLOAD_BYTES
    allowed = set(allowed)
    if upload.size is None or upload.size > limit:
        raise ValidationFailed(
            _("The file is too large: at most {limit} is accepted.").format(
                limit=filesizeformat(limit)
            )
        )
    raw: IO[bytes] = upload.file  # type: ignore[assignment]  # Django's File wraps a binary IO
    kind = detect_kind(_read_head(raw), raw)
    if kind not in allowed:
        raise ValidationFailed(
            _("This type of file is not accepted here. Accepted: {kinds}.").format(
                kinds=", ".join(sorted(k.upper() for k in allowed))
            )
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    day = timezone.now().strftime("%Y/%m/%d")
    name = default_storage.save(f"{day}/{get_random_string(24)}.{kind}", upload)
    stored = StoredFile(
        name=(upload.name or f"file.{kind}").rsplit("/", 1)[-1][:255],
        content_type=KINDS[kind],
        size=upload.size,
        sha256=digest.hexdigest(),
        path=name,
        uploaded_by=acting_user,
    )
    stored.full_clean()
    stored.save()
    record_event(Action.FILE_STORED, actor=acting_user, target=stored, data={"kind": kind})
    return stored


def open_file(stored: StoredFile) -> IO[bytes]:
    """Open a stored file for reading; the caller has already checked access."""
    handle = default_storage.open(stored.path, "rb")
    return handle if handle is not None else io.BytesIO()
