"""The steps on a signal, each an explicit POST that calls one service and redirects."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from signals.models import AcuteConsultation, Note
from signals.tests.factories import make_signal, registered_signal, reload, submitted_signal
from signals.workflow import Status


def url(name: str, signal) -> str:
    return reverse(f"signals:{name}", args=[signal.public_id])


def follow_message(client, response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]).content.decode()


def test_it_submits_a_draft(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    client = login(officer)
    detail = client.get(url("detail", signal)).content.decode()
    assert "Indienen bij Veilig Thuis" in detail

    response = client.post(url("submit", signal), {"submit-version": signal.version})

    page = follow_message(client, response)
    assert "is ingediend bij het Veilig Thuis-register" in page
    assert reload(signal).status == Status.SUBMITTED


def test_it_refuses_a_stale_submit_with_409(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    response = login(officer).post(url("submit", signal), {"submit-version": signal.version + 5})
    assert response.status_code == 409
    assert "intussen door iemand anders gewijzigd" in response.content.decode()
    assert reload(signal).status == Status.DRAFT


def test_it_refuses_submitting_twice_with_409(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = submitted_signal(officer)
    response = login(officer).post(url("submit", signal), {"submit-version": signal.version})
    assert response.status_code == 409
    assert "kan niet naar" in response.content.decode()


def test_it_closes_a_draft_internally(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    client = login(officer)
    data = {"close-version": signal.version, "close-reason": "Doorverwezen naar het sociaal team."}

    page = follow_message(client, client.post(url("close_internally", signal), data))

    assert "is intern afgehandeld" in page
    assert reload(signal).status == Status.HANDLED_INTERNALLY


def test_it_asks_why_a_signal_is_closed_internally(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    response = login(officer).post(
        url("close_internally", signal), {"close-version": signal.version}
    )
    assert response.status_code == 400
    assert "Leg kort vast hoe het signaal intern is afgehandeld." in response.content.decode()
    assert reload(signal).status == Status.DRAFT


def test_it_registers_with_a_preliminary_classification(world, login):
    vt = world.user(Role.VT_STAFF)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    client = login(vt)
    data = {"register-version": signal.version, "register-preliminary_classification": "suspected"}

    page = follow_message(client, client.post(url("register", signal), data))

    assert "is geregistreerd" in page
    fresh = reload(signal)
    assert (fresh.status, fresh.preliminary_classification) == (Status.REGISTERED, "suspected")


def test_it_asks_for_a_classification_in_dutch(world, login):
    vt = world.user(Role.VT_STAFF)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    response = login(vt).post(url("register", signal), {"register-version": signal.version})
    assert response.status_code == 400
    assert "Kies een voorlopige classificatie." in response.content.decode()
    assert reload(signal).status == Status.SUBMITTED


def test_it_refuses_registering_twice_with_409(world, login):
    vt = world.user(Role.VT_STAFF)
    signal = registered_signal(world.user(Role.MUNICIPAL_OFFICER), vt)
    data = {"register-version": signal.version, "register-preliminary_classification": "none"}
    response = login(vt).post(url("register", signal), data)
    assert response.status_code == 409
    assert "kan niet naar" in response.content.decode()


def test_it_refuses_the_sender_registering_its_own_signal(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = submitted_signal(officer)
    data = {"register-version": signal.version, "register-preliminary_classification": "none"}
    response = login(officer).post(url("register", signal), data)
    assert response.status_code == 403
    assert reload(signal).status == Status.SUBMITTED


def test_it_marks_a_signal_acute(world, login, django_capture_on_commit_callbacks):
    vt = world.user(Role.VT_STAFF)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    client = login(vt)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("mark_acute", signal), {"acute-version": signal.version})

    page = follow_message(client, response)
    assert "is als acuut gemeld" in page
    assert reload(signal).is_acute
    # The alert reached the in-app notifications: the bell counts it.
    assert vt.notifications.filter(read_at__isnull=True).count() == 1
    assert "ongelezen" in page


def test_it_refuses_marking_acute_twice_with_409(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer, is_acute=True)
    response = login(officer).post(url("mark_acute", signal), {"acute-version": signal.version})
    assert response.status_code == 409
    assert "al als acuut gemeld" in response.content.decode()


def test_it_records_an_acute_consultation(world, login):
    avim = world.user(Role.AVIM)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER), is_acute=True)
    client = login(avim)
    form = client.get(url("acute_consultation", signal))
    assert form.status_code == 200
    assert world.orgs["veilig_thuis"].name in form.content.decode()
    data = {
        "version": signal.version,
        "consulted_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "organisations": [world.orgs["veilig_thuis"].pk, avim.organisation.pk],
        "decision": "Opvang via COSM geregeld; AVIM start verkennend gesprek.",
        "shelter_needed": "ja",
        "follow_up": "VT belt morgen de gemeente.",
    }

    page = follow_message(client, client.post(url("acute_consultation", signal), data))

    assert "Het acute overleg is vastgelegd." in page
    assert "Opvang via COSM geregeld" in page
    assert reload(signal).status == Status.ACUTE
    consultation = AcuteConsultation.objects.get()
    assert consultation.shelter_needed is True
    assert consultation.consulted_organisations.count() == 2


def test_it_refuses_a_consultation_in_the_future(world, login):
    avim = world.user(Role.AVIM)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER), is_acute=True)
    data = {
        "version": signal.version,
        "consulted_at": (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "organisations": [avim.organisation.pk],
        "decision": "Besluit",
        "shelter_needed": "nee",
    }
    response = login(avim).post(url("acute_consultation", signal), data)
    assert response.status_code == 400
    assert "Het overleg kan niet in de toekomst liggen." in response.content.decode()
    assert not AcuteConsultation.objects.exists()


def test_it_refuses_the_consultation_to_the_sender(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer, is_acute=True)
    assert login(officer).get(url("acute_consultation", signal)).status_code == 403


def test_it_adds_a_note(world, login):
    avim = world.user(Role.AVIM)
    vt = world.user(Role.VT_STAFF)
    signal = registered_signal(world.user(Role.MUNICIPAL_OFFICER), vt, is_acute=True)
    client = login(avim)

    page = follow_message(
        client,
        client.post(url("add_note", signal), {"note-text": "Adres is bekend bij de wijkagent."}),
    )

    assert "Uw verrijking is toegevoegd." in page
    assert "Adres is bekend bij de wijkagent." in page
    note = Note.objects.get()
    assert note.organisation == avim.organisation


def test_it_asks_for_the_text_of_a_note(world, login):
    vt = world.user(Role.VT_STAFF)
    signal = submitted_signal(world.user(Role.MUNICIPAL_OFFICER))
    response = login(vt).post(url("add_note", signal), {"note-text": "  "})
    assert response.status_code == 400
    assert "Schrijf wat u weet." in response.content.decode()
    assert not Note.objects.exists()


def test_it_rejects_get_on_actions(world, login):
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = make_signal(officer)
    client = login(officer)
    for name in ("submit", "close_internally", "register", "mark_acute", "add_note"):
        assert client.get(url(name, signal)).status_code == 405
    assert reload(signal).status == Status.DRAFT
