"""Editing a signal: the sender while it is a draft, Veilig Thuis during intake, never stale."""

from django.urls import reverse

from accounts.roles import Role
from signals.models import Person
from signals.tests.factories import make_signal, reload, submitted_signal
from signals.tests.test_views_support import edit_form, person


def url(signal) -> str:
    return reverse("signals:edit", args=[signal.public_id])


def test_it_shows_the_draft_in_the_form(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    html = login(officer).get(url(signal)).content.decode()
    assert 'value="Anna Müller"' in html
    assert f'name="version" value="{signal.version}"' in html
    assert 'name="persons-INITIAL_FORMS" value="1"' in html


def test_it_saves_a_change_and_keeps_the_person(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    original = signal.involvements.get().person
    data = edit_form(signal, description="Aangevuld na een tweede gesprek.")
    data["persons-0-language"] = "Engels"

    response = login(officer).post(url(signal), data)

    assert response.status_code == 302
    fresh = reload(signal)
    assert fresh.description == "Aangevuld na een tweede gesprek."
    assert fresh.version == signal.version + 1
    kept = fresh.involvements.get().person
    assert kept.pk == original.pk
    assert kept.language == "Engels"


def test_it_removes_a_person_marked_for_removal(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    data = edit_form(signal)
    data["persons-0-DELETE"] = "on"

    response = login(officer).post(url(signal), data)

    assert response.status_code == 302
    assert not reload(signal).involvements.exists()
    assert not Person.objects.exists()


def test_it_refuses_the_sender_editing_a_submitted_signal(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = submitted_signal(officer)
    client = login(officer)
    data = edit_form(signal, description="Toch nog iets anders.")

    response = client.post(url(signal), data)

    html = response.content.decode()
    assert response.status_code == 409
    assert "Dit signaal kan niet meer worden gewijzigd: het heeft status" in html
    fresh = reload(signal)
    assert fresh.description == signal.description
    assert fresh.version == signal.version
    # The page itself says so too, and offers no edit button.
    page = client.get(url(signal))
    assert page.status_code == 409
    assert "kan niet meer worden gewijzigd" in page.content.decode()
    assert "Gegevens bewerken" not in page.content.decode()


def test_it_refuses_a_stale_version_and_keeps_the_input(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    stale = edit_form(signal, description="Mijn versie van het verhaal.")
    # Somebody else saves first.
    login(officer).post(url(signal), edit_form(signal, description="De versie van een collega."))
    after_colleague = reload(signal)

    response = login(officer).post(url(signal), stale)

    html = response.content.decode()
    assert response.status_code == 409
    assert "intussen door iemand anders gewijzigd" in html
    assert "Mijn versie van het verhaal." in html
    fresh = reload(signal)
    assert fresh.description == "De versie van een collega."
    assert fresh.version == after_colleague.version


def test_it_lets_veilig_thuis_complete_a_submitted_signal(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    vt = world.user(Role.VT_STAFF)
    signal = submitted_signal(officer)
    client = login(vt)
    form = client.get(url(signal)).content.decode()
    # The source stays the sender's: it is the only choice offered.
    assert 'value="municipality_internal" selected' in form
    data = edit_form(signal)
    data.update(
        {
            "persons-TOTAL_FORMS": "2",
            **{f"persons-1-{k}": v for k, v in person(name="Piotr").items()},
        }
    )

    response = client.post(url(signal), data)

    assert response.status_code == 302
    names = set(reload(signal).involvements.values_list("person__name", flat=True))
    assert names == {"Anna Müller", "Piotr"}


def test_it_refuses_a_partner_who_never_edits_with_403(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = submitted_signal(officer, is_acute=True)  # acute: visible to AVIM
    client = login(world.user(Role.AVIM))
    assert client.get(url(signal)).status_code == 403
    assert client.post(url(signal), edit_form(signal)).status_code == 403
    assert reload(signal).version == signal.version
