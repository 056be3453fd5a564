"""Figures of the persons in the period's signals: the possible victims, each once."""

from __future__ import annotations

from django.db.models import (
    Case,
    CharField,
    Count,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from signals.models import Gender, PersonRole, Signal, SignalPerson

from ..tables import Cell, Row, Table
from .register import ADULT_BANDS, MINOR_BANDS, counts_table


def _date_key(field: str):
    """YYYYMMDD as a number: two keys differ by ≥ 180000 exactly when 18 years lie between."""
    return ExtractYear(field) * 10000 + ExtractMonth(field) * 100 + ExtractDay(field)


def victim_involvements(signals: QuerySet[Signal]) -> QuerySet[SignalPerson]:
    """One involvement per possible victim: a person in two of the period's signals counts
    once, with the first of them (received first)."""
    victims = SignalPerson.objects.filter(signal__in=signals, role=PersonRole.POSSIBLE_VICTIM)
    first = (
        victims.filter(person=OuterRef("person"))
        .order_by("signal__received_at", "signal_id", "pk")
        .values("pk")[:1]
    )
    return victims.filter(pk=Subquery(first))


def with_person_groups(involvements: QuerySet[SignalPerson]) -> QuerySet[SignalPerson]:
    """Annotate the age group at registration and at the start of the exploitation, the
    gender and the nationality group of each involvement."""
    registered_key = Case(
        When(
            signal__registered_at__isnull=False,
            then=_date_key("signal__registered_at"),
        ),
        default=_date_key("signal__received_at"),
        output_field=IntegerField(),
    )
    return involvements.annotate(
        age_gap=registered_key - _date_key("person__birth_date"),
    ).annotate(
        age_registration=Case(
            When(person__birth_date__isnull=False, age_gap__gte=180000, then=Value("adult")),
            When(person__birth_date__isnull=False, then=Value("minor")),
            When(person__age_band__in=MINOR_BANDS, then=Value("minor")),
            When(person__age_band__in=ADULT_BANDS, then=Value("adult")),
            default=Value("unknown"),
            output_field=CharField(),
        ),
        age_exploitation=Case(
            When(age_at_exploitation_start__lt=18, then=Value("minor")),
            When(age_at_exploitation_start__gte=18, then=Value("adult")),
            default=Value("unknown"),
            output_field=CharField(),
        ),
        nationality_group=Case(
            When(person__is_stateless=True, then=Value("stateless")),
            When(person__nationality="NL", then=Value("dutch")),
            When(person__nationality="", then=Value("unknown")),
            default=Value("non_dutch"),
            output_field=CharField(),
        ),
    )


AGE_GROUPS = [
    ("minor", gettext_lazy("Minderjarig")),
    ("adult", gettext_lazy("Meerderjarig")),
    ("unknown", gettext_lazy("Onbekend")),
]
NATIONALITY_GROUPS = [
    ("dutch", gettext_lazy("Nederlands")),
    ("non_dutch", gettext_lazy("Niet-Nederlands")),
    ("stateless", gettext_lazy("Staatloos")),
    ("unknown", gettext_lazy("Onbekend")),
]


def person_groups(involvements: QuerySet[SignalPerson]) -> list[dict]:
    """One GROUP BY over the four groupings; the tables are its margins."""
    return list(
        with_person_groups(involvements)
        .order_by()
        .values("age_registration", "age_exploitation", "person__gender", "nationality_group")
        .annotate(n=Count("pk"))
    )


def margin(rows: list[dict], field: str) -> dict[str, int]:
    result: dict[str, int] = {}
    for row in rows:
        result[row[field]] = result.get(row[field], 0) + row["n"]
    return result


def person_tables(signals: QuerySet[Signal]) -> dict[str, Table]:
    rows = person_groups(victim_involvements(signals))
    total = sum(r["n"] for r in rows)
    at_registration = margin(rows, "age_registration")
    at_start = margin(rows, "age_exploitation")
    label_total = _("Totaal mogelijke slachtoffers")
    return {
        "persons_age": Table(
            key="persons_age",
            title=_("Mogelijke slachtoffers: minderjarig of meerderjarig"),
            columns=[_("Bij registratie"), _("Bij begin uitbuiting")],
            rows=[
                Row(k, str(label), [Cell(at_registration.get(k, 0)), Cell(at_start.get(k, 0))])
                for k, label in AGE_GROUPS
            ],
            total=Row("total", label_total, [Cell(total), Cell(total)]),
            chart="bar",
            chart_columns=(0, 1),
            note=_(
                "Zoals de Nationaal Rapporteur telt: de leeftijd bij registratie en bij het begin "
                "van de uitbuiting. Een persoon telt één keer, bij het eerste signaal in de periode."
            ),
        ),
        "persons_gender": counts_table(
            "persons_gender",
            _("Mogelijke slachtoffers naar gender"),
            margin(rows, "person__gender"),
            list(Gender.choices),
            total_label=label_total,
        ),
        "persons_nationality": counts_table(
            "persons_nationality",
            _("Mogelijke slachtoffers naar nationaliteit"),
            margin(rows, "nationality_group"),
            NATIONALITY_GROUPS,
            total_label=label_total,
        ),
    }
