"""Two browsers at once: a visitor on a client's plain HTML page with the
widget's snippet, and an agent in the chat workspace. The chat flows both
ways live, the agent's typing shows in the widget, the agent closes the chat
with a resolution and the visitor rates it."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from playwright.sync_api import expect

from carebase.accounts.models import Team
from carebase.chat.models import Chat, ChatStatus, Widget
from carebase.core.roles import Role
from carebase.testing import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOST_PAGE = """<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8">
<title>Sklep</title><style>button { color: red; font-size: 40px }</style></head>
<body><h1>Sklep internetowy</h1>
<script src="SERVER/chat/widget.js" data-key="KEY" async></script></body></html>"""


@pytest.fixture
def serve_page():
    """serve_page(html) -> the origin of a server on 127.0.0.1 answering it."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    servers = []

    def serve(html: str) -> str:
        class Page(BaseHTTPRequestHandler):
            def do_GET(self):
                body = html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
        servers.append(server)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield serve
    for server in servers:
        server.shutdown()
        server.server_close()


def test_a_visitor_and_an_agent_chat_live_and_the_visitor_rates_it(
    browser, asgi_server, serve_page
):
    support, _ = Team.objects.get_or_create(
        slug="support", defaults={"name": "Support", "kind": "support"}
    )
    agent = make_user("marta", Role.SUPPORT_AGENT, first_name="Marta")
    support.members.add(agent)
    widget = Widget.objects.create(name="Sklep", team=support)
    # The client's own site: another server, on another origin, with nothing
    # but the snippet (on loopback: Chromium keeps public pages off loopback).
    site = serve_page(HOST_PAGE.replace("SERVER", asgi_server).replace("KEY", widget.key))
    widget.allowed_origins = [site]
    widget.save()

    # A Tuesday morning: the desk is open.
    with time_machine.travel(
        datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Warsaw")), tick=True
    ):
        agent_context = browser.new_context(base_url=asgi_server, locale="en-US")
        visitor_context = browser.new_context(locale="pl-PL")
        try:
            desk = agent_context.new_page()
            desk.set_default_timeout(10_000)
            desk.goto("/accounts/login/")
            desk.get_by_label("Username or email").fill("marta")
            desk.get_by_label("Password").fill(PASSWORD)
            desk.get_by_role("button", name="Sign in").click()
            desk.goto("/chat/")
            desk.get_by_label("My status").select_option("available")
            desk.get_by_role("button", name="Save").click()
            expect(desk.get_by_text("Your chat status is saved.")).to_be_visible()
            expect(desk.locator("body[data-live=connected]")).to_have_count(1)

            shop = visitor_context.new_page()
            shop.set_default_timeout(10_000)
            shop.goto(f"{site}/koszyk")
            shop.get_by_role("button", name="Napisz do nas").click()
            expect(shop.get_by_text("Dzień dobry! W czym możemy pomóc?")).to_be_visible()
            shop.get_by_placeholder("Twoje imię").first.fill("Ewa Nowak")
            shop.get_by_placeholder("Twój e-mail").first.fill("ewa@shop.example")
            shop.get_by_role("button", name="Rozpocznij czat").click()
            shop.get_by_placeholder("Napisz wiadomość…").fill("Koszyk się nie zapisuje")
            shop.get_by_role("button", name="Wyślij", exact=True).click()
            expect(shop.locator(".msg.visitor .meta").last).to_contain_text("Dostarczona")

            # The chat was routed to the available agent: it appears without a reload.
            desk.locator("#my-chats").get_by_role("link", name="Ewa Nowak").click()
            expect(desk.locator("#chat-transcript")).to_contain_text("Koszyk się nie zapisuje")
            expect(shop.locator(".msg.visitor .meta").last).to_contain_text("Przeczytana")
            # The chat's page is new: its socket must be open before typing is told.
            expect(desk.locator("body")).to_have_attribute("data-live", "connected")
            desk.get_by_placeholder("Write to the visitor").press_sequentially("Spraw")
            expect(shop.get_by_text("Marta pisze…")).to_be_visible()
            desk.get_by_placeholder("Write to the visitor").fill("Sprawdzam, proszę chwilę.")
            desk.get_by_role("button", name="Send", exact=True).click()
            expect(shop.locator(".msg.agent").last).to_contain_text("Sprawdzam, proszę chwilę.")

            shop.get_by_placeholder("Napisz wiadomość…").fill("Dziękuję, już działa!")
            shop.get_by_placeholder("Napisz wiadomość…").press("Enter")
            expect(desk.locator("#chat-transcript")).to_contain_text("Dziękuję, już działa!")
            desk.get_by_placeholder("Write to the visitor").fill("Świetnie, miłego dnia!")
            desk.get_by_role("button", name="Send", exact=True).click()
            expect(shop.locator(".msg.agent").last).to_contain_text("Świetnie, miłego dnia!")

            desk.get_by_text("Close the chat", exact=True).first.click()
            desk.get_by_label("How did the chat end?").select_option("resolved")
            desk.get_by_role("button", name="Close the chat").click()
            expect(desk.get_by_text("The chat is closed.")).to_be_visible()

            expect(shop.get_by_text("Czat się zakończył.")).to_be_visible()
            shop.get_by_role("button", name="★ 5").click()
            shop.get_by_placeholder("Chcesz coś dodać?").fill("Bardzo szybko")
            shop.get_by_role("button", name="Wyślij ocenę").click()
            expect(shop.get_by_text("Dziękujemy za ocenę.")).to_be_visible()
        finally:
            agent_context.close()
            visitor_context.close()

    chat = Chat.objects.select_related("ticket").get()
    assert (chat.status, chat.resolution, chat.rating, chat.rating_comment) == (
        ChatStatus.CLOSED,
        "resolved",
        5,
        "Bardzo szybko",
    )
    assert chat.ticket.messages.filter(kind="reply").count() == 4
