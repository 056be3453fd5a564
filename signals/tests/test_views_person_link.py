"""Repeat victims: Veilig Thuis sees earlier records of the same person and links them."""

from django.urls import reverse

from accounts.roles import Role
from signals.models import PersonLink
from signals.tests.factories import person_input, registered_signal, submitted_signal


def link_url(signal, person, other) -> str:
    return reverse(
        "signals:person_link", args=[signal.public_id, person.public_id, other.public_id]
    )


def pair(world):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    vt = world.user(Role.VT_STAFF)
    earlier = registered_signal(officer, vt, persons=[person_input(name="Anna Muller")])
    later = submitted_signal(officer, persons=[person_input(name="Anna Müller")])
    return earlier, later


def test_it_shows_veilig_thuis_a_hint_and_links_the_persons(world, login):
    earlier, later = pair(world)
    client = login(world.user(Role.VT_STAFF))
    html = client.get(reverse("signals:detail", args=[later.public_id])).content.decode()
    assert "Mogelijk eerder gemeld" in html
    assert earlier.reference in html
    person = later.involvements.get().person
    other = earlier.involvements.get().person
    assert link_url(later, person, other) in html

    response = client.post(link_url(later, person, other))

    assert response.status_code == 302
    assert PersonLink.objects.filter(person=person, same_as=other).exists()
    page = client.get(response["Location"]).content.decode()
    assert "De personen zijn gekoppeld" in page
    assert "Gekoppeld" in page


def test_it_shows_no_hints_to_the_sender_and_refuses_the_link(world, login):
    earlier, later = pair(world)
    officer = world.user(Role.MUNICIPAL_OFFICER)
    client = login(officer)
    html = client.get(reverse("signals:detail", args=[later.public_id])).content.decode()
    assert "Mogelijk eerder gemeld" not in html
    person = later.involvements.get().person
    other = earlier.involvements.get().person

    response = client.post(link_url(later, person, other))

    assert response.status_code == 403
    assert not PersonLink.objects.exists()


def test_it_answers_404_for_a_person_not_in_this_signal(world, login):
    earlier, later = pair(world)
    client = login(world.user(Role.VT_STAFF))
    other = earlier.involvements.get().person
    response = client.post(link_url(later, other, other))
    assert response.status_code == 404
