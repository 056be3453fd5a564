"""HTML routes of cases, actions and consent (namespace "cases"), under /casussen/."""

from django.urls import path

from .views import case as views

app_name = "cases"

case = "<uuid:public_id>/"
action = case + "acties/<uuid:action_id>/"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("mijn/", views.my_cases, name="mine"),
    path("acties/", views.my_actions, name="my_actions"),
    path("nieuw/<uuid:signal_id>/", views.case_open, name="open"),
    path(case, views.case_detail, name="detail"),
    path(case + "acties/", views.action_add, name="action_add"),
    path(action + "afronden/", views.action_complete, name="action_complete"),
    path(action + "heropenen/", views.action_reopen, name="action_reopen"),
    path(case + "notities/", views.note_add, name="note_add"),
    path(case + "sluiten/", views.case_close, name="close"),
    path(case + "heropenen/", views.case_reopen, name="reopen"),
    path(case + "regiehouder/", views.lead_change, name="lead_change"),
    path(
        case + "personen/<uuid:person_id>/toestemming/",
        views.consent_record,
        name="consent_record",
    ),
    path(
        case + "toestemmingen/<uuid:consent_id>/intrekken/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
]
