"""Filters of the privacy officer's audit log page and its CSV export."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .audit import ACTION_LABELS, audited_models
from .models import AuditLogEntry, Organisation, User

# Every select starts empty: a browser otherwise submits its first option as a filter.
ALL = _("— alle —")


class _UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        # The table names actors by username; the full name helps to pick the right one.
        full_name = obj.get_full_name()
        return f"{obj.username} ({full_name})" if full_name else obj.username


class _UserChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _UserChoiceField


class AuditEntryFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("De einddatum ligt vóór de begindatum."))
        return cleaned


def _start_of(day: date) -> datetime:
    """Midnight of ``day`` in the site's time zone: the page shows local dates and times."""
    return timezone.make_aware(datetime.combine(day, time.min))


class AuditEntryFilter(django_filters.FilterSet):
    actor = _UserChoiceFilter(label=_("Gebruiker"), queryset=User.objects.none(), empty_label=ALL)
    actor_organisation = django_filters.ModelChoiceFilter(
        label=_("Organisatie"), queryset=Organisation.objects.none(), empty_label=ALL
    )
    content_type = django_filters.ChoiceFilter(
        label=_("Soort gegeven"), field_name="content_type_id", empty_label=ALL
    )
    object_pk = django_filters.CharFilter(
        label=_("Id van het gegeven"),
        method="filter_object",
        help_text=_("Intern nummer of publieke id (UUID)"),
    )
    action = django_filters.ChoiceFilter(
        label=_("Handeling"), choices=list(ACTION_LABELS.items()), empty_label=ALL
    )
    access_kind = django_filters.ChoiceFilter(
        label=_("Soort inzage"), choices=AuditLogEntry.AccessKind.choices, empty_label=ALL
    )
    # Ranges on the timestamp itself (not ``timestamp__date``), so the index on it is used.
    date_from = django_filters.DateFilter(
        label=_("Vanaf"), method="filter_date_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label=_("Tot en met"),
        method="filter_date_to",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditLogEntry
        fields: list[str] = []
        form = AuditEntryFilterForm

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        region_id = user.organisation.region_id
        self.filters["actor"].queryset = User.objects.filter(
            organisation__region_id=region_id
        ).order_by("username")
        self.filters["actor_organisation"].queryset = Organisation.objects.filter(
            region_id=region_id
        ).order_by("name")
        self.filters["content_type"].extra["choices"] = _object_type_choices()

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # django-filter drops an invalid filter and filters on the rest: the page (and worse,
        # the export) would then show more than was asked for. An invalid form shows nothing.
        if not self.form.is_valid():
            return queryset.none()
        return super().filter_queryset(queryset)

    def filter_object(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """The id as stored, a public id among the rows a list showed, or a public id resolved."""
        value = value.strip()
        match = Q(object_pk=value) | Q(additional_data__object_ids__contains=[value])
        try:
            public_id = uuid.UUID(value)
        except ValueError:
            return queryset.filter(match)
        content_type_id = self.form.cleaned_data.get("content_type")
        for model in audited_models():
            if not _has_public_id(model):
                continue
            content_type = ContentType.objects.get_for_model(model)
            if content_type_id and str(content_type.pk) != content_type_id:
                continue
            pk = model._default_manager.filter(public_id=public_id).values_list("pk", flat=True)
            for found in pk[:1]:
                match |= Q(content_type=content_type, object_pk=str(found))
        return queryset.filter(match)

    def filter_date_from(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(timestamp__gte=_start_of(value))

    def filter_date_to(self, queryset: QuerySet, name: str, value: date) -> QuerySet:
        return queryset.filter(timestamp__lt=_start_of(value + timedelta(days=1)))


def _has_public_id(model) -> bool:
    try:
        model._meta.get_field("public_id")
    except FieldDoesNotExist:
        return False
    return True


def _object_type_choices() -> list[tuple[int, str]]:
    """The audited models and the log itself, by their Dutch name.

    Taken from the registry rather than from the log (a DISTINCT over the whole audit table
    on every page view); content types are cached, so this costs no query after the first.
    """
    models = [*audited_models(), AuditLogEntry]
    content_types = ContentType.objects.get_for_models(*models)
    return sorted(
        ((ct.pk, str(capfirst(model._meta.verbose_name))) for model, ct in content_types.items()),
        key=lambda choice: choice[1].lower(),
    )
