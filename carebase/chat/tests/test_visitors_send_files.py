"""A visitor sends a file from the widget: from an allowed site only, with
their signed token, within the attachment limit; it is stored raw, then
attached to a message of their chat, once per client id."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carebase.chat import actions
from carebase.chat.models import Chat, InboundChatMessage, Widget

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]

SITE = "https://shop.example"
# A real PNG of one pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.fixture
def visitor():
    widget = Widget.objects.create(name="Sklep", allowed_origins=[SITE])
    return actions.do_start_visitor(widget)


def _post(client, visitor, *, origin=SITE, token=None, client_id="f1", content=PNG):
    return client.post(
        f"/chat/files/{visitor.widget.key}/",
        {"client_id": client_id, "file": SimpleUploadedFile("zrzut.png", content, "image/png")},
        headers={
            "Origin": origin,
            "X-Chat-Token": actions.sign_visitor(visitor) if token is None else token,
        },
    )


def test_a_file_from_the_widget_is_attached_to_the_chat_once(client, visitor):
    preflight = client.options(f"/chat/files/{visitor.widget.key}/", headers={"Origin": SITE})
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == SITE
    response = _post(client, visitor)
    assert response.status_code == 201, response.content
    assert response["Access-Control-Allow-Origin"] == SITE
    assert response.json()["message"]["files"] == ["zrzut.png"]
    chat = Chat.objects.select_related("ticket").get()
    message = chat.ticket.messages.get()
    (attachment,) = message.attachments.all()
    assert attachment.filename == "zrzut.png" and attachment.file.read() == PNG
    assert InboundChatMessage.objects.get().raw["file"] == "zrzut.png"
    again = _post(client, visitor)
    assert again.status_code == 201
    assert chat.ticket.messages.count() == 1


def test_a_file_from_another_site_a_bad_token_or_over_the_limit_is_refused(
    client, visitor, settings
):
    assert _post(client, visitor, origin="https://evil.example").status_code == 403
    assert _post(client, visitor, token="forged").status_code == 403
    settings.ATTACHMENT_MAX_BYTES = 10
    response = _post(client, visitor)
    assert response.status_code == 413 and "limit" in response.json()["detail"]
    assert not InboundChatMessage.objects.exists() and not Chat.objects.exists()
