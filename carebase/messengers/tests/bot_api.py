"""A stand-in for api.telegram.org on loopback: the Bot API methods carebase
calls, answering as Telegram does, and recording what it was sent; plus a
receiver for a webhook's signed replies."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TOKEN = "123456:TEST-token_for-carebase"


class Commit:
    """`with Commit.now():` runs what waits for the commit (filing an update,
    sending a reply) at its end, as production does once the request's
    transaction commits; conftest.py sets it up for each test."""

    now: Any = None


@dataclass
class BotApi:
    base_url: str = ""
    token: str = TOKEN
    calls: list[tuple[str, Any]] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    fail_next: list[int] = field(default_factory=list)  # HTTP statuses for the next sends
    next_message_id: int = 500
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)  # webhook replies

    def sent(self, method: str) -> list[Any]:
        return [params for name, params in self.calls if name == method]


def _handler(api: BotApi) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: Any) -> None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            match = re.fullmatch(r"/file/bot(?P<token>[^/]+)/(?P<path>.+)", self.path)
            if match is None or match["token"] != api.token or match["path"] not in api.files:
                self._answer(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                return
            self._answer(200, api.files[match["path"]])

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            if self.path == "/callback":
                api.received.append((dict(self.headers.items()), raw))
                status = api.fail_next.pop(0) if api.fail_next else 200
                self._answer(status, {"ok": status == 200})
                return
            match = re.fullmatch(r"/bot(?P<token>[^/]+)/(?P<method>\w+)", self.path)
            if match is None or match["token"] != api.token:
                self._answer(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                return
            method = match["method"]
            if self.headers.get("Content-Type", "").startswith("multipart/"):
                names = re.findall(rb'name="(\w+)"(?:; filename="([^"]*)")?\r\n', raw)
                params: Any = {name.decode(): filename.decode() for name, filename in names}
                params["bytes"] = len(raw)
            else:
                params = json.loads(raw or b"{}")
            api.calls.append((method, params))
            if method in ("sendMessage", "sendDocument", "getFile") and api.fail_next:
                status = api.fail_next.pop(0)
                description = {
                    429: "Too Many Requests: retry after 1",
                    403: "Forbidden: bot was blocked by the user",
                }
                self._answer(
                    status,
                    {
                        "ok": False,
                        "error_code": status,
                        "description": description.get(status, "Bad Gateway"),
                    },
                )
                return
            if method == "getMe":
                result: Any = {
                    "id": 123456,
                    "is_bot": True,
                    "first_name": "Pomoc",
                    "username": "carebase_pomoc_bot",
                }
            elif method == "setWebhook":
                result = True
            elif method == "getFile":
                path = f"files/{params['file_id']}"
                if path not in api.files:
                    self._answer(
                        400,
                        {
                            "ok": False,
                            "error_code": 400,
                            "description": "Bad Request: invalid file_id",
                        },
                    )
                    return
                result = {
                    "file_id": params["file_id"],
                    "file_path": path,
                    "file_size": len(api.files[path]),
                }
            else:
                api.next_message_id += 1
                result = {
                    "message_id": api.next_message_id,
                    "date": 1764583200,
                    "chat": {"id": params.get("chat_id")},
                }
            self._answer(200, {"ok": True, "result": result})

    return Handler


@contextmanager
def bot_api() -> Iterator[BotApi]:
    api = BotApi()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(api))
    api.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield api
    finally:
        server.shutdown()
        server.server_close()
