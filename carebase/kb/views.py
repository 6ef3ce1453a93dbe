"""The knowledge base's staff pages: the list of articles, an article as
staff read it (with its versions, feedback and, for a regulation, the
"I have read it" button), the editor, versions and their differences,
categories, and export."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebase.accounts.http import AuthenticatedRequest
from carebase.core import search
from carebase.core.access import is_staff_member
from carebase.core.errors import Conflict, show_errors
from carebase.crm.models import Language
from carebase.kb import diff
from carebase.kb.access import (
    access_article_for_edit,
    access_staff_article,
    may_edit,
    staff_articles,
)
from carebase.kb.actions import (
    do_acknowledge,
    do_add_image,
    do_create_article,
    do_delete_article,
    do_discard_changes,
    do_publish_article,
    do_revert_article,
    do_unpublish_article,
    do_update_article,
    regulations_for,
)
from carebase.kb.forms import ArticleForm, CategoryForm
from carebase.kb.models import (
    SEARCH_KIND,
    Acknowledgement,
    Article,
    ArticleKind,
    ArticleStatus,
    Category,
    Visibility,
)
from carebase.kb.render import headings, render_markdown
from carebase.kb.transfer import export_zip

PAGE_SIZE = 50
NUMBER = re.compile(r"[0-9]{1,18}")


def _require_staff(user: Any) -> None:
    if not is_staff_member(user):
        raise PermissionDenied


@login_required
def article_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_staff(request.user)
    articles = staff_articles(request.user).select_related("category", "owner")
    filters = {
        name: request.GET.get(name, "")
        for name in ("kind", "status", "language", "visibility", "category")
    }
    choices = {
        "kind": ArticleKind.values,
        "status": ArticleStatus.values,
        "language": Language.values,
        "visibility": Visibility.values,
    }
    for name, allowed in choices.items():
        if filters[name] in allowed:
            articles = articles.filter(**{name: filters[name]})
    category = _number(filters["category"], None)
    if category is not None:
        articles = articles.filter(category_id=category)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    if query:
        # Drafts are not in the search index: editors find them by title.
        found = search.ranked(SEARCH_KIND, query, articles, limit=PAGE_SIZE)
        by_title = articles.filter(title__icontains=query).exclude(
            pk__in=[hit.object_id for hit in found]
        )
        ranked_ids = [hit.object_id for hit in found]
        in_bulk = articles.in_bulk(ranked_ids)
        rows = [in_bulk[pk] for pk in ranked_ids if pk in in_bulk] + list(by_title[:PAGE_SIZE])
        page = None
    else:
        page = Paginator(articles.order_by("-updated_at", "pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        rows = list(page.object_list)
    context = {
        "rows": rows,
        "page": page,
        "q": query,
        "filters": filters,
        "kinds": ArticleKind.choices,
        "statuses": ArticleStatus.choices,
        "languages": Language.choices,
        "visibilities": Visibility.choices,
        "categories": Category.objects.order_by("position", "slug"),
        "may_edit": may_edit(request.user),
    }
    return render(request, "kb/list.html", context)


@login_required
def article_detail(request: AuthenticatedRequest, article_id: int) -> HttpResponse:
    _require_staff(request.user)
    article = access_staff_article(request.user, article_id)
    editor = may_edit(request.user)
    acknowledged = None
    must_acknowledge = False
    if article.is_regulation and article.is_live:
        must_acknowledge = regulations_for(request.user).filter(pk=article.pk).exists()
        acknowledged = (
            Acknowledgement.objects.filter(article=article, user=request.user)
            .order_by("-version")
            .first()
        )
    feedback = article.feedback.aggregate(
        yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False))
    )
    translations = staff_articles(request.user).filter(group=article.group).exclude(pk=article.pk)
    context = {
        "article": article,
        "editor": editor,
        "contents": headings(article.body_html),
        "versions": article.versions.select_related("author")[:20] if editor else [],
        "acknowledged": acknowledged,
        "up_to_date": acknowledged is not None and acknowledged.version >= article.acknowledge_from,
        "must_acknowledge": must_acknowledge,
        "feedback": feedback,
        "translations": [t for t in translations if editor or t.is_live],
        "review_items": article.review_items.filter(resolved_at=None)[:10] if editor else [],
    }
    return render(request, "kb/article.html", context)


@login_required
def article_edit(request: AuthenticatedRequest, article_id: int | None = None) -> HttpResponse:
    _require_staff(request.user)
    if not may_edit(request.user):
        raise PermissionDenied
    article = access_article_for_edit(request.user, article_id) if article_id else None
    if request.method == "POST":
        form = ArticleForm(request.POST, article=article)
        action = request.POST.get("action", "save")
        if form.is_valid():
            try:
                saved = _save(request, form, article, action)
            except (ValidationError, Conflict) as error:
                show_errors(form, error)
            else:
                return redirect("kb:article", saved.pk)
    elif article is not None:
        form = ArticleForm.for_article(article)
    else:
        form = ArticleForm(initial={"language": request.user.language or "pl", "kind": "guide"})
    context = {"form": form, "article": article}
    return render(request, "kb/edit.html", context)


def _save(
    request: AuthenticatedRequest, form: ArticleForm, article: Article | None, action: str
) -> Article:
    data = form.data_for()
    values = form.cleaned_data
    publish = action == "publish"
    publish_at = values["publish_at"] if action == "schedule" else None
    if action == "schedule" and publish_at is None:
        raise ValidationError({"publish_at": [_("Choose when to publish it.")]})
    if article is None:
        saved = do_create_article(
            data, request.user, publish=publish, publish_at=publish_at, note=values["note"]
        )
    else:
        saved = do_update_article(
            article,
            data,
            request.user,
            publish=publish,
            note=values["note"],
            significant=values["significant"],
            publish_at=publish_at,
        )
    if publish:
        messages.success(request, _("Published version %(number)s.") % {"number": saved.version})
    elif publish_at is not None:
        messages.success(request, _("Scheduled for publication."))
    elif saved.is_live:
        messages.success(request, _("Saved. Readers see the change once you publish it."))
    else:
        messages.success(request, _("Saved as a draft."))
    return saved


@login_required
@require_POST
def article_preview(request: AuthenticatedRequest) -> HttpResponse:
    """The editor's preview: the Markdown rendered as readers will see it."""
    if not may_edit(request.user):
        raise PermissionDenied
    body = request.POST.get("body", "")[:200_000]
    return render(request, "kb/_preview.html", {"html": render_markdown(body)})


@login_required
@require_POST
def article_publish(request: AuthenticatedRequest, article_id: int) -> HttpResponse:
    article = access_article_for_edit(request.user, article_id)
    version = do_publish_article(
        article,
        request.user,
        note=request.POST.get("note", "")[:300],
        significant=request.POST.get("significant") == "on",
    )
    if version is None:
        messages.info(request, _("There is no change to publish."))
    else:
        messages.success(request, _("Published version %(number)s.") % {"number": version.number})
    return redirect("kb:article", article.pk)


@login_required
@require_POST
def article_discard(request: AuthenticatedRequest, article_id: int) -> HttpResponse:
    do_discard_changes(access_article_for_edit(request.user, article_id), request.user)
    messages.success(request, _("Discarded the unpublished changes."))
    return redirect("kb:article", article_id)


@login_required
@require_POST
def article_unpublish(request: AuthenticatedRequest, article_id: int) -> HttpResponse:
    article = access_article_for_edit(request.user, article_id)
    archive = request.POST.get("archive") == "1"
    do_unpublish_article(article, request.user, archive=archive)
    messages.success(request, _("Archived.") if archive else _("Taken off the help center."))
    return redirect("kb:article", article.pk)


@login_required
@require_POST
def article_delete(request: AuthenticatedRequest, article_id: int) -> HttpResponse:
    article = access_article_for_edit(request.user, article_id)
    if article.published_at is not None:
        messages.error(
            request, _("A published article is archived, not deleted: its history stays.")
        )
        return redirect("kb:article", article.pk)
    do_delete_article(article, request.user)
    messages.success(request, _("Deleted the draft."))
    return redirect("kb:articles")


@login_required
@require_POST
def article_acknowledge(request: AuthenticatedRequest, article_id: int) -> HttpResponse:
    _require_staff(request.user)
    article = access_staff_article(request.user, article_id)
    try:
        do_acknowledge(article, request.user, _number(request.POST.get("version"), None))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Thank you: you confirmed reading version %(number)s.") % {"number": article.version},
        )
    return redirect("kb:article", article.pk)


@login_required
@require_POST
def article_image(request: AuthenticatedRequest, article_id: int) -> HttpResponse:
    article = access_article_for_edit(request.user, article_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose an image to upload."))
        return redirect("kb:edit", article.pk)
    try:
        image = do_add_image(article, upload, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Uploaded. Paste this into the text: %(markdown)s")
            % {"markdown": f"![{image.filename}]({image.get_absolute_url()})"},
        )
    return redirect("kb:edit", article.pk)


@login_required
def article_versions(request: AuthenticatedRequest, article_id: int) -> HttpResponse:
    article = access_article_for_edit(request.user, article_id)
    versions = list(article.versions.select_related("author"))
    numbers = [version.number for version in versions]
    old_number = _number(request.GET.get("from"), numbers[1] if len(numbers) > 1 else None)
    new_number = _number(request.GET.get("to"), numbers[0] if numbers else None)
    by_number = {version.number: version for version in versions}
    lines = None
    if old_number in by_number and new_number in by_number:
        lines = diff.side_by_side(by_number[old_number], by_number[new_number])
    context = {
        "article": article,
        "versions": versions,
        "old": old_number,
        "new": new_number,
        "lines": lines,
    }
    return render(request, "kb/versions.html", context)


def _number(value: str | None, default: int | None) -> int | None:
    """A number typed in an address; `default` for anything else ("²", a
    hundred digits)."""
    return int(value) if value and NUMBER.fullmatch(value) else default


@login_required
@require_POST
def article_revert(request: AuthenticatedRequest, article_id: int) -> HttpResponse:
    article = access_article_for_edit(request.user, article_id)
    number = _number(request.POST.get("version"), None)
    if number is None:
        raise Http404
    try:
        version = do_revert_article(article, number, request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Version %(old)s is live again, as version %(new)s.")
            % {"old": number, "new": version.number},
        )
    return redirect("kb:versions", article.pk)


@login_required
def categories(request: AuthenticatedRequest) -> HttpResponse:
    _require_staff(request.user)
    editor = may_edit(request.user)
    edited = None
    edit = _number(request.GET.get("edit"), None)
    if edit is not None:
        edited = Category.objects.filter(pk=edit).first()
    if request.method == "POST":
        if not editor:
            raise PermissionDenied
        form = CategoryForm(request.POST, instance=edited)
        if form.is_valid():
            parent = form.cleaned_data["parent"]
            ancestor = parent
            while ancestor is not None:
                if edited is not None and ancestor.pk == edited.pk:
                    form.add_error("parent", _("A category cannot be inside itself."))
                    break
                ancestor = ancestor.parent
            if not form.errors:
                form.save()
                messages.success(request, _("Saved the category."))
                return redirect("kb:categories")
    else:
        form = CategoryForm(instance=edited)
    rows = Category.objects.select_related("parent").annotate(
        live=Count("articles", filter=Q(articles__status=ArticleStatus.PUBLISHED)),
        last=Max("articles__updated_at"),
    )
    context = {"rows": rows, "form": form, "edited": edited, "editor": editor}
    return render(request, "kb/categories.html", context)


@login_required
def export(request: AuthenticatedRequest) -> HttpResponse:
    if not may_edit(request.user):
        raise PermissionDenied
    articles = Article.objects.select_related("category", "owner").prefetch_related(
        "tags", "readers", "must_read_roles", "must_read_teams"
    )
    response = HttpResponse(export_zip(articles), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="knowledge-base.zip"'
    return response
