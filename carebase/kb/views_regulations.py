"""Regulations read, and the review items of articles' owners.

- `/kb/regulations/`: every live regulation with how many people it asks to
  acknowledge it, how many are up to date and how many not (editors only);
- `/kb/regulations/<pk>/`: each of those people and where they stand, as a
  page or a CSV file, with the history of the significant changes;
- `/kb/reviews/`: what the owners of articles should look at (flags from
  conversations, readers' comments, reviews due), with their buttons;
- the home page's panels: the regulations the person has still to read, and
  the count of open review items of their own articles.

Every count is made by the database, whatever the number of people: the
queries below are correlated subqueries, never a query per person.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Lower
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from carebase.accounts.http import AuthenticatedRequest
from carebase.accounts.models import Team, User
from carebase.core.access import Perm, is_staff_member, require_perm
from carebase.core.navigation import Panel
from carebase.core.roles import STAFF_ROLES, Role
from carebase.kb.access import access_review_item, may_edit
from carebase.kb.actions import do_mark_reviewed, do_resolve_review_item, pending_acknowledgements
from carebase.kb.models import (
    Acknowledgement,
    Article,
    ArticleKind,
    ArticleStatus,
    ArticleVersion,
    ReviewItem,
)
from carebase.tickets.access import tickets_for

REVIEWS_PAGE_SIZE = 50

# Where a person stands with a regulation.
CURRENT = "current"  # read the live version, or one since its last significant change
OUTDATED = "outdated"  # read a version older than the last significant change
MISSING = "missing"  # read none


# --- Queries (the database counts) ---


class _CountOf(Subquery):
    """The number of rows of a subquery, as a column of the outer query."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS counted)"
    output_field = IntegerField()


def required_people(
    article: Any, *, team: Team | None = None, role: str | None = None
) -> QuerySet[User]:
    """The active people a regulation asks to acknowledge it (those holding
    one of its roles, or in one of its teams), as `required_readers` says,
    without a join that repeats a person. `article` is its id, or an
    expression naming it (OuterRef(OuterRef("pk")) inside a subquery of
    articles). `team` and `role` narrow it to the people of one team or role."""
    by_role = Article.must_read_roles.through.objects.filter(
        article_id=article, group__user=OuterRef("pk")
    )
    by_team = Article.must_read_teams.through.objects.filter(
        article_id=article, team__members=OuterRef("pk")
    )
    people = User.objects.filter(is_active=True).filter(Exists(by_role) | Exists(by_team))
    if team is not None:
        people = people.filter(teams=team)
    if role is not None:
        people = people.filter(groups__name=role)
    return people


def live_regulations() -> QuerySet[Article]:
    return Article.objects.filter(kind=ArticleKind.REGULATION, status=ArticleStatus.PUBLISHED)


def regulations_with_counts(
    *, team: Team | None = None, role: str | None = None
) -> QuerySet[Article]:
    """Live regulations, each with `required` (people asked to acknowledge
    it) and `up_to_date` (those who acknowledged it since its last
    significant change), in one query. With a team or a role, only the
    people of it count, and regulations that ask none of them are left out."""
    article = OuterRef(OuterRef("pk"))
    people = required_people(article, team=team, role=role)
    acknowledged = Acknowledgement.objects.filter(
        article_id=article,
        user_id=OuterRef("pk"),
        version__gte=OuterRef(OuterRef("acknowledge_from")),
    )
    regulations = live_regulations().annotate(
        required=_CountOf(people.order_by().values("pk")),
        up_to_date=_CountOf(people.filter(Exists(acknowledged)).order_by().values("pk")),
    )
    if team is not None or role is not None:
        regulations = regulations.filter(required__gt=0)
    return regulations.order_by("title", "pk")


def readers_of(
    article: Article,
    *,
    team: Team | None = None,
    role: str | None = None,
    order: str = "status",
) -> QuerySet[User]:
    """The people a regulation asks to acknowledge it, each with
    `read_version` and `read_at` (their highest acknowledged version and
    when, or None) and `reading` (CURRENT, OUTDATED or MISSING). In `status`
    order those who read nothing come first, then those who must read it
    again, then the rest; by name otherwise."""
    highest = Acknowledgement.objects.filter(
        article_id=article.pk, user_id=OuterRef("pk")
    ).order_by("-version")
    people = required_people(article.pk, team=team, role=role).annotate(
        read_version=Subquery(highest.values("version")[:1]),
        read_at=Subquery(highest.values("acknowledged_at")[:1]),
    )
    people = people.annotate(
        reading=Case(
            When(read_version__isnull=True, then=Value(MISSING)),
            When(read_version__lt=article.acknowledge_from, then=Value(OUTDATED)),
            default=Value(CURRENT),
            output_field=CharField(),
        ),
        reading_rank=Case(
            When(read_version__isnull=True, then=Value(0)),
            When(read_version__lt=article.acknowledge_from, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
    )
    # By the name shown: the first name, or the username of one who has none.
    people = people.annotate(
        sort_name=Lower(Case(When(first_name="", then=F("username")), default=F("first_name"))),
        sort_last_name=Lower("last_name"),
    )
    by_name = ["sort_name", "sort_last_name", "username", "pk"]
    return people.order_by(*(["reading_rank", *by_name] if order == "status" else by_name))


def open_review_items(user: Any, *, everyone: bool = False) -> QuerySet[ReviewItem]:
    """The unresolved review items of the articles the user owns (of every
    article with `everyone`, for editors), each with `ticket_visible`: whether
    the user may open the conversation it came from."""
    items = ReviewItem.objects.filter(resolved_at=None)
    if not (everyone and may_edit(user)):
        items = items.filter(article__owner=user)
    return items.select_related("article", "article__owner", "ticket", "created_by").annotate(
        ticket_visible=Exists(tickets_for(user).filter(pk=OuterRef("ticket_id")))
    )


def require_regulation_report(user: Any) -> None:
    """Editors read who acknowledged the regulations; anyone else: 403."""
    require_perm(user, Perm.EDIT_KB)


def access_regulation_readers(user: Any, pk: int) -> Article:
    """A regulation whose readers an editor reads: 403 for anyone else, 404
    for what is not a regulation. A draft or archived one opens too: its
    acknowledgements stay on the record."""
    require_regulation_report(user)
    article = Article.objects.filter(pk=pk, kind=ArticleKind.REGULATION).first()
    if article is None:
        raise Http404
    return article


# --- The report ---


class ReportFilterForm(forms.Form):
    team = forms.ModelChoiceField(
        label=gettext_lazy("Team"),
        queryset=Team.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("Every team"),
    )
    role = forms.ChoiceField(label=gettext_lazy("Role"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff_roles = [(role.value, role.label) for role in Role if role in STAFF_ROLES]
        self.fields["role"].choices = [("", gettext_lazy("Every role")), *staff_roles]  # type: ignore[attr-defined]

    def narrowing(self) -> dict[str, Any]:
        """{"team": Team | None, "role": str | None}; nothing for what is invalid."""
        data = self.cleaned_data if self.is_valid() else {}
        return {"team": data.get("team") or None, "role": data.get("role") or None}


@login_required
@require_GET
def regulations(request: AuthenticatedRequest) -> HttpResponse:
    require_regulation_report(request.user)
    form = ReportFilterForm(request.GET or None)
    rows = [
        {"article": article, "pending": article.required - article.up_to_date}  # type: ignore[attr-defined]
        for article in regulations_with_counts(**form.narrowing())
    ]
    query = request.GET.urlencode()
    return render(
        request,
        "kb/regulations/list.html",
        {"form": form, "rows": rows, "query": f"?{query}" if query else ""},
    )


@dataclass
class ReaderRow:
    person: User
    reading: str
    version: int | None
    read_at: Any


def _reader_rows(people: QuerySet[User]) -> list[ReaderRow]:
    return [
        ReaderRow(person, person.reading, person.read_version, person.read_at)  # type: ignore[attr-defined]
        for person in people.prefetch_related("teams")
    ]


@login_required
@require_GET
def regulation_readers(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    article = access_regulation_readers(request.user, pk)
    form = ReportFilterForm(request.GET or None)
    order = "name" if request.GET.get("order") == "name" else "status"
    people = readers_of(article, order=order, **form.narrowing())
    if request.GET.get("format") == "csv":
        return _readers_csv(article, people)
    rows = _reader_rows(people)
    filters = request.GET.copy()
    filters.pop("order", None)
    filters.pop("format", None)
    versions = ArticleVersion.objects.filter(article=article, significant=True).select_related(
        "author"
    )
    context = {
        "article": article,
        "form": form,
        "rows": rows,
        "order": order,
        "counts": {
            state: sum(1 for row in rows if row.reading == state)
            for state in (CURRENT, OUTDATED, MISSING)
        },
        "filters": filters.urlencode(),
        "versions": versions,
    }
    return render(request, "kb/regulations/readers.html", context)


def _csv_cell(value: Any) -> str:
    """A value as a spreadsheet shows it, never as a formula (a name that
    begins with "=" or "+" is text, not something to compute)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _readers_csv(article: Article, people: QuerySet[User]) -> HttpResponse:
    labels = {
        CURRENT: _("Up to date"),
        OUTDATED: _("Read an older version: must read again"),
        MISSING: _("Not read"),
    }
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{article.slug}-readers.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # A byte order mark, so that spreadsheets read the Polish letters as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    header = (_("Name"), _("Username"), _("Email"), _("Teams"), _("Status"), _("Version read"))
    writer.writerow([*header, _("Read on")])
    for row in _reader_rows(people):
        person = row.person
        read_at = (
            timezone.localtime(row.read_at).isoformat(timespec="minutes") if row.read_at else ""
        )
        writer.writerow(
            _csv_cell(value)
            for value in (
                person.get_full_name() or person.username,
                person.username,
                person.email,
                ", ".join(team.name for team in person.teams.all()),
                labels[row.reading],
                row.version,
                read_at,
            )
        )
    return response


# --- Review items ---


@login_required
@require_GET
def reviews(request: AuthenticatedRequest) -> HttpResponse:
    """The open review items of the articles the person owns; editors may
    switch to those of every owner (`?owners=all`)."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    editor = may_edit(request.user)
    everyone = editor and request.GET.get("owners") == "all"
    items = open_review_items(request.user, everyone=everyone)
    page = Paginator(items, REVIEWS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "kb/regulations/reviews.html",
        {"page": page, "everyone": everyone, "editor": editor},
    )


@login_required
@require_POST
def review_resolve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    item = access_review_item(request.user, pk)
    do_resolve_review_item(item, request.user)
    messages.success(request, _("Resolved: %(title)s.") % {"title": item.article.title})
    return _back_to_reviews(request)


@login_required
@require_POST
def review_article_reviewed(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The owner read the article of the item and found it right: its
    "review due" items are settled; flags and comments wait to be resolved."""
    item = access_review_item(request.user, pk)
    do_mark_reviewed(item.article, request.user)
    messages.success(request, _("Marked as reviewed: %(title)s.") % {"title": item.article.title})
    return _back_to_reviews(request)


def _back_to_reviews(request: AuthenticatedRequest) -> HttpResponse:
    url = reverse("kb:reviews")
    return redirect(f"{url}?owners=all" if request.POST.get("owners") == "all" else url)


# --- Home-page panels ---


def regulations_panel(request: AuthenticatedRequest) -> Panel | None:
    """The regulations the person has still to read (in their live version,
    or since their last significant change); nothing when none."""
    if not is_staff_member(request.user):
        return None
    pending = pending_acknowledgements(request.user)
    if not pending:
        return None
    return Panel("kb/regulations/panel_regulations.html", {"regulations": pending}, order=20)


def reviews_panel(request: AuthenticatedRequest) -> Panel | None:
    """How many review items wait on the person's own articles; nothing when none."""
    if not is_staff_member(request.user):
        return None
    count = ReviewItem.objects.filter(resolved_at=None, article__owner=request.user).count()
    if not count:
        return None
    return Panel("kb/regulations/panel_reviews.html", {"count": count}, order=60)
