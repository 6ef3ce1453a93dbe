"""Who may read and edit which article: the one place that decides.

Readers see live (published) articles by visibility:
- anyone, signed in or not: public articles;
- signed-in customers: also those for customers;
- staff: also internal ones, and those restricted to a role they hold;
- editors (who may write the knowledge base) and superusers: everything.
An article a reader may not see does not exist for them: 404, never 403,
and it never shows in a list, a search, the sitemap or a suggestion.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from carebase.core.access import Perm, has_perm, is_customer, is_staff_member
from carebase.kb.models import Article, ArticleStatus, ReviewItem, Visibility


def may_edit(user: Any) -> bool:
    return has_perm(user, Perm.EDIT_KB)


def visible_condition(user: Any) -> Q:
    """The articles (published or not) whose visibility admits the user."""
    if may_edit(user):
        return Q()
    if is_staff_member(user):
        in_role = Exists(
            Article.readers.through.objects.filter(
                article_id=OuterRef("pk"),
                group_id__in=Group.objects.filter(user=user).values("pk"),
            )
        )
        return Q(visibility__in=[Visibility.PUBLIC, Visibility.CUSTOMERS, Visibility.INTERNAL]) | (
            Q(visibility=Visibility.ROLES) & Q(in_role)
        )
    if is_customer(user):
        return Q(visibility__in=[Visibility.PUBLIC, Visibility.CUSTOMERS])
    return Q(visibility=Visibility.PUBLIC)


def readable_articles(user: Any) -> QuerySet[Article]:
    """Live articles the user may read."""
    return Article.objects.filter(visible_condition(user), status=ArticleStatus.PUBLISHED)


def access_article(user: Any, pk: int) -> Article:
    """A live article the user may read; 404 otherwise."""
    article = readable_articles(user).filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def access_article_by_slug(user: Any, language: str, slug: str) -> Article:
    article = readable_articles(user).filter(language=language, slug=slug).first()
    if article is None:
        raise Http404
    return article


def staff_articles(user: Any) -> QuerySet[Article]:
    """What the staff pages list: drafts and archive too for editors, live
    articles the person may read for other staff; nothing for others."""
    if may_edit(user):
        return Article.objects.all()
    if is_staff_member(user):
        return readable_articles(user)
    return Article.objects.none()


def access_staff_article(user: Any, pk: int) -> Article:
    article = staff_articles(user).filter(pk=pk).first()
    if article is None:
        raise Http404
    return article


def access_article_for_edit(user: Any, pk: int) -> Article:
    """An article the user may change: 404 when they may not see it, 403
    when they may see it but not write the knowledge base."""
    article = access_staff_article(user, pk)
    if not may_edit(user):
        raise PermissionDenied
    return article


def access_review_item(user: Any, pk: int) -> ReviewItem:
    """A review item: its article's owner and editors may settle it."""
    item = ReviewItem.objects.select_related("article").filter(pk=pk).first()
    if item is None:
        raise Http404
    if may_edit(user):
        return item
    if item.article.owner_id == getattr(user, "pk", None):
        return item
    raise Http404
