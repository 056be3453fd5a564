"""The kind of criminal exploitation: only with the criminal form, on the form, in the API and
on the signal page (docs/decisions/0011-kind-of-criminal-exploitation.md)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from signals.models import Person, Signal
from signals.tests.api_support import LIST_URL, api, detail_url, signal_body
from signals.tests.factories import make_signal, reload
from signals.tests.test_views_support import edit_form, signal_form

MESSAGE = "Een soort criminele uitbuiting hoort alleen bij de vorm criminele uitbuiting."
CREATE_URL = reverse("signals:create")


@pytest.fixture
def officer(world):
    return world.user(Role.MUNICIPAL_OFFICER)


def nothing_saved() -> bool:
    return not (Signal.objects.exists() or Person.objects.exists())


# --- the service -------------------------------------------------------------------------


def test_the_service_keeps_the_kind_with_the_criminal_form(officer):
    signal = make_signal(
        officer, forms=["sexual", "criminal"], labour_sector="", criminal_kind="begging"
    )

    assert reload(signal).criminal_kind == "begging"
    assert reload(signal).get_criminal_kind_display() == "Gedwongen bedelarij"


def test_the_service_refuses_a_kind_without_the_criminal_form(officer):
    with pytest.raises(ValidationError) as caught:
        make_signal(officer, forms=["labour"], criminal_kind="money_mule")

    assert caught.value.message_dict == {"criminal_kind": [MESSAGE]}
    assert nothing_saved()


# --- the intake form ---------------------------------------------------------------------


def test_the_form_offers_the_kinds(officer, login):
    html = login(officer).get(CREATE_URL).content.decode()

    assert '<label for="id_criminal_kind">' in html
    for label in ("Drugskoerier/-handel", "Geldezel", "Hennepteelt/knippen", "Gedwongen bedelarij"):
        assert label in html


def test_the_form_refuses_a_kind_without_the_criminal_form(world, officer, login):
    data = signal_form(world.municipality, forms=["labour"], criminal_kind="begging")

    response = login(officer).post(CREATE_URL, data)

    html = response.content.decode()
    assert response.status_code == 400
    assert MESSAGE in html
    assert 'href="#id_criminal_kind"' in html  # the error summary links to the field
    assert nothing_saved()


def test_the_form_refuses_an_unknown_kind(world, officer, login):
    data = signal_form(
        world.municipality, forms=["criminal"], labour_sector="", criminal_kind="smuggling"
    )

    response = login(officer).post(CREATE_URL, data)

    assert response.status_code == 400
    assert "Kies een soort uit de lijst." in response.content.decode()
    assert nothing_saved()


def test_the_form_saves_the_kind_and_the_page_shows_it(world, officer, login):
    client = login(officer)
    data = signal_form(
        world.municipality, forms=["criminal"], labour_sector="", criminal_kind="begging"
    )

    response = client.post(CREATE_URL, data)

    signal = Signal.objects.get()
    assert response.status_code == 302
    assert signal.criminal_kind == "begging"
    page = client.get(response["Location"]).content.decode()
    assert "<dt>Soort criminele uitbuiting</dt><dd>Gedwongen bedelarij</dd>" in page


def test_the_page_leaves_the_kind_out_when_there_is_none(officer, login):
    signal = make_signal(officer)

    page = login(officer).get(reverse("signals:detail", args=[signal.public_id])).content
    assert "Soort criminele uitbuiting" not in page.decode()


def test_the_edit_form_shows_the_kind_and_refuses_dropping_the_form_only(officer, login):
    signal = make_signal(officer, forms=["criminal"], labour_sector="", criminal_kind="cannabis")
    client = login(officer)
    url = reverse("signals:edit", args=[signal.public_id])

    html = client.get(url).content.decode()
    response = client.post(url, edit_form(signal, forms=["sexual"]))

    assert '<option value="cannabis" selected>' in html
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    fresh = reload(signal)
    assert (fresh.version, fresh.forms, fresh.criminal_kind) == (1, ["criminal"], "cannabis")


# --- the API -----------------------------------------------------------------------------


def test_the_api_creates_a_signal_with_a_kind(world, officer, login):
    body = signal_body(
        world.municipality, forms=["criminal"], labour_sector="", criminal_kind="money_mule"
    )

    response = api(login, officer).post(LIST_URL, body)

    assert response.status_code == 201, response.json()
    assert response.json()["criminal_kind"] == "money_mule"
    assert Signal.objects.get().criminal_kind == "money_mule"


def test_the_api_renders_no_kind_as_null(world, officer, login):
    response = api(login, officer).post(LIST_URL, signal_body(world.municipality))

    assert response.status_code == 201
    assert response.json()["criminal_kind"] is None


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        ({"forms": ["labour"], "criminal_kind": "begging"}, {"criminal_kind": [MESSAGE]}),
        (
            {"forms": ["criminal"], "labour_sector": "", "criminal_kind": "smuggling"},
            {"criminal_kind": ['"smuggling" is een ongeldige keuze.']},
        ),
    ],
    ids=["without the criminal form", "unknown kind"],
)
def test_the_api_refuses_a_bad_kind_with_400(world, officer, login, overrides, errors):
    body = signal_body(world.municipality, **overrides)

    response = api(login, officer).post(LIST_URL, body)

    assert response.status_code == 400
    assert response.json() == errors
    assert nothing_saved()


def test_the_api_refuses_an_update_that_drops_the_criminal_form_only(world, officer, login):
    signal = make_signal(officer, forms=["criminal"], labour_sector="", criminal_kind="begging")
    body = signal_body(
        world.municipality, version=1, forms=["sexual"], labour_sector="", criminal_kind="begging"
    )

    response = api(login, officer).put(detail_url(signal), body)

    assert response.status_code == 400
    assert response.json() == {"criminal_kind": [MESSAGE]}
    assert (reload(signal).version, reload(signal).forms) == (1, ["criminal"])
