"""``/api/v1/reports/``: the dashboard's figures, the CoMensha export and the annual report.

The same form, selectors and services as the pages: a municipal officer gets its own
municipality only (another answers 404), aggregate-only roles get suppressed figures, bad
input answers 400 with the Dutch message per field.
"""

from __future__ import annotations

import re
import uuid

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, status, viewsets
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import comensha, selectors, services
from ..exports import XLSX_TYPE, table_response
from ..figures import dashboard_figures
from ..forms import FiguresFilterForm, YearForm
from ..models import AnnualReport
from ..periods import Scope, last_year, scope_for
from .serializers import (
    AnnualReportSerializer,
    AnnualReportStartSerializer,
    ComenshaQuerySerializer,
    FiguresQuerySerializer,
    FiguresSerializer,
)

DASHBOARD = "reporting.view_dashboard"
EXPORT = "reporting.export_comensha"
GENERATE = "reporting.generate_annual_report"
UUID_PATTERN = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"

BAD_REQUEST = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Invalid filters: Dutch messages per parameter — a value of the wrong shape "
    "or out of range (a year from 2000 up to the current year, a quarter 1–4, ISO dates, the "
    "id of a municipality of your region, csv/xlsx/json), a parameter given twice or empty, "
    "an unknown parameter, a year or quarter together with `start`/`end`, an end before "
    "the start.",
    examples=[
        OpenApiExample(
            "Year out of range", value={"year": ["Kies een jaar van 2000 tot en met 2026."]}
        ),
        OpenApiExample("Period reversed", value={"end": ["De einddatum ligt voor de begindatum."]}),
        OpenApiExample(
            "Unknown municipality",
            value={"municipality": ["Onbekende gemeente: kies een gemeente uit de lijst."]},
        ),
        OpenApiExample("Unknown format", value={"format": ["Kies csv, xlsx of json."]}),
    ],
)
FORBIDDEN = OpenApiResponse(OpenApiTypes.OBJECT, description="Your role may not use this.")
NOT_FOUND = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description="Not visible to you: another region's report, or (for a municipal officer) "
    "another municipality's figures — the same answer as for one that does not exist.",
)


class HasPermission(BasePermission):
    """The model permission a view names in ``required_permission`` (accounts.roles)."""

    message = "U heeft geen toestemming voor deze handeling."

    def has_permission(self, request, view) -> bool:
        return request.user.has_perm(view.required_permission)


def _form_errors(form) -> exceptions.ValidationError:
    return exceptions.ValidationError({k: list(v) for k, v in form.errors.items()})


def _no_empty_parameters(request) -> None:
    """A parameter is given with a value or left out: an empty one is a mistake (the page's
    form sends empty fields; a client of the API does not have to)."""
    empty = {
        k: ["Vul een waarde in of laat de parameter weg."]
        for k, v in request.query_params.items()
        if v == ""
    }
    if empty:
        raise exceptions.ValidationError(empty)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


YEAR = re.compile(r"[0-9]{1,9}")  # the range is checked by the form (periods.check_year)
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
QUERY_RULES = {
    "year": (YEAR.fullmatch, _("Vul een jaartal in, bijvoorbeeld 2025.")),
    "quarter": (lambda v: v in ("1", "2", "3", "4"), _("Kies kwartaal 1, 2, 3 of 4.")),
    "start": (DATE.fullmatch, _("Vul een geldige datum in (JJJJ-MM-DD).")),
    "end": (DATE.fullmatch, _("Vul een geldige datum in (JJJJ-MM-DD).")),
    "municipality": (_is_uuid, _("Onbekende gemeente: kies een gemeente uit de lijst.")),
    "format": (lambda v: v in ("csv", "xlsx", "json"), _("Kies csv, xlsx of json.")),
}


def _check_query(request, allowed: tuple[str, ...]) -> None:
    """Each parameter once, with a value of its documented shape; an unknown one is refused
    (a misspelt filter would otherwise silently answer the whole region or year)."""
    _no_empty_parameters(request)
    errors: dict[str, list[str]] = {}
    for name in request.query_params:
        values = request.query_params.getlist(name)
        if name not in allowed:
            errors[name] = [
                _("Onbekende parameter: gebruik %(names)s.") % {"names": ", ".join(allowed)}
            ]
        elif len(values) > 1:
            errors[name] = [_("Geef deze parameter één keer.")]
        elif not QUERY_RULES[name][0](values[0]):
            errors[name] = [QUERY_RULES[name][1]]
    params = request.query_params
    if (
        not errors
        and ("start" in params or "end" in params)
        and ("year" in params or "quarter" in params)
    ):
        errors["start"] = [_("Kies een jaar (en kwartaal) of een eigen periode, niet beide.")]
    if errors:
        raise exceptions.ValidationError(errors)


class DashboardView(APIView):
    permission_classes = [IsAuthenticated, HasPermission]
    required_permission = DASHBOARD

    @extend_schema(
        tags=["reports"],
        summary="The dashboard's figures for a period and (optionally) a municipality",
        description="The same tables as the dashboard page and the annual PDF. Veilig Thuis "
        "gets exact counts; every other role gets counts from 1 to 4 as `<5` and a second "
        "cell hidden (`x`) where a total would reveal one. A municipal officer gets its own "
        "municipality, whatever it asks.",
        parameters=[FiguresQuerySerializer],
        responses={200: FiguresSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def get(self, request):
        _check_query(request, ("year", "quarter", "start", "end", "municipality"))
        form = FiguresFilterForm(request.query_params, user=request.user)
        if not form.is_valid():
            raise _form_errors(form)
        figures = dashboard_figures(
            user=request.user,
            period=form.period,
            municipality=form.cleaned_data.get("municipality") or None,
        )
        return Response(FiguresSerializer(figures.as_dict()).data)


class JSONOnly(BaseContentNegotiation):
    """The export picks CSV, XLSX or JSON itself (``format`` or Accept); errors are JSON."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


def _export_format(request) -> str:
    requested = request.query_params.get("format", "")
    if requested:
        if requested not in ("csv", "xlsx", "json"):
            raise exceptions.ValidationError({"format": ["Kies csv, xlsx of json."]})
        return requested
    accept = request.headers.get("Accept", "")
    if XLSX_TYPE in accept:
        return "xlsx"
    if "application/json" in accept and "text/csv" not in accept:
        return "json"
    return "csv"


class ComenshaView(APIView):
    permission_classes = [IsAuthenticated, HasPermission]
    required_permission = EXPORT
    renderer_classes = [JSONRenderer]
    content_negotiation_class = JSONOnly

    @extend_schema(
        tags=["reports"],
        summary="The counts for CoMensha of one year of your region (suppressed)",
        description="CSV (default, `;`-separated, UTF-8 with BOM), XLSX or JSON: by the "
        "`format` parameter or the Accept header. Always suppressed: counts from 1 to 4 as "
        "`<5`, a second cell as `x` where a total would reveal one.",
        parameters=[ComenshaQuerySerializer],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, XLSX_TYPE): OpenApiTypes.BINARY,
            (200, "application/json"): FiguresSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
        },
    )
    def get(self, request):
        _check_query(request, ("year", "format"))
        fmt = _export_format(request)
        data = {"year": request.query_params.get("year", str(last_year()))}
        form = YearForm(data)
        if not form.is_valid():
            raise _form_errors(form)
        year = form.cleaned_data["year"]
        region = request.user.organisation.region
        figures = comensha.comensha_figures(scope=Scope(region), year=year)
        if fmt == "json":
            return Response(FiguresSerializer(figures.as_dict()).data)
        return table_response(
            fmt,
            f"comensha-{region.code}-{year}",
            comensha.EXPORT_HEADER,
            comensha.export_rows(figures),
        )


@extend_schema(tags=["reports"])
class AnnualReportViewSet(viewsets.GenericViewSet):
    """Annual evaluation PDFs: start one, follow its progress, download it."""

    lookup_field = "public_id"
    lookup_value_regex = UUID_PATTERN
    permission_classes = [IsAuthenticated, HasPermission]
    required_permission = GENERATE
    parser_classes = [JSONParser]
    serializer_class = AnnualReportSerializer
    http_method_names = ["get", "post", "head"]
    metadata_class = None

    queryset = AnnualReport.objects.none()  # the schema's model; requests use the selector

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return AnnualReport.objects.none()
        return selectors.annual_report_list(user=self.request.user)

    def get_object(self):
        return selectors.annual_report_get(
            user=self.request.user, public_id=self.kwargs["public_id"]
        )

    @extend_schema(
        summary="Start the annual report of a year (the region or one municipality)",
        description="Queues a run and answers 202 with its id. While a run for the same year "
        "and scope is queued or running, that run is answered instead (`created` is then "
        "false in the Location-less answer): nothing is started twice.",
        request=AnnualReportStartSerializer,
        responses={202: AnnualReportSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    def create(self, request):
        serializer = AnnualReportStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        municipality = serializer.validated_data.get("municipality")
        try:
            scope = scope_for(request.user, str(municipality) if municipality else None)
            report, _created = services.annual_report_start(
                actor=request.user, scope=scope, year=serializer.validated_data["year"]
            )
        except DjangoValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None
        report = selectors.annual_report_get(user=request.user, public_id=report.public_id)
        return Response(AnnualReportSerializer(report).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="The annual reports of your region, newest first",
        responses={200: AnnualReportSerializer(many=True), 403: FORBIDDEN},
    )
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(AnnualReportSerializer(page, many=True).data)

    @extend_schema(
        summary="One run: status and progress (0–100)",
        responses={200: AnnualReportSerializer, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def retrieve(self, request, public_id=None):
        return Response(AnnualReportSerializer(self.get_object()).data)

    @extend_schema(
        summary="The PDF of a finished run",
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            403: FORBIDDEN,
            404: OpenApiResponse(
                OpenApiTypes.OBJECT, description="Not visible to you, or not finished (yet)."
            ),
        },
    )
    @action(detail=True, methods=["get"], url_path="file")
    def file(self, request, public_id=None):
        report = selectors.annual_report_file_get(user=request.user, public_id=public_id)
        try:
            handle = report.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=report.download_name,
            content_type="application/pdf",
        )
        response["X-Checksum-SHA256"] = report.sha256
        return response
