"""Each filter of the audit log page narrows the list; a wrong filter shows an error, not all."""

from datetime import UTC, datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from accounts.audit import acting_as
from accounts.models import AuditLogEntry, Organisation, User
from accounts.roles import Role
from accounts.tests.audit_entries import read_by
from accounts.tests.factories import UserFactory

URL = reverse("accounts:audit_log")


@pytest.fixture
def client(world, login):
    return login(world.user(Role.PRIVACY_OFFICER))


def entries(response) -> list[AuditLogEntry]:
    assert response.status_code == 200
    return [row.entry for row in response.context["rows"]]


def test_it_filters_by_user(world, client):
    reader, other = world.user(Role.VT_STAFF), world.user(Role.AVIM)
    read_by(reader, world.municipality)
    read_by(other, world.municipality)

    found = entries(client.get(URL, {"actor": reader.pk}))

    assert found
    assert {e.actor for e in found} == {reader}


def test_it_filters_by_organisation(world, client):
    reader, other = world.user(Role.MUNICIPAL_OFFICER), world.user(Role.AVIM)
    read_by(reader, world.orgs["veilig_thuis"])
    read_by(other, world.orgs["veilig_thuis"])

    found = entries(client.get(URL, {"actor_organisation": world.municipality.pk}))

    assert found
    assert {e.actor_organisation for e in found} == {world.municipality}


def test_it_filters_by_object_type(world, client):
    admin = world.user(Role.ADMINISTRATOR)
    with acting_as(admin):
        UserFactory(organisation=world.municipality)
    read_by(admin, world.municipality)
    user_type = ContentType.objects.get_for_model(User)

    found = entries(client.get(URL, {"content_type": user_type.pk}))

    assert found
    assert {e.content_type for e in found} == {user_type}


def test_it_offers_the_object_types_by_their_dutch_name(client):
    form = client.get(URL).context["filter"].form
    labels = [label for _, label in form.fields["content_type"].choices]
    assert "Gebruiker" in labels and "Organisatie" in labels and "Auditregel" in labels


def test_it_filters_by_object_id_and_by_public_id(world, client):
    reader = world.user(Role.VT_STAFF)
    org = world.municipality
    mine = read_by(reader, org)
    read_by(reader, world.other_municipality)
    with acting_as(reader):
        org.name = "Gemeente Heerlen"
        org.save()
    about_org = {e.pk for e in AuditLogEntry.objects.get_for_object(org)}  # created, read, changed
    assert mine.pk in about_org and len(about_org) == 3

    by_pk = entries(client.get(URL, {"object_pk": org.pk, "content_type": mine.content_type_id}))
    by_public_id = entries(client.get(URL, {"object_pk": str(org.public_id)}))

    assert {e.pk for e in by_pk} == about_org
    assert about_org <= {e.pk for e in by_public_id}
    assert all(e.object_pk == str(org.pk) for e in by_public_id)


def test_it_finds_lists_that_showed_a_record_by_its_public_id(world, client):
    org = world.municipality
    with acting_as(world.user(Role.VT_STAFF)):
        from accounts.audit import record_list

        listed = record_list(model=Organisation, rows=[org, world.other_municipality])

    found = entries(client.get(URL, {"object_pk": str(org.public_id)}))

    assert listed.pk in {e.pk for e in found}


def test_it_filters_by_action(world, client):
    admin = world.user(Role.ADMINISTRATOR)
    with acting_as(admin):
        UserFactory(organisation=world.municipality)
    read_by(admin, world.municipality)

    found = entries(client.get(URL, {"action": AuditLogEntry.Action.CREATE}))

    assert found
    assert {e.action for e in found} == {AuditLogEntry.Action.CREATE}


def test_it_filters_by_period_in_local_dates(world, client):
    reader = world.user(Role.VT_STAFF)
    before = read_by(reader, world.municipality, at=datetime(2026, 3, 1, 12, tzinfo=UTC))
    first_day = read_by(reader, world.municipality, at=datetime(2026, 3, 2, 8, tzinfo=UTC))
    last_day = read_by(reader, world.municipality, at=datetime(2026, 3, 4, 22, 30, tzinfo=UTC))
    # 23:30 UTC on 4 March is already 5 March in Zuid-Limburg.
    after = read_by(reader, world.municipality, at=datetime(2026, 3, 4, 23, 30, tzinfo=UTC))

    found = entries(client.get(URL, {"date_from": "2026-03-02", "date_to": "2026-03-04"}))

    assert {e.pk for e in found} == {first_day.pk, last_day.pk}
    assert before.pk not in {e.pk for e in found} and after.pk not in {e.pk for e in found}


def test_it_explains_a_period_that_ends_before_it_starts(world, client):
    read_by(world.user(Role.VT_STAFF), world.municipality)

    response = client.get(URL, {"date_from": "2026-03-04", "date_to": "2026-03-02"})

    assert entries(response) == []
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()


def test_it_shows_nothing_rather_than_everything_for_an_invalid_filter(world, other_world, client):
    read_by(world.user(Role.VT_STAFF), world.municipality)

    response = client.get(URL, {"actor": other_world.user(Role.VT_STAFF).pk})

    assert entries(response) == []
    assert response.context["filter"].form.errors["actor"]


def test_every_select_starts_without_a_filter(client):
    """A select without an empty first option would filter on its first choice when submitted."""
    form = client.get(URL).context["filter"].form
    for name in ("actor", "actor_organisation", "content_type", "action", "access_kind"):
        first_value, first_label = next(iter(form.fields[name].choices))
        assert (first_value, str(first_label)) == ("", "— alle —"), name
