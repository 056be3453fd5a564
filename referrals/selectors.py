"""Who sees which referral, and what the receiving organisation sees of the case.

- Veilig Thuis (staff and officers) sees every referral of its region's cases: it prepares
  and sends them, and answers for receivers without users in the system.
- The lead organisation ("regiehouder") sees the referrals of the cases it leads.
- The receiving organisation sees the referrals sent to it (never a draft). Of the case it
  sees only the fields chosen when the referral was made (``SharedField``), read live from
  the case's signals, and after a decline nothing but the referral itself
  (``referral_shared_view``). It never sees the case page: that is the cases app's selector.
- Everybody else sees none: another organisation's referral answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
    prefetch_related_objects,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from cases.models import CONSENT_OWN_AGE, CaseSignal, Consent, ConsentGiver
from cases.selectors import case as case_selectors
from signals.models import (
    AgeBand,
    EventKind,
    Person,
    PersonRole,
    Place,
    Signal,
    SignalEvent,
    SignalPerson,
)
from signals.selectors import working_days_before
from signals.validation import age_on

from .models import (
    ADMINISTRATIVE_FIELDS,
    EXTERNAL_KINDS,
    UNANSWERED_STATUSES,
    Referral,
    SharedField,
)
from .workflow import SHARING_STATUSES, ReferralStatus

VIEW = "referrals.view_referral"
VT_ROLES = frozenset({Role.VT_STAFF, Role.VT_OFFICER})


def referral_visibility_filter(user: User) -> Q:
    if not user.is_authenticated or not user.is_active or not user.has_perm(VIEW):
        return Q(pk__in=[])
    region = Q(case__region_id=user.organisation.region_id)
    if user.role in VT_ROLES:
        return region
    lead = Q(case__lead_organisation_id=user.organisation_id)
    received = Q(receiving_organisation_id=user.organisation_id) & ~Q(status=ReferralStatus.DRAFT)
    return region & (lead | received)


def referrals_visible_to(user: User) -> QuerySet[Referral]:
    return Referral.objects.filter(referral_visibility_filter(user))


def referral_get(*, user: User, public_id) -> Referral:
    """One referral the user may see, or 404 — the same answer as for one that does not exist."""
    referral = (
        referrals_visible_to(user)
        .select_related(
            "case",
            "case__lead_organisation",
            "receiving_organisation",
            "consent",
            "created_by",
            "sent_by",
            "answered_by",
            "completed_by",
        )
        .filter(public_id=public_id)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


def sees_case(user: User, referral: Referral) -> bool:
    """Veilig Thuis of the region and the lead organisation see the case behind a referral;
    the receiving organisation (unless it also leads the case) sees only what is shared."""
    if user.role in VT_ROLES:
        return user.organisation.region_id == referral.case.region_id
    return user.organisation_id == referral.case.lead_organisation_id


def case_referrals(*, user: User, case) -> QuerySet[Referral]:
    """The referrals of one case, for its page (the caller has already found the case)."""
    return (
        referrals_visible_to(user)
        .filter(case=case)
        .select_related("receiving_organisation")
        .order_by("-created_at", "-pk")
    )


# --- consent ------------------------------------------------------------------------------


def _known_to_be_under(person: Person, age: int, day: date) -> bool:
    if person.birth_date:
        return age_on(person.birth_date, day) < age
    if person.age_band:
        return AgeBand.bounds(person.age_band)[1] < age
    return False


def consent_counts(consent: Consent, person: Person, day: date) -> bool:
    """Valid on ``day``, and given by someone who may: the person from 16, else a parent or guardian."""
    if not consent.is_valid_on(day):
        return False
    if consent.given_by == ConsentGiver.PERSON:
        return not _known_to_be_under(person, CONSENT_OWN_AGE, day)
    return True


def victims_without_consent(case, day: date) -> list[Person]:
    """The case's possible victims without a consent that counts on ``day``."""
    missing = []
    for person in case.persons.order_by("pk"):
        consent = case_selectors.valid_consent(person=person, day=day)
        if consent is None or not consent_counts(consent, person, day):
            missing.append(person)
    return missing


def victims_with_consents(case, day: date) -> list[tuple[Person, list[Consent]]]:
    """Each possible victim of the case with the consents that count on ``day`` (for the form)."""
    persons = list(case.persons.order_by("name", "pk"))
    consents = (
        Consent.objects.filter(person__in=persons, given_on__lte=day)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day))
        .order_by("-given_on", "-pk")
    )
    by_person: dict[int, list[Consent]] = {p.pk: [] for p in persons}
    for consent in consents:
        by_person[consent.person_id].append(consent)
    return [
        (person, [c for c in by_person[person.pk] if consent_counts(c, person, day)])
        for person in persons
    ]


# --- work lists ----------------------------------------------------------------------------


class Tab:
    INBOX = "inbox"  # waiting for my answer
    RUNNING = "running"  # accepted, to complete with feedback
    SENT = "sent"  # Veilig Thuis: drafts and sent, waiting for an answer

    LABELS = {
        INBOX: _("wacht op mijn antwoord"),
        RUNNING: _("lopend"),
        SENT: _("verstuurd door ons"),
    }


def tabs_for(user: User) -> list[str]:
    if not user.has_perm(VIEW):
        return []
    tabs = [Tab.INBOX, Tab.RUNNING]
    if user.has_perm("referrals.send_referral"):
        tabs.append(Tab.SENT)
    return tabs


def _answered_by_me(user: User) -> Q:
    """The referrals the user's organisation answers: sent to it, or — for Veilig Thuis — to a
    receiver of its region without users in the system."""
    if user.role in VT_ROLES:
        return Q(
            receiving_organisation__kind__in=EXTERNAL_KINDS,
            case__region_id=user.organisation.region_id,
        )
    return Q(receiving_organisation_id=user.organisation_id)


def answer_due_before(now: datetime | None = None) -> datetime:
    """Sent before this moment and still unanswered: overdue (working days, local time)."""
    return working_days_before(
        timezone.localtime(now or timezone.now()), settings.REFERRAL_ANSWER_WORKING_DAYS
    )


def _with_overdue(qs: QuerySet[Referral]) -> QuerySet[Referral]:
    return qs.annotate(
        is_overdue=Case(
            When(status=ReferralStatus.SENT, sent_at__lt=answer_due_before(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


# Every list ends its order in the primary key, so that a keyset page (the API) has a unique
# position and an offset page (the browser) a stable one. "Newest first" reads the index on
# ``(created_at DESC, id DESC)`` (the "sent" work list its partial index on drafts and sent
# referrals) from the top or from the cursor, passing over other regions' referrals, and stops
# at a full page instead of counting and sorting every referral of the region.
NEWEST_FIRST = ("-created_at", "-pk")


def referral_list(*, user: User) -> QuerySet[Referral]:
    """Every referral the user may see, newest first: the API's list without a work list."""
    return (
        _with_overdue(referrals_visible_to(user))
        .select_related("receiving_organisation", "case")
        .order_by(*NEWEST_FIRST)
    )


def referral_worklist(*, user: User, tab: str) -> QuerySet[Referral]:
    qs = referrals_visible_to(user)
    if tab == Tab.INBOX:
        qs = qs.filter(_answered_by_me(user), status=ReferralStatus.SENT).order_by("sent_at", "pk")
    elif tab == Tab.RUNNING:
        qs = qs.filter(_answered_by_me(user), status=ReferralStatus.ACCEPTED).order_by(
            "answered_at", "pk"
        )
    elif tab == Tab.SENT and user.has_perm("referrals.send_referral"):
        qs = qs.filter(status__in=UNANSWERED_STATUSES).order_by(*NEWEST_FIRST)
    else:
        return Referral.objects.none()
    # Each row shows the receiver and the case's reference and lead: joins, not queries, so
    # the number of queries does not grow with the page.
    return _with_overdue(qs).select_related(
        "receiving_organisation", "case", "case__lead_organisation"
    )


# --- what the receiver sees ----------------------------------------------------------------


@dataclass
class SharedData:
    """The case as the receiving organisation may see it: only the chosen fields are filled."""

    fields: list[str]
    summary: dict | None = None
    descriptions: list[Signal] | None = None
    victims: list[SignalPerson] | None = None
    offenders: list[SignalPerson] | None = None
    places: list[Place] | None = None
    indicators: list | None = None
    advice: list[SignalEvent] | None = None

    @property
    def person_ids(self) -> list[str]:
        """Whose records were shown (NEN 7513), by pseudonymous id."""
        shown = (self.victims or []) + (self.offenders or [])
        return [str(i.person.public_id) for i in shown]


@dataclass
class ReferralView:
    referral: Referral
    # The viewer sees the case itself (Veilig Thuis, the lead organisation); the shared data
    # is then what the receiver gets to see.
    sees_case: bool
    # None: nothing of the case is shared (a receiver after a decline, or a draft).
    shared: SharedData | None = None
    labels: dict = field(default_factory=lambda: dict(SharedField.choices))


def shared_fields_of(referral: Referral) -> list[str]:
    """The chosen fields, in their fixed order; the administrative route never more than its own."""
    chosen = set(referral.shared_fields or [])
    if referral.is_administrative:
        chosen &= ADMINISTRATIVE_FIELDS
    return [f for f in SharedField.values if f in chosen]


def _persons(signals: list[Signal], role: str) -> list[SignalPerson]:
    seen, result = set(), []
    for signal in signals:
        for involvement in signal.shared_involvements:
            if involvement.role == role and involvement.person_id not in seen:
                seen.add(involvement.person_id)
                result.append(involvement)
    return result


def shared_data(referral: Referral) -> SharedData:
    """Read the chosen fields live from the case's signals, and nothing else.

    Fields that are not chosen are not even loaded. A constant number of queries: one for the
    signals and one per chosen kind of related data.
    """
    chosen = shared_fields_of(referral)
    data = SharedData(fields=chosen)
    if not chosen:
        return data
    links = (
        CaseSignal.objects.filter(case_id=referral.case_id)
        .select_related("signal", "signal__municipality")
        .order_by("added_at", "pk")
    )
    signals = [link.signal for link in links]
    lookups: list = []
    if SharedField.VICTIMS in chosen or SharedField.OFFENDERS in chosen:
        roles = [
            role
            for name, role in (
                (SharedField.VICTIMS, PersonRole.POSSIBLE_VICTIM),
                (SharedField.OFFENDERS, PersonRole.POSSIBLE_OFFENDER),
            )
            if name in chosen
        ]
        lookups.append(
            Prefetch(
                "involvements",
                queryset=SignalPerson.objects.filter(role__in=roles).select_related("person"),
                to_attr="shared_involvements",
            )
        )
    if SharedField.PLACES in chosen:
        lookups.append(Prefetch("places", to_attr="shared_places"))
    if SharedField.INDICATORS in chosen:
        lookups.append(Prefetch("indicators", to_attr="shared_indicators"))
    if SharedField.ADVICE in chosen:
        # The screening table's route decisions are on the signals' timelines (kind "route");
        # the referrals' own status lines are of another kind and never show here.
        lookups.append(
            Prefetch(
                "events",
                queryset=SignalEvent.objects.filter(kind=EventKind.ROUTE).order_by(
                    "created_at", "pk"
                ),
                to_attr="shared_advice",
            )
        )
    if lookups:
        prefetch_related_objects(signals, *lookups)
    case = referral.case
    if SharedField.SUMMARY in chosen:
        data.summary = {
            "case_reference": case.reference,
            "signal_references": [s.reference for s in signals],
            "municipalities": sorted({s.municipality.name for s in signals}),
            "forms": case.form_labels,
            "classification": case.get_classification_display(),
        }
    if SharedField.DESCRIPTION in chosen:
        data.descriptions = signals
    if SharedField.VICTIMS in chosen:
        data.victims = _persons(signals, PersonRole.POSSIBLE_VICTIM)
    if SharedField.OFFENDERS in chosen:
        data.offenders = _persons(signals, PersonRole.POSSIBLE_OFFENDER)
    if SharedField.PLACES in chosen:
        data.places = [place for s in signals for place in s.shared_places]
    if SharedField.INDICATORS in chosen:
        indicators = {i.pk: i for s in signals for i in s.shared_indicators}
        data.indicators = sorted(indicators.values(), key=lambda i: (i.form, i.position, i.pk))
    if SharedField.ADVICE in chosen:
        data.advice = [event for s in signals for event in s.shared_advice]
    return data


def referral_shared_view(referral: Referral, user: User) -> ReferralView:
    """What ``user`` sees of a referral it may see (``referral_get`` found it).

    The receiving organisation sees the referral itself plus only the chosen fields while the
    referral is sent, accepted or completed; after a decline the referral alone. Veilig
    Thuis and the lead organisation see the case anyway: for them the shared data is a
    preview of what the receiver gets.
    """
    if sees_case(user, referral):
        return ReferralView(referral, sees_case=True, shared=shared_data(referral))
    if referral.status not in SHARING_STATUSES:
        return ReferralView(referral, sees_case=False, shared=None)
    return ReferralView(referral, sees_case=False, shared=shared_data(referral))
