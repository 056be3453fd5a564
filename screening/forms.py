from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from cases.models import LeadKind
from referrals.routes import Route
from signals.models import Classification, ClassificationRecord

ADVICE_CHECKLIST = [
    ("conversation", _("Gesprek met betrokkene")),
    ("information", _("Informatie opvragen bij een partner")),
    ("police_report", _("Melding of aangifte bij de politie bespreken")),
    ("shelter", _("Opvang regelen")),
    ("administrative_check", _("Bestuurlijke controle")),
    ("care", _("Zorg inzetten")),
    ("feedback", _("Terugkoppeling aan de melder")),
]


class _RegionForm(forms.Form):
    """A form whose organisation choices are limited to the meeting's region.

    ``organisation_kinds`` narrows a field to (kinds to include or None, kinds to exclude).
    ``organisations``, the region's organisations read once per request, renders the
    choices without a query per form: meeting pages show one form per agenda item.
    """

    organisation_kinds: dict[str, tuple[frozenset[str] | None, frozenset[str]]] = {}

    def __init__(
        self, *args, region_id: int, organisations: list[Organisation] | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        region = Organisation.objects.filter(region_id=region_id, is_active=True).order_by("name")
        for name, field in self.fields.items():
            if not isinstance(field, forms.ModelChoiceField):
                continue
            include, exclude = self.organisation_kinds.get(name, (None, frozenset()))
            queryset = region.filter(kind__in=include) if include else region
            field.queryset = queryset.exclude(kind__in=exclude) if exclude else queryset
            if organisations is not None:
                blank = [("", field.empty_label)] if field.empty_label is not None else []
                field.widget.choices = blank + [
                    (o.pk, str(o))
                    for o in organisations
                    if (not include or o.kind in include) and o.kind not in exclude
                ]


class ItemAddForm(forms.Form):
    reference = forms.CharField(
        label=_("Kenmerk van het signaal"), max_length=20, help_text=_("Bijvoorbeeld ZL-2026-00042")
    )


class ItemConfigureForm(_RegionForm):
    # The choices the service accepts: presenters from the table, guests who are not a
    # municipality (municipalities hear the outcome; they do not join the table).
    organisation_kinds = {
        "presenter": (
            frozenset(
                {
                    Organisation.Kind.VEILIG_THUIS,
                    Organisation.Kind.POLICE_AVIM,
                    Organisation.Kind.ZVH,
                }
            ),
            frozenset(),
        ),
        "guest_organisation": (None, frozenset({Organisation.Kind.MUNICIPALITY})),
    }

    version = forms.IntegerField(widget=forms.HiddenInput)
    presenter = forms.ModelChoiceField(label=_("Inbrenger"), queryset=Organisation.objects.none())
    guest_organisation = forms.ModelChoiceField(
        label=_("Gast voor dit punt"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— geen gast —"),
    )


class AttendanceForm(_RegionForm):
    organisation = forms.ModelChoiceField(
        label=_("Organisatie"), queryset=Organisation.objects.none()
    )
    present = forms.BooleanField(label=_("Aanwezig"), required=False, initial=True)


class InputForm(forms.Form):
    text = forms.CharField(
        label=_("Wat weet uw organisatie?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
    )


class ClassifyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Soort"), choices=ClassificationRecord.Kind.choices)
    value = forms.ChoiceField(label=_("Classificatie"), choices=Classification.choices)
    reason = forms.CharField(label=_("Toelichting"), required=False, max_length=500)


class DecideForm(_RegionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    weighing = forms.CharField(
        label=_("Weging"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
    )
    advice = forms.CharField(
        label=_("Advies"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=10_000,
    )
    advice_checklist = forms.MultipleChoiceField(
        label=_("Adviespunten"),
        choices=ADVICE_CHECKLIST,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    routes = forms.MultipleChoiceField(
        label=_("Route(s)"),
        choices=Route.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    follow_up_owner = forms.ModelChoiceField(
        label=_("Wie pakt het vervolg op"), queryset=Organisation.objects.none(), required=False
    )
    follow_up_due = forms.DateField(
        label=_("Vervolg uiterlijk"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Toelichting bij de route"), required=False, max_length=5000)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


class AddendumForm(forms.Form):
    text = forms.CharField(
        label=_("Correctie of aanvulling"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=10_000,
    )


class RouteForm(forms.Form):
    """Veilig Thuis hands a waiting decision to an open case of the same person, or a new one."""

    NEW = "new"

    target = forms.ChoiceField(label=_("Doorleiden naar"), widget=forms.RadioSelect)
    lead_organisation = forms.ModelChoiceField(
        label=_("Regiehouder van de nieuwe casus"),
        queryset=Organisation.objects.none(),
        required=False,
    )
    lead_kind = forms.ChoiceField(
        label=_("Soort regiehouder"), choices=LeadKind.choices, required=False
    )

    def __init__(self, *args, region_id: int, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.cases = {str(c.public_id): c for c in cases}
        self.fields["target"].choices = [
            *[
                (
                    key,
                    _("Bestaande casus %(ref)s (regie: %(org)s)")
                    % {"ref": c.reference, "org": c.lead_organisation.name},
                )
                for key, c in self.cases.items()
            ],
            (self.NEW, _("Een nieuwe casus")),
        ]
        self.fields["lead_organisation"].queryset = Organisation.objects.filter(
            region_id=region_id, is_active=True
        ).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("target") == self.NEW and not data.get("lead_organisation"):
            self.add_error("lead_organisation", _("Kies de regiehouder van de nieuwe casus."))
        if data.get("target") == self.NEW and not data.get("lead_kind"):
            self.add_error("lead_kind", _("Kies wie de regie heeft."))
        return data

    @property
    def chosen_case(self):
        return self.cases.get(self.cleaned_data.get("target"))
