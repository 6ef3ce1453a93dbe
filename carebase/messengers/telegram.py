"""A small client of the Telegram Bot API (https://core.telegram.org/bots/api),
at the bot's configurable base URL: a self-hosted Bot API server, or in the
tests a server on loopback standing in for api.telegram.org."""

from __future__ import annotations

import json
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from carebase.messengers.models import TelegramBot

TIMEOUT = 15


class TelegramError(Exception):
    """The Bot API refused or could not be reached. `permanent` when trying
    again cannot help (a chat that blocked the bot, a revoked token)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes
    content_type: str


def _base(bot: TelegramBot) -> str:
    base = bot.api_base_url.rstrip("/")
    if not base.startswith(("https://", "http://")):
        raise TelegramError("The Bot API address is not an http(s) URL.", permanent=True)
    return base


def _url(bot: TelegramBot, token: str, method: str) -> str:
    return f"{_base(bot)}/bot{token}/{method}"


def call(
    bot: TelegramBot,
    method: str,
    params: dict[str, Any] | None = None,
    *,
    upload: tuple[str, Upload] | None = None,
    token: str | None = None,
) -> Any:
    """Call a Bot API method; its `result`, or TelegramError."""
    token = token if token is not None else bot.token
    if upload is None:
        data = json.dumps(params or {}).encode()
        content_type = "application/json"
    else:
        data, content_type = _multipart(params or {}, *upload)
    request = urllib.request.Request(  # noqa: S310 (_base checks the scheme)
        _url(bot, token, method),
        data=data,
        method="POST",
        headers={"Content-Type": content_type, "User-Agent": "carebase"},
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 (the bot's configured https URL)
            body = response.read()
    except urllib.error.HTTPError as error:
        body = error.read()
        answer = _answer(body)
        description = answer.get("description") or f"HTTP {error.code}"
        # 400 (bad request), 401 (token), 403 (blocked by the user), 404: waiting does not help.
        raise TelegramError(description, permanent=error.code in (400, 401, 403, 404)) from None
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise TelegramError(f"The Bot API did not answer: {reason}") from None
    answer = _answer(body)
    if not answer.get("ok"):
        raise TelegramError(answer.get("description") or "The Bot API answered without ok.")
    return answer.get("result")


def _answer(body: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(body)
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}


def download(bot: TelegramBot, file_id: str) -> bytes:
    """A file a client sent: getFile, then the file itself (at most
    ATTACHMENT_MAX_BYTES; the Bot API serves up to 20 MB)."""
    found = call(bot, "getFile", {"file_id": file_id})
    path = found.get("file_path") if isinstance(found, dict) else None
    if not path:
        raise TelegramError("The Bot API gave no path for the file.")
    size = found.get("file_size") or 0
    if size > settings.ATTACHMENT_MAX_BYTES:
        raise TelegramError(f"The file is {size} bytes, over the limit.", permanent=True)
    url = f"{_base(bot)}/file/bot{bot.token}/{path}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 (the bot's configured URL)
            content: bytes = response.read(settings.ATTACHMENT_MAX_BYTES + 1)
    except (urllib.error.URLError, OSError) as error:
        raise TelegramError(f"The file could not be downloaded: {error}") from None
    if len(content) > settings.ATTACHMENT_MAX_BYTES:
        raise TelegramError("The file is over the limit.", permanent=True)
    return content


def _multipart(params: dict[str, Any], field: str, upload: Upload) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in params.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    filename = upload.filename.replace('"', "").replace("\r", "").replace("\n", "")
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}";'
            f' filename="{filename}"\r\nContent-Type: {upload.content_type}\r\n\r\n'
        ).encode()
        + upload.content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
