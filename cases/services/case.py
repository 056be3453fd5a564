"""Cases: opening from a route decision, the timeline, actions, notes, closing, consent."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, User
from signals import selectors as signal_selectors
from signals import services as signal_services
from signals.models import PersonRole, Signal
from signals.workflow import Status as SignalStatus

from ..models import Case, CaseCounter, CaseEvent, CaseEventKind, CasePerson, CaseSignal, LeadKind
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
