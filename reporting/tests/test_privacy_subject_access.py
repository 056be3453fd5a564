"""Data-subject requests: find one person everywhere, export it, erase it where allowed."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from accounts.models import AuditLogEntry, SubjectRequest, Tombstone
from accounts.roles import Role
from cases.models import Consent
from referrals import services as referral_services
from referrals.tests.factories import answerer
from reporting import subject_access
from signals.models import Person

from .privacy_factories import Story, closed_case, open_signal, remnants


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def story(world, media, django_capture_on_commit_callbacks):
    story = Story()
    with django_capture_on_commit_callbacks(execute=True):
        closed_case(world, story)
        open_signal(world, story)
    marek = story.case.persons.get()
    Consent.objects.create(
        person=marek,
        given_by="person",
        given_on=marek.created_at.date(),
        scope="Delen met de opvang van Marek Nowak",
        recorded_by=world.user(Role.VT_STAFF),
    )
    return story


@pytest.fixture
def officer(world):
    return world.user(Role.PRIVACY_OFFICER)


def _new_entries(before: int):
    return list(AuditLogEntry.objects.order_by("pk")[before:])


def _search(client, name, birth_date=""):
    return client.post(reverse("privacy:search"), {"name": name, "birth_date": birth_date})


def test_it_finds_every_record_of_one_person_and_logs_one_search(story, officer, login):
    client = login(officer)
    before = AuditLogEntry.objects.count()

    response = _search(client, "marek  NOWAK", "1985-06-01")

    assert response.status_code == 200
    file = response.context["file"]
    assert [p.name for p in file.persons] == ["Marek Nowak"]
    assert [s.pk for s in file.signals] == [story.signals["case"].pk]
    assert [c.pk for c in file.cases] == [story.case.pk]
    assert [r.pk for r in file.referrals] == [story.referral.pk]
    assert [t.pk for t in file.trajectories] == [story.trajectory.pk]
    assert len(file.consents) == 1
    assert file.record_count == 5
    entries = _new_entries(before)
    assert len(entries) == 1
    entry = entries[0]
    assert entry.access_kind == AuditLogEntry.AccessKind.SEARCH
    assert entry.actor == officer and entry.actor_role == Role.PRIVACY_OFFICER
    assert entry.actor_organisation_id == officer.organisation_id
    assert entry.additional_data["object_ids"] == [str(file.persons[0].public_id)]
    assert entry.additional_data["query_params"] == ["birth_date", "name"]
    # The searched name and birth date are not in the log, and not in any URL.
    assert "Marek" not in json.dumps(entry.additional_data) + entry.object_repr
    assert "1985" not in json.dumps(entry.additional_data)


def test_a_different_birth_date_or_another_region_finds_nobody(story, officer, other_world, login):
    own = login(officer)
    assert _search(own, "Marek Nowak", "1985-06-02").context["file"].persons == []
    stranger = login(other_world.user(Role.PRIVACY_OFFICER))
    assert _search(stranger, "Marek Nowak").context["file"].persons == []


def test_the_access_export_is_one_json_and_one_pdf_each_logged(story, officer, login):
    client = login(officer)
    person = story.case.persons.get()
    before = AuditLogEntry.objects.count()

    response = client.post(
        reverse("privacy:export"), {"persons": [str(person.public_id)], "format": "json"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["persons"][0]["name"] == "Marek Nowak"
    assert data["persons"][0]["birth_date"] == "1985-06-01"
    assert "Marek Nowak werkt in de kas" in data["signals"][0]["description"]
    assert data["signals"][0]["places"][0]["name"] == "Kwekerij Nowak-Zuid"
    assert data["cases"][0]["reference"] == story.case.reference
    assert "Marek Nowak bellen" in data["cases"][0]["actions"][0]["description"]
    assert data["referrals"][0]["legal_basis"]
    assert data["trajectories"][0]["care_meetings"][0]["participants"] == "Marek Nowak, tolk"
    assert data["consents"][0]["scope"].endswith("Marek Nowak")
    entries = _new_entries(before)
    assert [(e.access_kind, e.additional_data["object_ids"]) for e in entries] == [
        (AuditLogEntry.AccessKind.EXPORT, [str(person.public_id)])
    ]
    request = SubjectRequest.objects.get()
    assert (request.kind, request.outcome, request.record_count) == ("access", "done", 5)

    pdf = client.post(
        reverse("privacy:export"), {"persons": [str(person.public_id)], "format": "pdf"}
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(BytesIO(pdf.content)).pages)
    assert "Marek Nowak" in text and story.case.reference in text
    assert len(_new_entries(before)) == 2


def test_a_person_of_another_region_cannot_be_exported(story, other_world, login):
    stranger = login(other_world.user(Role.PRIVACY_OFFICER))
    person = story.case.persons.get()
    before = AuditLogEntry.objects.count()

    response = stranger.post(
        reverse("privacy:export"), {"persons": [str(person.public_id)], "format": "json"}
    )

    assert response.status_code == 404
    assert SubjectRequest.objects.count() == 0
    assert not [e for e in _new_entries(before) if e.access_kind == "export"]


def test_erasure_is_refused_while_a_record_is_in_use(story, officer, login):
    client = login(officer)
    fatima = Person.objects.get(name="Fatima Haddad")

    response = client.post(
        reverse("privacy:erase"),
        {"persons": [str(fatima.public_id)], "reason": "Verzoek van betrokkene", "confirm": "on"},
    )

    assert response.status_code == 409
    assert "wordt nog behandeld" in response.content.decode()
    request = SubjectRequest.objects.get()
    assert (request.kind, request.outcome) == ("erasure", "refused")
    assert story.signals["open"].reference in request.refusal
    assert Tombstone.objects.count() == 0
    assert remnants(["Fatima Haddad"])


def test_erasure_waits_for_a_running_referral_and_explains_it(story, officer, login):
    client = login(officer)
    marek = story.case.persons.get()

    page = client.post(reverse("privacy:erase"), {"persons": [str(marek.public_id)]})

    assert page.status_code == 200
    assert "De verwijzing van casus" in page.content.decode()
    assert "loopt nog" in page.content.decode()
    assert SubjectRequest.objects.count() == 0  # the first step only shows what would happen


def test_erasure_anonymises_every_record_through_the_retention_functions(
    story, world, officer, login, media, django_capture_on_commit_callbacks
):
    referral = story.referral
    referral_services.referral_complete(
        referral=referral,
        actor=answerer(world, referral),
        version=referral.version,
        feedback="Marek Nowak is geholpen.",
    )
    client = login(officer)
    marek = story.case.persons.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy:erase"),
            {
                "persons": [str(marek.public_id)],
                "reason": "Verzoek van betrokkene van 3 maart, identiteit gecontroleerd.",
                "confirm": "on",
            },
        )

    request = SubjectRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:tombstones") + f"?request={request.pk}"
    assert (request.kind, request.outcome) == ("erasure", "done")
    stones = Tombstone.objects.filter(subject_request=request)
    assert sorted(s.model_label for s in stones) == [
        "cases.case",
        "cases.trajectory",
        "signals.person",
        "signals.signal",
    ]
    assert {s.rule for s in stones} == {"erasure_request"}
    assert {s.actor_id for s in stones} == {officer.pk}
    assert remnants(["Marek Nowak", "Kwekerij Nowak-Zuid", "Veldweg 3"]) == {}
    for name in story.files["case"]:
        assert not (media / name).exists()
    # The other person's open signal is untouched.
    assert remnants(["Fatima Haddad"])
    # The tombstone page lists the request's records.
    listing = client.get(response["Location"])
    assert listing.status_code == 200
    assert listing.context["page"].paginator.count == 4

    # A second request for the same person finds nobody any more.
    assert _search(client, "Marek Nowak").context["file"].persons == []


def test_the_tombstone_export_is_csv_without_content(story, officer, login, world):
    from reporting import retention

    work = retention.Work(actor=None, rule=retention.Rule.SIGNAL_NONE)
    person = Person.objects.create(region=world.region, name="=HYPERLINK(1)")
    retention.anonymise_person(work, person)
    client = login(officer)

    response = client.get(reverse("privacy:tombstones_export"))

    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200
    assert "signals.person" in body and str(person.public_id) in body
    assert "HYPERLINK" not in body
    assert (
        AuditLogEntry.objects.filter(access_kind="export", content_type__model="tombstone").count()
        == 1
    )


def test_subject_requests_need_the_privacy_officer(world):
    with pytest.raises(subject_access.PermissionDenied):
        subject_access.find_persons(actor=world.user(Role.VT_OFFICER), name="Marek Nowak")
