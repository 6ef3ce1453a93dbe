"""Personas and clients for the tests of every app (imported by the root conftest).

Personas: an admin, a head of support, a support agent, a head of CS, a CS
manager, a mentor, a trainee, a sales person, a customer of organization
"Acme", a customer of another organization ("Globex"), and an outsider who
holds no role at all.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from carebase.accounts.actions import do_create_api_token, do_create_user
from carebase.accounts.models import User
from carebase.core.roles import Role

PASSWORD = "correct-horse-battery-42"


def make_user(username: str, *roles: Role, **fields: Any) -> User:
    fields.setdefault("email", f"{username}@example.com")
    return do_create_user(username, roles=list(roles), password=PASSWORD, **fields)


def make_customer(username: str, organization_name: str) -> User:
    from carebase.crm.actions import do_create_customer_user

    user, _contact, _organization = do_create_customer_user(
        username,
        organization_name=organization_name,
        email=f"{username}@{organization_name.lower().replace(' ', '-')}.example",
        password=PASSWORD,
        name=username.title(),
    )
    return user


@pytest.fixture
def admin(db) -> User:
    return make_user("admin1", Role.ADMIN)


@pytest.fixture
def head_of_support(db) -> User:
    return make_user("head1", Role.HEAD_OF_SUPPORT)


@pytest.fixture
def agent(db) -> User:
    return make_user("agent1", Role.SUPPORT_AGENT, first_name="Piotr", last_name="Agent")


@pytest.fixture
def head_of_success(db) -> User:
    return make_user("cshead1", Role.HEAD_OF_SUCCESS)


@pytest.fixture
def cs_manager(db) -> User:
    return make_user("csm1", Role.CS_MANAGER)


@pytest.fixture
def mentor(db) -> User:
    return make_user("mentor1", Role.MENTOR)


@pytest.fixture
def trainee(db) -> User:
    return make_user("trainee1", Role.TRAINEE)


@pytest.fixture
def sales(db) -> User:
    return make_user("sales1", Role.SALES)


@pytest.fixture
def customer(db) -> User:
    return make_customer("acmeuser", "Acme")


@pytest.fixture
def other_customer(db) -> User:
    return make_customer("globexuser", "Globex")


@pytest.fixture
def outsider(db) -> User:
    """Signed in, but holding no role."""
    return User.objects.create_user("outsider1", "outsider@example.com", PASSWORD)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


class ApiClient:
    """Calls /api/v1/ as a user, with a real Bearer token."""

    def __init__(self, user: User | None = None, token: str | None = None) -> None:
        self.client = Client()
        if user is not None and token is None:
            _row, token = do_create_api_token(user, name="tests", actor=user)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def _call(self, method: str, path: str, body: Any = None, raw: str | None = None):
        data = raw if raw is not None else (json.dumps(body) if body is not None else None)
        kwargs: dict[str, Any] = {"headers": self.headers}
        if data is not None:
            kwargs.update(data=data, content_type="application/json")
        return getattr(self.client, method)(f"/api/v1{path}", **kwargs)

    def get(self, path: str, **params: Any):
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def post(self, path: str, body: Any = None, raw: str | None = None):
        return self._call("post", path, body, raw)

    def patch(self, path: str, body: Any = None, raw: str | None = None):
        return self._call("patch", path, body, raw)

    def put(self, path: str, body: Any = None, raw: str | None = None):
        return self._call("put", path, body, raw)

    def delete(self, path: str):
        return self._call("delete", path)


@pytest.fixture
def media_in_tmp(settings: Any, tmp_path: Any) -> Any:
    """Uploaded and stored files (attachments, recordings, imports) go to the
    test's own folder, not var/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    return tmp_path / "media"


@pytest.fixture
def api_as():
    return ApiClient


class Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@contextmanager
def smtp_server(settings: Any, handler: Any) -> Iterator[Any]:
    """A real SMTP server on loopback answering with `handler` (aiosmtpd),
    Django's email backend pointed at it for the test."""
    with socket.socket() as probe:  # a free port for this test worker
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def smtp_inbox(settings):
    """A real SMTP server on loopback; Django sends to it; .messages holds what arrived."""
    with smtp_server(settings, Inbox()) as inbox:
        yield inbox


# Live updates (async tests with anyio): use the fixtures below with
# pytest.mark.usefixtures("close_sync_thread_connections") and listen().


@pytest.fixture
def anyio_backend():
    return "asyncio"


@pytest.fixture
async def close_sync_thread_connections():
    yield
    # sync_to_async runs in its own thread with its own database connection;
    # close it, or PostgreSQL cannot drop the test database at the end.
    from asgiref.sync import sync_to_async
    from django.db import connections

    await sync_to_async(connections.close_all)()


async def listen(user: User) -> Any:
    """An open live socket of this user, past its hello."""
    from channels.testing.websocket import WebsocketCommunicator

    from carebase.core.consumers import LiveConsumer

    communicator = WebsocketCommunicator(LiveConsumer.as_asgi(), "/ws/live/")
    communicator.scope["user"] = user
    connected, _ = await communicator.connect()
    assert connected
    await communicator.receive_json_from()  # hello
    return communicator
