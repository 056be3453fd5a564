"""What the region reports to CoMensha: the yearly counts, the per-victim list, the tracker.

- **Counts** (every role with ``reporting.export_comensha``, always suppressed): the possible
  victims of a year's signals whose final classification is ``suspected`` or ``actual``,
  each person once, by adult/minor (at registration and at the start of the exploitation),
  gender, nationality group and CoMensha's sector.
- **Per-victim list** (Veilig Thuis): the same persons one per row, without name, birth
  date or reference number; a stable pseudonym per person (``pseudonym``).
- **Tracker** (Veilig Thuis): victims classified ``suspected`` or ``actual`` whose consent is
  recorded (and not withdrawn) but who have not been reported yet, and those reported in the
  year with the date (``cases.Trajectory.reported_to_comensha_on``).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Consent, Trajectory
from signals.models import (
    Classification,
    CriminalKind,
    ExploitationForm,
    Gender,
    Person,
    PersonRole,
    SignalPerson,
)

from .figures.persons import (
    AGE_GROUPS,
    NATIONALITY_GROUPS,
    margin,
    victim_involvements,
    with_person_groups,
)
from .figures.register import counts_table, signal_base
from .periods import Period, Scope
from .stats import figures_snapshot
from .tables import Figures, Table

REPORTED_CLASSIFICATIONS = [Classification.SUSPECTED, Classification.ACTUAL]

SECTORS = [
    ("forced_begging", gettext_lazy("Gedwongen bedelarij")),
    ("forced_criminality", gettext_lazy("Gedwongen criminaliteit")),
    ("regulated_labour", gettext_lazy("Gereguleerde arbeid of dienstverlening")),
    ("sexual_services", gettext_lazy("Seksuele dienstverlening")),
    ("other", gettext_lazy("Overig")),
]
# The register's forms of exploitation in CoMensha's sectors. Criminal exploitation is split
# by its kind: forced begging is a sector of its own
# (docs/decisions/0011-kind-of-criminal-exploitation.md).
FORM_SECTOR = {
    ExploitationForm.SEXUAL: "sexual_services",
    ExploitationForm.LABOUR: "regulated_labour",
    ExploitationForm.CRIMINAL: "forced_criminality",
    ExploitationForm.ORGAN_REMOVAL: "other",
    ExploitationForm.UNKNOWN: "other",
}
CRIMINAL_KIND_SECTOR = {CriminalKind.BEGGING: "forced_begging"}


def sector_of(form: str | None, criminal_kind: str) -> str:
    """CoMensha's sector of one form of a signal (a signal without a form: "other")."""
    if form == ExploitationForm.CRIMINAL and criminal_kind in CRIMINAL_KIND_SECTOR:
        return CRIMINAL_KIND_SECTOR[criminal_kind]
    return FORM_SECTOR.get(form, "other")


def pseudonym(person: Person) -> str:
    """A stable pseudonym: HMAC-SHA256 of the person's public id with a secret key.

    The key is ``COMENSHA_PSEUDONYM_KEY`` when set (keep it when the SECRET_KEY rotates),
    else one derived from the SECRET_KEY. Without the key, the pseudonym cannot be traced
    back to the person; with it, the same person always gets the same pseudonym.
    """
    key = getattr(settings, "COMENSHA_PSEUDONYM_KEY", "")
    message = f"person:{person.public_id}".encode()
    if key:
        digest = hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
    else:
        digest = salted_hmac(
            "reporting.comensha.pseudonym", message, algorithm="sha256"
        ).hexdigest()
    code = digest[:12].upper()
    return f"P-{code[:4]}-{code[4:8]}-{code[8:]}"


def reported_victims(scope: Scope, period: Period) -> QuerySet[SignalPerson]:
    signals = signal_base(scope, period).filter(final_classification__in=REPORTED_CLASSIFICATIONS)
    return victim_involvements(signals)


def _sectors(involvements: QuerySet[SignalPerson]) -> dict[str, set[int]]:
    """Per CoMensha sector the persons in it (a person may be in more than one)."""
    result: dict[str, set[int]] = {key: set() for key, _label in SECTORS}
    for person_id, form, criminal_kind in involvements.values_list(
        "person_id", "signal__exploitation_forms__form", "signal__criminal_kind"
    ):
        result[sector_of(form, criminal_kind)].add(person_id)
    return result


def comensha_tables(scope: Scope, period: Period) -> dict[str, Table]:
    involvements = reported_victims(scope, period)
    rows = list(
        with_person_groups(involvements)
        .order_by()
        .values("age_registration", "age_exploitation", "person__gender", "nationality_group")
        .annotate(n=Count("pk"))
    )
    total = sum(r["n"] for r in rows)
    sectors = {key: len(persons) for key, persons in _sectors(involvements).items()}
    label_total = _("Slachtoffers (vermoedelijk of daadwerkelijk)")
    return {
        "age_registration": counts_table(
            "age_registration",
            _("Leeftijd bij registratie"),
            margin(rows, "age_registration"),
            AGE_GROUPS,
            total_label=label_total,
        ),
        "age_exploitation": counts_table(
            "age_exploitation",
            _("Leeftijd bij begin uitbuiting"),
            margin(rows, "age_exploitation"),
            AGE_GROUPS,
            total_label=label_total,
        ),
        "gender": counts_table(
            "gender",
            _("Gender"),
            margin(rows, "person__gender"),
            list(Gender.choices),
            total_label=label_total,
        ),
        "nationality": counts_table(
            "nationality",
            _("Nationaliteit"),
            margin(rows, "nationality_group"),
            NATIONALITY_GROUPS,
            total_label=label_total,
        ),
        "sector": counts_table(
            "sector",
            _("Sector"),
            sectors,
            SECTORS,
            total=total,
            total_label=label_total,
            note=_("Een slachtoffer kan in meer dan één sector vallen."),
        ),
    }


def comensha_figures(*, scope: Scope, year: int) -> Figures:
    """The yearly counts, suppressed: they leave the system."""
    period = Period.for_year(year)
    with figures_snapshot():
        return Figures(
            period=period,
            scope=scope,
            data_date=timezone.now(),
            tables=comensha_tables(scope, period),
        ).suppressed()


def export_rows(figures: Figures) -> list[list]:
    """One row per count: region, year, breakdown, category, count (as shown)."""
    region, year = figures.scope.region.name, figures.period.year
    rows = []
    for table in figures.tables.values():
        for row in table.all_rows:
            cell = row.cells[0]
            rows.append(
                [
                    region,
                    year,
                    table.title,
                    row.label,
                    cell.shown if cell.shown is not None else cell.display,
                ]
            )
    return rows


EXPORT_HEADER = [
    gettext_lazy("Regio"),
    gettext_lazy("Jaar"),
    gettext_lazy("Indeling"),
    gettext_lazy("Categorie"),
    gettext_lazy("Aantal"),
]


# --- per victim (Veilig Thuis) -------------------------------------------------------------


def _valid_consent(today: date):
    return Consent.objects.filter(person=OuterRef("person_id"), given_on__lte=today).filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today)
    )


def _reported_on():
    return (
        Trajectory.objects.filter(
            person=OuterRef("person_id"), reported_to_comensha_on__isnull=False
        )
        .order_by("reported_to_comensha_on")
        .values("reported_to_comensha_on")[:1]
    )


VICTIM_HEADER = [
    gettext_lazy("Pseudoniem"),
    gettext_lazy("Jaar"),
    gettext_lazy("Classificatie"),
    gettext_lazy("Leeftijd bij registratie"),
    gettext_lazy("Leeftijd bij begin uitbuiting"),
    gettext_lazy("Gender"),
    gettext_lazy("Nationaliteit"),
    gettext_lazy("Sector(en)"),
    gettext_lazy("Toestemming vastgelegd"),
    gettext_lazy("Gemeld aan CoMensha op"),
]


def victim_list(*, scope: Scope, year: int) -> tuple[list[Person], list[list]]:
    """The persons behind the counts of ``year``, one row each, pseudonymised."""
    period = Period.for_year(year)
    today = timezone.localdate()
    involvements = (
        with_person_groups(reported_victims(scope, period))
        .select_related("person", "signal")
        .annotate(
            has_consent=Exists(_valid_consent(today)),
            reported_on=Subquery(_reported_on()),
        )
        .order_by("person__public_id")
    )
    sectors = _sectors(reported_victims(scope, period))
    groups = {
        "age": dict(AGE_GROUPS),
        "nationality": dict(NATIONALITY_GROUPS),
        "gender": dict(Gender.choices),
        "classification": dict(Classification.choices),
        "sector": dict(SECTORS),
    }
    persons, rows = [], []
    for involvement in involvements:
        person = involvement.person
        persons.append(person)
        rows.append(
            [
                pseudonym(person),
                year,
                str(groups["classification"][involvement.signal.final_classification]),
                str(groups["age"][involvement.age_registration]),
                str(groups["age"][involvement.age_exploitation]),
                str(groups["gender"].get(person.gender, person.gender)),
                str(groups["nationality"][involvement.nationality_group]),
                ", ".join(str(label) for key, label in SECTORS if person.pk in sectors[key]),
                _("ja") if involvement.has_consent else _("nee"),
                involvement.reported_on.isoformat() if involvement.reported_on else "",
            ]
        )
    return persons, rows


@dataclass(frozen=True)
class TrackedVictim:
    person: Person
    pseudonym: str
    classification: str
    reference: str
    signal_public_id: str
    consent_on: date
    reported_on: date | None


def comensha_tracker(*, scope: Scope, year: int) -> tuple[list[TrackedVictim], list[TrackedVictim]]:
    """(not yet reported, whatever the year; reported in ``year``) for the region."""
    today = timezone.localdate()
    latest = SignalPerson.objects.filter(
        person=OuterRef("pk"),
        role=PersonRole.POSSIBLE_VICTIM,
        signal__region=scope.region,
        signal__final_classification__in=REPORTED_CLASSIFICATIONS,
    ).order_by("-signal__received_at", "-signal_id")
    consent = (
        Consent.objects.filter(person=OuterRef("pk"), given_on__lte=today)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today))
        .order_by("-given_on")
        .values("given_on")[:1]
    )
    reported = (
        Trajectory.objects.filter(person=OuterRef("pk"), reported_to_comensha_on__isnull=False)
        .order_by("reported_to_comensha_on")
        .values("reported_to_comensha_on")[:1]
    )
    persons = (
        Person.objects.filter(region=scope.region)
        .filter(Exists(latest))
        .annotate(
            consent_on=Subquery(consent),
            reported_on=Subquery(reported),
            reference=Subquery(latest.values("signal__reference")[:1]),
            signal_public_id=Subquery(latest.values("signal__public_id")[:1]),
            classification=Subquery(latest.values("signal__final_classification")[:1]),
        )
        .filter(consent_on__isnull=False)
        .order_by(F("reported_on").asc(nulls_first=True), "consent_on", "pk")
    )
    if scope.municipality is not None:
        persons = persons.filter(Exists(latest.filter(signal__municipality=scope.municipality)))
    labels = dict(Classification.choices)
    pending, done = [], []
    for person in persons:
        tracked = TrackedVictim(
            person=person,
            pseudonym=pseudonym(person),
            classification=str(labels.get(person.classification, "")),
            reference=person.reference,
            signal_public_id=str(person.signal_public_id),
            consent_on=person.consent_on,
            reported_on=person.reported_on,
        )
        if person.reported_on is None:
            pending.append(tracked)
        elif person.reported_on.year == year:
            done.append(tracked)
    return pending, done
