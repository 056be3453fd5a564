"""HTML routes of the care coordinator's trajectories (namespace "trajectories"), /trajecten/."""

from django.urls import path

from .views import trajectory as views

app_name = "trajectories"

trajectory = "<uuid:public_id>/"

urlpatterns = [
    path("", views.trajectory_list, name="list"),
    path("openen/<uuid:case_id>/", views.trajectory_open, name="open"),
    path("capaciteit/", views.capacity_overview, name="capacity"),
    path("capaciteit/instellen/", views.capacity_settings, name="capacity_settings"),
    path(trajectory, views.trajectory_detail, name="detail"),
    path(trajectory + "fase/", views.phase_change, name="phase"),
    path(trajectory + "plaatsingen/", views.placement_add, name="placement_add"),
    path(
        trajectory + "plaatsingen/<uuid:placement_id>/beeindigen/",
        views.placement_end,
        name="placement_end",
    ),
    path(trajectory + "bedenktijd/", views.reflection_period, name="reflection"),
    path(trajectory + "zorgoverleg/", views.care_meeting_add, name="care_meeting"),
    path(trajectory + "comensha/", views.comensha_reported, name="comensha"),
]
