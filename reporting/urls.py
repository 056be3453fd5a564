"""HTML routes of reporting (namespace "reporting"), under /rapportage/."""

from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("comensha/", views.comensha_page, name="comensha"),
    path("comensha/export/", views.comensha_export, name="comensha_export"),
    path("comensha/slachtoffers/", views.comensha_victims, name="comensha_victims"),
    path("jaarverslag/", views.annual, name="annual"),
    path("jaarverslag/inleiding/", views.annual_introduction, name="annual_introduction"),
    path("jaarverslag/<uuid:public_id>/", views.annual_detail, name="annual_detail"),
    path("jaarverslag/<uuid:public_id>/voortgang/", views.annual_progress, name="annual_progress"),
    path("jaarverslag/<uuid:public_id>/bestand/", views.annual_file, name="annual_file"),
    path("uitvoeringsplan/", views.plan, name="plan"),
    path("uitvoeringsplan/nieuw/", views.plan_create, name="plan_create"),
    path("uitvoeringsplan/<uuid:public_id>/", views.plan_edit, name="plan_edit"),
    path("voorlichting/", views.sessions, name="sessions"),
    path("voorlichting/nieuw/", views.session_create, name="session_create"),
    path("voorlichting/<uuid:public_id>/", views.session_edit, name="session_edit"),
]
