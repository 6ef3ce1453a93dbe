"""People: the admins' page to invite staff, set their roles and teams, and
deactivate them. (Django admin stays available for everything else.)"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from carebase.accounts.access import access_user
from carebase.accounts.actions import (
    do_create_user,
    do_invite_user,
    do_set_active,
    do_set_roles,
    do_set_user_teams,
    do_update_profile,
)
from carebase.accounts.forms import PersonForm
from carebase.accounts.http import AuthenticatedRequest
from carebase.accounts.models import User
from carebase.core.access import Perm, require_perm
from carebase.core.errors import show_errors
from carebase.core.events import events_for
from carebase.core.roles import Role

PAGE_SIZE = 30


@login_required
def people(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_USERS)
    users = User.objects.prefetch_related("groups", "teams").select_related("contact__organization")
    query = request.GET.get("q", "").strip()
    if query:
        users = users.filter(
            Q(username__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    role = request.GET.get("role", "")
    if role in Role.values:
        users = users.filter(groups__name=role)
    status = request.GET.get("status", "active")
    if status == "active":
        users = users.filter(is_active=True)
    elif status == "inactive":
        users = users.filter(is_active=False)
    page = Paginator(users.order_by("first_name", "last_name", "username"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = []
    for person in page:
        names = {group.name for group in person.groups.all()}
        rows.append((person, [role.label for role in Role if role.value in names]))
    context = {
        "page": page,
        "rows": rows,
        "query": query,
        "role": role,
        "status": status,
        "roles": Role.choices,
    }
    return render(request, "accounts/people.html", context)


@login_required
def person_create(request: AuthenticatedRequest) -> HttpResponse:
    require_perm(request.user, Perm.MANAGE_USERS)
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                person = do_create_user(
                    data["username"],
                    roles=[Role(value) for value in data["roles"]],
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    language=data["language"],
                    actor=request.user,
                )
                do_set_user_teams(person, data["teams"], actor=request.user)
                do_invite_user(person, actor=request.user)
        except ValidationError as error:
            show_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s can now set a password: the invitation went to %(email)s.")
                % {"name": person, "email": person.email},
            )
            return redirect("accounts:person_edit", person.pk)
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "accounts/person_form.html", {"form": form}, status=status)


@login_required
def person_edit(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    person = access_user(request.user, user_id)
    form = PersonForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: a refused role change keeps the new name from saving too.
            with transaction.atomic():
                do_update_profile(
                    person,
                    actor=request.user,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    language=data["language"],
                )
                if "roles" in data:
                    do_set_roles(person, [Role(v) for v in data["roles"]], actor=request.user)
                    do_set_user_teams(person, data["teams"], actor=request.user)
        except ValidationError as error:
            person.refresh_from_db()
            show_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:person_edit", person.pk)
    context = {"form": form, "person": person, "events": events_for(person)[:20]}
    status = 422 if form.is_bound and form.errors else 200
    return render(request, "accounts/person_form.html", context, status=status)


@login_required
@require_POST
def person_set_active(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    person = access_user(request.user, user_id)
    active = request.POST.get("active") == "1"
    try:
        do_set_active(person, active=active, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            (_("%(name)s can sign in again.") if active else _("%(name)s can no longer sign in."))
            % {"name": person},
        )
    return redirect("accounts:person_edit", person.pk)


@login_required
@require_POST
def person_invite(request: AuthenticatedRequest, user_id: int) -> HttpResponse:
    person = access_user(request.user, user_id)
    try:
        do_invite_user(person, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": person.email})
    return redirect("accounts:person_edit", person.pk)
