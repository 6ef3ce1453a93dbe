"""robots.txt: crawlers may read the help center, nothing else of the
application, and find the sitemap at its absolute address."""

from urllib.robotparser import RobotFileParser

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_only_the_help_center_is_open_to_crawlers_and_the_sitemap_is_absolute(settings):
    settings.SITE_URL = "https://help.example.com"
    answer = Client().get("/robots.txt")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/plain; charset=utf-8"
    text = answer.content.decode()
    assert "Sitemap: https://help.example.com/help/sitemap.xml" in text.splitlines()
    robots = RobotFileParser()
    robots.parse(text.splitlines())
    for open_path in ["/help/", "/help/pl/articles/nagrywanie-rozmow/", "/help/sitemap.xml"]:
        assert robots.can_fetch("AnyBot", open_path), open_path
    for closed in ["/", "/admin/", "/api/v1/tickets", "/tickets/", "/portal/", "/kb/", "/crm/"]:
        assert not robots.can_fetch("AnyBot", closed), closed
