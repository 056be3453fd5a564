"""Reporting in the browser: the dashboard, the CoMensha figures, the annual evaluation PDF,
the implementation plan and the awareness sessions.

Thin views: a form parses the filters, ``figures``/``comensha``/``selectors`` read, the
services change. Bad filters answer 400 with the Dutch message on the page; a municipal
officer asking for another municipality answers 404; a report of another region too.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.audit import record_access, record_list
from accounts.models import AuditLogEntry
from accounts.roles import Role
from signals.models import Person

from . import comensha, selectors, services
from .exports import table_response
from .figures import dashboard_figures, sees_exact_counts
from .forms import (
    AnnualReportForm,
    AwarenessSessionForm,
    FiguresFilterForm,
    ImplementationActionForm,
    IntroductionForm,
    YearForm,
)
from .periods import Scope, last_year, region_municipalities

DASHBOARD = "reporting.view_dashboard"
EXPORT = "reporting.export_comensha"
TRACKER = "reporting.view_comensha_tracker"
GENERATE = "reporting.generate_annual_report"
VIEW_PLAN = "reporting.view_implementationaction"
VIEW_SESSIONS = "reporting.view_awarenesssession"
MANAGE_PLAN = "reporting.manage_implementation_plan"

SECTIONS = [
    (
        gettext_lazy("Signalen"),
        [
            "signals_by_month",
            "signals_by_source",
            "signals_by_municipality",
            "signals_by_form",
            "signals_by_sector",
            "signals_by_criminal_kind",
            "classification",
        ],
    ),
    (
        gettext_lazy("Mogelijke slachtoffers"),
        ["persons_age", "persons_gender", "persons_nationality"],
    ),
    (gettext_lazy("Snelheid van de route"), ["route_speed", "acute"]),
    (gettext_lazy("Screeningstafel"), ["screening", "attendance"]),
    (gettext_lazy("Verwijzingen"), ["referrals"]),
    (
        gettext_lazy("Casussen, zorgtrajecten en opvang"),
        ["cases", "case_close_reasons", "trajectories", "trajectory_durations", "shelter"],
    ),
]


def _filter_data(request: HttpRequest) -> dict:
    keys = ("year", "quarter", "start", "end", "municipality")
    data = {k: request.GET.get(k, "") for k in keys if k in request.GET}
    if not any(data.values()):
        data = {"year": str(timezone.localdate().year)}
    return data


# --- the dashboard ----------------------------------------------------------------------------


@login_required
@permission_required(DASHBOARD, raise_exception=True)
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    form = FiguresFilterForm(_filter_data(request), user=request.user)
    context = {
        "form": form,
        "municipalities": region_municipalities(request.user.organisation.region),
        "fixed_municipality": request.user.organisation
        if request.user.role == Role.MUNICIPAL_OFFICER
        else None,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 10, -1)),
    }
    if not form.is_valid():
        return render(request, "reporting/dashboard.html", context, status=400)
    figures = dashboard_figures(
        user=request.user, period=form.period, municipality=form.cleaned_data.get("municipality")
    )
    context.update(
        figures=figures,
        sections=[(str(title), [figures[k] for k in keys]) for title, keys in SECTIONS],
        exact=sees_exact_counts(request.user),
    )
    return render(request, "reporting/dashboard.html", context)


# --- CoMensha ---------------------------------------------------------------------------------


def _year_form(request: HttpRequest) -> YearForm:
    data = request.GET.copy()
    data.setdefault("year", str(last_year()))
    return YearForm(data)


@login_required
@permission_required(EXPORT, raise_exception=True)
@require_GET
def comensha_page(request: HttpRequest) -> HttpResponse:
    form = _year_form(request)
    if not form.is_valid():
        return render(request, "reporting/comensha.html", {"form": form}, status=400)
    year = form.cleaned_data["year"]
    scope = Scope(request.user.organisation.region)
    context = {
        "form": form,
        "year": year,
        "figures": comensha.comensha_figures(scope=scope, year=year),
    }
    if request.user.has_perm(TRACKER):
        pending, reported = comensha.comensha_tracker(scope=scope, year=year)
        context.update(pending=pending, reported=reported)
        record_list(
            model=Person,
            rows=[t.person for t in (*pending, *reported)],
            actor=request.user,
            extra={"purpose": "comensha_tracker"},
        )
    return render(request, "reporting/comensha.html", context)


@login_required
@permission_required(EXPORT, raise_exception=True)
@require_GET
def comensha_export(request: HttpRequest) -> HttpResponse:
    form = _year_form(request)
    if not form.is_valid():
        return render(request, "reporting/comensha.html", {"form": form}, status=400)
    year = form.cleaned_data["year"]
    region = request.user.organisation.region
    figures = comensha.comensha_figures(scope=Scope(region), year=year)
    return table_response(
        form.cleaned_data.get("format") or "csv",
        f"comensha-{region.code}-{year}",
        comensha.EXPORT_HEADER,
        comensha.export_rows(figures),
        notes=[
            _(
                "Aantallen van 1 tot en met 4 staan als <5; een x is weggelaten zodat een totaal "
                "geen kleine cel verraadt (docs/reporting.md)."
            )
        ],
    )


@login_required
@permission_required(TRACKER, raise_exception=True)
@require_GET
def comensha_victims(request: HttpRequest) -> HttpResponse:
    form = _year_form(request)
    if not form.is_valid():
        return render(request, "reporting/comensha.html", {"form": form}, status=400)
    year = form.cleaned_data["year"]
    region = request.user.organisation.region
    persons, rows = comensha.victim_list(scope=Scope(region), year=year)
    record_access(
        kind=AuditLogEntry.AccessKind.EXPORT,
        model=Person,
        object_ids=[p.public_id for p in persons],
        actor=request.user,
        extra={"purpose": "comensha_victim_list", "year": year},
    )
    return table_response(
        form.cleaned_data.get("format") or "csv",
        f"comensha-slachtoffers-{region.code}-{year}",
        comensha.VICTIM_HEADER,
        rows,
    )


# --- the annual evaluation --------------------------------------------------------------------


def _annual_context(request: HttpRequest, year: int, form=None, intro_form=None) -> dict:
    region = request.user.organisation.region
    return {
        "year": year,
        "form": form or AnnualReportForm(initial={"year": year}, user=request.user),
        "intro_form": intro_form
        or IntroductionForm(
            initial={"year": year, "text": services.introduction_text(region, year)}
        ),
        "municipalities": region_municipalities(region),
        "reports": selectors.annual_report_list(user=request.user, year=year),
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 10, -1)),
    }


@login_required
@permission_required(GENERATE, raise_exception=True)
@require_http_methods(["GET", "POST"])
def annual(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = AnnualReportForm(request.POST, user=request.user)
        if not form.is_valid():
            year = form.cleaned_data.get("year") or last_year()
            return render(
                request, "reporting/annual.html", _annual_context(request, year, form), status=400
            )
        report, created = services.annual_report_start(
            actor=request.user, scope=form.cleaned_data["scope"], year=form.cleaned_data["year"]
        )
        if not created:
            messages.info(request, _("Dit jaarverslag wordt al gemaakt; u ziet de lopende poging."))
        return redirect("reporting:annual_detail", public_id=report.public_id)
    form = YearForm({"year": request.GET.get("year") or str(last_year())})
    if not form.is_valid():
        context = _annual_context(request, last_year())
        context["year_errors"] = form.errors.get("year")
        return render(request, "reporting/annual.html", context, status=400)
    return render(
        request, "reporting/annual.html", _annual_context(request, form.cleaned_data["year"])
    )


@login_required
@permission_required(GENERATE, raise_exception=True)
@require_POST
def annual_introduction(request: HttpRequest) -> HttpResponse:
    form = IntroductionForm(request.POST)
    if form.is_valid():
        try:
            services.introduction_save(
                actor=request.user, year=form.cleaned_data["year"], text=form.cleaned_data["text"]
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    if not form.is_valid():
        year = form.cleaned_data.get("year") or last_year()
        return render(
            request,
            "reporting/annual.html",
            _annual_context(request, year, intro_form=form),
            status=400,
        )
    messages.success(
        request, _("De inleiding is opgeslagen; een nieuw jaarverslag neemt haar over.")
    )
    return redirect(f"{reverse('reporting:annual')}?year={form.cleaned_data['year']}")


@login_required
@permission_required(GENERATE, raise_exception=True)
@require_GET
def annual_detail(request: HttpRequest, public_id) -> HttpResponse:
    report = selectors.annual_report_get(user=request.user, public_id=public_id)
    others = selectors.annual_report_list(user=request.user, year=report.year).filter(
        scope_key=report.scope_key
    )
    return render(request, "reporting/annual_detail.html", {"report": report, "others": others})


@login_required
@permission_required(GENERATE, raise_exception=True)
@require_GET
def annual_progress(request: HttpRequest, public_id) -> HttpResponse:
    """The progress partial; htmx asks for it every second until the run is over."""
    report = selectors.annual_report_get(user=request.user, public_id=public_id)
    return render(request, "reporting/_progress.html", {"report": report})


@login_required
@permission_required(GENERATE, raise_exception=True)
@require_GET
def annual_file(request: HttpRequest, public_id) -> HttpResponse:
    report = selectors.annual_report_file_get(user=request.user, public_id=public_id)
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=report.download_name, content_type="application/pdf"
    )
    response["X-Checksum-SHA256"] = report.sha256
    return response


# --- implementation plan and awareness sessions -------------------------------------------------


def _register_form(request, form_class, instance=None):
    data = request.POST if request.method == "POST" else None
    return form_class(data, instance=instance, user=request.user)


def _save(request, form, call) -> bool:
    if not form.is_valid():
        return False
    data = {name: form.cleaned_data[name] for name in form.Meta.fields}
    try:
        call(data)
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
        return False
    return True


@login_required
@permission_required(VIEW_PLAN, raise_exception=True)
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reporting/plan.html",
        {
            "actions": selectors.implementation_actions(user=request.user),
            "today": timezone.localdate(),
        },
    )


@login_required
@permission_required(MANAGE_PLAN, raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    form = _register_form(request, ImplementationActionForm)
    if request.method == "POST" and _save(
        request, form, lambda d: services.implementation_action_create(actor=request.user, data=d)
    ):
        messages.success(request, _("De actie is vastgelegd."))
        return redirect("reporting:plan")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reporting/register_form.html", _form_context(form, "plan"), status=status
    )


@login_required
@permission_required(MANAGE_PLAN, raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, public_id) -> HttpResponse:
    action = selectors.implementation_action_get(user=request.user, public_id=public_id)
    form = _register_form(request, ImplementationActionForm, action)
    if request.method == "POST" and _save(
        request,
        form,
        lambda d: services.implementation_action_update(actor=request.user, action=action, data=d),
    ):
        messages.success(request, _("De actie is bijgewerkt."))
        return redirect("reporting:plan")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reporting/register_form.html", _form_context(form, "plan", action), status=status
    )


@login_required
@permission_required(VIEW_SESSIONS, raise_exception=True)
@require_GET
def sessions(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "reporting/sessions.html",
        {"sessions": selectors.awareness_sessions(user=request.user)},
    )


@login_required
@permission_required(MANAGE_PLAN, raise_exception=True)
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    form = _register_form(request, AwarenessSessionForm)
    if request.method == "POST" and _save(
        request, form, lambda d: services.awareness_session_create(actor=request.user, data=d)
    ):
        messages.success(request, _("De bijeenkomst is vastgelegd."))
        return redirect("reporting:sessions")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "reporting/register_form.html", _form_context(form, "sessions"), status=status
    )


@login_required
@permission_required(MANAGE_PLAN, raise_exception=True)
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, public_id) -> HttpResponse:
    session = selectors.awareness_session_get(user=request.user, public_id=public_id)
    form = _register_form(request, AwarenessSessionForm, session)
    if request.method == "POST" and _save(
        request,
        form,
        lambda d: services.awareness_session_update(actor=request.user, session=session, data=d),
    ):
        messages.success(request, _("De bijeenkomst is bijgewerkt."))
        return redirect("reporting:sessions")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "reporting/register_form.html",
        _form_context(form, "sessions", session),
        status=status,
    )


FORM_TITLES = {
    ("plan", False): gettext_lazy("Nieuwe actie uitvoeringsplan"),
    ("plan", True): gettext_lazy("Actie uitvoeringsplan bewerken"),
    ("sessions", False): gettext_lazy("Nieuwe voorlichting of training"),
    ("sessions", True): gettext_lazy("Voorlichting of training bewerken"),
}


def _form_context(form, kind: str, instance=None) -> dict:
    return {
        "form": form,
        "title": FORM_TITLES[(kind, instance is not None)],
        "back": reverse(f"reporting:{kind}"),
    }
