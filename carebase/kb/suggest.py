"""The knowledge base beside a conversation: the articles that may answer it.

A conversation is searched by its subject and its customer's last message,
their meaningful words only (stopwords and courtesies dropped, repeats
once, at most the search's own limit of words, the subject's first): the
ranked search's OR fallback then puts first the articles that share the
most of them. Words no article holds are left out in one query, rather
than corrected as typos word by word: the page shows at once. The
requester's language is searched first; the other one only when it finds
nothing, since an answer in the wrong language beats none.

Only what the agent may read is offered (`readable_articles`). Public and
customers' articles may be sent to the client: their link is the help
center's, absolute. Internal and role-restricted ones are for the agent's
own reading: their link is the staff page, and they are never offered for
insertion into a reply.

What "insert text" puts into a reply is the article's summary (or, without
one, the start of its text) followed by its link: a reply stays short and
the client reads the whole, kept up to date, in the help center.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from carebase.core import search
from carebase.kb.access import readable_articles
from carebase.kb.models import SEARCH_KIND, Article, Visibility
from carebase.kb.render import plain_text
from carebase.tickets.models import Ticket

SENDABLE = (Visibility.PUBLIC, Visibility.CUSTOMERS)
# The words of a conversation searched: the search reads no more anyway.
QUERY_WORDS = search.MAX_QUERY_WORDS
# Greetings and courtesies open and close most messages and say nothing of
# the problem ("dzień dobry" would even find every article that counts
# "dni"). Folded, as the search compares them.
COURTESIES = frozenset(
    search.fold(word)
    for words in (
        ["dzień", "dobry", "witam", "witaj", "cześć", "pozdrawiam", "pozdrowienia"],
        ["serdecznie", "uprzejmie", "dziękuję", "dziękujemy", "dzięki", "proszę"],
        ["prosimy", "pani", "pan", "państwo", "szanowni", "szanowny"],
        ["hello", "hi", "hey", "dear", "regards", "best", "kind", "thanks", "thank"],
        ["please", "sir", "madam"],
    )
    for word in words
)
# Characters of text inserted when an article has no summary.
EXCERPT_CHARS = 300
MAX_QUERY_CHARS = 200


@dataclass(frozen=True)
class Suggestion:
    id: int
    title: str
    url: str  # absolute: the help center's page when sendable, else the staff page
    open_url: str  # the page the agent opens (a path on this site)
    snippet: SafeString  # escaped text, the matching words in <mark>
    language: str
    visibility: str
    visibility_label: str
    sendable: bool
    excerpt: str  # the summary, or the start of the text

    @property
    def link_text(self) -> str:
        """What "insert link" puts into a reply."""
        return f"{self.title}: {self.url}"

    @property
    def insert_text(self) -> str:
        """What "insert text" puts into a reply: the excerpt, then the link."""
        if not self.excerpt:
            return self.link_text
        return f"{self.excerpt}\n{self.link_text}"


def conversation_text(ticket: Ticket) -> str:
    """The conversation's subject and its customer's last message, reduced
    to their first words that may say what it is about."""
    last = (
        ticket.messages.filter(from_customer=True)
        .order_by("-created_at", "-id")
        .values_list("body_text", flat=True)
        .first()
    )
    chosen: dict[str, str] = {}
    for word in search.words(f"{ticket.subject}\n{last or ''}"):
        folded = search.fold(word)
        if folded in search.STOPWORDS or folded in COURTESIES or folded in chosen:
            continue
        chosen[folded] = word
        if len(chosen) >= QUERY_WORDS:
            break
    return " ".join(chosen.values())


def suggestions(ticket: Ticket, user: Any, limit: int = 5) -> list[Suggestion]:
    """The articles that may answer the conversation, best first."""
    text = conversation_text(ticket)
    language = ticket.requester.language
    return find_articles(
        text, user, language, limit, parsed=search.ranked_query(SEARCH_KIND, text, correct=False)
    )


def find_articles(
    text: str,
    user: Any,
    language: str,
    limit: int = 5,
    parsed: list[search.QueryWord] | None = None,
) -> list[Suggestion]:
    """The articles the user may read that match `text` (or the words
    `parsed` from it), best first: those in `language`, or when none
    matches, those in the other languages."""
    if parsed is None:
        parsed = search.ranked_query(SEARCH_KIND, text[:MAX_QUERY_CHARS])
    if not parsed:
        return []
    readable = readable_articles(user)
    preferred: QuerySet[Article] = readable.filter(language=language)
    hits = search.ranked(SEARCH_KIND, text, preferred, limit, parsed=parsed)
    if not hits:
        others = readable.exclude(language=language)
        hits = search.ranked(SEARCH_KIND, text, others, limit, parsed=parsed)
    found = Article.objects.in_bulk([hit.object_id for hit in hits])
    return [_suggestion(found[hit.object_id], parsed) for hit in hits if hit.object_id in found]


def _suggestion(article: Article, parsed: list[search.QueryWord]) -> Suggestion:
    sendable = article.visibility in SENDABLE
    open_url = article.help_url() if sendable else reverse("kb:article", args=[article.pk])
    text = plain_text(article.body_html)
    return Suggestion(
        id=article.pk,
        title=article.title,
        url=settings.SITE_URL + open_url,
        open_url=open_url,
        snippet=mark_safe(search.highlight(text or article.summary, parsed)),
        language=article.language,
        visibility=article.visibility,
        visibility_label=str(article.get_visibility_display()),
        sendable=sendable,
        excerpt=article.summary.strip() or _excerpt(text),
    )


def _excerpt(text: str) -> str:
    if len(text) <= EXCERPT_CHARS:
        return text
    cut = text.rfind(" ", 0, EXCERPT_CHARS)
    return text[: cut if cut > 0 else EXCERPT_CHARS].rstrip(" ,;:") + "…"
