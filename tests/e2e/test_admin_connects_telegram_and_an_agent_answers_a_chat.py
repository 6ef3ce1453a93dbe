from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import expect

from carebase.core.roles import Role
from carebase.messengers.models import TelegramBot
from carebase.messengers.tests.bot_api import TOKEN, bot_api
from carebase.testing import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
UPDATE = Path(__file__).parents[2] / "carebase/messengers/tests/data/telegram/text.json"


def test_an_admin_connects_a_bot_and_an_agent_answers_its_first_chat(signed_in):
    make_user("ania", Role.ADMIN, first_name="Ania")
    make_user("piotr", Role.SUPPORT_AGENT, first_name="Piotr")
    with bot_api() as api:
        admin = signed_in("ania")
        admin.get_by_role("navigation", name="Main").get_by_role("link", name="Messengers").click()
        admin.get_by_role("link", name="Connect a Telegram bot").click()
        admin.get_by_label("Name").fill("Pomoc")
        admin.get_by_label("Bot token").fill(TOKEN)
        admin.get_by_label("Bot API address").fill(api.base_url)
        admin.get_by_role("button", name="Save").click()
        expect(admin.get_by_role("status")).to_contain_text("Connected @carebase_pomoc_bot")
        bot = TelegramBot.objects.get()
        expect(admin.locator("code")).to_contain_text(f"/api/v1/channels/telegram/{bot.secret}")

        response = Client().post(
            f"/api/v1/channels/telegram/{bot.secret}",
            data=UPDATE.read_text(),
            content_type="application/json",
        )
        assert response.status_code == 200

        agent = signed_in("piotr")
        agent.get_by_role("navigation", name="Main").get_by_role("link", name="Inbox").click()
        agent.get_by_role("link", name="Dzień dobry, nie działa mi nagrywanie").click()
        agent.get_by_label("Message").fill("Dzień dobry, już sprawdzamy.")
        agent.get_by_role("button", name="Send").click()
        timeline = agent.get_by_role("list", name="Timeline")
        expect(timeline.locator(".delivery-sent")).to_have_count(1)
        assert api.sent("sendMessage")[-1]["text"] == "Dzień dobry, już sprawdzamy."
