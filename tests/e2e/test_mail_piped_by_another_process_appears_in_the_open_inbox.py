"""Mail piped in by the mail server runs `ingest_email` in a process of its
own: with live updates in memory (no Redis), its event reaches the open
inbox through the database and the web process's forwarding."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from playwright.sync_api import expect

from carebase.accounts.models import Team
from carebase.core.roles import Role
from carebase.mail.models import Mailbox
from carebase.mail.tests.conftest import compose
from carebase.testing import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _pipe(raw: bytes, tmp_path: Path) -> str:
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}"
            f"/{database['NAME']}"
        ),
        "VAR_DIR": str(tmp_path),
        "SECRET_KEY": "e2e-pipe-" * 6,
        "TASK_BACKEND": "database",
    }
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "ingest_email", "--mailbox", "pomoc"],
        input=raw,
        capture_output=True,
        cwd=ROOT,
        env=env,
        timeout=60,
        check=True,
    )
    return done.stdout.decode()


def test_a_piped_message_appears_in_the_open_inbox(browser, asgi_server, tmp_path):
    support, _ = Team.objects.get_or_create(
        slug="support", defaults={"name": "Support", "kind": "support"}
    )
    Mailbox.objects.create(name="pomoc", address="pomoc@carebase.example", team=support)
    agent = make_user("piotr", Role.SUPPORT_AGENT)
    support.members.add(agent)

    context = browser.new_context(base_url=asgi_server, locale="en-US")
    try:
        inbox = context.new_page()
        inbox.set_default_timeout(10_000)
        inbox.goto("/accounts/login/")
        inbox.get_by_label("Username or email").fill("piotr")
        inbox.get_by_label("Password").fill(PASSWORD)
        inbox.get_by_role("button", name="Sign in").click()
        inbox.goto("/tickets/")
        expect(inbox.get_by_text("Nothing here. Well done!")).to_be_visible()
        expect(inbox.locator("body[data-live=connected]")).to_have_count(1)

        printed = _pipe(compose(subject="Widżet oddzwaniania nie ładuje się"), tmp_path)
        assert '"status": "created"' in printed

        # No reload: the row arrives over the WebSocket, relayed by the database.
        expect(inbox.locator("#rows tbody tr").first).to_contain_text(
            "Widżet oddzwaniania nie ładuje się", timeout=15_000
        )
    finally:
        context.close()
