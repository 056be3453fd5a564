"""Cases: opening from a route decision, the timeline, actions, notes, closing, consent.

Every change is one function in one transaction: it locks the case (``select_for_update``),
checks who may do it (the ``may_*`` helpers, which the pages also use for their buttons),
checks the version the user read where a user edits the case itself (a stale one raises
``StaleVersion``: 409), validates, saves after ``full_clean`` and appends a ``CaseEvent``.
A step the case's status does not allow raises ``CaseStepNotAllowed`` (409); bad input a
``ValidationError`` keyed by field (400, nothing saved). Opening cases on many signals in one
transaction (the screening table's conclusion) goes through ``CaseOpener``, which reads what
the openings need once and collects the timeline rows in a ``Timeline``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Model
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.audit import bulk_create_logged
from accounts.models import Organisation, Region, User
from signals import services as signal_services
from signals.models import AgeBand, EventKind, Person, PersonRole, Signal, SignalForm, SignalPerson
from signals.services import StaleVersion
from signals.validation import age_on
from signals.workflow import Status as SignalStatus
from signals.workflow import TransitionNotAllowed

from ..models import (
    CONSENT_OWN_AGE,
    Action,
    Case,
    CaseCounter,
    CaseEvent,
    CaseEventKind,
    CaseNote,
    CasePerson,
    CaseSignal,
    CloseReason,
    Consent,
    ConsentGiver,
    LeadKind,
)
from ..selectors.case import case_visibility_filter, is_register
from ..workflow import CaseStatus

# Signals a case can be opened on: decided by the table, or consulted acutely.
OPENABLE_SIGNAL_STATUSES = frozenset(
    {SignalStatus.SCREENED, SignalStatus.ACUTE, SignalStatus.ROUTED}
)


def _require(actor: User, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied


def case_event(*, case: Case, kind: str, summary: str, actor: User | None) -> CaseEvent:
    """A timeline row, not saved yet (``case_event_append`` saves one, ``Timeline`` many)."""
    return CaseEvent(
        case=case,
        kind=kind,
        summary=summary[:300],
        actor=actor,
        actor_organisation=actor.organisation if actor else None,
    )


def case_event_append(*, case: Case, kind: str, summary: str, actor: User | None) -> CaseEvent:
    """Append to a case's timeline. The referrals app calls this for its steps."""
    event = case_event(case=case, kind=kind, summary=summary, actor=actor)
    event.save(force_insert=True)
    return event


class Timeline:
    """Case events collected in order and written with one insert by ``write``.

    For a service that appends many rows in one transaction (the screening table's
    conclusion): the order of appending is the order on the timeline. ``CaseEvent`` is the
    timeline itself, not an audited model, so the bulk insert leaves no change unlogged.
    """

    def __init__(self) -> None:
        self._events: list[CaseEvent] = []

    def append(self, *, case: Case, kind: str, summary: str, actor: User | None) -> None:
        self._events.append(case_event(case=case, kind=kind, summary=summary, actor=actor))

    def write(self) -> list[CaseEvent]:
        events, self._events = self._events, []
        return CaseEvent.objects.bulk_create(events) if events else []


def full_clean_loaded(instance: Model, *, loaded: Iterable[str]) -> None:
    """``full_clean`` of a new row built from rows this transaction holds, without its queries.

    The foreign keys named in ``loaded`` point at objects already read (Django would look each
    up again), and the unique and check constraints stay enforced by PostgreSQL itself (Django
    would ask it once per constraint). Field validation (choices, lengths, blanks) is the same.
    """
    instance.full_clean(exclude=list(loaded), validate_unique=False, validate_constraints=False)


def _locked_counter(region, year: int) -> CaseCounter:
    try:
        with transaction.atomic():
            CaseCounter.objects.get_or_create(region=region, year=year)
    except IntegrityError:
        pass  # a concurrent transaction created it; lock it below
    return CaseCounter.objects.select_for_update().get(region=region, year=year)


def _locked_signal(signal: Signal) -> Signal:
    locked = Signal.objects.select_for_update().filter(pk=signal.pk).first()
    if locked is None:
        raise Http404
    return locked


def _check_openable(signal: Signal) -> None:
    if signal.status not in OPENABLE_SIGNAL_STATUSES:
        raise ValidationError(
            _("Een casus hoort bij een gescreend of acuut besproken signaal (status nu: %(s)s).")
            % {"s": signal.get_status_display()}
        )


class CaseOpener:
    """Opens cases on decided signals and links signals to cases, many in one transaction.

    What the steps need is read once for all the signals given to ``prepare`` (which of them
    the actor sees, their possible victims and forms, their open cases and which victims
    already have an open case), and the region's case counter is locked once. The case rows
    and every change to a case or a signal are saved one by one, so auditlog logs each as
    usual; the links (signal and persons) are inserted together by ``finish``, with one
    "created" entry per row (``bulk_create_logged``), and the timeline rows go to ``timeline``.
    The caller holds the signals locked (``select_for_update``) until the transaction ends and
    calls ``finish`` before it does.
    """

    def __init__(self, *, actor: User, timeline: Timeline) -> None:
        self.actor = actor
        self.timeline = timeline
        self._prepared: set[int] = set()
        self._looked_up: set[int] = set()
        self._visible: set[int] = set()
        self._victims: dict[int, list[int]] = {}
        self._forms: dict[int, list[str]] = {}
        self._open_case: dict[int, Case] = {}
        self._open_case_persons: set[tuple[int, int]] = set()  # (region id, person id)
        self._regions: dict[int, Region] = {}
        self._counters: dict[tuple[int, int], CaseCounter] = {}
        self._links: list[CaseSignal] = []
        self._persons: list[CasePerson] = []

    def prepare(self, signals: Iterable[Signal]) -> None:
        """Read what opening a case needs about these signals, with three queries for all:
        which of them the actor sees, their possible victims and their forms."""
        ids = {s.pk for s in signals} - self._prepared
        if not ids:
            return
        self._prepared |= ids
        self._visible |= set(
            Signal.objects.visible_to(self.actor).filter(pk__in=ids).values_list("pk", flat=True)
        )
        for pk in ids:
            self._victims[pk], self._forms[pk] = [], []
        victims = (
            SignalPerson.objects.filter(signal_id__in=ids, role=PersonRole.POSSIBLE_VICTIM)
            .order_by("signal_id", "position", "pk")
            .values_list("signal_id", "person_id")
        )
        for signal_id, person_id in victims:
            self._victims[signal_id].append(person_id)
        forms = SignalForm.objects.filter(signal_id__in=ids).values_list("signal_id", "form")
        for signal_id, form in forms:
            self._forms[signal_id].append(form)

    def _look_up_open_cases(self) -> None:
        # Only what the hand-off asks (``open_case_of``, ``shares_victims``), for every signal
        # prepared so far at once; opening a case on one signal (``case_open``) needs neither.
        ids = self._prepared - self._looked_up
        if not ids:
            return
        self._looked_up |= ids
        open_cases = (
            Case.objects.filter(case_signals__signal_id__in=ids, status=CaseStatus.OPEN)
            .annotate(linked_signal_id=F("case_signals__signal_id"))
            .order_by("created_at", "pk")
        )
        for case in open_cases:
            self._open_case.setdefault(case.linked_signal_id, case)
        persons = {p for pk in ids for p in self._victims[pk]}
        if persons:
            self._open_case_persons |= set(
                CasePerson.objects.filter(case__status=CaseStatus.OPEN, person_id__in=persons)
                .values_list("case__region_id", "person_id")
                .distinct()
            )

    def open_case_of(self, signal: Signal) -> Case | None:
        """The open case the signal already belongs to, if any (``open_case_of_signal``)."""
        self.prepare([signal])
        self._look_up_open_cases()
        return self._open_case.get(signal.pk)

    def shares_victims(self, signal: Signal) -> bool:
        """Whether an open case of the signal's region holds one of its possible victims
        (``open_cases_sharing_victims``), the cases opened by this opener included."""
        self.prepare([signal])
        self._look_up_open_cases()
        return any(
            (signal.region_id, person_id) in self._open_case_persons
            for person_id in self._victims[signal.pk]
        )

    def check(self, signal: Signal) -> None:
        """The actor opens cases and sees the signal (404 otherwise), and it is decided."""
        _require(self.actor, "cases.open_case")
        self.prepare([signal])
        if signal.pk not in self._visible:
            raise Http404
        _check_openable(signal)

    def open(self, *, signal: Signal, lead_organisation: Organisation, lead_kind: str) -> Case:
        """Open a case on a locked, decided signal (see ``case_open``)."""
        self.check(signal)
        if lead_organisation.region_id != signal.region_id or not lead_organisation.is_active:
            raise ValidationError({"lead_organisation": [_("Kies een organisatie uit de regio.")]})
        if lead_kind not in LeadKind.values:
            raise ValidationError({"lead_kind": [_("Kies wie de regie heeft.")]})
        case = Case(
            region_id=signal.region_id,
            reference=self._next_reference(signal.region_id),
            lead_organisation=lead_organisation,
            lead_kind=lead_kind,
            classification=signal.final_classification or signal.preliminary_classification,
            status=CaseStatus.OPEN,
            opened_by=self.actor,
        )
        full_clean_loaded(case, loaded=("region", "lead_organisation", "opened_by"))
        case.save()
        self._link(case, signal, known=set())
        self.timeline.append(
            case=case,
            kind=CaseEventKind.OPENED,
            summary=_("Casus geopend op signaal %(sig)s; regie bij %(org)s")
            % {"sig": signal.reference, "org": lead_organisation.name},
            actor=self.actor,
        )
        return case

    def add(self, *, case: Case, signal: Signal) -> None:
        """Link a locked, decided signal to a locked open case (see ``case_add_signal``)."""
        self.check(signal)
        known = set(case.case_persons.values_list("person_id", flat=True))
        self._link(case, signal, known=known)

    def finish(self) -> None:
        """Write the counters and the links; call it before the transaction ends."""
        for counter in self._counters.values():
            counter.save(update_fields=["last_number"])
        links, self._links = self._links, []
        if links:
            bulk_create_logged(CaseSignal, links)
        persons, self._persons = self._persons, []
        if persons:
            bulk_create_logged(CasePerson, persons)

    def _next_reference(self, region_id: int) -> str:
        region = self._regions.get(region_id)
        if region is None:
            region = self._regions[region_id] = Region.objects.get(pk=region_id)
        year = timezone.localdate().year
        counter = self._counters.get((region_id, year))
        if counter is None:
            counter = self._counters[(region_id, year)] = _locked_counter(region, year)
        counter.last_number += 1
        return f"{region.code.upper()}-CAS-{year}-{counter.last_number:05d}"

    def _link(self, case: Case, signal: Signal, *, known: set[int]) -> None:
        self._links.append(CaseSignal(case=case, signal=signal, added_by=self.actor))
        for person_id in self._victims[signal.pk]:
            if person_id not in known:
                self._persons.append(CasePerson(case=case, person_id=person_id))
            self._open_case_persons.add((case.region_id, person_id))
        self._open_case.setdefault(signal.pk, case)
        forms = sorted(set(case.forms) | set(self._forms[signal.pk]))
        if forms != case.forms:
            case.forms = forms
            case.save(update_fields=["forms", "updated_at"])
        if signal.status in (SignalStatus.SCREENED, SignalStatus.ACUTE):
            signal_services.signal_transition(
                signal=signal,
                to=SignalStatus.ROUTED,
                actor=self.actor,
                summary=_("Doorgeleid: casus %(ref)s") % {"ref": case.reference},
            )


@transaction.atomic
def case_open(
    *,
    signal: Signal,
    actor: User,
    lead_organisation: Organisation,
    lead_kind: str,
) -> Case:
    """Open a case for a decided (or acutely consulted) signal, with its lead organisation."""
    _require(actor, "cases.open_case")
    timeline = Timeline()
    opener = CaseOpener(actor=actor, timeline=timeline)
    case = opener.open(
        signal=_locked_signal(signal), lead_organisation=lead_organisation, lead_kind=lead_kind
    )
    opener.finish()
    timeline.write()
    return case


@transaction.atomic
def case_add_signal(*, case: Case, signal: Signal, actor: User) -> Case:
    """Add a decided signal to an existing open case (e.g. a repeat victim), chosen by VT."""
    _require(actor, "cases.open_case")
    opener = CaseOpener(actor=actor, timeline=Timeline())
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("Deze casus is gesloten; heropen hem eerst."))
    if case.region_id != signal.region_id:
        raise ValidationError(_("Signaal en casus horen bij verschillende regio's."))
    signal = _locked_signal(signal)
    opener.check(signal)
    if CaseSignal.objects.filter(case=case, signal=signal).exists():
        raise ValidationError(_("Dit signaal hoort al bij deze casus."))
    opener.add(case=case, signal=signal)
    opener.finish()
    case.version += 1
    case.save(update_fields=["version", "updated_at"])
    case_event_append(
        case=case,
        kind=CaseEventKind.SIGNAL_ADDED,
        summary=_("Signaal %(sig)s toegevoegd") % {"sig": signal.reference},
        actor=actor,
    )
    return case


# --- who may do what on a case (the views ask these for their buttons; services ask again) ---


class CaseStepNotAllowed(TransitionNotAllowed):
    """A step the case's status does not allow (closing a closed case, completing twice)."""


def _in_region(user: User, case: Case) -> bool:
    return user.is_active and user.organisation.region_id == case.region_id


def may_lead(user: User, case: Case) -> bool:
    """Record actions and notes, close and reopen: the lead organisation and Veilig Thuis."""
    return (
        user.has_perm("cases.lead_case")
        and _in_region(user, case)
        and (is_register(user) or case.lead_organisation_id == user.organisation_id)
    )


def may_change_lead(user: User, case: Case) -> bool:
    return user.has_perm("cases.change_case") and _in_region(user, case) and is_register(user)


def may_change_action(user: User, action: Action) -> bool:
    """Complete or reopen an action: the lead, Veilig Thuis, or the action's owner."""
    case = action.case
    return (
        user.has_perm("cases.change_action")
        and _in_region(user, case)
        and (
            is_register(user)
            or case.lead_organisation_id == user.organisation_id
            or action.owner_organisation_id == user.organisation_id
        )
    )


def may_record_consent(user: User, person: Person) -> bool:
    """Roles that record consent, for a person in a case they can see."""
    if not user.has_perm("cases.add_consent"):
        return False
    visible = Case.objects.filter(case_visibility_filter(user))
    return visible.filter(case_persons__person=person).exists()


# --- helpers -----------------------------------------------------------------------------------


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("lead_organisation").get(pk=case.pk)


def _check_version(case: Case, version: int | None) -> None:
    if version is not None and version != case.version:
        raise StaleVersion(
            case.version,
            _(
                "Deze casus is intussen door iemand anders gewijzigd. Laad de pagina opnieuw en controleer de gegevens."
            ),
        )


def _require_open(case: Case, message: str | None = None) -> None:
    if case.status != CaseStatus.OPEN:
        raise CaseStepNotAllowed(
            message or _("Deze casus is gesloten; heropen hem eerst."),
            current=case.status,
        )


def _bump(case: Case, *fields: str) -> None:
    case.version += 1
    case.full_clean()
    case.save(update_fields=[*fields, "version", "updated_at"])


def _check_organisation(case: Case, organisation: Organisation | None, field: str) -> None:
    if (
        organisation is None
        or organisation.region_id != case.region_id
        or not organisation.is_active
    ):
        raise ValidationError({field: [_("Kies een actieve organisatie uit de regio.")]})


def _first_signal(case: Case) -> Signal | None:
    link = case.case_signals.select_related("signal").order_by("added_at", "pk").first()
    return link.signal if link else None


def _tell_sender(case: Case, summary: str, actor: User) -> None:
    """The municipality that sent the first signal sees the route status on its signal page."""
    signal = _first_signal(case)
    if signal is not None:
        signal_services.event_append(
            signal=signal,
            kind=EventKind.ROUTE,
            summary=summary,
            actor=actor,
            visible_to_sender=True,
        )


# --- the lead organisation ---------------------------------------------------------------------


@transaction.atomic
def case_lead_change(
    *,
    case: Case,
    actor: User,
    version: int,
    lead_organisation: Organisation,
    lead_kind: str,
) -> Case:
    """Veilig Thuis hands the lead ("regie") to another organisation of the region."""
    case = _locked(case)
    if not may_change_lead(actor, case):
        raise PermissionDenied
    _check_version(case, version)
    _require_open(case)
    _check_organisation(case, lead_organisation, "lead_organisation")
    if lead_kind not in LeadKind.values:
        raise ValidationError({"lead_kind": [_("Kies wie de regie heeft.")]})
    if lead_organisation.pk == case.lead_organisation_id and lead_kind == case.lead_kind:
        raise ValidationError({"lead_organisation": [_("Deze organisatie heeft de regie al.")]})
    previous = case.lead_organisation.name
    case.lead_organisation = lead_organisation
    case.lead_kind = lead_kind
    _bump(case, "lead_organisation", "lead_kind")
    case_event_append(
        case=case,
        kind=CaseEventKind.LEAD,
        summary=_("Regie overgedragen van %(old)s aan %(new)s (%(kind)s)")
        % {"old": previous, "new": lead_organisation.name, "kind": LeadKind(lead_kind).label},
        actor=actor,
    )
    return case


# --- actions -----------------------------------------------------------------------------------

# How far ahead an action may be planned: a due date years away is a typing error.
ACTION_MAX_DAYS_AHEAD = 2 * 365


def validate_due_date(due_date: date | None) -> None:
    today = timezone.localdate()
    if due_date is None:
        raise ValidationError({"due_date": [_("Vul de uiterste datum in.")]})
    if due_date < today:
        raise ValidationError({"due_date": [_("De uiterste datum ligt in het verleden.")]})
    if due_date > today + timedelta(days=ACTION_MAX_DAYS_AHEAD):
        raise ValidationError(
            {"due_date": [_("De uiterste datum ligt meer dan twee jaar vooruit.")]}
        )


@transaction.atomic
def action_add(
    *,
    case: Case,
    actor: User,
    description: str,
    owner_organisation: Organisation,
    due_date: date,
) -> Action:
    """The lead (or Veilig Thuis) records what must happen, by whom and when."""
    case = _locked(case)
    if not may_lead(actor, case):
        raise PermissionDenied
    _require_open(case)
    description = (description or "").strip()
    errors: dict[str, list[str]] = {}
    if not description:
        errors["description"] = [_("Beschrijf de actie.")]
    try:
        _check_organisation(case, owner_organisation, "owner_organisation")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        validate_due_date(due_date)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    action = Action(
        case=case,
        description=description,
        owner_organisation=owner_organisation,
        due_date=due_date,
        created_by=actor,
    )
    action.full_clean()
    action.save()
    # The set of open actions is what closing confirms: a new one makes a stale close form.
    _bump(case)
    case_event_append(
        case=case,
        kind=CaseEventKind.ACTION,
        summary=_("Actie voor %(org)s, uiterlijk %(due)s: %(text)s")
        % {
            "org": owner_organisation.name,
            "due": due_date.strftime("%d-%m-%Y"),
            "text": description,
        },
        actor=actor,
    )
    return action


def _locked_action(action: Action) -> tuple[Action, Case]:
    case = _locked(action.case)
    action = Action.objects.select_for_update().get(pk=action.pk)
    action.case = case
    return action, case


@transaction.atomic
def action_complete(*, action: Action, actor: User) -> Action:
    action, case = _locked_action(action)
    if not may_change_action(actor, action):
        raise PermissionDenied
    _require_open(case)
    if action.done_at is not None:
        raise CaseStepNotAllowed(_("Deze actie is al afgerond."), current=case.status)
    action.done_at = timezone.now()
    action.done_by = actor
    action.full_clean()
    action.save(update_fields=["done_at", "done_by", "updated_at"])
    _bump(case)
    case_event_append(
        case=case,
        kind=CaseEventKind.ACTION,
        summary=_("Actie afgerond: %(text)s") % {"text": action.description},
        actor=actor,
    )
    return action


@transaction.atomic
def action_reopen(*, action: Action, actor: User) -> Action:
    action, case = _locked_action(action)
    if not may_change_action(actor, action):
        raise PermissionDenied
    _require_open(case)
    if action.done_at is None:
        raise CaseStepNotAllowed(_("Deze actie staat nog open."), current=case.status)
    action.done_at = None
    action.done_by = None
    action.full_clean()
    action.save(update_fields=["done_at", "done_by", "updated_at"])
    _bump(case)
    case_event_append(
        case=case,
        kind=CaseEventKind.ACTION,
        summary=_("Actie weer geopend: %(text)s") % {"text": action.description},
        actor=actor,
    )
    return action


# --- notes -------------------------------------------------------------------------------------


@transaction.atomic
def case_note_add(*, case: Case, actor: User, text: str) -> CaseNote:
    """A note of the lead or Veilig Thuis. Appends, overwrites nothing: no version needed."""
    case = _locked(case)
    if not may_lead(actor, case):
        raise PermissionDenied
    _require_open(case)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Schrijf een notitie.")]})
    note = CaseNote(case=case, author=actor, organisation=actor.organisation, text=text)
    note.full_clean()
    note.save()
    case_event_append(
        case=case,
        kind=CaseEventKind.NOTE,
        summary=_("Notitie van %(org)s") % {"org": actor.organisation.name},
        actor=actor,
    )
    return note


# --- closing and reopening ---------------------------------------------------------------------

CLOSE_NOTE_MAX_LENGTH = 2000
REOPEN_REASON_MAX_LENGTH = 250


@transaction.atomic
def case_close(
    *,
    case: Case,
    actor: User,
    version: int,
    reason: str,
    note: str = "",
    confirm_open_actions: bool = False,
) -> Case:
    """Close with a reason. Open actions stay as they are, but only when the actor confirms."""
    case = _locked(case)
    if not may_lead(actor, case):
        raise PermissionDenied
    _check_version(case, version)
    _require_open(case, _("Deze casus is al gesloten."))
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if reason not in CloseReason.values:
        errors["reason"] = [_("Kies de reden van sluiten.")]
    elif reason == CloseReason.OTHER and not note:
        errors["note"] = [_("Licht toe waarom de casus wordt gesloten.")]
    if len(note) > CLOSE_NOTE_MAX_LENGTH:
        errors["note"] = [_("De toelichting is te lang: maximaal 2.000 tekens.")]
    open_actions = case.actions.filter(done_at__isnull=True).count()
    if open_actions and not confirm_open_actions:
        errors["confirm_open_actions"] = [
            ngettext(
                "Er staat nog %(n)d open actie. Bevestig dat u de casus toch wilt sluiten.",
                "Er staan nog %(n)d open acties. Bevestig dat u de casus toch wilt sluiten.",
                open_actions,
            )
            % {"n": open_actions}
        ]
    if errors:
        raise ValidationError(errors)
    case.status = CaseStatus.CLOSED
    case.close_reason = reason
    case.close_note = note
    case.closed_at = timezone.now()
    _bump(case, "status", "close_reason", "close_note", "closed_at")
    label = CloseReason(reason).label
    summary = _("Casus gesloten: %(reason)s") % {"reason": label}
    if open_actions:
        summary += " " + (
            ngettext(
                "(%(n)d actie stond nog open)",
                "(%(n)d acties stonden nog open)",
                open_actions,
            )
            % {"n": open_actions}
        )
    case_event_append(case=case, kind=CaseEventKind.CLOSED, summary=summary, actor=actor)
    _tell_sender(
        case,
        _("Casus gesloten: %(reason)s") % {"reason": label},
        actor,
    )
    return case


@transaction.atomic
def case_reopen(*, case: Case, actor: User, version: int, reason: str) -> Case:
    case = _locked(case)
    if not may_lead(actor, case):
        raise PermissionDenied
    _check_version(case, version)
    if case.status != CaseStatus.CLOSED:
        raise CaseStepNotAllowed(_("Deze casus is al open."), current=case.status)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Geef de reden om de casus te heropenen.")]})
    if len(reason) > REOPEN_REASON_MAX_LENGTH:
        raise ValidationError({"reason": [_("Houd de reden kort: maximaal 250 tekens.")]})
    case.status = CaseStatus.OPEN
    case.close_reason = ""
    case.close_note = ""
    case.closed_at = None
    _bump(case, "status", "close_reason", "close_note", "closed_at")
    case_event_append(
        case=case,
        kind=CaseEventKind.REOPENED,
        summary=_("Casus heropend: %(reason)s") % {"reason": reason},
        actor=actor,
    )
    _tell_sender(case, _("Casus heropend"), actor)
    return case


# --- consent (on the person; a referral on consent needs a valid one) --------------------------

SCOPE_MAX_LENGTH = 500
# A consent recorded long after it was given is a typing error, not a record.
CONSENT_MAX_YEARS_BACK = 10


def _under_own_age(person: Person, day: date) -> bool | None:
    """True under 16 on ``day``, False 16 or older, None when not known for certain."""
    if person.birth_date:
        return age_on(person.birth_date, day) < CONSENT_OWN_AGE
    if person.age_band:
        low, high = AgeBand.bounds(person.age_band)
        if high < CONSENT_OWN_AGE:
            return True
        if low >= CONSENT_OWN_AGE:
            return False
    return None


def _consent_events(actor: User, person: Person, summary: str) -> None:
    cases = Case.objects.filter(case_visibility_filter(actor), case_persons__person=person)
    for case in cases.order_by("pk"):
        case_event_append(case=case, kind=CaseEventKind.NOTE, summary=summary, actor=actor)


@transaction.atomic
def consent_record(
    *,
    person: Person,
    actor: User,
    given_by: str,
    given_on: date,
    scope: str,
) -> Consent:
    """Record a person's consent to share (DOMAIN.md: from 16 the person, below a parent or
    guardian)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not may_record_consent(actor, person):
        raise PermissionDenied
    scope = (scope or "").strip()
    errors: dict[str, list[str]] = {}
    if given_by not in ConsentGiver.values:
        errors["given_by"] = [_("Kies wie de toestemming gaf.")]
    today = timezone.localdate()
    if given_on is None:
        errors["given_on"] = [_("Vul de datum in waarop de toestemming is gegeven.")]
    elif given_on > today:
        errors["given_on"] = [_("De datum van de toestemming ligt in de toekomst.")]
    elif given_on < today - timedelta(days=round(365.25 * CONSENT_MAX_YEARS_BACK)):
        errors["given_on"] = [_("De datum van de toestemming ligt meer dan tien jaar terug.")]
    elif person.birth_date and given_on < person.birth_date:
        errors["given_on"] = [_("De datum van de toestemming ligt voor de geboortedatum.")]
    if not scope:
        errors["scope"] = [_("Beschrijf waarvoor de toestemming geldt.")]
    elif len(scope) > SCOPE_MAX_LENGTH:
        errors["scope"] = [_("Houd het kort: maximaal 500 tekens.")]
    if "given_by" not in errors and "given_on" not in errors:
        under = _under_own_age(person, given_on)
        if given_by == ConsentGiver.PERSON and under is True:
            errors["given_by"] = [
                _(
                    "Deze persoon was op die datum jonger dan 16 jaar: een ouder met gezag of een voogd geeft de toestemming."
                )
            ]
        elif (
            given_by in (ConsentGiver.PARENT, ConsentGiver.GUARDIAN)
            and person.birth_date
            and under is False
        ):
            errors["given_by"] = [
                _(
                    "Deze persoon was op die datum 16 jaar of ouder: alleen de persoon zelf geeft de toestemming."
                )
            ]
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        person=person, given_by=given_by, given_on=given_on, scope=scope, recorded_by=actor
    )
    consent.full_clean()
    consent.save()
    _consent_events(
        actor,
        person,
        _("Toestemming vastgelegd (%(by)s, %(on)s)")
        % {"by": ConsentGiver(given_by).label, "on": given_on.strftime("%d-%m-%Y")},
    )
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, actor: User, withdrawn_on: date) -> Consent:
    consent = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
    if not may_record_consent(actor, consent.person):
        raise PermissionDenied
    if consent.withdrawn_on is not None:
        raise CaseStepNotAllowed(_("Deze toestemming is al ingetrokken."))
    today = timezone.localdate()
    if withdrawn_on is None:
        raise ValidationError({"withdrawn_on": [_("Vul de datum van intrekken in.")]})
    if withdrawn_on > today:
        raise ValidationError({"withdrawn_on": [_("De datum van intrekken ligt in de toekomst.")]})
    if withdrawn_on < consent.given_on:
        raise ValidationError(
            {"withdrawn_on": [_("De toestemming kan niet worden ingetrokken voor ze gegeven is.")]}
        )
    consent.withdrawn_on = withdrawn_on
    consent.full_clean()
    consent.save(update_fields=["withdrawn_on", "updated_at"])
    _consent_events(
        actor,
        consent.person,
        _("Toestemming ingetrokken per %(on)s") % {"on": withdrawn_on.strftime("%d-%m-%Y")},
    )
    return consent
