import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from .models import AuditLogEntry, Organisation, User


class AuditEntryFilter(django_filters.FilterSet):
    actor = django_filters.ModelChoiceFilter(label=_("Gebruiker"), queryset=User.objects.none())
    actor_organisation = django_filters.ModelChoiceFilter(
        label=_("Organisatie"), queryset=Organisation.objects.none()
    )
    content_type = django_filters.ModelChoiceFilter(
        label=_("Soort gegeven"), queryset=ContentType.objects.none()
    )
    object_pk = django_filters.CharFilter(label=_("Id van het gegeven"))
    action = django_filters.ChoiceFilter(label=_("Handeling"), choices=AuditLogEntry.Action.choices)
    date_from = django_filters.DateFilter(
        label=_("Vanaf"),
        field_name="timestamp",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = django_filters.DateFilter(
        label=_("Tot en met"),
        field_name="timestamp",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = AuditLogEntry
        fields: list[str] = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        region_id = user.organisation.region_id
        self.filters["actor"].queryset = User.objects.filter(organisation__region_id=region_id)
        self.filters["actor_organisation"].queryset = Organisation.objects.filter(
            region_id=region_id
        )
        used = AuditLogEntry.objects.values("content_type_id").distinct()
        self.filters["content_type"].queryset = ContentType.objects.filter(pk__in=used)

    def filter_queryset(self, queryset):
        date_from = self.form.cleaned_data.get("date_from")
        date_to = self.form.cleaned_data.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.form.add_error("date_to", _("De einddatum ligt vóór de begindatum."))
            return queryset.none()
        return super().filter_queryset(queryset)
