"""Helpers for the referral tests: access-log entries, URLs and form data as a browser sends it."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import AuditLogEntry
from referrals.models import Referral


def url(name: str, referral: Referral | None = None, **kwargs) -> str:
    if referral is not None:
        kwargs["public_id"] = referral.public_id
    return reverse(f"referrals:{name}", kwargs=kwargs or None)


def reads_of(referral: Referral):
    return AuditLogEntry.objects.filter(
        action=AuditLogEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(Referral),
        object_pk=str(referral.pk),
    )


def list_reads():
    return AuditLogEntry.objects.filter(
        action=AuditLogEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(Referral),
        object_pk="",
    )


def state(referral: Referral) -> tuple:
    """What a refused step must leave as it was."""
    from cases.models import CaseEvent
    from signals.models import SignalEvent

    referral.refresh_from_db()
    return (
        referral.status,
        referral.version,
        referral.legal_basis,
        referral.response,
        referral.feedback,
        referral.sent_at,
        CaseEvent.objects.count(),
        SignalEvent.objects.count(),
    )


def edit_form(referral: Referral, **overrides) -> dict:
    referral.refresh_from_db()
    data = {
        "version": referral.version,
        "reason": referral.reason,
        "legal_basis": referral.legal_basis,
        "legal_basis_note": referral.legal_basis_note,
        "shared_fields": list(referral.shared_fields),
        "consent": referral.consent_id or "",
        "consent_override_reason": referral.consent_override_reason,
    }
    data.update(overrides)
    return data
