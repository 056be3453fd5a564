"""The implementation plan and the awareness sessions: kept by the VT officer and the
analyst, read by the evaluation roles, audited, limited to the region."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.audit import acting_as
from accounts.models import AuditLogEntry, Organisation
from accounts.roles import Role
from reporting import selectors, services
from reporting.models import AwarenessSession, ImplementationAction
from reporting.periods import Scope


def action_data(world, **overrides) -> dict:
    data = {
        "title": "Meldroute in de werkinstructies",
        "owner_organisation": world.orgs[Organisation.Kind.RIEC],
        "due_date": date(2025, 6, 30),
        "status": "in_progress",
        "completed_on": None,
        "progress_notes": "Besproken in de regiegroep.",
    }
    return {**data, **overrides}


def session_data(world, **overrides) -> dict:
    data = {
        "held_on": date(2025, 5, 1),
        "municipality": world.municipality,
        "topic": "Signalen herkennen",
        "audience": "front_desk",
        "participants": 25,
        "organised_by": world.orgs[Organisation.Kind.RIEC],
        "notes": "",
    }
    return {**data, **overrides}


def test_an_action_is_recorded_and_its_changes_audited(world):
    analyst = world.user(Role.POLICY_ANALYST)
    with acting_as(analyst):
        action = services.implementation_action_create(actor=analyst, data=action_data(world))
        services.implementation_action_update(
            actor=analyst, action=action, data={"status": "done", "completed_on": None}
        )

    action.refresh_from_db()
    assert action.status == "done" and action.completed_on is not None  # today, when not given
    entries = AuditLogEntry.objects.filter(content_type__model="implementationaction")
    assert [e.action for e in entries.order_by("pk")] == [
        AuditLogEntry.Action.CREATE,
        AuditLogEntry.Action.UPDATE,
    ]
    assert {e.actor_id for e in entries} == {analyst.pk}


def test_an_unfinished_action_has_no_completion_date(world):
    officer = world.user(Role.VT_OFFICER)
    action = services.implementation_action_create(
        actor=officer, data=action_data(world, status="delayed", completed_on=date(2025, 1, 1))
    )

    assert action.completed_on is None


def test_only_the_vt_officer_and_the_analyst_keep_the_plan(world):
    for role in (Role.VT_STAFF, Role.CHAIN_DIRECTOR, Role.MUNICIPAL_OFFICER):
        with pytest.raises(PermissionDenied):
            services.implementation_action_create(actor=world.user(role), data=action_data(world))
    assert not ImplementationAction.objects.exists()


def test_an_owner_or_municipality_of_another_region_is_refused(world, other_world):
    analyst = world.user(Role.POLICY_ANALYST)

    with pytest.raises(ValidationError) as caught:
        services.implementation_action_create(
            actor=analyst, data=action_data(world, owner_organisation=other_world.orgs["riec"])
        )
    assert caught.value.message_dict == {
        "owner_organisation": ["Kies een organisatie uit de regio."]
    }
    with pytest.raises(ValidationError):
        services.awareness_session_create(
            actor=analyst, data=session_data(world, municipality=other_world.municipality)
        )
    with pytest.raises(ValidationError) as caught:
        services.awareness_session_create(
            actor=analyst, data=session_data(world, municipality=world.orgs["riec"])
        )
    assert caught.value.message_dict == {"municipality": ["Kies een gemeente."]}


def test_another_region_s_action_cannot_be_changed(world, other_world):
    theirs = services.implementation_action_create(
        actor=other_world.user(Role.POLICY_ANALYST), data=action_data(other_world)
    )

    with pytest.raises(PermissionDenied):
        services.implementation_action_update(
            actor=world.user(Role.POLICY_ANALYST), action=theirs, data={"title": "Overgenomen"}
        )


def test_the_evaluation_looks_at_the_year_s_actions(world):
    analyst = world.user(Role.POLICY_ANALYST)
    make = lambda **kw: services.implementation_action_create(  # noqa: E731
        actor=analyst, data=action_data(world, **kw)
    )
    due_this_year = make(title="Dit jaar", due_date=date(2025, 9, 1))
    overdue = make(title="Te laat", due_date=date(2024, 9, 1), status="delayed")
    make(
        title="Vorig jaar af",
        due_date=date(2024, 9, 1),
        status="done",
        completed_on=date(2024, 8, 1),
    )
    finished_late = make(
        title="Laat af", due_date=date(2024, 9, 1), status="done", completed_on=date(2025, 2, 1)
    )
    make(title="Volgend jaar", due_date=date(2026, 9, 1))

    chosen = list(selectors.actions_for_year(region=world.region, year=2025))

    assert chosen == [finished_late, overdue, due_this_year]  # by due date, then title


def test_a_municipality_s_report_shows_its_own_and_the_regional_sessions(world):
    analyst = world.user(Role.POLICY_ANALYST)
    own = services.awareness_session_create(actor=analyst, data=session_data(world))
    regional = services.awareness_session_create(
        actor=analyst, data=session_data(world, municipality=None, held_on=date(2025, 6, 1))
    )
    services.awareness_session_create(
        actor=analyst, data=session_data(world, municipality=world.other_municipality)
    )

    sessions = list(
        selectors.sessions_for_year(scope=Scope(world.region, world.municipality), year=2025)
    )

    assert sessions == [own, regional]


def test_the_pages_create_and_edit_an_action(world, login):
    client = login(world.user(Role.VT_OFFICER))
    riec = world.orgs[Organisation.Kind.RIEC]

    response = client.post(
        "/rapportage/uitvoeringsplan/nieuw/",
        {"title": "Werkinstructies", "owner_organisation": riec.pk, "due_date": "2025-06-30",
         "status": "planned", "completed_on": "2025-01-01", "progress_notes": ""},
    )  # fmt: skip

    assert response.status_code == 302
    action = ImplementationAction.objects.get()
    assert action.completed_on is None
    response = client.post(
        f"/rapportage/uitvoeringsplan/{action.public_id}/",
        {"title": "Werkinstructies", "owner_organisation": riec.pk, "due_date": "2025-06-30",
         "status": "done", "completed_on": "2025-06-01", "progress_notes": "Klaar."},
    )  # fmt: skip
    action.refresh_from_db()
    assert (action.status, action.completed_on) == ("done", date(2025, 6, 1))
    listing = client.get("/rapportage/uitvoeringsplan/").content.decode()
    assert "Werkinstructies" in listing and "Afgerond (1-6-2025)" in listing


def test_the_session_form_offers_only_the_region_s_organisations(world, other_world, login):
    page = login(world.user(Role.POLICY_ANALYST)).get("/rapportage/voorlichting/nieuw/")

    html = page.content.decode()
    assert world.municipality.name in html
    assert other_world.municipality.name not in html


def test_a_session_with_missing_fields_is_refused_in_dutch(world, login):
    response = login(world.user(Role.POLICY_ANALYST)).post(
        "/rapportage/voorlichting/nieuw/", {"topic": "", "participants": "-3"}
    )

    assert response.status_code == 400
    assert "Controleer het formulier." in response.content.decode()
    assert not AwarenessSession.objects.exists()
