"""Every change to a signal: one function per use case, in one transaction (STYLE.md rule 3).

Each function checks that the actor may do it (the views already answered 404 for signals
the actor cannot see), locks the signal, checks the version the actor read (optimistic
lock), validates, changes, appends the timeline event, and schedules side effects on commit.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from accounts.roles import Role

from . import tasks
from .files import sniff_attachment
from .models import (
    SOURCES_BY_ROLE,
    AcuteConsultation,
    Attachment,
    Classification,
    ClassificationRecord,
    EventKind,
    Indicator,
    Note,
    Person,
    PersonLink,
    Place,
    ReferenceCounter,
    Signal,
    SignalEvent,
    SignalForm,
    SignalPerson,
)
from .validation import normalise, validate_person_fields, validate_signal_fields
from .workflow import (
    CAN_BECOME_ACUTE,
    IN_REGISTER,
    REGISTER_EDITABLE,
    SENDER_EDITABLE,
    Status,
    TransitionNotAllowed,
    check_transition,
)


class StaleVersion(Exception):
    """Somebody else changed the record since the actor read it (optimistic lock)."""

    def __init__(self, current: int, message: str | None = None):
        super().__init__(
            message
            or _(
                "Dit signaal is intussen door iemand anders gewijzigd. Laad de pagina opnieuw en controleer de gegevens."
            )
        )
        self.message = str(self.args[0])
        self.current = current


@dataclass
class PersonInput:
    role: str
    name: str
    is_alias: bool = False
    birth_date: date | None = None
    age_band: str = ""
    age_at_exploitation_start: int | None = None
    gender: str = "unknown"
    nationality: str = ""
    is_stateless: bool = False
    residence_status: str = "unknown"
    language: str = ""
    public_id: UUID | None = None  # an existing person of this signal, when editing


@dataclass
class PlaceInput:
    kind: str
    name: str = ""
    address: str = ""
    postcode: str = ""
    city: str = ""
    url: str = ""
    kvk_number: str = ""
    facts: str = ""


@dataclass
class SignalInput:
    source: str
    municipality: Organisation
    received_at: date
    description: str
    forms: list[str]
    labour_sector: str = ""
    criminal_kind: str = ""
    indicators: list[Indicator] = field(default_factory=list)
    is_acute: bool = False


PERSON_FIELDS = (
    "name",
    "is_alias",
    "birth_date",
    "age_band",
    "gender",
    "nationality",
    "is_stateless",
    "residence_status",
    "language",
)
PLACE_FIELDS = ("kind", "name", "address", "postcode", "city", "url", "kvk_number", "facts")


# --- helpers -----------------------------------------------------------------------------


def _require(actor: User, perm: str) -> None:
    if not actor.has_perm(perm):
        raise PermissionDenied


def _locked(signal: Signal, version: int | None) -> Signal:
    locked = Signal.objects.select_for_update().get(pk=signal.pk)
    if version is not None and locked.version != version:
        raise StaleVersion(locked.version)
    return locked


def _is_sender(signal: Signal, actor: User) -> bool:
    return signal.reporting_organisation_id == actor.organisation_id


def may_edit_content(signal: Signal, actor: User) -> bool:
    """The sender edits its draft; Veilig Thuis completes the signal during intake."""
    if not actor.has_perm("signals.change_signal"):
        return False
    if _is_sender(signal, actor) and signal.status in SENDER_EDITABLE:
        return True
    return actor.has_perm("signals.register_signal") and signal.status in REGISTER_EDITABLE


def may_close_internally(signal: Signal, actor: User) -> bool:
    """Only the sending municipality's officer handles a signal in its own route."""
    return (
        _is_sender(signal, actor)
        and actor.role == Role.MUNICIPAL_OFFICER
        and actor.has_perm("signals.change_signal")
    )


def may_mark_acute(signal: Signal, actor: User) -> bool:
    """The sender, or those who hold acute consultations (VT, AVIM)."""
    if not actor.has_perm("signals.change_signal"):
        return False
    return _is_sender(signal, actor) or actor.has_perm("signals.record_acute_consultation")


def event_append(
    *,
    signal: Signal,
    kind: str,
    summary: str,
    actor: User | None,
    from_status: str = "",
    to_status: str = "",
    visible_to_sender: bool = False,
) -> SignalEvent:
    """Append to a signal's timeline. Later steps of the route call this for their events."""
    return SignalEvent.objects.create(
        signal=signal,
        kind=kind,
        summary=summary[:300],
        actor=actor,
        actor_organisation=actor.organisation if actor else None,
        from_status=from_status,
        to_status=to_status,
        visible_to_sender=visible_to_sender,
    )


def signal_transition(
    *,
    signal: Signal,
    to: Status,
    actor: User | None,
    summary: str = "",
    visible_to_sender: bool = True,
) -> Signal:
    """Move a locked signal along its life cycle and record it on the timeline.

    For use inside the services of this and later steps (screening, cases), which hold the
    row lock and have checked their own permissions.
    """
    current = signal.status
    check_transition(current, to)
    signal.status = to
    now = timezone.now()
    if to == Status.SUBMITTED:
        signal.submitted_at = now
    elif to == Status.REGISTERED and signal.registered_at is None:
        signal.registered_at = now
    elif to in (Status.CLOSED, Status.HANDLED_INTERNALLY):
        signal.closed_at = now
    signal.version += 1
    signal.save()
    event_append(
        signal=signal,
        kind=EventKind.STATUS,
        summary=summary or _("Status: %(status)s") % {"status": Status(to).label},
        actor=actor,
        from_status=current,
        to_status=to,
        visible_to_sender=visible_to_sender,
    )
    return signal


def classification_set(
    *, signal: Signal, kind: str, value: str, actor: User, reason: str = ""
) -> Signal:
    """Give a locked signal a preliminary or final classification, appending to its history.

    Only a VT officer confirms a final classification (DOMAIN.md, Bijlage 5). For use by the
    services of this and later steps, which hold the row lock.
    """
    if value not in Classification.values:
        field_name = f"{kind}_classification"
        raise ValidationError({field_name: [_("Kies een classificatie.")]})
    if kind == ClassificationRecord.Kind.FINAL:
        if actor.role != Role.VT_OFFICER:
            raise PermissionDenied(
                _(
                    "Alleen de aandachtsfunctionaris van Veilig Thuis stelt de definitieve classificatie vast."
                )
            )
        previous = signal.final_classification
        signal.final_classification = value
    elif kind == ClassificationRecord.Kind.PRELIMINARY:
        _require(actor, "signals.register_signal")
        previous = signal.preliminary_classification
        signal.preliminary_classification = value
    else:
        raise ValueError(f"Unknown classification kind {kind!r}")
    ClassificationRecord.objects.create(
        signal=signal,
        kind=kind,
        value=value,
        previous_value=previous,
        reason=reason[:500],
        actor=actor,
    )
    signal.version += 1
    signal.save()
    event_append(
        signal=signal,
        kind=EventKind.CLASSIFIED,
        summary=_("%(kind)s classificatie: %(value)s")
        % {"kind": ClassificationRecord.Kind(kind).label, "value": Classification(value).label},
        actor=actor,
    )
    return signal


def _allocate_reference(signal: Signal) -> None:
    """Next number of the region and year; the counter row is locked, so never handed out twice."""
    year = timezone.localdate().year
    try:
        with transaction.atomic():
            ReferenceCounter.objects.get_or_create(region_id=signal.region_id, year=year)
    except IntegrityError:
        pass  # a concurrent transaction created it; lock it below
    counter = ReferenceCounter.objects.select_for_update().get(
        region_id=signal.region_id, year=year
    )
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    signal.year = year
    signal.sequence = counter.last_number
    signal.reference = f"{signal.region.code.upper()}-{year}-{counter.last_number:05d}"


def _validate_input(
    actor: User,
    data: SignalInput,
    persons: list[PersonInput],
    *,
    allowed_sources: tuple[str, ...] | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    if allowed_sources is None:
        allowed_sources = tuple(SOURCES_BY_ROLE.get(actor.role, ()))
    try:
        validate_signal_fields(
            received_at=data.received_at,
            description=data.description,
            forms=data.forms,
            labour_sector=data.labour_sector,
            criminal_kind=data.criminal_kind,
        )
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if (
        data.municipality.kind != Organisation.Kind.MUNICIPALITY
        or data.municipality.region_id != actor.organisation.region_id
    ):
        errors.setdefault("municipality", []).append(_("Kies een gemeente uit uw regio."))
    if data.source not in allowed_sources:
        errors.setdefault("source", []).append(_("Deze bron kunt u met uw rol niet kiezen."))
    wrong = [i for i in data.indicators if i.form not in data.forms or not i.is_active]
    if wrong:
        errors.setdefault("indicators", []).append(
            _("Kies alleen indicatoren bij de gekozen vormen van uitbuiting.")
        )
    for index, person in enumerate(persons):
        try:
            validate_person_fields(
                birth_date=person.birth_date,
                age_band=person.age_band,
                nationality=person.nationality,
                is_stateless=person.is_stateless,
                age_at_exploitation_start=person.age_at_exploitation_start,
                reference_day=data.received_at,
            )
            if not person.name.strip():
                raise ValidationError({"name": [_("Vul een naam of alias in.")]})
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                errors.setdefault(f"persons.{index}.{key}", []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _apply(signal: Signal, data: SignalInput) -> None:
    signal.source = data.source
    signal.municipality = data.municipality
    signal.received_at = data.received_at
    signal.description = data.description
    signal.labour_sector = data.labour_sector
    signal.criminal_kind = data.criminal_kind


def _sync_children(
    signal: Signal, data: SignalInput, persons: list[PersonInput], places: list[PlaceInput]
) -> None:
    SignalForm.objects.filter(signal=signal).exclude(form__in=data.forms).delete()
    existing = set(SignalForm.objects.filter(signal=signal).values_list("form", flat=True))
    for form in data.forms:
        if form not in existing:
            SignalForm.objects.create(signal=signal, form=form)
    signal.indicators.set(data.indicators)

    current = {sp.person.public_id: sp for sp in signal.involvements.select_related("person")}
    kept: set[UUID] = set()
    for position, item in enumerate(persons):
        involvement = current.get(item.public_id) if item.public_id else None
        if involvement is None:
            person = Person(region_id=signal.region_id)
            involvement = SignalPerson(signal=signal, person=person)
        person = involvement.person
        for name in PERSON_FIELDS:
            setattr(person, name, getattr(item, name))
        person.normalised_name = normalise(person.name)
        person.full_clean()
        person.save()
        involvement.person = person
        involvement.role = item.role
        involvement.age_at_exploitation_start = item.age_at_exploitation_start
        involvement.position = position
        involvement.full_clean()
        involvement.save()
        kept.add(person.public_id)
    for public_id, involvement in current.items():
        if public_id not in kept:
            person = involvement.person
            involvement.delete()
            if not person.involvements.exists():
                person.delete()

    signal.places.all().delete()
    for item in places:
        place = Place(signal=signal, **{name: getattr(item, name) for name in PLACE_FIELDS})
        place.full_clean()
        place.save()

    names = " ".join(p.name for p in persons)
    signal.search_text = normalise(f"{data.description} {names}")
    signal.save(update_fields=["search_text"])


# --- use cases ---------------------------------------------------------------------------


@transaction.atomic
def signal_create(
    *, actor: User, data: SignalInput, persons: list[PersonInput], places: list[PlaceInput]
) -> Signal:
    """A new signal as a draft of the actor's organisation."""
    _require(actor, "signals.add_signal")
    _validate_input(actor, data, persons)
    signal = Signal(
        region_id=actor.organisation.region_id,
        reporting_organisation=actor.organisation,
        reported_by=actor,
        is_acute=data.is_acute,
        status=Status.DRAFT,
    )
    _apply(signal, data)
    _allocate_reference(signal)
    signal.full_clean()
    signal.save()
    _sync_children(signal, data, persons, places)
    event_append(
        signal=signal,
        kind=EventKind.CREATED,
        summary=_("Signaal vastgelegd als concept"),
        actor=actor,
        to_status=Status.DRAFT,
        visible_to_sender=True,
    )
    return signal


@transaction.atomic
def signal_update(
    *,
    signal: Signal,
    actor: User,
    version: int,
    data: SignalInput,
    persons: list[PersonInput],
    places: list[PlaceInput],
) -> Signal:
    """Edit the content: the sender while it is a draft, Veilig Thuis during intake."""
    _require(actor, "signals.change_signal")
    signal = _locked(signal, version)
    if not may_edit_content(signal, actor):
        raise TransitionNotAllowed(
            _("Dit signaal kan niet meer worden gewijzigd: het heeft status '%(status)s'.")
            % {"status": signal.get_status_display()},
            current=signal.status,
        )
    if _is_sender(signal, actor):
        _validate_input(actor, data, persons)
    else:
        # VT completes a signal another organisation sent: the source stays the sender's.
        _validate_input(actor, data, persons, allowed_sources=(signal.source,))
    was_acute = signal.is_acute
    _apply(signal, data)
    signal.is_acute = data.is_acute or was_acute  # acute is withdrawn only by the consultation
    signal.version += 1
    signal.full_clean()
    signal.save()
    _sync_children(signal, data, persons, places)
    event_append(
        signal=signal,
        kind=EventKind.CHANGED,
        summary=_("Gegevens van het signaal gewijzigd"),
        actor=actor,
    )
    if signal.is_acute and not was_acute:
        _acute_marked(signal, actor)
    return signal


@transaction.atomic
def signal_submit(*, signal: Signal, actor: User, version: int) -> Signal:
    """Send a draft to the Veilig Thuis register."""
    _require(actor, "signals.change_signal")
    signal = _locked(signal, version)
    if not _is_sender(signal, actor):
        raise PermissionDenied
    signal_transition(
        signal=signal,
        to=Status.SUBMITTED,
        actor=actor,
        summary=_("Ingediend bij het Veilig Thuis-register"),
    )
    if signal.is_acute:
        _acute_marked(signal, actor)
    return signal


@transaction.atomic
def signal_close_internally(*, signal: Signal, actor: User, version: int, reason: str) -> Signal:
    """The municipality handled the signal in its own route: it stays with the municipality."""
    signal = _locked(signal, version)
    if not may_close_internally(signal, actor):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(
            {"reason": [_("Leg kort vast hoe het signaal intern is afgehandeld.")]}
        )
    signal_transition(
        signal=signal,
        to=Status.HANDLED_INTERNALLY,
        actor=actor,
        summary=_("Intern afgehandeld: %(reason)s") % {"reason": reason.strip()[:250]},
    )
    return signal


@transaction.atomic
def signal_register(
    *, signal: Signal, actor: User, version: int, preliminary_classification: str
) -> Signal:
    """Veilig Thuis takes the signal into the register with a preliminary classification."""
    _require(actor, "signals.register_signal")
    if preliminary_classification not in Classification.values:
        raise ValidationError(
            {"preliminary_classification": [_("Kies een voorlopige classificatie.")]}
        )
    signal = _locked(signal, version)
    check_transition(signal.status, Status.REGISTERED)
    classification_set(
        signal=signal,
        kind=ClassificationRecord.Kind.PRELIMINARY,
        value=preliminary_classification,
        actor=actor,
    )
    signal_transition(
        signal=signal,
        to=Status.REGISTERED,
        actor=actor,
        summary=_("Geregistreerd, voorlopige classificatie: %(c)s")
        % {"c": Classification(preliminary_classification).label},
        visible_to_sender=True,
    )
    return signal


@transaction.atomic
def signal_mark_acute(*, signal: Signal, actor: User, version: int) -> Signal:
    signal = _locked(signal, version)
    if not may_mark_acute(signal, actor):
        raise PermissionDenied
    if signal.is_acute:
        raise TransitionNotAllowed(_("Dit signaal is al als acuut gemeld."), current=signal.status)
    if signal.status not in CAN_BECOME_ACUTE:
        raise TransitionNotAllowed(
            _("Een signaal met status '%(status)s' kan niet meer acuut worden gemeld.")
            % {"status": signal.get_status_display()},
            current=signal.status,
        )
    signal.is_acute = True
    signal.version += 1
    signal.save()
    _acute_marked(signal, actor)
    return signal


def _acute_marked(signal: Signal, actor: User) -> None:
    event_append(
        signal=signal,
        kind=EventKind.ACUTE_MARKED,
        summary=_("Als acuut gemeld"),
        actor=actor,
        visible_to_sender=True,
    )
    if signal.status in IN_REGISTER:
        # Only once it is in the register: a draft is not visible to VT or AVIM yet.
        signal_id, actor_id = signal.pk, actor.pk
        transaction.on_commit(lambda: tasks.send_acute_alert.delay(signal_id, actor_id))


@transaction.atomic
def acute_consultation_record(
    *,
    signal: Signal,
    actor: User,
    version: int,
    consulted_at: datetime,
    organisations: list[Organisation],
    decision: str,
    shelter_needed: bool,
    follow_up: str = "",
) -> AcuteConsultation:
    _require(actor, "signals.record_acute_consultation")
    signal = _locked(signal, version)
    errors: dict[str, list[str]] = {}
    if not signal.is_acute:
        raise TransitionNotAllowed(_("Meld het signaal eerst als acuut."), current=signal.status)
    if consulted_at > timezone.now():
        errors["consulted_at"] = [_("Het overleg kan niet in de toekomst liggen.")]
    elif timezone.localdate(consulted_at) < signal.received_at:
        errors["consulted_at"] = [
            _("Het overleg kan niet vóór de ontvangst van het signaal liggen.")
        ]
    if not organisations:
        errors["organisations"] = [_("Kies met wie is overlegd.")]
    elif any(o.region_id != signal.region_id for o in organisations):
        errors["organisations"] = [_("Kies organisaties uit de regio.")]
    if not decision.strip():
        errors["decision"] = [_("Leg het besluit vast.")]
    if errors:
        raise ValidationError(errors)
    consultation = AcuteConsultation(
        signal=signal,
        consulted_at=consulted_at,
        decision=decision,
        shelter_needed=shelter_needed,
        follow_up=follow_up,
        recorded_by=actor,
    )
    consultation.full_clean()
    consultation.save()
    consultation.consulted_organisations.set(organisations)
    if signal.status != Status.ACUTE:
        signal_transition(
            signal=signal, to=Status.ACUTE, actor=actor, summary=_("Acuut overleg gevoerd")
        )
    else:
        signal.version += 1
        signal.save(update_fields=["version", "updated_at"])
    event_append(
        signal=signal,
        kind=EventKind.ACUTE_CONSULTED,
        summary=_("Acuut overleg vastgelegd"),
        actor=actor,
    )
    return consultation


@transaction.atomic
def note_add(*, signal: Signal, actor: User, text: str) -> Note:
    """A partner adds what it knows ("verrijking")."""
    _require(actor, "signals.add_note")
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.status not in IN_REGISTER:
        raise TransitionNotAllowed(
            _("Verrijking kan pas als het signaal in het register staat."), current=signal.status
        )
    if not text.strip():
        raise ValidationError({"text": [_("Schrijf wat u weet.")]})
    note = Note(signal=signal, author=actor, organisation=actor.organisation, text=text)
    note.full_clean()
    note.save()
    event_append(
        signal=signal,
        kind=EventKind.NOTE,
        summary=_("Verrijking door %(org)s") % {"org": actor.organisation.name},
        actor=actor,
    )
    return note


@transaction.atomic
def attachment_add(*, signal: Signal, actor: User, upload: UploadedFile) -> Attachment:
    _require(actor, "signals.change_signal")
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if not may_edit_content(signal, actor):
        raise TransitionNotAllowed(
            _("Aan dit signaal kunnen geen bijlagen meer worden toegevoegd."), current=signal.status
        )
    content_type = sniff_attachment(upload)  # raises ValidationError with a Dutch message
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        signal=signal,
        original_name=(upload.name or "bijlage")[-200:],
        content_type=content_type,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    attachment.file.save("upload", upload, save=False)
    try:
        attachment.save()
        event_append(
            signal=signal, kind=EventKind.ATTACHMENT, summary=_("Bijlage toegevoegd"), actor=actor
        )
    except Exception:
        # Nothing half-saved: no stored file without its row.
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def person_link(*, person: Person, same_as: Person, actor: User) -> PersonLink:
    """VT records that two person records are the same person (repeat victim)."""
    _require(actor, "signals.view_person_matches")
    if person.pk == same_as.pk:
        raise ValidationError(
            {"same_as": [_("Een persoon kan niet aan zichzelf worden gekoppeld.")]}
        )
    if (
        person.region_id != actor.organisation.region_id
        or same_as.region_id != actor.organisation.region_id
    ):
        raise PermissionDenied
    # "Same person" holds both ways: a link made from the other signal is the same link.
    reverse = PersonLink.objects.filter(person=same_as, same_as=person).first()
    if reverse is not None:
        return reverse
    link, created = PersonLink.objects.get_or_create(
        person=person, same_as=same_as, defaults={"linked_by": actor}
    )
    if created:
        for involvement in person.involvements.select_related("signal"):
            event_append(
                signal=involvement.signal,
                kind=EventKind.PERSON_LINKED,
                summary=_("Persoon gekoppeld aan een eerder signaal"),
                actor=actor,
            )
    return link
