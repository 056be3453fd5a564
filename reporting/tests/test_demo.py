"""The demo year (``demo_data --figures``): enough to show, once, and off every agenda."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accounts.models import Organisation, Region
from reporting.comensha import comensha_tables
from reporting.demo import load_demo_figures
from reporting.figures import compute_figures
from reporting.periods import Period, Scope
from screening.models import Meeting
from signals.models import Signal


@pytest.mark.django_db
def test_the_demo_year_is_loaded_once_with_figures_for_heerlen():
    call_command("demo_data", "--figures", stdout=io.StringIO())
    region = Region.objects.get()
    year = Signal.objects.values_list("year", flat=True).first()
    before = Signal.objects.count()

    assert load_demo_figures(region=region, year=year) == 0
    assert Signal.objects.count() == before >= 90
    assert not Signal.objects.filter(
        status__in=["draft", "submitted", "registered", "scheduled"]
    ).exists()
    assert not Meeting.objects.exclude(status="concluded").exists()
    heerlen = Organisation.objects.get(name="Gemeente Heerlen")
    figures = compute_figures(scope=Scope(region, heerlen), period=Period.for_year(year))
    assert figures["headline"].value("signals") >= 10
    assert figures["headline"].value("referrals") >= 5


@pytest.mark.django_db
def test_the_demo_year_has_kinds_of_criminal_exploitation_and_a_begging_victim():
    call_command("demo_data", "--figures", stdout=io.StringIO())
    region = Region.objects.get()
    year = Signal.objects.values_list("year", flat=True).first()

    criminal = Signal.objects.filter(exploitation_forms__form="criminal")
    assert not Signal.objects.exclude(criminal_kind="").exclude(pk__in=criminal).exists()
    assert {"drug_running", "money_mule", "begging"} <= set(
        criminal.values_list("criminal_kind", flat=True)
    )
    sectors = comensha_tables(Scope(region), Period.for_year(year))["sector"]
    assert sectors.value("forced_begging") > 0
