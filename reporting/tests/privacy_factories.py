"""A small register with a story per retention rule, built through the services.

Every record carries names of its own, so a test can search the whole database (every column
of every table, the audit log included) and the stored files for what should be gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import CloseReason, TrajectoryOutcome
from cases.services import case as case_services
from cases.services import trajectory as trajectory_services
from cases.tests.factories import make_case
from cases.workflow import Phase
from referrals import services as referral_services
from referrals.tests.factories import accepted
from screening.tests.factories import draft_signal
from signals import services as signal_services
from signals.models import Classification, PersonRole, Signal, SignalPerson
from signals.tests.factories import person_input, place_input, registered_signal
from signals.validation import normalise
from signals.workflow import Status

PDF_HEAD = b"%PDF-1.4\n"
PDF_TAIL = (
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_naming(name: str) -> SimpleUploadedFile:
    """A valid PDF whose bytes contain ``name`` in plain text (a comment line)."""
    body = PDF_HEAD + b"% " + name.encode() + b"\n" + PDF_TAIL
    return SimpleUploadedFile("verslag.pdf", body, content_type="application/pdf")


def _close(signal: Signal, world, *, final: str) -> Signal:
    vt = world.user(Role.VT_STAFF)
    with transaction.atomic():
        locked = Signal.objects.select_for_update().get(pk=signal.pk)
        signal_services.classification_set(
            signal=locked,
            kind="final",
            value=final,
            actor=world.user(Role.VT_OFFICER),
            reason=f"Gesprek met {signal.involvements.first().person.name}",
        )
        return signal_services.signal_transition(signal=locked, to=Status.CLOSED, actor=vt)


@dataclass
class Story:
    """The records of a test register and the names that must (not yet) be gone."""

    signals: dict[str, Signal] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, list[str]] = field(default_factory=dict)
    case: object = None
    trajectory: object = None
    referral: object = None


def internally_handled(world, story: Story) -> Signal:
    """A municipality's own signal, handled internally, with a place and an attachment."""
    officer = world.user(Role.MUNICIPAL_OFFICER)
    signal = draft_signal(
        world,
        sender=officer,
        description="Oksana Bondarenko slaapt in de salon aan de Kerkstraat 12.",
        persons=[person_input(name="Oksana Bondarenko", birth_date=date(1990, 4, 3), age_band="")],
        places=[place_input(name="Salon Oksana", address="Kerkstraat 12", postcode="6411AB")],
    )
    attachment = signal_services.attachment_add(
        signal=signal, actor=officer, upload=pdf_naming("Oksana Bondarenko")
    )
    signal.refresh_from_db()
    signal = signal_services.signal_close_internally(
        signal=signal,
        actor=officer,
        version=signal.version,
        reason="Besproken met Oksana Bondarenko",
    )
    story.signals["handled_internally"] = signal
    story.names["handled_internally"] = ["Oksana Bondarenko", "Salon Oksana", "Kerkstraat 12"]
    story.files["handled_internally"] = [attachment.file.name]
    return signal


def closed_none(world, story: Story) -> Signal:
    """A registered signal closed as "no trafficking", with a partner's note."""
    vt = world.user(Role.VT_STAFF)
    signal = registered_signal(
        world.user(Role.MUNICIPAL_OFFICER),
        vt,
        world.municipality,
        description="Jolanta Wisniewska werkt zonder contract.",
        persons=[person_input(name="Jolanta Wisniewska", age_band="30-39")],
        places=[],
    )
    signal_services.note_add(
        signal=signal, actor=world.user(Role.AVIM), text="Jolanta Wisniewska is bekend bij ons."
    )
    story.signals["closed_none"] = _close(signal, world, final=Classification.NONE)
    story.names["closed_none"] = ["Jolanta Wisniewska"]
    return story.signals["closed_none"]


def closed_suspected(world, story: Story) -> Signal:
    """A registered signal closed with another classification (the longer term)."""
    signal = registered_signal(
        world.user(Role.MUNICIPAL_OFFICER),
        world.user(Role.VT_STAFF),
        world.municipality,
        description="Ilse Vermeulen moet haar paspoort afgeven.",
        persons=[person_input(name="Ilse Vermeulen")],
        places=[],
    )
    story.signals["closed_suspected"] = _close(signal, world, final=Classification.SUSPECTED)
    story.names["closed_suspected"] = ["Ilse Vermeulen"]
    return story.signals["closed_suspected"]


def open_signal(world, story: Story, *, shared_person=None) -> Signal:
    """A signal still in the register: never due, and it keeps ``shared_person``."""
    signal = registered_signal(
        world.user(Role.MUNICIPAL_OFFICER),
        world.user(Role.VT_STAFF),
        world.municipality,
        description="Fatima Haddad wordt elke dag opgehaald.",
        persons=[person_input(name="Fatima Haddad")],
        places=[],
    )
    if shared_person is not None:
        SignalPerson.objects.create(
            signal=signal, person=shared_person, role=PersonRole.POSSIBLE_VICTIM, position=1
        )
    story.signals["open"] = signal
    story.names["open"] = ["Fatima Haddad"]
    return signal


def closed_case(world, story: Story):
    """A case led by the care coordinator's ZVH, with actions, notes, a referral with a plan
    and a closed trajectory; then closed."""
    zvh = world.orgs[Organisation.Kind.ZVH]
    coordinator = world.user(Role.CARE_COORDINATOR)
    case = make_case(
        world,
        lead=zvh,
        lead_kind="care_coordinator",
        description="Marek Nowak werkt in de kas voor een uitzendbureau.",
        persons=[person_input(name="Marek Nowak", birth_date=date(1985, 6, 1), age_band="")],
        places=[place_input(name="Kwekerij Nowak-Zuid", address="Veldweg 3")],
    )
    person = case.persons.get()
    case_services.action_add(
        case=case,
        actor=coordinator,
        description="Marek Nowak bellen over huisvesting",
        owner_organisation=zvh,
        due_date=timezone.localdate(),
    )
    case_services.case_note_add(case=case, actor=coordinator, text="Marek Nowak is bang.")
    referral = accepted(
        world,
        world.orgs[Organisation.Kind.ZVH],
        case=case,
    )
    referral = referral_services.referral_attach_plan(
        referral=referral,
        actor=world.user(Role.PROCESS_DIRECTOR, organisation=zvh),
        upload=pdf_naming("Marek Nowak"),
    )
    trajectory = trajectory_services.trajectory_open(case=case, person=person, actor=coordinator)
    trajectory_services.care_meeting_add(
        trajectory=trajectory,
        held_on=timezone.localdate(),
        participants="Marek Nowak, tolk",
        agreements="Marek Nowak gaat naar de opvang.",
        actor=coordinator,
    )
    trajectory.refresh_from_db()
    trajectory = trajectory_services.trajectory_phase_change(
        trajectory=trajectory,
        to=Phase.CLOSED,
        on_date=timezone.localdate(),
        actor=coordinator,
        version=trajectory.version,
        outcome=TrajectoryOutcome.SAFE_AND_STABLE,
        outcome_note="Marek Nowak woont weer zelfstandig.",
    )
    case.refresh_from_db()
    case = case_services.case_close(
        case=case,
        actor=coordinator,
        version=case.version,
        reason=CloseReason.GOAL_REACHED,
        note="Marek Nowak is veilig.",
        confirm_open_actions=True,
    )
    story.case, story.trajectory, story.referral = case, trajectory, referral
    story.signals["case"] = case.signals.get()
    story.names["case"] = ["Marek Nowak", "Kwekerij Nowak-Zuid", "Veldweg 3"]
    story.files["case"] = [referral.plan.name]
    return case


def remnants(names: list[str]) -> dict[str, int]:
    """Rows anywhere in the database whose text holds one of ``names`` (or its normal form).

    Every column of every table, the audit log and its JSON included: ``row::text``.
    """
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            for name in names:
                for needle in {name, normalise(name)}:
                    cursor.execute(
                        f'SELECT count(*) FROM "{table}" AS row WHERE row::text ILIKE %s',  # noqa: S608
                        [f"%{needle}%"],
                    )
                    count = cursor.fetchone()[0]
                    if count:
                        found[f"{table}: {needle}"] = count
    return found


def files_naming(names: list[str]) -> list[str]:
    """Stored files whose bytes hold one of ``names``."""
    root = Path(settings.MEDIA_ROOT)
    hits = []
    for path in root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            hits += [f"{path.relative_to(root)}: {n}" for n in names if n.encode() in data]
    return hits
