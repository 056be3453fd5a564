"""NEN 7513: every read of a case writes one access entry (HTML and API); every change is in
the audit trail."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.models import AuditLogEntry
from accounts.roles import Role
from cases.models import Action, Case, CaseNote
from cases.services import case as services
from cases.tests.case_support import access_entries, add_action, close, lead_user, victim, vt
from cases.tests.factories import make_case

pytestmark = pytest.mark.django_db

READ = AuditLogEntry.AccessKind.READ
LIST = AuditLogEntry.AccessKind.LIST
SEARCH = AuditLogEntry.AccessKind.SEARCH


def all_reads() -> int:
    return AuditLogEntry.objects.filter(action=AuditLogEntry.Action.ACCESS).count()


def test_the_case_page_writes_one_read_naming_the_case_and_its_persons(world, login):
    case = make_case(world)
    user = lead_user(world)
    before = all_reads()

    response = login(user).get(reverse("cases:detail", kwargs={"public_id": case.public_id}))

    assert response.status_code == 200
    assert all_reads() == before + 1
    entry = access_entries(Case, READ).get()
    assert entry.actor == user and entry.actor_organisation == user.organisation
    assert entry.object_pk == str(case.pk)
    assert entry.additional_data["object_ids"] == [str(case.public_id)]
    assert entry.additional_data["persons"] == [str(victim(case).public_id)]
    assert victim(case).name not in str(entry.additional_data)


def test_the_html_list_writes_one_list_entry_and_a_filtered_one_a_search(world, login):
    case = make_case(world)
    client = login(vt(world))
    client.get(reverse("cases:list"))
    client.get(reverse("cases:list"), {"reference": case.reference})

    listed = access_entries(Case, LIST).get()
    searched = access_entries(Case, SEARCH).get()
    assert listed.additional_data["object_ids"] == [str(case.public_id)]
    assert searched.additional_data["query_params"] == ["reference"]
    assert case.reference not in str(searched.additional_data["query_params"])


def test_the_work_lists_write_one_entry_each(world, login):
    case = make_case(world)
    add_action(world, case, owner=world.municipality)
    client = login(lead_user(world))
    before = all_reads()

    client.get(reverse("cases:mine"))
    client.get(reverse("cases:my_actions"))

    assert all_reads() == before + 2
    assert access_entries(Action, LIST).get().additional_data["cases"] == [str(case.public_id)]


def test_the_api_writes_one_entry_per_retrieve_list_and_nested_list(world, login):
    case = make_case(world)
    add_action(world, case)
    services.case_note_add(case=case, actor=vt(world), text="Gesprek.")
    client = login(vt(world))
    kwargs = {"public_id": case.public_id}

    for path in (
        "/api/v1/cases/",
        reverse("api:case-detail", kwargs=kwargs),
        reverse("api:case-actions", kwargs=kwargs),
        reverse("api:case-notes", kwargs=kwargs),
        reverse("api:case-my-actions"),
    ):
        before = all_reads()
        assert client.get(path).status_code == 200, path
        assert all_reads() == before + 1, path

    assert access_entries(Case, READ).get().additional_data["persons"] == [
        str(victim(case).public_id)
    ]
    assert access_entries(CaseNote, LIST).get().additional_data["case"] == str(case.public_id)


def test_a_refused_read_writes_nothing(world, other_world, login):
    case = make_case(world)
    before = all_reads()
    assert login(vt(other_world)).get(f"/api/v1/cases/{case.public_id}/").status_code == 404
    other = login(world.user(Role.MUNICIPAL_OFFICER, world.other_municipality))
    assert (
        other.get(reverse("cases:detail", kwargs={"public_id": case.public_id})).status_code == 404
    )
    assert all_reads() == before


def changes(model) -> AuditLogEntry:
    return AuditLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        action__in=[AuditLogEntry.Action.CREATE, AuditLogEntry.Action.UPDATE],
    )


def test_changes_are_in_the_audit_trail_with_personal_fields_masked(world):
    case = make_case(world)
    before_case = changes(Case).count()
    action = add_action(world, case)
    note = services.case_note_add(case=case, actor=vt(world), text="Geheime notitie")
    close(world, case, reason="other", note="Vertrokken naar familie", confirm_open_actions=True)

    assert changes(Action).filter(object_pk=str(action.pk)).exists()
    note_entry = changes(CaseNote).get(object_pk=str(note.pk))
    assert "Geheime notitie" not in str(note_entry.changes)
    closed = changes(Case).filter(object_pk=str(case.pk)).latest("pk")
    assert changes(Case).count() > before_case
    assert "Vertrokken naar familie" not in str(closed.changes)
    assert closed.changes["status"] == ["open", "closed"]
