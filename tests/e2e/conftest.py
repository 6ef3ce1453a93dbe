"""Browser tests: Playwright drives Debian's chromium against pytest-django's live server."""

import os
import shutil

import pytest
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in the test's thread; the test's own
# database calls are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = (
        os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    )
    if not path:
        pytest.fail("Debian's chromium is missing: `make test` installs it (bin/ensure-chromium).")
    return path


@pytest.fixture(scope="session", autouse=True)
def search_dictionaries():
    """Load the lemma dictionaries once, before any page: a server does so at
    start (core.search.warm_up); the live server would otherwise load them on
    the first request that indexes or searches, for longer than a click waits."""
    from carebase.core.search import load_dictionaries

    load_dictionaries()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def signed_in(browser, live_server):
    """signed_in(username) -> a page of a new browser context, signed in; every
    context is closed after the test, so no page keeps reconnecting to a
    stopped server."""
    from carebase.testing import PASSWORD

    contexts = []

    def sign_in(username: str):
        context = browser.new_context(base_url=live_server.url, locale="en-US")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto("/accounts/login/")
        page.get_by_label("Username or email").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        return page

    yield sign_in
    for context in contexts:
        context.close()


@pytest.fixture
def asgi_server(transactional_db):
    """The real ASGI application (HTTP and WebSocket) under uvicorn in a thread,
    for what pytest-django's WSGI live server cannot show: live updates.

    PostgreSQL only: uvicorn's threads open their own connections, which see
    the test's committed rows in PostgreSQL but not SQLite's in-memory test
    database. CI runs the suite on both, so the test runs on every CI run."""
    import socket
    import threading
    import time

    import uvicorn
    from channels.routing import ProtocolTypeRouter
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the server's own connections must see the test's data")
    from carebase.asgi import application

    # The server's threads must not keep their connections once a request is
    # done, or the test database could not be dropped at the end.
    settings_dict = connection.settings_dict
    kept_for = settings_dict["CONN_MAX_AGE"]
    settings_dict["CONN_MAX_AGE"] = 0
    routed = ProtocolTypeRouter(
        {
            "http": ASGIStaticFilesHandler(get_asgi_application()),
            "websocket": application.application_mapping["websocket"],
        }
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(routed, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True, name="asgi-live-server")
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://localhost:{port}"
    server.should_exit = True
    thread.join(10)
    settings_dict["CONN_MAX_AGE"] = kept_for
