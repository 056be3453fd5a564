from django.urls import path

from . import views

app_name = "signals"

signal = "signalen/<uuid:public_id>/"

urlpatterns = [
    path("signalen/", views.signal_list, name="list"),
    path("signalen/nieuw/", views.signal_create, name="create"),
    path("signalen/persoon-rij/", views.form_row, {"prefix": "persons"}, name="person_row"),
    path("signalen/plaats-rij/", views.form_row, {"prefix": "places"}, name="place_row"),
    path(signal, views.signal_detail, name="detail"),
    path(signal + "bewerken/", views.signal_edit, name="edit"),
    path(signal + "indienen/", views.signal_submit, name="submit"),
    path(signal + "intern-afhandelen/", views.signal_close_internally, name="close_internally"),
    path(signal + "registreren/", views.signal_register, name="register"),
    path(signal + "acuut/", views.signal_mark_acute, name="mark_acute"),
    path(signal + "acuut-overleg/", views.acute_consultation, name="acute_consultation"),
    path(signal + "verrijking/", views.note_add, name="add_note"),
    path(signal + "bijlagen/", views.attachment_add, name="add_attachment"),
    path(
        signal + "bijlagen/<uuid:attachment_id>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        signal + "personen/<uuid:person_id>/koppelen/<uuid:other_person_id>/",
        views.person_link,
        name="person_link",
    ),
]
