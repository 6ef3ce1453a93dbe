"""What the academy does when the knowledge base changes."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from carebase.kb.signals import article_published


@receiver(article_published, dispatch_uid="academy.refresh_after_change")
def refresh_after_change(sender: Any, article: Any, version: Any, **kwargs: Any) -> None:
    if not version.significant or version.number == 1:  # a first version changes nothing
        return
    from carebase.academy.actions import do_refresh_after_change

    do_refresh_after_change(article, version)
