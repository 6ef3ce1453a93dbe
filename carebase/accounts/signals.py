"""Keep Django's staff and superuser flags in step with the admin role, however
the groups change (do_set_roles, Django admin's user form, a group's page)."""

from typing import Any

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from carebase.accounts.models import User
from carebase.core.access import forget_roles
from carebase.core.roles import Role


def sync_admin_flags(user: User) -> None:
    is_admin = user.groups.filter(name=Role.ADMIN.value).exists()
    if user.is_staff != is_admin or user.is_superuser != is_admin:
        user.is_staff = is_admin
        user.is_superuser = is_admin
        user.save(update_fields=["is_staff", "is_superuser"])
    forget_roles(user)


@receiver(m2m_changed, sender=User.groups.through)
def roles_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, User):
        sync_admin_flags(instance)
    elif isinstance(instance, Group) and instance.name == Role.ADMIN.value:
        users = (
            User.objects.filter(pk__in=pk_set) if pk_set else User.objects.filter(is_superuser=True)
        )
        for user in users:
            sync_admin_flags(user)
