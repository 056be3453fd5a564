"""Shapes of the reporting API. The figures are ``tables.Figures.as_dict()``, passed through
these serializers so that what is sent is what the OpenAPI schema says."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..periods import FIRST_YEAR
from ..workflow import ReportStatus
from . import schema  # noqa: F401 - registers the enum names


class EnumField(serializers.ChoiceField):
    """A choice of fixed strings whose OpenAPI enum has its own name (``schema.py``): the
    generator would otherwise mix it up with other apps' fields named "status" or "kind"."""

    enum_name = ""

    def __init__(self, **kwargs):
        super().__init__(choices=self.values, **kwargs)


class CellKindField(EnumField):
    enum_name = "FigureCellKindEnum"
    values = ["count", "days", "percent", "text"]


class SuppressionField(EnumField):
    enum_name = "FigureSuppressionEnum"
    values = ["", "primary", "secondary", "small_base"]


class PeriodKindField(EnumField):
    enum_name = "FigurePeriodKindEnum"
    values = ["year", "quarter", "custom"]


class ReportStatusField(EnumField):
    enum_name = "AnnualReportStatusEnum"
    values = list(ReportStatus.values)


class CellSerializer(serializers.Serializer):
    value = serializers.JSONField(
        allow_null=True,
        help_text="The number (a count, days or a percentage); null when it is suppressed or "
        "there is none.",
    )
    display = serializers.CharField(
        help_text='As shown: "12", "3,5", "<5" (a count of 1 to 4), "x" (hidden so that a '
        'total does not reveal a small cell) or "–" (nothing, or a statistic over fewer than 5).'
    )
    kind = CellKindField(
        help_text="count: a number of records; days: a duration statistic; percent: a share."
    )
    suppressed = SuppressionField(allow_blank=True)


class RowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    cells = CellSerializer(many=True)


class TableSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = RowSerializer(many=True)
    total = RowSerializer(allow_null=True)
    note = serializers.CharField(allow_blank=True)


class PeriodSerializer(serializers.Serializer):
    kind = PeriodKindField()
    year = serializers.IntegerField(allow_null=True)
    quarter = serializers.IntegerField(allow_null=True)
    start = serializers.DateField()
    end = serializers.DateField()
    label = serializers.CharField()


class MunicipalitySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    cbs_code = serializers.CharField()


class ScopeSerializer(serializers.Serializer):
    region = serializers.CharField()
    municipality = MunicipalitySerializer(allow_null=True)


class FiguresSerializer(serializers.Serializer):
    period = PeriodSerializer()
    scope = ScopeSerializer()
    data_date = serializers.DateTimeField()
    exact = serializers.BooleanField(
        help_text="true for Veilig Thuis (exact counts); false: small cells suppressed."
    )
    tables = serializers.DictField(child=TableSerializer())


class FiguresQuerySerializer(serializers.Serializer):
    """The query parameters of the dashboard (documentation; ``views._check_query`` and the
    form validate: each at most once, no others, a wrong value answers 400)."""

    year = serializers.IntegerField(
        required=False,
        min_value=FIRST_YEAR,
        help_text=f"From {FIRST_YEAR} up to the current year. Default: the current year.",
    )
    quarter = serializers.IntegerField(
        required=False, min_value=1, max_value=4, help_text="With `year`."
    )
    start = serializers.DateField(
        required=False,
        help_text="A custom period (ISO date): with `end`, without `year` and `quarter`.",
    )
    end = serializers.DateField(required=False, help_text="Not before `start`.")
    municipality = serializers.UUIDField(
        required=False,
        help_text="The id of a municipality of your region (a municipal officer: its own).",
    )


class ComenshaQuerySerializer(serializers.Serializer):
    """The query parameters of the CoMensha export (each at most once, no others)."""

    year = serializers.IntegerField(
        required=False,
        min_value=FIRST_YEAR,
        help_text=f"From {FIRST_YEAR} up to the current year. Default: last year.",
    )
    format = serializers.ChoiceField(
        choices=["csv", "xlsx", "json"],
        required=False,
        help_text="Instead of the Accept header. Default: CSV.",
    )


class AnnualReportStartSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    municipality = serializers.UUIDField(
        required=False, allow_null=True, help_text="Leave out for the whole region."
    )


class AnnualReportSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id")
    year = serializers.IntegerField()
    region = serializers.CharField(source="region.name")
    municipality = serializers.SerializerMethodField()
    status = ReportStatusField(help_text="Failed: start again (a new run).")
    progress = serializers.IntegerField(min_value=0, max_value=100)
    pages = serializers.IntegerField(allow_null=True)
    size = serializers.IntegerField(allow_null=True)
    sha256 = serializers.CharField(allow_blank=True)
    data_date = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    file = serializers.SerializerMethodField()

    @extend_schema_field(MunicipalitySerializer(allow_null=True))
    def get_municipality(self, report):
        m = report.municipality
        if m is None:
            return None
        return {"id": str(m.public_id), "name": m.name, "cbs_code": m.cbs_code}

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="Download path."))
    def get_file(self, report):
        if report.status != ReportStatus.DONE:
            return None
        from django.urls import reverse

        return reverse("api:report-annual-file", kwargs={"public_id": report.public_id})
