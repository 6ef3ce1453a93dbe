"""An article's image is served to those who may read the article (and to
editors, whose staff pages show drafts), with its own content type, never
sniffed, cached publicly only when the article is public; 404 for anyone
else."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from carebase.kb.actions import do_add_image
from carebase.kb.tests.kb_helpers import article
from carebase.testing import client_for

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def image_of(item):
    return do_add_image(item, SimpleUploadedFile("panel nagrań.png", PNG), None)


def test_an_image_of_a_public_article_is_served_to_anyone(media_in_tmp):
    image = image_of(article("Nagrywanie", "Tekst."))
    answer = Client().get(image.get_absolute_url())
    assert answer.status_code == 200
    assert b"".join(answer.streaming_content) == PNG
    assert answer["Content-Type"] == "image/png"
    assert answer["X-Content-Type-Options"] == "nosniff"
    assert answer["Cache-Control"].startswith("public")
    assert "Last-Modified" in answer


def test_an_image_of_an_internal_article_is_missing_for_outsiders(media_in_tmp, customer, agent):
    image = image_of(article("Skrypt", "Tekst.", visibility="internal"))
    assert Client().get(image.get_absolute_url()).status_code == 404
    assert client_for(customer).get(image.get_absolute_url()).status_code == 404
    answer = client_for(agent).get(image.get_absolute_url())
    assert answer.status_code == 200
    assert answer["Cache-Control"].startswith("private")


def test_an_image_of_a_draft_is_only_for_editors(media_in_tmp, agent, head_of_support):
    image = image_of(article("Nowa funkcja", "Wkrótce.", publish=False))
    assert Client().get(image.get_absolute_url()).status_code == 404
    assert client_for(agent).get(image.get_absolute_url()).status_code == 404
    assert client_for(head_of_support).get(image.get_absolute_url()).status_code == 200


def test_an_image_is_only_at_its_own_name(media_in_tmp):
    image = image_of(article("Nagrywanie", "Tekst."))
    assert Client().get(f"/help/images/{image.pk}/other.png").status_code == 404
    assert Client().get(f"/help/images/{image.pk + 1}/{image.filename}").status_code == 404
