"""Every change of a referral is in the audit trail, with the personal text masked."""

from django.contrib.contenttypes.models import ContentType

from accounts.models import AuditLogEntry
from accounts.roles import Role
from referrals import services
from referrals.models import Referral
from referrals.tests.factories import draft, sent


def changes(referral):
    return AuditLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Referral),
        object_pk=str(referral.pk),
    ).exclude(action=AuditLogEntry.Action.ACCESS)


def test_the_draft_is_logged_with_its_author(world):
    referral = draft(world)
    entry = changes(referral).get()
    assert entry.action == AuditLogEntry.Action.CREATE
    assert entry.actor == world.user(Role.VT_STAFF) or entry.actor is None


def test_each_step_is_logged_with_the_text_masked(world):
    referral = sent(world)
    referral = services.referral_decline(
        referral=referral,
        actor=world.user(Role.MUNICIPAL_OFFICER),
        version=referral.version,
        reason="Anna is verhuisd naar Kerkrade.",
    )
    entries = list(changes(referral).order_by("pk"))
    assert len(entries) >= 4  # draft, update, send, decline
    last = entries[-1]
    assert "status" in last.changes_dict
    assert "Anna" not in str(last.changes)
