from django.urls import path

from . import views

app_name = "screening"

item = "screening/<uuid:public_id>/punten/<uuid:item_id>/"

urlpatterns = [
    path("screening/", views.overview, name="overview"),
    path("screening/<uuid:public_id>/", views.detail, name="detail"),
    path("screening/<uuid:public_id>/agenda.pdf", views.agenda_document, name="agenda_pdf"),
    path("screening/<uuid:public_id>/verslag.pdf", views.minutes_document, name="minutes_pdf"),
    path("screening/<uuid:public_id>/punten/", views.item_add, name="item_add"),
    path("screening/<uuid:public_id>/agenda-sluiten/", views.close_agenda, name="close_agenda"),
    path("screening/<uuid:public_id>/starten/", views.start, name="start"),
    path("screening/<uuid:public_id>/aanwezigheid/", views.attendance, name="attendance"),
    path("screening/<uuid:public_id>/afronden/", views.conclude, name="conclude"),
    path("screening/<uuid:public_id>/addendum/", views.addendum, name="addendum"),
    path(item + "formulieren/", views.item_forms, name="item_forms"),
    path(item + "verwijderen/", views.item_remove, name="item_remove"),
    path(item + "accepteren/", views.item_accept, name="item_accept"),
    path(item + "verplaatsen/", views.item_move, name="item_move"),
    path(item + "instellen/", views.item_configure, name="item_configure"),
    path(item + "inbreng/", views.item_input, name="item_input"),
    path(item + "classificeren/", views.item_classify, name="item_classify"),
    path(item + "besluit/", views.item_decide, name="item_decide"),
    path(item + "doorschuiven/", views.item_carry_over, name="item_carry_over"),
    path(item + "doorleiden/", views.item_route, name="item_route"),
    path(
        "screening/casus/<uuid:public_id>/evaluatie/", views.case_evaluation, name="case_evaluation"
    ),
]
