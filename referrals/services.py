"""Every change to a referral, one function per step of its life cycle (DESIGN.md, STYLE.md rule 3).

Veilig Thuis prepares a draft (``referral_draft``, also called by the screening table's
hand-off), completes it (``referral_update``: legal basis, what is shared, consent) and sends
it (``referral_send``). The receiving organisation answers (``referral_accept``,
``referral_decline``) and completes an accepted referral with feedback
(``referral_complete``); for a receiver without users in the system (``EXTERNAL_KINDS``)
Veilig Thuis records the answer on its behalf, and the timeline says so. The process director
of a receiving ZVH attaches the integral plan of approach (``referral_attach_plan``).

Each function runs in one transaction: it locks the referral, checks the version the actor
read (``StaleVersion``), the step (``workflow.check_transition``) and the input, then
changes the row, appends to the case's timeline and — for sent, accepted, declined and
completed — to the timeline of the case's first signal, where the municipality that sent it
reads the route's status (never the content: no reason, no feedback).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import bulk_create_logged
from accounts.models import Organisation, User
from accounts.roles import Role
from cases.models import Case, CaseEventKind, CaseSignal, Consent
from cases.selectors import case as case_selectors
from cases.services.case import Timeline, case_event_append, full_clean_loaded
from cases.services.trajectory import trajectory_access_grant
from cases.workflow import CaseStatus
from signals import services as signal_services
from signals.models import EventKind, Signal
from signals.services import StaleVersion

from .files import sniff_plan
from .models import (
    ADMINISTRATIVE_FIELDS,
    EXTERNAL_KINDS,
    REFERRAL_ROUTES,
    ROUTE_RECEIVERS,
    Instrument,
    LegalBasis,
    Referral,
    SharedField,
)
from .routes import Route
from .selectors import consent_counts, referral_visibility_filter, victims_without_consent
from .workflow import ReferralStatus, TransitionNotAllowed, check_transition

SEND = "referrals.send_referral"
ANSWER = "referrals.answer_referral"


def _require(actor: User, permission: str) -> None:
    if not actor.has_perm(permission):
        raise PermissionDenied


def _stale(current: int) -> StaleVersion:
    return StaleVersion(
        current,
        _(
            "Deze verwijzing is intussen door iemand anders gewijzigd. Laad de pagina opnieuw en controleer de gegevens."
        ),
    )


def _locked(referral: Referral, actor: User, version: int | None = None) -> Referral:
    """The referral locked for this transaction, if the actor may see it (404 otherwise)."""
    locked = (
        Referral.objects.select_for_update(of=("self",))
        .filter(referral_visibility_filter(actor), pk=referral.pk)
        .select_related("case", "receiving_organisation")
        .first()
    )
    if locked is None:
        raise Http404
    if version is not None and locked.version != version:
        raise _stale(locked.version)
    return locked


def _save(referral: Referral) -> Referral:
    referral.version += 1
    referral.full_clean()
    referral.save()
    return referral


def first_signal(case: Case) -> Signal | None:
    """The signal the case was opened on: its sender follows the route's status there."""
    link = (
        CaseSignal.objects.filter(case=case)
        .select_related("signal")
        .order_by("added_at", "pk")
        .first()
    )
    return link.signal if link else None


def _status_to_sender(referral: Referral, summary: str, actor: User | None) -> None:
    """The route's status on the first signal's timeline, visible to the sending municipality.

    Of kind "status", not "route": the "route" events are the screening table's decisions,
    which a referral may share as advice; another referral's status must never show there.
    """
    signal = first_signal(referral.case)
    if signal is None:
        return
    signal_services.event_append(
        signal=signal,
        kind=EventKind.STATUS,
        summary=summary,
        actor=actor,
        visible_to_sender=True,
    )


def _route_status(referral: Referral, status_label: str) -> str:
    # Route and status only: the municipality learns where the case went, not why or what.
    return _("Verwijzing naar %(org)s (%(route)s): %(status)s") % {
        "org": referral.receiving_organisation.name,
        "route": referral.get_route_display(),
        "status": status_label,
    }


# --- who may do what ---------------------------------------------------------------------


def is_external(referral: Referral) -> bool:
    return referral.receiving_organisation.kind in EXTERNAL_KINDS


def may_prepare(actor: User, referral: Referral) -> bool:
    """Veilig Thuis of the case's region prepares, edits and sends referrals."""
    return actor.has_perm(SEND) and actor.organisation.region_id == referral.case.region_id


def may_answer(actor: User, referral: Referral) -> bool:
    """Who accepts, declines and completes a referral.

    The receiving organisation's users with ``answer_referral``; at a ZVH receiving a
    weighing-team referral its process director (the process direction is theirs). For a
    receiver without users in the system Veilig Thuis of the region answers on its behalf.
    """
    if is_external(referral):
        return may_prepare(actor, referral)
    if not actor.has_perm(ANSWER):
        return False
    if actor.organisation_id != referral.receiving_organisation_id:
        return False
    if referral.route == Route.ZVH_WEIGHING:
        return actor.role == Role.PROCESS_DIRECTOR
    return True


def may_attach_plan(actor: User, referral: Referral) -> bool:
    """The receiving ZVH's process director writes the integral plan of approach."""
    return (
        actor.role == Role.PROCESS_DIRECTOR
        and actor.has_perm(ANSWER)
        and referral.receiving_organisation.kind == Organisation.Kind.ZVH
        and actor.organisation_id == referral.receiving_organisation_id
    )


# --- Veilig Thuis prepares ------------------------------------------------------------------


def _check_receiver(case: Case, route: str, receiver: Organisation | None) -> None:
    if route not in REFERRAL_ROUTES:
        raise ValidationError({"route": [_("Kies een route waarop kan worden verwezen.")]})
    if receiver is None:
        raise ValidationError({"receiving_organisation": [_("Kies de ontvangende organisatie.")]})
    if receiver.region_id != case.region_id or not receiver.is_active:
        raise ValidationError(
            {"receiving_organisation": [_("Kies een organisatie uit de regio van de casus.")]}
        )
    if receiver.kind not in ROUTE_RECEIVERS[route]:
        raise ValidationError(
            {
                "receiving_organisation": [
                    _("Een %(kind)s kan geen verwijzing op de route '%(route)s' ontvangen.")
                    % {"kind": receiver.get_kind_display().lower(), "route": Route(route).label}
                ]
            }
        )


def _new_draft(
    *, case: Case, route: str, receiving_organisation: Organisation, reason: str, actor: User
) -> Referral:
    return Referral(
        case=case,
        route=route,
        receiving_organisation=receiving_organisation,
        reason=reason.strip(),
        # The administrative route never gets more; elsewhere Veilig Thuis chooses.
        shared_fields=sorted(ADMINISTRATIVE_FIELDS) if route == Route.ADMINISTRATIVE else [],
        status=ReferralStatus.DRAFT,
        created_by=actor,
    )


def _drafted(referral: Referral) -> str:
    return _("Verwijzing voorbereid: %(route)s, naar %(org)s") % {
        "route": referral.get_route_display(),
        "org": referral.receiving_organisation.name,
    }


def _require_open_case(case: Case) -> None:
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("Deze casus is gesloten: heropen hem eerst om te verwijzen."))


@transaction.atomic
def referral_draft(
    *,
    case: Case,
    route: str,
    receiving_organisation: Organisation,
    reason: str,
    actor: User,
) -> Referral:
    """A draft referral of an open case to a route partner of the case's region (Veilig Thuis)."""
    _require(actor, SEND)
    case = case_selectors.case_get(user=actor, public_id=case.public_id)  # 404 if not visible
    case = Case.objects.select_for_update().get(pk=case.pk)
    _require_open_case(case)
    _check_receiver(case, route, receiving_organisation)
    referral = _new_draft(
        case=case,
        route=route,
        receiving_organisation=receiving_organisation,
        reason=reason,
        actor=actor,
    )
    referral.full_clean()
    referral.save()
    case_event_append(
        case=case, kind=CaseEventKind.REFERRAL, summary=_drafted(referral), actor=actor
    )
    return referral


class DraftBatch:
    """Draft referrals for several cases, prepared one by one and saved together.

    The screening table's conclusion hands its decisions over this way. ``add`` builds a draft
    and appends its line to the case's ``timeline`` (which the caller writes); ``save`` checks
    each draft as ``referral_draft`` does — the actor prepares referrals, sees the case, the
    case is open, the receiver takes the route in the case's region — finding and locking all
    the cases in two queries, then inserts the drafts at once with one "created" audit entry
    each (``bulk_create_logged``). Call ``save`` inside the transaction that added them.
    """

    def __init__(self, *, actor: User, timeline: Timeline) -> None:
        self.actor = actor
        self.timeline = timeline
        self._drafts: list[Referral] = []

    def add(
        self, *, case: Case, route: str, receiving_organisation: Organisation, reason: str
    ) -> Referral:
        referral = _new_draft(
            case=case,
            route=route,
            receiving_organisation=receiving_organisation,
            reason=reason,
            actor=self.actor,
        )
        self._drafts.append(referral)
        self.timeline.append(
            case=case, kind=CaseEventKind.REFERRAL, summary=_drafted(referral), actor=self.actor
        )
        return referral

    def save(self) -> list[Referral]:
        drafts, self._drafts = self._drafts, []
        if not drafts:
            return []
        _require(self.actor, SEND)
        ids = {referral.case_id for referral in drafts}
        visible = set(
            case_selectors.cases_visible_to(self.actor)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        locked = Case.objects.select_for_update().in_bulk(ids)
        for referral in drafts:
            if referral.case_id not in visible:
                raise Http404
            case = locked[referral.case_id]
            _require_open_case(case)
            _check_receiver(case, referral.route, referral.receiving_organisation)
            full_clean_loaded(referral, loaded=("case", "receiving_organisation", "created_by"))
        return bulk_create_logged(Referral, drafts)


@dataclass
class ReferralInput:
    """What Veilig Thuis completes on a draft before it is sent."""

    reason: str = ""
    legal_basis: str = ""
    legal_basis_note: str = ""
    shared_fields: list[str] = field(default_factory=list)
    consent: Consent | None = None
    consent_override_reason: str = ""
    via_riec: bool = False
    instruments: list[str] = field(default_factory=list)


def _clean_input(referral: Referral, data: ReferralInput, actor: User) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.legal_basis and data.legal_basis not in LegalBasis.values:
        errors["legal_basis"] = [_("Kies een grondslag uit de lijst.")]
    unknown = [f for f in data.shared_fields if f not in SharedField.values]
    if unknown:
        errors["shared_fields"] = [_("Onbekende gegevens om te delen: %s.") % ", ".join(unknown)]
    elif referral.is_administrative and set(data.shared_fields) - ADMINISTRATIVE_FIELDS:
        errors["shared_fields"] = [_administrative_message()]
    if not referral.is_administrative and (data.via_riec or data.instruments):
        errors["instruments"] = [
            _("RIEC en instrumenten horen alleen bij de route 'Lokale bestuurlijke aanpak'.")
        ]
    elif [i for i in data.instruments if i not in Instrument.values]:
        errors["instruments"] = [_("Kies instrumenten uit de lijst.")]
    if data.consent is not None:
        if data.legal_basis != LegalBasis.CONSENT:
            errors["consent"] = [
                _("Kies alleen een toestemming als de grondslag 'toestemming' is.")
            ]
        elif not referral.case.case_persons.filter(person_id=data.consent.person_id).exists():
            errors["consent"] = [
                _("Kies een toestemming van een mogelijk slachtoffer van deze casus.")
            ]
    override = data.consent_override_reason.strip()
    if override != referral.consent_override_reason and override and actor.role != Role.VT_OFFICER:
        errors["consent_override_reason"] = [
            _(
                "Alleen een aandachtsfunctionaris van Veilig Thuis kan besluiten zonder geldige toestemming te delen."
            )
        ]
    return errors


def _administrative_message() -> str:
    return _(
        "Bij de bestuurlijke aanpak worden alleen het kenmerk en de plaatsen en bedrijven "
        "(met de feiten erover) gedeeld, nooit het dossier van het slachtoffer."
    )


@transaction.atomic
def referral_update(
    *, referral: Referral, actor: User, version: int, data: ReferralInput
) -> Referral:
    """Complete a draft: legal basis, what is shared, consent, and for the administrative route
    whether it goes via the RIEC and which instruments are considered."""
    _require(actor, SEND)
    referral = _locked(referral, actor, version)
    if not may_prepare(actor, referral):
        raise PermissionDenied
    if referral.status != ReferralStatus.DRAFT:
        raise TransitionNotAllowed(
            _("Een verstuurde verwijzing kan niet meer worden gewijzigd (status: %(s)s).")
            % {"s": referral.get_status_display()},
            current=referral.status,
        )
    errors = _clean_input(referral, data, actor)
    if errors:
        raise ValidationError(errors)
    referral.reason = data.reason.strip()
    referral.legal_basis = data.legal_basis
    referral.legal_basis_note = data.legal_basis_note.strip()
    referral.shared_fields = [f for f in SharedField.values if f in set(data.shared_fields)]
    referral.consent = data.consent
    referral.consent_override_reason = data.consent_override_reason.strip()
    referral.via_riec = data.via_riec
    referral.instruments = [i for i in Instrument.values if i in set(data.instruments)]
    _save(referral)
    case_event_append(
        case=referral.case,
        kind=CaseEventKind.REFERRAL,
        summary=_("Concept-verwijzing naar %(org)s bijgewerkt")
        % {"org": referral.receiving_organisation.name},
        actor=actor,
    )
    return referral


def _check_sendable(referral: Referral, actor: User, today: date) -> bool:
    """Raise what stops the referral from going out; True when sent on a VT officer's override."""
    if not referral.legal_basis:
        raise ValidationError(
            {
                "legal_basis": [
                    _(
                        "Een verwijzing zonder grondslag voor het delen kan niet worden verstuurd. Kies de grondslag (toestemming, wettelijke plicht, publieke taak of vitaal belang)."
                    )
                ]
            }
        )
    if not referral.shared_fields:
        raise ValidationError(
            {"shared_fields": [_("Kies welke gegevens de ontvanger te zien krijgt.")]}
        )
    if referral.is_administrative and set(referral.shared_fields) - ADMINISTRATIVE_FIELDS:
        raise ValidationError({"shared_fields": [_administrative_message()]})
    if referral.legal_basis != LegalBasis.CONSENT:
        return False
    if referral.consent is not None and not consent_counts(
        referral.consent, referral.consent.person, today
    ):
        raise ValidationError(
            {"consent": [_("De gekozen toestemming is niet (meer) geldig. Kies een geldige.")]}
        )
    missing = victims_without_consent(referral.case, today)
    if not referral.case.case_persons.exists():
        missing = [None]  # nobody's consent to rely on: the same as none
    if not missing:
        return False
    if actor.role == Role.VT_OFFICER and referral.consent_override_reason:
        return True
    if referral.consent_override_reason:
        message = _(
            "Niet alle mogelijke slachtoffers hebben een geldige toestemming. Alleen een aandachtsfunctionaris van Veilig Thuis kan de verwijzing dan versturen, met een schriftelijke reden."
        )
    else:
        message = _(
            "Niet alle mogelijke slachtoffers van deze casus hebben een geldige toestemming (%(n)s zonder). Vraag toestemming, kies een andere grondslag, of laat een aandachtsfunctionaris van Veilig Thuis met een schriftelijke reden besluiten."
        ) % {"n": len(missing)}
    raise ValidationError({"consent": [message]})


@transaction.atomic
def referral_send(*, referral: Referral, actor: User, version: int) -> Referral:
    """Send a completed draft to the receiving organisation."""
    _require(actor, SEND)
    referral = _locked(referral, actor, version)
    if not may_prepare(actor, referral):
        raise PermissionDenied
    check_transition(referral.status, ReferralStatus.SENT)
    overridden = _check_sendable(referral, actor, timezone.localdate())
    referral.status = ReferralStatus.SENT
    referral.sent_at = timezone.now()
    referral.sent_by = actor
    _save(referral)
    labels = dict(SharedField.choices)
    summary = _(
        "Verwijzing verstuurd naar %(org)s (%(route)s); grondslag: %(basis)s; gedeeld: %(fields)s"
    ) % {
        "org": referral.receiving_organisation.name,
        "route": referral.get_route_display(),
        "basis": referral.get_legal_basis_display().lower(),
        "fields": ", ".join(str(labels[f]).split(" (")[0].lower() for f in referral.shared_fields),
    }
    if overridden:
        summary = _(
            "%(summary)s — zonder geldige toestemming, op besluit van de aandachtsfunctionaris"
        ) % {"summary": summary}
    case_event_append(case=referral.case, kind=CaseEventKind.REFERRAL, summary=summary, actor=actor)
    _status_to_sender(referral, _route_status(referral, _("verstuurd")), actor)
    return referral


# --- the receiving organisation answers --------------------------------------------------


def _on_behalf(referral: Referral, text: str) -> str:
    if not referral.answered_on_behalf:
        return text
    return _("%(text)s (door Veilig Thuis vastgelegd namens %(org)s)") % {
        "text": text,
        "org": referral.receiving_organisation.name,
    }


def _answer(referral: Referral, actor: User, version: int, target: ReferralStatus) -> Referral:
    _require(actor, ANSWER)
    referral = _locked(referral, actor, version)
    if not may_answer(actor, referral):
        raise PermissionDenied
    check_transition(referral.status, target)
    return referral


@transaction.atomic
def referral_accept(
    *, referral: Referral, actor: User, version: int, response: str = ""
) -> Referral:
    """The receiver takes the referral on. At a ZVH's process direction this also opens the
    case's care trajectories to that ZVH (``cases.services.trajectory_access_grant``)."""
    referral = _answer(referral, actor, version, ReferralStatus.ACCEPTED)
    referral.status = ReferralStatus.ACCEPTED
    referral.response = response.strip()
    referral.answered_at = timezone.now()
    referral.answered_by = actor
    referral.answered_on_behalf = is_external(referral)
    _save(referral)
    text = _("Verwijzing geaccepteerd door %(org)s") % {"org": referral.receiving_organisation.name}
    if referral.response:
        text = f"{text}: {referral.response}"
    case_event_append(
        case=referral.case,
        kind=CaseEventKind.REFERRAL,
        summary=_on_behalf(referral, text),
        actor=actor,
    )
    if referral.route == Route.ZVH_WEIGHING and actor.role == Role.PROCESS_DIRECTOR:
        trajectory_access_grant(
            case=referral.case,
            organisation=referral.receiving_organisation,
            reason=_("Verwijzing naar de procesregie geaccepteerd (%(id)s)")
            % {"id": str(referral.public_id)[:8]},
        )
    _status_to_sender(referral, _route_status(referral, _("geaccepteerd")), actor)
    return referral


@transaction.atomic
def referral_decline(*, referral: Referral, actor: User, version: int, reason: str) -> Referral:
    """The receiver declines, with a reason; from then on it sees the referral alone."""
    referral = _answer(referral, actor, version, ReferralStatus.DECLINED)
    if not reason.strip():
        raise ValidationError({"reason": [_("Geef aan waarom de verwijzing wordt afgewezen.")]})
    referral.status = ReferralStatus.DECLINED
    referral.response = reason.strip()
    referral.answered_at = timezone.now()
    referral.answered_by = actor
    referral.answered_on_behalf = is_external(referral)
    _save(referral)
    text = _("Verwijzing afgewezen door %(org)s: %(reason)s") % {
        "org": referral.receiving_organisation.name,
        "reason": referral.response,
    }
    case_event_append(
        case=referral.case,
        kind=CaseEventKind.REFERRAL,
        summary=_on_behalf(referral, text),
        actor=actor,
    )
    _status_to_sender(referral, _route_status(referral, _("afgewezen")), actor)
    return referral


@transaction.atomic
def referral_complete(*, referral: Referral, actor: User, version: int, feedback: str) -> Referral:
    """Complete an accepted referral with feedback ("terugkoppeling") for the case.

    The feedback goes to the case (its timeline and referral panel); the municipality that
    sent the first signal learns only that feedback was received.
    """
    referral = _answer(referral, actor, version, ReferralStatus.COMPLETED)
    if not feedback.strip():
        raise ValidationError(
            {"feedback": [_("Schrijf de terugkoppeling: wat is er met de verwijzing gedaan?")]}
        )
    referral.status = ReferralStatus.COMPLETED
    referral.feedback = feedback.strip()
    referral.completed_at = timezone.now()
    referral.completed_by = actor
    _save(referral)
    text = _("Terugkoppeling van %(org)s: %(feedback)s") % {
        "org": referral.receiving_organisation.name,
        "feedback": referral.feedback,
    }
    case_event_append(
        case=referral.case,
        kind=CaseEventKind.REFERRAL,
        summary=_on_behalf(referral, text),
        actor=actor,
    )
    _status_to_sender(
        referral,
        _("Verwijzing naar %(org)s (%(route)s): afgerond. Terugkoppeling ontvangen")
        % {"org": referral.receiving_organisation.name, "route": referral.get_route_display()},
        actor,
    )
    return referral


# --- the integral plan of approach -------------------------------------------------------

PLAN_STATUSES = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.COMPLETED})


@transaction.atomic
def referral_attach_plan(*, referral: Referral, actor: User, upload: UploadedFile) -> Referral:
    """The receiving ZVH's process director attaches (or replaces) the integral plan."""
    _require(actor, ANSWER)
    referral = _locked(referral, actor)
    if not may_attach_plan(actor, referral):
        raise PermissionDenied
    if referral.status not in PLAN_STATUSES:
        raise TransitionNotAllowed(
            _("Een plan van aanpak kan pas worden toegevoegd als de verwijzing is geaccepteerd."),
            current=referral.status,
        )
    content_type = sniff_plan(upload)  # raises ValidationError with a Dutch message
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    previous = referral.plan.name if referral.plan else ""
    referral.plan.save("plan", upload, save=False)
    referral.plan_name = (upload.name or "plan-van-aanpak")[-200:]
    referral.plan_content_type = content_type
    referral.plan_size = upload.size or 0
    referral.plan_sha256 = digest.hexdigest()
    referral.plan_uploaded_at = timezone.now()
    referral.plan_uploaded_by = actor
    try:
        referral.full_clean()
        referral.save()
        case_event_append(
            case=referral.case,
            kind=CaseEventKind.REFERRAL,
            summary=_("Integraal plan van aanpak toegevoegd door %(org)s")
            % {"org": referral.receiving_organisation.name},
            actor=actor,
        )
    except Exception:
        # Nothing half-saved: no stored file without its row.
        referral.plan.delete(save=False)
        raise
    if previous:
        storage = referral.plan.storage
        # The replaced plan leaves the disk only once the new one is committed.
        transaction.on_commit(lambda: storage.delete(previous))
    return referral
