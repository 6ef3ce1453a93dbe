from __future__ import annotations

import contextlib
from collections.abc import Callable
from copy import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from carebase.accounts.http import AuthenticatedRequest
from carebase.core.access import Perm, has_perm, is_staff_member
from carebase.core.errors import Conflict, show_errors
from carebase.core.events import events_for
from carebase.core.navigation import Panel
from carebase.crm.access import (
    access_contact,
    access_organization,
    access_project,
    can_delete,
    contacts_for,
    cs_owner_candidates,
    organizations_for,
    require_edit,
)
from carebase.crm.actions import (
    do_create_contact,
    do_create_organization,
    do_create_project,
    do_delete_contact,
    do_delete_organization,
    do_merge_contacts,
    do_update_contact,
    do_update_organization,
    do_update_project,
    plan_contact_merge,
)
from carebase.crm.forms import ContactForm, ContactMergeForm, OrganizationForm, ProjectForm
from carebase.crm.identities import IdentityError, normalize_phone
from carebase.crm.models import (
    Contact,
    Organization,
    OrganizationStatus,
    Plan,
    Tier,
    name_key,
)
from carebase.crm.panels import panels_for

PAGE_SIZE = 25
# How many contacts the merge page offers for one search: enough to spot the
# duplicate, few enough that a vague search asks for a better one.
MERGE_CANDIDATES = 20


def _require_crm(request: HttpRequest) -> None:
    if not has_perm(request.user, Perm.VIEW_CRM):
        raise Http404


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], form: BaseForm | None = None
):
    status = 422 if form is not None and form.is_bound and form.errors else 200
    return render(request, template, context, status=status)


def _form_page(
    request: AuthenticatedRequest,
    form: BaseForm,
    *,
    save: Callable[[dict[str, Any]], Any],
    done: Callable[[Any], str],
    message: str,
    template: str,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The one flow of every create and edit page: a valid POST is saved by the
    action and redirects; errors (the form's or the action's) show on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except (ValidationError, Conflict) as error:
            show_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(done(result))
    return _render(request, template, {"form": form, **(context or {})}, form)


def _page(request: HttpRequest, queryset: Any) -> Any:
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _list_template(request: HttpRequest, full: str, rows: str) -> str:
    # htmx search-as-you-type asks for the rows only.
    return rows if request.headers.get("HX-Request") and request.GET.get("partial") else full


@login_required
def organization_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_crm(request)
    queryset = organizations_for(request.user).select_related("cs_owner")
    query = request.GET.get("q", "").strip()
    if query:
        queryset = queryset.filter(
            Q(name_key__contains=name_key(query))
            | Q(tax_id__icontains=query)
            | Q(website__icontains=query)
        )
    filters = {}
    for field, choices in (("tier", Tier), ("plan", Plan), ("status", OrganizationStatus)):
        value = request.GET.get(field, "")
        if value in choices.values:
            queryset = queryset.filter(**{field: value})
            filters[field] = value
    owner = request.GET.get("cs_owner", "")
    if owner.isdigit():
        queryset = queryset.filter(cs_owner_id=int(owner))
        filters["cs_owner"] = owner
    queryset = queryset.annotate(
        contact_count=Count("contacts", distinct=True),
        project_count=Count("projects", distinct=True),
    ).order_by("name", "id")
    context = {
        "page": _page(request, queryset),
        "query": query,
        "filters": filters,
        "tiers": Tier.choices,
        "plans": Plan.choices,
        "statuses": OrganizationStatus.choices,
        "owners": cs_owner_candidates(),
        "can_edit": has_perm(request.user, Perm.EDIT_CRM),
    }
    template = _list_template(request, "crm/organization_list.html", "crm/_organization_rows.html")
    return render(request, template, context)


@login_required
def organization_detail(request: AuthenticatedRequest, organization_id: int) -> HttpResponse:
    _require_crm(request)
    organization = access_organization(request.user, organization_id)
    contacts = organization.contacts.prefetch_related("identities")
    context = {
        "organization": organization,
        "contacts": contacts,
        "projects": organization.projects.all(),
        "events": events_for(organization)[:20],
        "can_edit": has_perm(request.user, Perm.EDIT_CRM),
        "can_delete": can_delete(request.user),
    }
    return render(request, "crm/organization_detail.html", context)


@login_required
def organization_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_crm(request)
    require_edit(request.user)
    return _form_page(
        request,
        OrganizationForm(request.POST or None, user=request.user),
        save=lambda data: do_create_organization(actor=request.user, **data),
        done=lambda organization: organization.get_absolute_url(),
        message=_("Organization created."),
        template="crm/organization_form.html",
    )


@login_required
def organization_edit(request: AuthenticatedRequest, organization_id: int) -> HttpResponse:
    _require_crm(request)
    organization = access_organization(request.user, organization_id, edit=True)
    # The form validates a copy, so the action sees what changed on the original.
    return _form_page(
        request,
        OrganizationForm(request.POST or None, instance=copy(organization), user=request.user),
        save=lambda data: do_update_organization(organization, actor=request.user, **data),
        done=lambda _diff: organization.get_absolute_url(),
        message=_("Organization saved."),
        template="crm/organization_form.html",
        context={"organization": organization},
    )


@login_required
def organization_delete(request: AuthenticatedRequest, organization_id: int) -> HttpResponse:
    _require_crm(request)
    organization = access_organization(request.user, organization_id, delete=True)
    return _confirm_delete(
        request,
        organization,
        delete=do_delete_organization,
        done_url="crm:organization_list",
        back_url=reverse("crm:organization_detail", args=[organization.pk]),
        message=_("Organization %(name)s deleted."),
    )


def _confirm_delete(
    request: AuthenticatedRequest,
    obj: Any,
    *,
    delete: Any,
    done_url: str,
    back_url: str,
    message: str,
) -> HttpResponse:
    """GET asks to confirm; POST deletes through the action or says why it cannot."""
    problem = None
    if request.method == "POST":
        name = str(obj)
        try:
            delete(obj, actor=request.user)
        except Conflict as conflict:
            problem = conflict.message
        else:
            messages.success(request, message % {"name": name})
            return redirect(done_url)
    context = {"object": obj, "back_url": back_url, "problem": problem}
    return render(request, "crm/confirm_delete.html", context, status=409 if problem else 200)


def _contact_search(queryset: Any, query: str) -> Any:
    condition = Q(name_key__contains=name_key(query)) | Q(
        identities__value__icontains=query.lower()
    )
    with contextlib.suppress(IdentityError):
        condition |= Q(identities__value=normalize_phone(query))
    return queryset.filter(condition).distinct()


@login_required
def contact_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_crm(request)
    queryset = contacts_for(request.user).select_related("organization")
    query = request.GET.get("q", "").strip()
    if query:
        queryset = _contact_search(queryset, query)
    organization_id = request.GET.get("organization", "")
    if organization_id.isdigit():
        queryset = queryset.filter(organization_id=int(organization_id))
    page = _page(request, queryset.prefetch_related("identities"))
    context = {
        "page": page,
        "query": query,
        "can_edit": has_perm(request.user, Perm.EDIT_CRM),
    }
    template = _list_template(request, "crm/contact_list.html", "crm/_contact_rows.html")
    return render(request, template, context)


@login_required
def contact_detail(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    _require_crm(request)
    contact = access_contact(request.user, contact_id)
    context = {
        "contact": contact,
        "events": events_for(contact)[:20],
        "can_edit": has_perm(request.user, Perm.EDIT_CRM),
        "can_delete": can_delete(request.user),
        "panels": panels_for(contact, request.user),
    }
    return render(request, "crm/contact_detail.html", context)


@login_required
def contact_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_crm(request)
    require_edit(request.user)
    initial = {"organization": request.GET.get("organization")}
    return _form_page(
        request,
        ContactForm(request.POST or None, user=request.user, initial=initial),
        save=lambda data: do_create_contact(actor=request.user, **data),
        done=lambda contact: contact.get_absolute_url(),
        message=_("Contact created."),
        template="crm/contact_form.html",
    )


@login_required
def contact_edit(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    _require_crm(request)
    contact = access_contact(request.user, contact_id, edit=True)
    return _form_page(
        request,
        ContactForm(request.POST or None, user=request.user, contact=contact),
        save=lambda data: do_update_contact(contact, actor=request.user, **data),
        done=lambda _diff: contact.get_absolute_url(),
        message=_("Contact saved."),
        template="crm/contact_form.html",
        context={"contact": contact},
    )


@login_required
def contact_delete(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    _require_crm(request)
    contact = access_contact(request.user, contact_id, delete=True)
    return _confirm_delete(
        request,
        contact,
        delete=do_delete_contact,
        done_url="crm:contact_list",
        back_url=reverse("crm:contact_detail", args=[contact.pk]),
        message=_("Contact %(name)s deleted."),
    )


@login_required
def contact_merge(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """Merge another contact into this one: find it (GET ?q=), see what will
    move (GET ?duplicate=<id>), merge (POST duplicate=<id>)."""
    _require_crm(request)
    kept = access_contact(request.user, contact_id, edit=True)
    data = request.POST if request.method == "POST" else request.GET
    if request.method != "POST" and "duplicate" not in data:
        return _merge_candidates(request, kept, ContactMergeForm())
    form = ContactMergeForm(data)
    if not form.is_valid():
        return _merge_candidates(request, kept, form)
    duplicate = access_contact(request.user, form.cleaned_data["duplicate"], edit=True)
    merge = None
    problem = None
    status = 200
    try:
        if request.method == "POST":
            name = duplicate.name
            do_merge_contacts(kept, duplicate, actor=request.user)
            messages.success(request, _("%(name)s was merged into this contact.") % {"name": name})
            return redirect(kept.get_absolute_url())
        merge = plan_contact_merge(kept, duplicate)
    except Conflict as conflict:
        problem, status = conflict.message, 409
    except ValidationError as error:
        problem, status = " ".join(error.messages), 422
    context = {"kept": kept, "duplicate": duplicate, "merge": merge, "problem": problem}
    return render(request, "crm/contact_merge_confirm.html", context, status=status)


def _merge_candidates(
    request: AuthenticatedRequest, kept: Contact, form: ContactMergeForm
) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    candidates: Any = []
    if query:
        queryset = contacts_for(request.user).exclude(pk=kept.pk)
        candidates = _contact_search(queryset, query).select_related("organization")
        candidates = candidates.prefetch_related("identities")[:MERGE_CANDIDATES]
    context = {"kept": kept, "form": form, "query": query, "candidates": candidates}
    return _render(request, "crm/contact_merge.html", context, form)


@login_required
def project_create(request: AuthenticatedRequest, organization_id: int) -> HttpResponse:
    _require_crm(request)
    organization = access_organization(request.user, organization_id, edit=True)
    return _form_page(
        request,
        ProjectForm(request.POST or None),
        save=lambda data: do_create_project(organization, actor=request.user, **data),
        done=lambda _project: organization.get_absolute_url(),
        message=_("Project added."),
        template="crm/project_form.html",
        context={"organization": organization},
    )


@login_required
def project_edit(request: AuthenticatedRequest, project_id: int) -> HttpResponse:
    _require_crm(request)
    project = access_project(request.user, project_id, edit=True)
    return _form_page(
        request,
        ProjectForm(request.POST or None, instance=copy(project)),
        save=lambda data: do_update_project(project, actor=request.user, **data),
        done=lambda _diff: project.organization.get_absolute_url(),
        message=_("Project saved."),
        template="crm/project_form.html",
        context={"organization": project.organization, "project": project},
    )


def crm_panel(request: AuthenticatedRequest) -> Panel | None:
    user = request.user
    if is_staff_member(user) and has_perm(user, Perm.VIEW_CRM):
        organizations = Organization.objects.all()
        return Panel(
            template="crm/panel_staff.html",
            context={
                "organization_count": organizations.count(),
                "contact_count": Contact.objects.count(),
                "my_accounts": organizations.filter(cs_owner=user).order_by("-mrr")[:8],
                "recent": organizations.order_by("-updated_at")[:8],
            },
            order=100,
        )
    return None
