"""HTML routes of referrals (namespace "referrals"), under /verwijzingen/."""

from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("ontvangers/", views.receivers, name="receivers"),
    path("casus/<uuid:case_id>/nieuw/", views.referral_create, name="create"),
    path("<uuid:public_id>/", views.referral_detail, name="detail"),
    path("<uuid:public_id>/bewerken/", views.referral_edit, name="edit"),
    path("<uuid:public_id>/versturen/", views.referral_send, name="send"),
    path("<uuid:public_id>/accepteren/", views.referral_accept, name="accept"),
    path("<uuid:public_id>/afwijzen/", views.referral_decline, name="decline"),
    path("<uuid:public_id>/afronden/", views.referral_complete, name="complete"),
    path("<uuid:public_id>/plan/", views.plan_download, name="plan"),
    path("<uuid:public_id>/plan/toevoegen/", views.plan_upload, name="plan_upload"),
]
