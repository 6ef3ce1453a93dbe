"""Storing and serving attachments safely.

Files are stored under random names in the media folder, which nothing serves
directly; they are sent only by `download` after the same permission check as
their message, always as a download, with a content type that cannot make the
browser run anything.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from carebase.tickets.models import Attachment, Message

# Types a browser shows without running code; everything else is sent as
# application/octet-stream (HTML, SVG and scripts above all).
SAFE_TYPES = {
    "application/pdf", "application/zip", "application/msword", "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "audio/mpeg", "audio/wav", "audio/x-wav", "audio/ogg", "image/gif", "image/jpeg",
    "image/png", "image/webp", "text/csv", "text/plain", "video/mp4",
}  # fmt: skip


def safe_content_type(filename: str) -> str:
    guessed, _encoding = mimetypes.guess_type(filename)
    return guessed if guessed in SAFE_TYPES else "application/octet-stream"


def clean_filename(name: str) -> str:
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"\r\n')
    return name.strip()[:255] or "attachment"


def check_sizes(files: Iterable[UploadedFile]) -> None:
    limit = settings.ATTACHMENT_MAX_BYTES
    problems = [
        _("“%(name)s” is %(size)s; the limit is %(limit)s.")
        % {
            "name": file.name,
            "size": filesizeformat(file.size or 0),
            "limit": filesizeformat(limit),
        }
        for file in files
        if (file.size or 0) > limit
    ]
    if problems:
        raise ValidationError({"attachments": problems})


def store(message: Message, files: Iterable[UploadedFile]) -> list[Attachment]:
    stored = []
    for file in files:
        filename = clean_filename(file.name or "")
        attachment = Attachment(
            message=message,
            filename=filename,
            content_type=safe_content_type(filename),
            size=file.size or 0,
            # An email's inline image: its HTML refers to it as cid:<content_id>.
            content_id=str(getattr(file, "content_id", ""))[:255],
        )
        attachment.file.save(filename, file, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def download_response(user: Any, attachment_id: int) -> FileResponse:
    """The file, for someone who may read its message; 404 for anyone else.
    Always a download, never a page (see the module docstring)."""
    from carebase.tickets.access import access_ticket, messages_for

    attachment = Attachment.objects.select_related("message").filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    ticket = access_ticket(user, attachment.message.ticket_id)
    if not messages_for(user, ticket).filter(pk=attachment.message_id).exists():
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
