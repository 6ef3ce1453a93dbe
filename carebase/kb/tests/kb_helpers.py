"""What the knowledge base's tests build: articles in each visibility."""

from __future__ import annotations

from typing import Any

from carebase.kb.actions import ArticleData, do_create_article
from carebase.kb.models import Article


def article(title: str, body: str = "", *, publish: bool = True, **fields: Any) -> Article:
    actor = fields.pop("actor", None)
    fields.setdefault("visibility", "public")
    return do_create_article(ArticleData(title=title, body=body, **fields), actor, publish=publish)
