"""Every write to organizations, contacts, identities and projects."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from carebase.accounts.actions import do_create_user
from carebase.accounts.models import User
from carebase.core.access import Perm, has_perm
from carebase.core.errors import Conflict
from carebase.core.events import changes, events_for, record_event
from carebase.core.models import AuditEvent
from carebase.core.roles import Role
from carebase.crm.events import EventKind
from carebase.crm.identities import IdentityError, format_phone, normalize
from carebase.crm.models import (
    Contact,
    ContactIdentity,
    IdentityKind,
    Language,
    Organization,
    Project,
    ProjectStatus,
    name_key,
)
from carebase.crm.signals import contacts_merged

ORGANIZATION_FIELDS = [
    "name", "tier", "plan", "mrr", "currency", "status", "cs_owner", "website", "tax_id", "notes",
]  # fmt: skip
# Fields that move money or ownership: only roles with EDIT_COMMERCIAL change them.
COMMERCIAL_FIELDS = {"tier", "plan", "mrr", "currency", "status", "cs_owner"}
CONTACT_FIELDS = [
    "name", "organization", "language", "job_title", "notes", "sees_organization_tickets",
]  # fmt: skip
PROJECT_FIELDS = ["name", "status", "external_id"]
IDENTITY_FIELDS = {
    "emails": IdentityKind.EMAIL,
    "phones": IdentityKind.PHONE,
    "telegram": IdentityKind.TELEGRAM,
    "whatsapp": IdentityKind.WHATSAPP,
}


def _check_commercial(actor: Any, changed: Iterable[str]) -> None:
    # actor None is the system itself (commands, demo, imports).
    if actor is None:
        return
    if set(changed) & COMMERCIAL_FIELDS and not has_perm(actor, Perm.EDIT_COMMERCIAL):
        raise PermissionDenied(_("Your role cannot change plan, tier, MRR, status or CS owner."))


def _full_clean(instance: models.Model, exclude: list[str] | None = None) -> None:
    # Uniqueness is checked by the callers, which answer it with a Conflict (409).
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _assign_validated(instance: models.Model, values: dict[str, Any]) -> None:
    """Set the fields and validate the instance; on invalid values put the old
    ones back, so the caller's object is never left half-changed."""
    before = {field: getattr(instance, field) for field in values}
    for field, value in values.items():
        setattr(instance, field, value)
    try:
        _full_clean(instance)
    except ValidationError:
        for field, value in before.items():
            setattr(instance, field, value)
        raise


def check_organization_name_free(name: str, exclude_pk: int | None = None) -> None:
    same_name = Organization.objects.filter(name_key=name_key(name))
    if exclude_pk is not None:
        same_name = same_name.exclude(pk=exclude_pk)
    holder = same_name.first()
    if holder is not None:
        raise Conflict(
            _("An organization named “%(name)s” already exists.") % {"name": holder.name},
            field="name",
            organization=holder.pk,
        )


def do_create_organization(*, actor: Any, **values: Any) -> Organization:
    unknown = set(values) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"Not organization fields: {', '.join(sorted(unknown))}")
    defaults = Organization()
    _check_commercial(actor, [f for f in values if values[f] != getattr(defaults, f)])
    organization = Organization(**values)
    organization.name = organization.name.strip()
    _full_clean(organization)
    check_organization_name_free(organization.name)
    try:
        with transaction.atomic():
            organization.save()
            record_event(
                EventKind.ORGANIZATION_CREATED, organization, actor, name=organization.name
            )
    except IntegrityError:
        # Another request took the name since we checked.
        check_organization_name_free(organization.name)
        raise
    return organization


def do_update_organization(organization: Organization, *, actor: Any, **values: Any) -> dict:
    unknown = set(values) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"Not organization fields: {', '.join(sorted(unknown))}")
    if "name" in values:
        values["name"] = values["name"].strip()
    diff = changes(organization, list(values), values)
    if not diff:
        return diff
    _check_commercial(actor, diff)
    if "name" in diff:
        check_organization_name_free(values["name"], exclude_pk=organization.pk)
    _assign_validated(organization, {field: values[field] for field in diff})
    try:
        with transaction.atomic():
            organization.save(update_fields=[*diff, "updated_at"])
            record_event(EventKind.ORGANIZATION_UPDATED, organization, actor, changes=diff)
    except IntegrityError:
        # Another request took the name since we checked.
        check_organization_name_free(organization.name, exclude_pk=organization.pk)
        raise
    return diff


def do_delete_organization(organization: Organization, *, actor: Any) -> None:
    """Delete a client with its projects. Contacts are people with their own
    history, so an organization that still has contacts is refused."""
    contact_count = organization.contacts.count()
    if contact_count:
        raise Conflict(
            _(
                "“%(name)s” still has %(count)s contacts: move them to another "
                "organization or delete them first."
            )
            % {"name": organization.name, "count": contact_count},
            organization=organization.pk,
            contacts=contact_count,
        )
    with transaction.atomic():
        record_event(EventKind.ORGANIZATION_DELETED, organization, actor, name=organization.name)
        organization.delete()


def _normalize_identities(values: Mapping[str, Iterable[str] | None]) -> dict[str, list[str]]:
    """{field: [normalised values]} for the identity fields given; field errors
    for every value that cannot be read."""
    result: dict[str, list[str]] = {}
    errors: dict[str, list[str]] = {}
    for field, raws in values.items():
        if raws is None:
            continue
        kind = IDENTITY_FIELDS[field]
        normalized: list[str] = []
        for raw in raws:
            if not str(raw).strip():
                continue
            try:
                value = normalize(kind, str(raw))
            except IdentityError as error:
                errors.setdefault(field, []).append(str(error))
                continue
            if value not in normalized:
                normalized.append(value)
        result[field] = normalized
    if errors:
        raise ValidationError(errors)
    return result


def _check_identities_free(identities: dict[str, list[str]], contact: Contact | None) -> None:
    query = models.Q()
    for field, values in identities.items():
        for value in values:
            query |= models.Q(kind=IDENTITY_FIELDS[field], value=value)
    if not query:
        return
    taken = ContactIdentity.objects.filter(query).select_related("contact")
    if contact is not None:
        taken = taken.exclude(contact=contact)
    holder = taken.order_by("id").first()
    if holder is None:
        return
    field = next(f for f, kind in IDENTITY_FIELDS.items() if kind == holder.kind)
    raise Conflict(
        _("%(value)s already belongs to the contact “%(name)s” (#%(id)s).")
        % {"value": holder.value, "name": holder.contact.name, "id": holder.contact_id},
        field=field,
        contact=holder.contact_id,
        contact_name=holder.contact.name,
        value=holder.value,
    )


def _replace_identities(contact: Contact, identities: dict[str, list[str]]) -> dict:
    diff = {}
    for field, values in identities.items():
        kind = IDENTITY_FIELDS[field]
        old = list(contact.identities.filter(kind=kind).values_list("value", flat=True))
        if sorted(old) == sorted(values):
            continue
        contact.identities.filter(kind=kind).exclude(value__in=values).delete()
        ContactIdentity.objects.bulk_create(
            ContactIdentity(contact=contact, kind=kind, value=value)
            for value in values
            if value not in old
        )
        diff[field] = [old, values]
    return diff


def _save_identities(contact: Contact, identities: dict[str, list[str]]) -> dict:
    try:
        with transaction.atomic():
            return _replace_identities(contact, identities)
    except IntegrityError:
        # Another request took one of these identities since we checked.
        _check_identities_free(identities, contact)
        raise


def _add_identities(contact: Contact, identities: dict[str, list[str]]) -> None:
    """A new contact's identities: inserted without a look first (a channel
    creates a contact for every new sender); one held by another contact
    stops the insert, and the look says which."""
    try:
        with transaction.atomic():
            ContactIdentity.objects.bulk_create(
                ContactIdentity(contact=contact, kind=IDENTITY_FIELDS[field], value=value)
                for field, values in identities.items()
                for value in values
            )
    except IntegrityError:
        _check_identities_free(identities, contact)
        raise


def do_create_contact(
    *,
    actor: Any,
    name: str,
    organization: Organization | None = None,
    language: str = "pl",
    job_title: str = "",
    notes: str = "",
    sees_organization_tickets: bool = True,
    user: User | None = None,
    emails: Iterable[str] = (),
    phones: Iterable[str] = (),
    telegram: Iterable[str] = (),
    whatsapp: Iterable[str] = (),
) -> Contact:
    contact = Contact(
        name=name.strip(),
        organization=organization,
        language=language,
        job_title=job_title,
        notes=notes,
        sees_organization_tickets=sees_organization_tickets,
        user=user,
    )
    field_errors: dict[str, list[str]] = {}
    try:
        _full_clean(contact, exclude=["user"])
    except ValidationError as error:
        field_errors.update(error.message_dict)
    try:
        identities = _normalize_identities(
            {"emails": emails, "phones": phones, "telegram": telegram, "whatsapp": whatsapp}
        )
    except ValidationError as error:
        field_errors.update(error.message_dict)
    if field_errors:
        raise ValidationError(field_errors)
    with transaction.atomic():
        contact.save()
        _add_identities(contact, identities)
        record_event(
            EventKind.CONTACT_CREATED,
            contact,
            actor,
            name=contact.name,
            identities={f: v for f, v in identities.items() if v},
        )
    return contact


def do_update_contact(contact: Contact, *, actor: Any, **values: Any) -> dict:
    """Change any of CONTACT_FIELDS; an identity field given (emails, phones,
    telegram, whatsapp) replaces that kind's whole list."""
    unknown = set(values) - set(CONTACT_FIELDS) - set(IDENTITY_FIELDS)
    if unknown:
        raise TypeError(f"Not contact fields: {', '.join(sorted(unknown))}")
    plain = {field: values[field] for field in CONTACT_FIELDS if field in values}
    if "name" in plain:
        plain["name"] = plain["name"].strip()
    identity_values = {field: values[field] for field in IDENTITY_FIELDS if field in values}
    diff = changes(contact, list(plain), plain)
    before = {field: getattr(contact, field) for field in diff}
    for field in diff:
        setattr(contact, field, plain[field])
    field_errors: dict[str, list[str]] = {}
    try:
        _full_clean(contact, exclude=["user"])
    except ValidationError as error:
        field_errors.update(error.message_dict)
    try:
        identities = _normalize_identities(identity_values)
    except ValidationError as error:
        field_errors.update(error.message_dict)
    try:
        if field_errors:
            raise ValidationError(field_errors)
        _check_identities_free(identities, contact)
    except (ValidationError, Conflict):
        for field, value in before.items():
            setattr(contact, field, value)
        raise
    with transaction.atomic():
        if diff:
            contact.save(update_fields=[*diff, "updated_at"])
        diff.update(_save_identities(contact, identities))
        if diff:
            record_event(EventKind.CONTACT_UPDATED, contact, actor, changes=diff)
    return diff


def do_delete_contact(contact: Contact, *, actor: Any) -> None:
    """Delete a contact and every identity it held (for example on a request to
    be forgotten). The audit log keeps only the id, not the person's details."""
    if contact.user is not None and contact.user.is_active:
        raise Conflict(
            _("“%(name)s” signs in to the portal: deactivate the login first.")
            % {"name": contact.name},
            contact=contact.pk,
        )
    with transaction.atomic():
        # Earlier events hold the name, addresses and numbers: keep the fact
        # that they happened, forget what they said about the person.
        events_for(contact).update(data={})
        record_event(EventKind.CONTACT_DELETED, contact, actor)
        contact.delete()


@dataclass(frozen=True)
class ContactRelation:
    """The rows of one model that point at a contact through one field."""

    model: type[models.Model]
    field: str
    count: int

    @property
    def key(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field}"

    @property
    def label(self) -> str:
        return str(capfirst(self.model._meta.verbose_name_plural))


@dataclass(frozen=True)
class ContactMerge:
    """What merging `duplicate` into `kept` does: the duplicate's rows of every
    relation move, `values` are the fields the kept contact takes over."""

    kept: Contact
    duplicate: Contact
    relations: list[ContactRelation]
    values: dict[str, Any]

    @property
    def moves_login(self) -> bool:
        return "user" in self.values


def _relations_to_contact() -> list[models.ForeignObjectRel]:
    """Every foreign key and one-to-one of any app that points at Contact
    (crm cannot import the apps built on it, so it asks the model registry)."""
    relations = []
    for relation in Contact._meta.related_objects:
        if relation.many_to_many:
            # Moving a many-to-many needs its own duplicate-pair handling; fail
            # loudly rather than let the deletion of the duplicate drop the links.
            raise TypeError(f"Merging contacts cannot move {relation.name} (many-to-many) yet.")
        relations.append(relation)
    return relations


def _carried_values(kept: Contact, duplicate: Contact) -> dict[str, Any]:
    """What the kept contact takes from the duplicate: the organization and job
    title it lacks, the duplicate's notes appended, and the portal login when
    only the duplicate has one (with the stricter portal visibility, so the
    merge never shows a login more conversations than before). Name, language
    and everything the kept contact already has stay as they are."""
    values: dict[str, Any] = {}
    if kept.organization_id is None and duplicate.organization_id is not None:
        values["organization"] = duplicate.organization
    if not kept.job_title and duplicate.job_title:
        values["job_title"] = duplicate.job_title
    notes = duplicate.notes.strip()
    if notes and notes not in kept.notes:
        values["notes"] = f"{kept.notes.rstrip()}\n\n{notes}" if kept.notes.strip() else notes
    if duplicate.user_id is not None:
        values["user"] = duplicate.user
        if kept.sees_organization_tickets and not duplicate.sees_organization_tickets:
            values["sees_organization_tickets"] = False
    return values


def _check_login_keeps_its_organization(
    kept: Contact, duplicate: Contact, values: dict[str, Any]
) -> None:
    """A customer's login sees its contact's organization's conversations, so
    the merged contact must keep the organization its login had: otherwise
    the merge would open another client's conversations to it."""
    holder = duplicate if duplicate.user_id is not None else kept
    if holder.user_id is None:
        return
    organization = values.get("organization", kept.organization)
    if organization is None or organization.pk == holder.organization_id:
        return
    raise Conflict(
        _(
            "The portal login of “%(name)s” would see the conversations of "
            "%(organization)s: give both contacts the same organization first."
        )
        % {"name": holder.name, "organization": organization.name},
        field="duplicate",
        contact=kept.pk,
        duplicate=duplicate.pk,
    )


def plan_contact_merge(kept: Contact, duplicate: Contact) -> ContactMerge:
    """What do_merge_contacts would do, or the reason it refuses (a
    ValidationError or a Conflict); writes nothing."""
    if kept.pk == duplicate.pk:
        raise ValidationError({"duplicate": [_("A contact cannot be merged into itself.")]})
    if kept.user_id is not None and duplicate.user_id is not None:
        raise Conflict(
            _(
                "Both “%(kept)s” and “%(duplicate)s” sign in to the portal, and a contact "
                "keeps one login: remove one of the logins first."
            )
            % {"kept": kept.name, "duplicate": duplicate.name},
            field="duplicate",
            contact=kept.pk,
            duplicate=duplicate.pk,
        )
    values = _carried_values(kept, duplicate)
    _check_login_keeps_its_organization(kept, duplicate, values)
    relations = []
    for relation in _relations_to_contact():
        rows = relation.related_model._base_manager.filter(**{relation.field.name: duplicate})
        count = rows.count()
        if relation.one_to_one and count:
            held = relation.related_model._base_manager.filter(**{relation.field.name: kept})
            if held.exists():
                raise Conflict(
                    _("Both contacts have a %(relation)s, and a contact keeps one.")
                    % {"relation": relation.related_model._meta.verbose_name},
                    field="duplicate",
                    contact=kept.pk,
                    duplicate=duplicate.pk,
                )
        relations.append(ContactRelation(relation.related_model, relation.field.name, count))
    return ContactMerge(kept, duplicate, relations, values)


def do_merge_contacts(kept: Contact, duplicate: Contact, *, actor: Any) -> ContactMerge:
    """Merge a duplicate into the contact that stays: every row of any app that
    points at the duplicate (identities, conversations, messages, calls...)
    and its history move to `kept`, which takes over the fields it lacks
    (see _carried_values); then the duplicate is deleted. All or nothing."""
    with transaction.atomic():
        # Both rows locked, in id order so two merges of the same pair cannot
        # deadlock. On PostgreSQL the lock also holds back a new row that would
        # point at the duplicate (its foreign key check waits for the lock) until
        # the duplicate is gone. The locked rows are read fresh: they are the truth.
        locked = {
            contact.pk: contact
            for contact in Contact.objects.select_for_update()
            .filter(pk__in=[kept.pk, duplicate.pk])
            .order_by("pk")
        }
        gone = next((c for c in (duplicate, kept) if c.pk not in locked), None)
        if gone is not None:
            raise Conflict(
                _("“%(name)s” was deleted or merged meanwhile.") % {"name": gone.name},
                field="duplicate",
            )
        # The same row twice when a contact is merged into itself: the plan refuses.
        plan = plan_contact_merge(locked[kept.pk], locked[duplicate.pk])
        target, merged = plan.kept, plan.duplicate
        field_of_kind = {str(kind): name for name, kind in IDENTITY_FIELDS.items()}
        identities: dict[str, list[str]] = {}
        for kind, value in merged.identities.order_by("kind", "id").values_list("kind", "value"):
            identities.setdefault(field_of_kind[kind], []).append(value)
        if plan.moves_login:
            # The login is unique to one contact: free it before it moves.
            Contact.objects.filter(pk=merged.pk).update(user=None)
        # No identity can be held twice ((kind, value) is unique across all
        # contacts), so the duplicate's identities simply move with the rest.
        moved = {}
        for relation in plan.relations:
            count = relation.model._base_manager.filter(**{relation.field: merged}).update(
                **{relation.field: target}
            )
            if count:
                moved[relation.key] = count
        # The duplicate's history becomes the kept contact's, each event marked
        # with where it came from, instead of being emptied by the deletion.
        history = list(
            AuditEvent.objects.filter(
                target_type=ContentType.objects.get_for_model(Contact), target_id=merged.pk
            ).only("id", "data")
        )
        for event in history:
            event.target_id = target.pk
            event.data = {**event.data, "merged_from": merged.pk}
        AuditEvent.objects.bulk_update(history, ["target_id", "data"])
        diff = changes(target, list(plan.values), plan.values)
        for name, value in plan.values.items():
            setattr(target, name, value)
        target.save(update_fields=[*plan.values, "updated_at"])
        record_event(
            EventKind.CONTACT_MERGED,
            target,
            actor,
            merged={"id": merged.pk, "name": merged.name},
            moved=moved,
            identities=identities,
            history=len(history),
            changes=diff,
        )
        merged_id = merged.pk
        merged.delete()
        transaction.on_commit(
            lambda: contacts_merged.send_robust(
                sender=Contact, kept_id=target.pk, merged_id=merged_id, moved=moved
            )
        )
    kept.refresh_from_db()
    return plan


def find_contact(kind: str, raw: str) -> Contact | None:
    """The contact holding an identity, by one indexed lookup; None when unknown
    or when the value cannot be an identity of that kind."""
    try:
        value = normalize(kind, raw)
    except IdentityError:
        return None
    # Written out: every message of every channel asks this, and the ORM
    # takes longer to build it than the database to answer. A subquery, not
    # a join: PostgreSQL plans a join of these tables in ten times the time.
    contacts = connection.ops.quote_name(Contact._meta.db_table)
    identities = connection.ops.quote_name(ContactIdentity._meta.db_table)
    found = Contact.objects.raw(
        f"SELECT * FROM {contacts} WHERE id = (SELECT contact_id FROM {identities}"  # noqa: S608 (table names only; values are parameters)
        " WHERE kind = %s AND value = %s)",
        [kind, value],
    )
    return next(iter(found), None)  # one at most: (kind, value) is unique


def find_or_create_contact_by_email(
    email: str, *, name: str = "", actor: Any = None, language: str | None = None
) -> Contact:
    """The contact holding this address, or a new one without an organization:
    how every channel turns a sender into a known person."""
    contact = find_contact(IdentityKind.EMAIL, email)
    if contact is not None:
        return contact
    normalized = _normalize_identities({"emails": [email]})["emails"]
    if not normalized:
        raise ValidationError({"email": [_("An email address is required.")]})
    try:
        return do_create_contact(
            actor=actor,
            name=name.strip() or normalized[0].split("@")[0],
            emails=normalized,
            language=language or Language.POLISH,
        )
    except Conflict:
        # Created by a parallel request since we looked.
        found = find_contact(IdentityKind.EMAIL, normalized[0])
        if found is None:
            raise
        return found


def find_or_create_contact_by_phone(number: str, *, name: str = "", actor: Any = None) -> Contact:
    """The contact holding this number, or a new one named after the caller
    id (or the number): how a call turns a caller into a known person."""
    contact = find_contact(IdentityKind.PHONE, number)
    if contact is not None:
        return contact
    normalized = _normalize_identities({"phones": [number]})["phones"]
    if not normalized:
        raise ValidationError({"phone": [_("A phone number is required.")]})
    label = name.strip()
    if not label or label.lstrip("+").isdigit():
        label = format_phone(normalized[0])
    try:
        return do_create_contact(actor=actor, name=label[:200], phones=normalized)
    except Conflict:
        found = find_contact(IdentityKind.PHONE, normalized[0])
        if found is None:
            raise
        return found


def do_create_project(
    organization: Organization,
    *,
    actor: Any,
    name: str,
    status: str = ProjectStatus.ACTIVE,
    external_id: str = "",
) -> Project:
    project = Project(organization=organization, name=name.strip(), status=status,
                      external_id=external_id.strip())  # fmt: skip
    if status == ProjectStatus.DISCONNECTED:
        project.disconnected_at = timezone.now()
    _full_clean(project)
    with transaction.atomic():
        project.save()
        record_event(EventKind.PROJECT_CREATED, project, actor, name=project.name)
    return project


def do_update_project(project: Project, *, actor: Any, **values: Any) -> dict:
    unknown = set(values) - set(PROJECT_FIELDS)
    if unknown:
        raise TypeError(f"Not project fields: {', '.join(sorted(unknown))}")
    diff = changes(project, list(values), values)
    if not diff:
        return diff
    _assign_validated(project, {field: values[field] for field in diff})
    update_fields = list(diff)
    if "status" in diff:
        project.disconnected_at = (
            timezone.now() if project.status == ProjectStatus.DISCONNECTED else None
        )
        update_fields.append("disconnected_at")
    with transaction.atomic():
        project.save(update_fields=update_fields)
        record_event(EventKind.PROJECT_UPDATED, project, actor, changes=diff)
    return diff


def do_create_customer_user(
    username: str,
    *,
    organization_name: str,
    email: str = "",
    password: str | None = None,
    name: str = "",
    actor: Any = None,
) -> tuple[User, Contact, Organization]:
    """A customer login: the user, their contact and the organization (created if missing).
    A contact that already holds the email address is linked instead of duplicated."""
    organization_name = organization_name.strip()
    if not organization_name:
        raise ValidationError({"organization": [_("A customer needs an organization.")]})
    with transaction.atomic():
        organization = Organization.objects.filter(name_key=name_key(organization_name)).first()
        if organization is None:
            organization = do_create_organization(actor=actor, name=organization_name)
        first, _sep, last = name.strip().partition(" ")
        user = do_create_user(
            username,
            roles=[Role.CUSTOMER],
            email=email,
            password=password,
            first_name=first,
            last_name=last,
            actor=actor,
        )
        contact = find_contact(IdentityKind.EMAIL, email) if email else None
        if contact is not None and contact.user_id is not None:
            raise Conflict(
                _("The contact “%(name)s” with this email already has a login.")
                % {"name": contact.name},
                field="email",
                contact=contact.pk,
            )
        if contact is None:
            contact = do_create_contact(
                actor=actor,
                name=name.strip() or username,
                organization=organization,
                emails=[email] if email else [],
                user=user,
            )
        else:
            contact.user = user
            contact.save(update_fields=["user", "updated_at"])
            record_event(
                EventKind.CONTACT_UPDATED,
                contact,
                actor,
                changes={"user": [None, user.username]},
            )
            if contact.organization_id != organization.pk:
                do_update_contact(contact, actor=actor, organization=organization)
    return user, contact, organization
