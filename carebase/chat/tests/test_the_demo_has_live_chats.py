"""The demo's live chat: a widget allowed on the demo server (its test page
works with `make run`), past chats closed with resolutions and ratings,
visitors waiting in the queue; seeded once."""

from io import StringIO

import pytest
from django.core.management import call_command

from carebase.accounts.models import User
from carebase.chat.models import Chat, ChatStatus, Widget
from carebase.testing import client_for

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


def test_the_demo_seeds_a_widget_chats_and_a_queue():
    call_command("demo", tickets=80, stdout=StringIO())
    widget = Widget.objects.get()
    assert "http://127.0.0.1:8000" in widget.allowed_origins
    chats = Chat.objects.all()
    assert chats.filter(status=ChatStatus.WAITING).count() == 2
    assert set(chats.exclude(resolution="").values_list("resolution", flat=True)) >= {
        "resolved",
        "follow_up",
    }
    assert chats.exclude(rating=None).exists()
    agent = User.objects.get(username="piotr.agent")
    page = client_for(agent).get("/chat/").content.decode()
    waiting = chats.filter(status=ChatStatus.WAITING).first()
    assert f"/chat/{waiting.pk}/" in page
    admin = User.objects.filter(is_superuser=True).first() or User.objects.get(username="admin")
    assert client_for(admin).get(f"/chat/widgets/{widget.pk}/try/").status_code == 200
    count = chats.count()
    call_command("demo", tickets=80, stdout=StringIO())
    assert Chat.objects.count() == count
