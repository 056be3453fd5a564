"""Read queries of accounts, already limited to what the user may see."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from .models import AuditLogEntry, Organisation, User


def organisation_list(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(region_id=user.organisation.region_id).order_by("name")


def audit_entry_list(*, user: User) -> QuerySet[AuditLogEntry]:
    """Audit entries the privacy officer may read: those of its own region, and system work.

    An entry belongs to the region of the actor's organisation at the time. System work
    (tasks without a user) has no organisation and is shown to every region's privacy
    officer, so that someone reviews it; entries name records of people by type and id only.
    """
    if not user.has_perm("accounts.view_auditlogentry"):
        raise PermissionDenied
    region_id = user.organisation.region_id
    return (
        AuditLogEntry.objects.filter(
            Q(actor_organisation__region_id=region_id) | Q(actor_organisation__isnull=True)
        )
        # The list shows actor, organisation and object type per row: fetch them in one query.
        .select_related("actor", "actor_organisation", "content_type")
        .order_by("-timestamp", "-pk")
    )
