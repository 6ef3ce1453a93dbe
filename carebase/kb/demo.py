"""The demo knowledge base of CallFlow, a call-tracking SaaS: about 60
help-center articles in Polish and English (demo_content/, Markdown with
front matter, imported as any folder would be) and the support department's
regulations; then a history: later versions, a significant change of a
regulation that some agents have read again and some not, readers'
feedback and review items for the owners. Idempotent: the import changes
only what changed, the history is written once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from django.utils import timezone

from carebase.accounts.models import User
from carebase.kb.actions import (
    ArticleData,
    do_acknowledge,
    do_flag_outdated,
    do_leave_feedback,
    do_publish_article,
    do_update_article,
    raise_due_reviews,
)
from carebase.kb.models import Article, ArticleKind, Feedback
from carebase.kb.transfer import import_folder

CONTENT = Path(__file__).resolve().parent / "demo_content"


def seed(context: Any) -> None:
    if Article.objects.exists():
        return  # seeded: a second import would undo the history's later versions
    admin = User.objects.filter(username="admin").first()
    import_folder(CONTENT, admin)
    if not Feedback.objects.exists():
        _history(context)


def _by_slug(language: str, slug: str) -> Article | None:
    return Article.objects.filter(language=language, slug=slug).first()


def _edit(article: Article, actor: Any, body: str, note: str, significant: bool = False) -> None:
    do_update_article(article, ArticleData.of(article, body=body), actor)
    do_publish_article(article, actor, note=note, significant=significant)


def _history(context: Any) -> None:
    staff = {user.username: user for user in User.objects.filter(is_staff=False, is_active=True)}
    head = staff.get("kasia.head")
    rng = context.random
    regulations = list(
        Article.objects.filter(kind=ArticleKind.REGULATION, status="published").order_by("pk")
    )
    # Everyone who must read a regulation has read its first version...
    from carebase.kb.actions import required_readers

    for regulation in regulations:
        for person in required_readers(regulation):
            if rng.random() < 0.8:
                do_acknowledge(regulation, person)
    # ...then the first regulation changed significantly: half have read it again.
    if regulations and head is not None:
        changed = regulations[0]
        _edit(
            changed,
            head,
            changed.body.rstrip()
            + "\n\n## Zmiana od 1 grudnia\n\nCzat zamykamy po **10 minutach** bez odpowiedzi "
            "klienta, po wysłaniu wiadomości o zamknięciu.\n",
            "Nowy czas zamknięcia nieaktywnego czatu",
            significant=True,
        )
        for person in required_readers(changed):
            if rng.random() < 0.5:
                do_acknowledge(changed, person)
    # A guide with a few versions, for the history and the diff.
    guides = list(Article.objects.filter(kind=ArticleKind.GUIDE, status="published").order_by("pk"))
    if guides and head is not None:
        guide = guides[0]
        _edit(
            guide,
            head,
            guide.body.replace(
                "\n## ", "\n> Wskazówka: zrób to w godzinach pracy biura.\n\n## ", 1
            ),
            "Wskazówka o godzinach pracy",
        )
    # Readers' answers to "was this helpful?", some with a comment for the owner.
    comments = {
        "pl": ["Brakuje zrzutu ekranu z nowego panelu.", "Krok 3 nie zgadza się z tym, co widzę."],
        "en": ["The menu names changed in the new version.", "Please add an example for HubSpot."],
    }
    public = list(Article.objects.filter(visibility="public", status="published").order_by("pk"))
    for article in public:
        for _answer in range(rng.randint(0, 12)):
            do_leave_feedback(article, rng.random() < 0.78, "", None)
    for index, article in enumerate(public[:4]):
        do_leave_feedback(article, False, comments[article.language][index % 2], None)
    # An agent flagged an article as outdated from a conversation.
    from carebase.tickets.models import Ticket

    agent = staff.get("piotr.agent")
    ticket = Ticket.objects.order_by("pk").first()
    if public and agent is not None:
        do_flag_outdated(
            public[1],
            agent,
            "Klient pyta o nowy przycisk „Eksport do CSV”, którego artykuł nie opisuje.",
            ticket,
        )
    # One article is long past its review: its owner has a reminder.
    if len(public) > 5:
        stale = public[5]
        Article.objects.filter(pk=stale.pk).update(reviewed_at=timezone.now() - timedelta(days=400))
        raise_due_reviews()
