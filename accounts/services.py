"""Every change to accounts goes through one of these functions (STYLE.md rule 3)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from .models import User
from .roles import Role, group_name

TOTP_DEVICE_NAME = "authenticator"
BACKUP_DEVICE_NAME = "backup"


def user_sync_role_group(*, user: User) -> None:
    """Make the user a member of exactly its role's group."""
    role_groups = Group.objects.filter(name__startswith="role:")
    user.groups.remove(*role_groups.exclude(name=group_name(user.role)))
    group, _ = Group.objects.get_or_create(name=group_name(user.role))
    user.groups.add(group)


@transaction.atomic
def user_set_role(*, user: User, role: Role, actor: User | None) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    user.role = Role(role)
    user.full_clean()
    user.save(update_fields=["role"])
    user_sync_role_group(user=user)
    return user


@transaction.atomic
def user_logout_everywhere(*, user: User) -> User:
    """End every session of the user (all browsers) at their next request."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.sessions_revoked_at = timezone.now()
    user.save(update_fields=["sessions_revoked_at"])
    return user


@transaction.atomic
def user_deactivate(*, user: User, actor: User | None) -> User:
    """Block a user: no login, sessions end at once, API tokens revoked."""
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = False
    user.sessions_revoked_at = timezone.now()
    user.save(update_fields=["is_active", "sessions_revoked_at"])
    AuthToken.objects.filter(user=user).delete()
    return user


# --- second factor -----------------------------------------------------------------------


def totp_device_for(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


@transaction.atomic
def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """An unconfirmed device for the QR code; reused until confirmed, so a reload shows one key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_enrolment_confirm(*, user: User, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the new device with a first code; returns it with fresh backup codes."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, backup_codes_regenerate(user=user)


@transaction.atomic
def backup_codes_regenerate(*, user: User) -> list[str]:
    """Replace all backup codes with new single-use ones, shown to the user once.

    django-otp's StaticToken keeps the codes as they are (not hashed), like the TOTP keys
    next to them; each code is deleted when used. Database access is therefore as
    sensitive as the second factor itself (docs/operations.md).
    """
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [secrets.token_hex(5) for _ in range(settings.BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# --- API tokens --------------------------------------------------------------------------


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[AuthToken, str]:
    """Issue an integration token; only its hash is stored, the key is shown once."""
    # Read the user again (locked): a caller's stale instance must not outlive a deactivation.
    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValueError("Cannot issue a token to an inactive user.")
    instance, key = AuthToken.objects.create(user=user)
    return instance, key


@transaction.atomic
def api_tokens_revoke(*, user: User) -> int:
    deleted, _ = AuthToken.objects.filter(user=user).delete()
    return deleted


# --- notifications -----------------------------------------------------------------------


def notification_send(*, recipients: list[User], key: str, message: str, url: str = "") -> int:
    """One notice per recipient and key; sending the same key again adds nothing."""
    from .models import Notification

    created = Notification.objects.bulk_create(
        [Notification(recipient=u, key=key, message=message[:300], url=url) for u in recipients],
        ignore_conflicts=True,
    )
    return len(created)


@transaction.atomic
def notifications_mark_read(*, user: User) -> int:
    from .models import Notification

    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
