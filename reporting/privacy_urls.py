"""The privacy officer's pages, mounted at ``privacy/`` (namespace ``privacy``)."""

from django.urls import path

from . import privacy_views as views

app_name = "privacy"

urlpatterns = [
    path("", views.subject_search, name="search"),
    path("export/", views.subject_export, name="export"),
    path("wissen/", views.subject_erase, name="erase"),
    path("anonimiseringen/", views.tombstone_list, name="tombstones"),
    path("anonimiseringen/export.csv", views.tombstone_export, name="tombstones_export"),
]
