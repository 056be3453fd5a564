"""Shared builders for the case tests (cases/tests/test_case_*.py)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditLogEntry, Organisation, User
from accounts.roles import Role
from cases.models import Action, Case, Consent
from cases.services import case as services


def vt(world) -> User:
    return world.user(Role.VT_STAFF)


def lead_user(world) -> User:
    """The municipal officer of the world's municipality: the default case's lead."""
    return world.user(Role.MUNICIPAL_OFFICER)


def in_days(days: int):
    return timezone.localdate() + timedelta(days=days)


def add_action(world, case: Case, *, owner: Organisation | None = None, days: int = 7) -> Action:
    return services.action_add(
        case=case,
        actor=vt(world),
        description="Intakegesprek plannen",
        owner_organisation=owner or world.orgs[Organisation.Kind.ZVH],
        due_date=in_days(days),
    )


def reload(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def close(world, case: Case, **overrides) -> Case:
    case = reload(case)
    values = {
        "case": case,
        "actor": vt(world),
        "version": case.version,
        "reason": "goal_reached",
        "note": "",
        "confirm_open_actions": False,
    }
    values.update(overrides)
    return services.case_close(**values)


def victim(case: Case):
    return case.case_persons.select_related("person").first().person


def record_consent(world, case: Case, **overrides) -> Consent:
    values = {
        "person": victim(case),
        "actor": vt(world),
        "given_by": "person",
        "given_on": timezone.localdate() - timedelta(days=2),
        "scope": "Delen met de zorgcoördinator",
    }
    values.update(overrides)
    return services.consent_record(**values)


def detail_url(case: Case) -> str:
    return reverse("cases:detail", kwargs={"public_id": case.public_id})


def step_url(case: Case, name: str) -> str:
    return reverse(f"cases:{name}", kwargs={"public_id": case.public_id})


def action_url(action: Action, name: str) -> str:
    return reverse(
        f"cases:{name}", kwargs={"public_id": action.case.public_id, "action_id": action.public_id}
    )


def access_entries(model, kind: str | None = None):
    entries = AuditLogEntry.objects.filter(
        action=AuditLogEntry.Action.ACCESS,
        content_type=ContentType.objects.get_for_model(model),
    )
    if kind:
        entries = entries.filter(access_kind=kind)
    return entries.order_by("pk")


def api_post(client: Client, url: str, body: dict | None = None):
    return client.post(url, body or {}, content_type="application/json")
