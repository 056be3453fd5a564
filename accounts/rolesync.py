"""Turn ``roles.ROLE_PERMISSIONS`` into one group per role. Idempotent."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from .roles import ROLE_PERMISSIONS, Role, group_name


def _resolve(names: frozenset[str], using: str) -> list[Permission]:
    perms = []
    for name in sorted(names):
        app_label, codename = name.split(".", 1)
        perm = (
            Permission.objects.using(using)
            .filter(content_type__app_label=app_label, codename=codename)
            .first()
        )
        if perm is None:
            raise ImproperlyConfigured(f"Role map names a permission that does not exist: {name}")
        perms.append(perm)
    return perms


@transaction.atomic
def sync_roles(*, using: str = "default") -> dict[str, int]:
    """Create or update the role groups; returns the number of permissions per role."""
    from .models import User

    result = {}
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=group_name(role))
        perms = _resolve(ROLE_PERMISSIONS[role], using)
        if set(group.permissions.all()) != set(perms):
            group.permissions.set(perms)
        result[role.value] = len(perms)
        # Membership follows the role, also for users changed without post_save (bulk updates).
        group.user_set.remove(*group.user_set.exclude(role=role))
        missing = User.objects.using(using).filter(role=role).exclude(groups=group)
        for user in missing:
            user.groups.add(group)
    return result
