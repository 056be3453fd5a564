"""The follow-up of a screened signal, from the table's decision to the plan of approach.

A signal of Heerlen is on the screening table (set up through the services). demo-vt decides
the route to the care coordinator and concludes; the meeting page then links the case the
hand-off opened, led by the care coordinator. demo-zoco finds the case among its own, opens a
care trajectory for the victim and records the intake, a placement in OMM shelter and the
reflection period. demo-vt refers the case to ZVH Parkstad's process direction with a legal
basis and the chosen fields (the lead cannot: only Veilig Thuis sends referrals).
demo-procesregisseur finds it waiting, accepts it and attaches the integral plan of
approach, after which it may read the trajectory. demo-heerlen follows the route's status on
its signal but reaches neither the case nor the trajectory: both answer 404.
"""

from __future__ import annotations

import calendar
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfWriter

from accounts.models import Organisation, User
from cases.models import Case, Trajectory, TrajectoryAccess
from referrals.models import Referral
from screening import services
from screening.models import Meeting
from signals import services as signal_services
from signals.models import Signal
from signals.tests.factories import make_signal, person_input
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser

ZVH_PARKSTAD = "Zorg- en Veiligheidshuis Parkstad"
VICTIM = "Olena Kovalenko"
ROUTE_ZVH = "Regionale weegploeg ZVH → procesregie"
MONTHS = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]
# Words of Django's and the browser's English error pages, which must never show.
ENGLISH = ("Not Found", "Server Error", "Forbidden", "Traceback", "Page not found")


def dutch(day: date) -> str:
    """A date as the pages write it ("j F Y" in Dutch)."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def three_months_after(day: date) -> date:
    """The end of a three-month reflection period; a day the month lacks becomes its last."""
    month = day.month + 2
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def plan_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Integraal plan van aanpak"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def meeting_in_session(heerlen: User, vt: User, officer: User) -> tuple[Meeting, Signal]:
    """Heerlen's signal registered, on this week's agenda, the meeting started and the signal
    finally classified "suspected" by the VT officer: all the steps before the decision."""
    signal = make_signal(
        heerlen,
        description="Een jonge vrouw werkt zeven dagen per week in een massagesalon en slaapt er.",
        persons=[
            person_input(name=VICTIM, age_band="18-22", nationality="UA", residence_status="none")
        ],
    )
    signal = signal_services.signal_submit(signal=signal, actor=heerlen, version=signal.version)
    signal = signal_services.signal_register(
        signal=signal, actor=vt, version=signal.version, preliminary_classification="potential"
    )
    meeting = services.meeting_plan_next(region=vt.organisation.region)
    assert [item.signal for item in meeting.items.all()] == [signal]
    meeting = services.meeting_start(meeting=meeting, actor=vt)
    services.item_classify(item=meeting.items.get(), actor=officer, kind="final", value="suspected")
    return meeting, signal


def assert_dutch_page(page) -> None:
    body = page.locator("body").inner_text()
    assert not [word for word in ENGLISH if word in body], body[:500]


def test_the_care_coordinator_and_the_process_director_follow_a_signal_up(
    page, demo_data, screenshot, settings, tmp_path, console_errors, failed_responses
):
    settings.MEDIA_ROOT = tmp_path
    heerlen, vt, officer = (
        User.objects.get(username=name) for name in ("demo-heerlen", "demo-vt", "demo-vt-officer")
    )
    zvh = Organisation.objects.get(name=ZVH_PARKSTAD)
    meeting, signal = meeting_in_session(heerlen, vt, officer)
    item = meeting.items.get()
    box = f"#item-{item.public_id}"
    today = timezone.localdate()

    # --- 1. VT decides the care coordinator's route and concludes ------------------------------
    log_in(page, "demo-vt")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Screeningstafel"
    ).click()
    page.get_by_role("link", name="Naar het overleg").click()
    expect(page.locator(".lead")).to_contain_text("In vergadering")
    page.locator(f"{box} summary").click()
    page.locator(box).get_by_role("checkbox", name="Traject zorgcoördinator").check()
    page.locator(f"{box} select[name=follow_up_owner]").select_option(str(zvh.pk))
    page.locator(box).get_by_label("Toelichting bij de route").fill(
        "Zorgcoördinator start een traject; opvang en bedenktijd bespreken."
    )
    page.locator(box).get_by_role("button", name="Besluit vastleggen").click()
    expect(page.locator(box)).to_contain_text("Route: Traject zorgcoördinator")
    expect(page.locator(box)).to_contain_text(f"vervolg: {ZVH_PARKSTAD}")
    screenshot("route decided")

    page.get_by_role("button", name="Overleg afronden").click()
    expect(page.locator(".lead")).to_contain_text("Afgerond")
    case = Case.objects.get(case_signals__signal=signal)
    assert (case.lead_organisation, case.lead_kind, case.status) == (
        zvh,
        "care_coordinator",
        "open",
    )
    signal.refresh_from_db()
    assert signal.status == "routed"
    # The concluded meeting links the item to the case the hand-off opened.
    case_link = page.locator(box).get_by_role("link", name=f"Casus {case.reference}")
    expect(case_link).to_have_attribute("href", reverse("cases:detail", args=[case.public_id]))
    screenshot("concluded with the case linked")
    case_link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Casus {case.reference}")
    expect(page.locator(".lead")).to_contain_text(f"Regie: {ZVH_PARKSTAD} (Zorgcoördinator)")
    expect(page.locator("#persons")).to_contain_text(VICTIM)
    assert_dutch_page(page)
    screenshot("case opened by the hand off")

    # --- 2. The care coordinator opens a trajectory: intake, OMM shelter, reflection period ----
    log_in(page, "demo-zoco")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Casussen").click()
    page.get_by_role("link", name="Mijn casussen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn casussen")
    row = page.locator("tbody tr").filter(has_text=case.reference)
    expect(row).to_contain_text(f"{ZVH_PARKSTAD} (Zorgcoördinator)")
    expect(row).to_contain_text("Open")
    screenshot("the care coordinators cases")
    row.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Casus {case.reference}")
    # The lead works the case but sends no referral: that is Veilig Thuis's step.
    expect(page.get_by_role("link", name="Verwijzing voorbereiden")).to_have_count(0)
    assert page.request.get(reverse("referrals:create", args=[case.public_id])).status == 403
    page.get_by_role("link", name=f"Zorgtraject openen voor {VICTIM}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zorgtraject openen")
    expect(page.get_by_label("Voor wie")).to_have_value(str(case.persons.get().public_id))
    page.get_by_role("button", name="Zorgtraject openen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Zorgtraject van {VICTIM}")
    expect(page.locator(".lead")).to_contain_text("Fase: Aanmelding")
    trajectory = Trajectory.objects.get(case=case)
    trajectory_url = reverse("trajectories:detail", args=[trajectory.public_id])
    screenshot("trajectory opened")

    phase_form = page.locator("form[action$='/fase/']")
    phase_form.get_by_label("Naar fase").select_option(label="Intake")
    phase_form.get_by_label("Vanaf").fill(today.isoformat())
    phase_form.get_by_role("button", name="Fase wijzigen").click()
    expect(page.get_by_text("De fase is gewijzigd.")).to_be_visible()
    expect(page.locator(".lead")).to_contain_text("Fase: Intake")

    placement_form = page.locator("form[action$='/plaatsingen/']")
    placement_form.get_by_label("Soort opvang").select_option(
        label="OMM (opvang meervoudige problematiek)"
    )
    placement_form.get_by_label("Opvanglocatie").fill("OMM-locatie Zuid")
    placement_form.get_by_label("Begindatum").fill(today.isoformat())
    placement_form.get_by_role("button", name="Plaatsing vastleggen").click()
    expect(page.get_by_text("De plaatsing is vastgelegd.")).to_be_visible()
    placements = page.locator("#placements tbody tr")
    expect(placements).to_have_count(1)
    expect(placements.first).to_contain_text("OMM (opvang meervoudige problematiek)")
    expect(placements.first).to_contain_text("OMM-locatie Zuid")
    expect(placements.first).to_contain_text("loopt")

    reflection_end = three_months_after(today)
    page.get_by_label("Begin van de bedenktijd").fill(today.isoformat())
    page.get_by_role("button", name="Bedenktijd vastleggen").click()
    expect(page.get_by_text("De bedenktijd is vastgelegd.")).to_be_visible()
    reflection = page.locator("#reflection dd")
    expect(reflection.nth(0)).to_have_text(dutch(today))  # begun on
    expect(reflection.nth(1)).to_have_text(dutch(reflection_end))  # ends on
    assert_dutch_page(page)
    screenshot("intake placement and reflection period")

    trajectory.refresh_from_db()
    assert (trajectory.phase, trajectory.reflection_start, trajectory.reflection_end) == (
        "intake",
        today,
        reflection_end,
    )
    assert [p.phase for p in trajectory.phases.all()] == ["registration", "intake"]
    placement = trajectory.placements.get()
    assert (placement.shelter_type, placement.start_date, placement.end_date) == (
        "omm",
        today,
        None,
    )

    # --- 3. Veilig Thuis refers the case to ZVH Parkstad's process direction ------------------
    log_in(page, "demo-vt", step=1)
    page.goto(reverse("cases:detail", args=[case.public_id]))
    # The trajectory is shielded from Veilig Thuis too: no panel, and its page does not exist.
    expect(page.locator("#trajectories")).to_have_count(0)
    page.get_by_role("link", name="Verwijzing voorbereiden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verwijzing voorbereiden")
    page.get_by_label("Route", exact=True).select_option(label=ROUTE_ZVH)
    # htmx narrows the receivers to the ZVHs of the region.
    receivers = page.locator("#id_receiving_organisation option")
    expect(receivers.filter(has_text="Gemeente")).to_have_count(0)
    page.get_by_label("Ontvangende organisatie").select_option(str(zvh.pk))
    question = "Graag weging in de regionale weegploeg en een integraal plan van aanpak."
    page.get_by_label("Vraag aan de ontvanger").fill(question)
    page.get_by_role("button", name="Concept vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Verwijzing: {ROUTE_ZVH}, naar {ZVH_PARKSTAD}"
    )
    page.get_by_role("radio", name="Publieke taak").check()
    page.get_by_label("Toelichting op de grondslag").fill(
        "Uitvoering van de regionale aanpak mensenhandel."
    )
    shared = [
        "Kenmerk, gemeente, vormen van uitbuiting en classificatie",
        "Mogelijke slachtoffers (naam, geboortedatum, geslacht, nationaliteit)",
        "Advies van de screeningstafel",
    ]
    for label in shared:
        page.get_by_role("checkbox", name=label).check()
    screenshot("referral legal basis and shared fields")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".lead")).to_contain_text("Status: Concept")
    page.get_by_role("button", name="Verwijzing versturen").click()
    expect(page.get_by_text("De verwijzing is verstuurd.")).to_be_visible()
    expect(page.locator(".lead")).to_contain_text("Status: Verstuurd")
    expect(page.locator("#shared")).to_contain_text(VICTIM)
    assert_dutch_page(page)
    screenshot("referral sent")
    assert page.request.get(trajectory_url).status == 404

    referral = Referral.objects.get(case=case)
    assert (referral.route, referral.receiving_organisation, referral.status) == (
        "zvh_weighing",
        zvh,
        "sent",
    )
    assert (referral.legal_basis, referral.shared_fields) == (
        "public_task",
        ["summary", "victims", "advice"],
    )

    # --- 4. The process director accepts and attaches the integral plan of approach ------------
    log_in(page, "demo-procesregisseur")
    # Before the referral is accepted the trajectory is not the process director's to see.
    assert page.request.get(trajectory_url).status == 404
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Verwijzingen"
    ).click()
    expect(page.get_by_role("link", name="Wacht op mijn antwoord")).to_have_attribute(
        "aria-current", "page"
    )
    waiting = page.locator("tbody tr").filter(has_text=ROUTE_ZVH)
    expect(waiting).to_have_count(1)
    expect(waiting).to_contain_text("Verstuurd")
    screenshot("referral waiting for the process director")
    waiting.get_by_role("link", name=ROUTE_ZVH).click()
    expect(page.locator("#shared")).to_contain_text(case.reference)
    expect(page.locator("#shared")).to_contain_text(VICTIM)
    page.get_by_label("Reactie").fill("Wij nemen de procesregie op ons; weegploeg op dinsdag.")
    page.get_by_role("button", name="Accepteren", exact=True).click()
    expect(page.get_by_text("De verwijzing is geaccepteerd.")).to_be_visible()
    expect(page.locator(".lead")).to_contain_text("Status: Geaccepteerd")

    pdf = plan_pdf()
    page.get_by_label("Integraal plan van aanpak").set_input_files(
        {"name": "plan-van-aanpak.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    page.get_by_role("button", name="Plan toevoegen").click()
    expect(page.get_by_text("Het plan van aanpak is toegevoegd.")).to_be_visible()
    plan_link = page.get_by_role("link", name="plan-van-aanpak.pdf")
    expect(plan_link).to_be_visible()
    assert_dutch_page(page)
    screenshot("accepted with the plan of approach")
    download = page.request.get(plan_link.get_attribute("href"))
    assert download.status == 200
    assert download.body() == pdf

    referral.refresh_from_db()
    assert (referral.status, referral.answered_by.username) == ("accepted", "demo-procesregisseur")
    assert (referral.plan_name, referral.plan_content_type, referral.plan_size) == (
        "plan-van-aanpak.pdf",
        "application/pdf",
        len(pdf),
    )
    assert TrajectoryAccess.objects.filter(case=case, organisation=zvh).exists()
    # Now the process director reads the trajectory, and only reads it.
    page.goto(trajectory_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Zorgtraject van {VICTIM}")
    expect(page.locator(".lead")).to_contain_text("Alleen inzien")
    expect(page.get_by_role("button", name="Fase wijzigen")).to_have_count(0)
    screenshot("trajectory read by the process director")

    # --- 5. Heerlen sees the route's status, but not the case or the trajectory ---------------
    log_in(page, "demo-heerlen")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Signalen").click()
    page.get_by_role("link", name=signal.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Signaal {signal.reference}")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Route besloten: Traject zorgcoördinator")
    expect(timeline).to_contain_text(f"Verwijzing naar {ZVH_PARKSTAD} ({ROUTE_ZVH}): verstuurd")
    expect(timeline).to_contain_text(f"Verwijzing naar {ZVH_PARKSTAD} ({ROUTE_ZVH}): geaccepteerd")
    # The status, never the content: not the question, the answer or the shelter.
    for secret in (question, "procesregie op ons", "OMM", "bedenktijd"):
        expect(page.locator("main")).not_to_contain_text(secret)
    screenshot("heerlen sees the route status")

    response = page.goto(trajectory_url)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Niet gevonden")
    assert_dutch_page(page)
    screenshot("heerlen gets 404 for the trajectory")
    assert page.goto(reverse("cases:detail", args=[case.public_id])).status == 404

    expected_404 = {
        f"404 {trajectory_url}",
        f"404 {reverse('cases:detail', args=[case.public_id])}",
    }
    assert [f for f in failed_responses if f not in expected_404] == []
    assert [e for e in console_errors if "404" not in e] == []
