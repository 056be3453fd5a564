"""HTML routes of cases, actions and consent (namespace "cases"), under /casussen/."""

from django.urls import path  # noqa: F401

app_name = "cases"

urlpatterns: list = []
