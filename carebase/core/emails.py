"""Email as subject/text/html template triples, rendered in the recipient's
language: the one way carebase composes the mail it sends itself."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(
    to: list[str], template: str, context: dict[str, Any], *, language: str = ""
) -> None:
    """Render `<template>_subject.txt`, `<template>.txt` and `<template>.html` and send."""
    if not to:
        return
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()
