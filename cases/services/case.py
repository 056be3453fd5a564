"""Cases: opening from a route decision, the timeline, actions, notes, closing, consent.

Every change is one function in one transaction: it locks the case (``select_for_update``),
checks who may do it (the ``may_*`` helpers, which the pages also use for their buttons),
checks the version the user read where a user edits the case itself (a stale one raises
``StaleVersion``: 409), validates, saves after ``full_clean`` and appends a ``CaseEvent``.
A step the case's status does not allow raises ``CaseStepNotAllowed`` (409); bad input a
``ValidationError`` keyed by field (400, nothing saved).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import Organisation, User
from signals import selectors as signal_selectors
from signals import services as signal_services
from signals.models import AgeBand, EventKind, Person, PersonRole, Signal
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


def case_event_append(*, case: Case, kind: str, summary: str, actor: User | None) -> CaseEvent:
    """Append to a case's timeline. The referrals app calls this for its steps."""
    return CaseEvent.objects.create(
        case=case,
        kind=kind,
        summary=summary[:300],
        actor=actor,
        actor_organisation=actor.organisation if actor else None,
    )


def _next_reference(region) -> str:
    year = timezone.localdate().year
    try:
        with transaction.atomic():
            CaseCounter.objects.get_or_create(region=region, year=year)
    except IntegrityError:
        pass  # a concurrent transaction created it; lock it below
    counter = CaseCounter.objects.select_for_update().get(region=region, year=year)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"{region.code.upper()}-CAS-{year}-{counter.last_number:05d}"


def _link_signal(case: Case, signal: Signal, actor: User) -> None:
    CaseSignal.objects.create(case=case, signal=signal, added_by=actor)
    victims = signal.involvements.filter(role=PersonRole.POSSIBLE_VICTIM).values_list(
        "person_id", flat=True
    )
    known = set(case.case_persons.values_list("person_id", flat=True))
    CasePerson.objects.bulk_create(
        [CasePerson(case=case, person_id=pid) for pid in victims if pid not in known]
    )
    forms = sorted(set(case.forms) | set(signal.exploitation_forms.values_list("form", flat=True)))
    if forms != case.forms:
        case.forms = forms
        case.save(update_fields=["forms", "updated_at"])
    if signal.status in (SignalStatus.SCREENED, SignalStatus.ACUTE):
        signal_services.signal_transition(
            signal=signal,
            to=SignalStatus.ROUTED,
            actor=actor,
            summary=_("Doorgeleid: casus %(ref)s") % {"ref": case.reference},
        )


def _lockable_signal(actor: User, signal: Signal) -> Signal:
    # The actor must see the signal (404 otherwise), and it must be decided.
    visible = signal_selectors.signal_get(user=actor, public_id=signal.public_id)
    locked = Signal.objects.select_for_update().get(pk=visible.pk)
    if locked.status not in OPENABLE_SIGNAL_STATUSES:
        raise ValidationError(
            _("Een casus hoort bij een gescreend of acuut besproken signaal (status nu: %(s)s).")
            % {"s": locked.get_status_display()}
        )
    return locked


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
    signal = _lockable_signal(actor, signal)
    if lead_organisation.region_id != signal.region_id or not lead_organisation.is_active:
        raise ValidationError({"lead_organisation": [_("Kies een organisatie uit de regio.")]})
    if lead_kind not in LeadKind.values:
        raise ValidationError({"lead_kind": [_("Kies wie de regie heeft.")]})
    case = Case(
        region_id=signal.region_id,
        reference=_next_reference(signal.region),
        lead_organisation=lead_organisation,
        lead_kind=lead_kind,
        classification=signal.final_classification or signal.preliminary_classification,
        status=CaseStatus.OPEN,
        opened_by=actor,
    )
    case.full_clean()
    case.save()
    _link_signal(case, signal, actor)
    case_event_append(
        case=case,
        kind=CaseEventKind.OPENED,
        summary=_("Casus geopend op signaal %(sig)s; regie bij %(org)s")
        % {"sig": signal.reference, "org": lead_organisation.name},
        actor=actor,
    )
    return case


@transaction.atomic
def case_add_signal(*, case: Case, signal: Signal, actor: User) -> Case:
    """Add a decided signal to an existing open case (e.g. a repeat victim), chosen by VT."""
    _require(actor, "cases.open_case")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("Deze casus is gesloten; heropen hem eerst."))
    if case.region_id != signal.region_id:
        raise ValidationError(_("Signaal en casus horen bij verschillende regio's."))
    signal = _lockable_signal(actor, signal)
    if CaseSignal.objects.filter(case=case, signal=signal).exists():
        raise ValidationError(_("Dit signaal hoort al bij deze casus."))
    _link_signal(case, signal, actor)
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
