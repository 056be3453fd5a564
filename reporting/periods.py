"""The period and scope of a set of figures, parsed once for the page, the API and the PDF.

A period is a year, a quarter of a year, or a custom range of dates (both ends included).
The scope is the region of the user, optionally narrowed to one municipality; a municipal
officer is always narrowed to its own municipality and asking for another answers 404.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Organisation, Region, User
from accounts.roles import Role

# The register holds nothing older; a year before it is a typing error, not a question.
FIRST_YEAR = 2000
MONTHS_NL = ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
QUARTER_NAMES = {1: "1e kwartaal", 2: "2e kwartaal", 3: "3e kwartaal", 4: "4e kwartaal"}


def nl_date(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


class Kind:
    YEAR = "year"
    QUARTER = "quarter"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included
    kind: str = Kind.CUSTOM
    year: int | None = None
    quarter: int | None = None

    @classmethod
    def for_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31), Kind.YEAR, year)

    @classmethod
    def for_quarter(cls, year: int, quarter: int) -> Period:
        first = date(year, 3 * quarter - 2, 1)
        last = (
            date(year, 12, 31)
            if quarter == 4
            else date(year, 3 * quarter + 1, 1) - timedelta(days=1)
        )
        return cls(first, last, Kind.QUARTER, year, quarter)

    @property
    def label(self) -> str:
        if self.kind == Kind.YEAR:
            return str(self.year)
        if self.kind == Kind.QUARTER:
            return f"{QUARTER_NAMES[self.quarter]} {self.year}"
        return f"{nl_date(self.start)} t/m {nl_date(self.end)}"

    @property
    def start_at(self) -> datetime:
        """The first moment of the period, in the local time zone."""
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self) -> datetime:
        """The first moment after the period (exclusive upper bound)."""
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def months(self) -> list[tuple[int, int]]:
        result, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            result.append((year, month))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return result

    def month_label(self, year: int, month: int) -> str:
        if self.start.year == self.end.year:
            return MONTHS_NL[month - 1]
        return f"{MONTHS_NL[month - 1]} {year}"

    def previous_year(self) -> Period:
        """The same stretch of time one year earlier (the evaluation's comparison)."""

        def shift(day: date) -> date:
            try:
                return day.replace(year=day.year - 1)
            except ValueError:  # 29 February
                return day.replace(year=day.year - 1, day=28)

        if self.kind == Kind.YEAR:
            return Period.for_year(self.year - 1)
        if self.kind == Kind.QUARTER:
            return Period.for_quarter(self.year - 1, self.quarter)
        return Period(shift(self.start), shift(self.end))

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "year": self.year,
            "quarter": self.quarter,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "label": self.label,
        }


def last_year_allowed() -> int:
    return timezone.localdate().year


def last_year() -> int:
    """The default year of an export or annual report: the last complete one."""
    return timezone.localdate().year - 1


def check_year(year: int, field: str = "year") -> None:
    last = last_year_allowed()
    if not FIRST_YEAR <= year <= last:
        raise ValidationError(
            {
                field: [
                    _("Kies een jaar van %(first)s tot en met %(last)s.")
                    % {"first": FIRST_YEAR, "last": last}
                ]
            }
        )


def period_from(
    *,
    year: int | None,
    quarter: int | None = None,
    start: date | None = None,
    end: date | None = None,
) -> Period:
    """The period asked for, or a ValidationError with a Dutch message per field.

    A start or end date asks for a custom period (both needed, end not before start); else a
    quarter of the year; else the year; nothing at all is the current year.
    """
    if start is not None or end is not None:
        errors: dict[str, list[str]] = {}
        if start is None:
            errors["start"] = [_("Vul ook de begindatum in.")]
        if end is None:
            errors["end"] = [_("Vul ook de einddatum in.")]
        if errors:
            raise ValidationError(errors)
        if end < start:
            raise ValidationError({"end": [_("De einddatum ligt voor de begindatum.")]})
        check_year(start.year, "start")
        check_year(end.year, "end")
        return Period(start, end)
    if year is None:
        if quarter is not None:
            raise ValidationError({"year": [_("Kies bij een kwartaal ook het jaar.")]})
        year = last_year_allowed()
    check_year(year)
    if quarter is not None:
        if quarter not in (1, 2, 3, 4):
            raise ValidationError({"quarter": [_("Kies kwartaal 1, 2, 3 of 4.")]})
        return Period.for_quarter(year, quarter)
    return Period.for_year(year)


# --- scope ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    region: Region
    municipality: Organisation | None = None

    @property
    def label(self) -> str:
        return self.municipality.name if self.municipality else self.region.name

    @property
    def key(self) -> str:
        return str(self.municipality.public_id) if self.municipality else "region"

    def as_dict(self) -> dict:
        return {
            "region": self.region.name,
            "municipality": (
                {
                    "id": str(self.municipality.public_id),
                    "name": self.municipality.name,
                    "cbs_code": self.municipality.cbs_code,
                }
                if self.municipality
                else None
            ),
        }


def region_municipalities(region: Region) -> list[Organisation]:
    return list(
        Organisation.objects.filter(region=region, kind=Organisation.Kind.MUNICIPALITY).order_by(
            "name"
        )
    )


def scope_for(user: User, municipality: str | None) -> Scope:
    """The scope ``user`` may see, narrowed to ``municipality`` (a public id) if given.

    A municipal officer sees its own municipality only: another one (or one that does not
    exist) answers 404, the same either way. For the region-wide roles a municipality that
    is not one of their region is a Dutch validation error (field ``municipality``).
    """
    region = user.organisation.region
    if user.role == Role.MUNICIPAL_OFFICER:
        own = user.organisation
        if municipality and municipality != str(own.public_id):
            raise Http404
        return Scope(region, own)
    if not municipality:
        return Scope(region)
    try:
        public_id = uuid.UUID(str(municipality))
    except ValueError:
        public_id = None
    found = (
        Organisation.objects.filter(
            region=region, kind=Organisation.Kind.MUNICIPALITY, public_id=public_id
        ).first()
        if public_id
        else None
    )
    if found is None:
        raise ValidationError(
            {"municipality": [_("Onbekende gemeente: kies een gemeente uit de lijst.")]}
        )
    return Scope(region, found)
