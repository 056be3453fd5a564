"""HTML routes of the care coordinator's trajectories (namespace "trajectories"), /trajecten/."""

from django.urls import path  # noqa: F401

app_name = "trajectories"

urlpatterns: list = []
