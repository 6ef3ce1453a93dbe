"""Attachments: size limit, storage outside the web root, downloads only after
the message's permission check, always as a file, never as a page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from carebase.testing import client_for
from carebase.tickets.actions import do_add_reply, do_create_ticket
from carebase.tickets.models import Attachment, Message

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_in_tmp")]


def upload(name="log.txt", content=b"call log", content_type="text/plain"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def ticket(acme_contact):
    return do_create_ticket(subject="S", body="B", requester=acme_contact, channel="email")


def test_an_agent_attaches_a_file_and_it_downloads_as_a_file(agent, ticket):
    client = client_for(agent)
    response = client.post(
        f"/tickets/{ticket.pk}/reply/",
        {"body": "Log attached.", "public": "1", "attachments": [upload()]},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.filename == "log.txt" and attachment.size == 8
    assert "log.txt" not in attachment.file.name  # stored under a random name
    download = client.get(f"/tickets/attachments/{attachment.pk}/")
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="log.txt"')
    assert b"".join(download.streaming_content) == b"call log"


def test_an_html_file_is_never_served_as_a_page(agent, ticket):
    do_add_reply(
        ticket,
        body="x",
        author_user=agent,
        attachments=[upload("evil.html", b"<script>alert(1)</script>", "text/html")],
    )
    attachment = Attachment.objects.get()
    download = client_for(agent).get(f"/tickets/attachments/{attachment.pk}/")
    assert download["Content-Type"] == "application/octet-stream"
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]


def test_a_file_over_the_limit_is_refused_with_its_name_and_nothing_is_saved(
    agent, ticket, settings
):
    settings.ATTACHMENT_MAX_BYTES = 1024
    response = client_for(agent).post(
        f"/tickets/{ticket.pk}/reply/",
        {
            "body": "big",
            "public": "1",
            "attachments": [upload("recording.wav", b"0" * 2048, "audio/wav")],
        },
    )
    assert response.status_code == 422
    assert "recording.wav" in response.content.decode() and "limit" in response.content.decode()
    assert Message.objects.count() == 1 and not Attachment.objects.exists()


def test_a_customer_downloads_a_public_replys_file_but_not_a_notes(customer, agent, ticket):
    do_add_reply(
        ticket,
        body="public",
        author_user=agent,
        attachments=[upload("guide.pdf", b"%PDF", "application/pdf")],
    )
    do_add_reply(
        ticket, body="note", public=False, author_user=agent, attachments=[upload("internal.txt")]
    )
    public_file = Attachment.objects.get(filename="guide.pdf")
    note_file = Attachment.objects.get(filename="internal.txt")
    client = client_for(customer)
    assert client.get(f"/tickets/attachments/{public_file.pk}/").status_code == 200
    assert client.get(f"/tickets/attachments/{note_file.pk}/").status_code == 404
    page = client.get(f"/portal/{ticket.pk}/").content.decode()
    assert "guide.pdf" in page and "internal.txt" not in page


def test_another_organizations_file_is_404(other_customer, agent, ticket):
    do_add_reply(ticket, body="x", author_user=agent, attachments=[upload()])
    attachment = Attachment.objects.get()
    assert (
        client_for(other_customer).get(f"/tickets/attachments/{attachment.pk}/").status_code == 404
    )


def test_a_customer_attaches_a_screenshot_to_a_new_request(customer):
    response = client_for(customer).post(
        "/portal/new/",
        {
            "subject": "Widget",
            "type": "problem",
            "body": "See screenshot",
            "attachments": [upload("screen.png", b"\x89PNG", "image/png")],
        },
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png" and attachment.message.from_customer


def test_path_tricks_in_file_names_are_dropped(agent, ticket):
    do_add_reply(ticket, body="x", author_user=agent, attachments=[upload('..\\..\\etc/pass"wd')])
    assert Attachment.objects.get().filename == "passwd"


def test_files_are_added_over_the_api_as_multipart_and_listed(agent, customer, ticket):
    from carebase.testing import ApiClient

    api = ApiClient(agent)
    response = api.client.post(
        f"/api/v1/tickets/{ticket.pk}/messages/upload",
        {
            "body": "Guide attached",
            "public": "true",
            "files": [upload("guide.pdf", b"%PDF-1", "application/pdf")],
        },
        headers=api.headers,
    )
    assert response.status_code == 201, response.content
    files = response.json()["attachments"]
    assert [(f["filename"], f["content_type"], f["size"]) for f in files] == [
        ("guide.pdf", "application/pdf", 6)
    ]
    customer_api = ApiClient(customer)
    listed = customer_api.get(f"/tickets/{ticket.pk}/messages").json()["items"][-1]["attachments"]
    assert listed[0]["url"] == f"/api/v1/attachments/{files[0]['id']}"
    download = customer_api.client.get(listed[0]["url"], headers=customer_api.headers)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith('attachment; filename="guide.pdf"')
    assert b"".join(download.streaming_content) == b"%PDF-1"


def test_an_api_token_cannot_download_another_organizations_file(other_customer, agent, ticket):
    from carebase.testing import ApiClient

    do_add_reply(ticket, body="x", author_user=agent, attachments=[upload()])
    attachment = Attachment.objects.get()
    api = ApiClient(other_customer)
    assert (
        api.client.get(f"/api/v1/attachments/{attachment.pk}", headers=api.headers).status_code
        == 404
    )


def test_an_oversized_file_over_the_api_is_a_422_naming_it(agent, ticket, settings):
    from carebase.testing import ApiClient

    settings.ATTACHMENT_MAX_BYTES = 1024
    api = ApiClient(agent)
    response = api.client.post(
        f"/api/v1/tickets/{ticket.pk}/messages/upload",
        {"body": "big", "files": [upload("rec.wav", b"0" * 2048, "audio/wav")]},
        headers=api.headers,
    )
    assert response.status_code == 422
    assert "rec.wav" in response.json()["detail"][0]["msg"]
    assert ticket.messages.count() == 1
