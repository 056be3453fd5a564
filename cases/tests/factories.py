"""Building cases for tests: a screened signal, and a case opened on it through the services."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Organisation, User
from accounts.roles import Role
from cases.models import LEAD_KIND_OF_ORGANISATION, Case, LeadKind
from cases.services import case as case_services
from signals import services as signal_services
from signals.models import Classification, Signal
from signals.tests.factories import registered_signal
from signals.workflow import Status


def screened_signal(
    world,
    *,
    sender: User | None = None,
    classification: str = Classification.SUSPECTED,
    **overrides,
) -> Signal:
    """A signal the screening table has decided on, with a final classification."""
    vt = world.user(Role.VT_STAFF)
    signal = registered_signal(
        sender or world.user(Role.MUNICIPAL_OFFICER), vt, world.municipality, **overrides
    )
    with transaction.atomic():
        locked = Signal.objects.select_for_update().get(pk=signal.pk)
        signal_services.classification_set(
            signal=locked,
            kind="final",
            value=classification,
            actor=world.user(Role.VT_OFFICER),
        )
        return signal_services.signal_transition(signal=locked, to=Status.SCREENED, actor=vt)


def make_case(
    world,
    *,
    lead: Organisation | None = None,
    lead_kind: str | None = None,
    signal: Signal | None = None,
    **signal_overrides,
) -> Case:
    """An open case led by ``lead`` (default: the world's municipality), opened by VT staff."""
    lead = lead or world.municipality
    kind = lead_kind or LEAD_KIND_OF_ORGANISATION.get(lead.kind, LeadKind.PRESENTER)
    return case_services.case_open(
        signal=signal or screened_signal(world, **signal_overrides),
        actor=world.user(Role.VT_STAFF),
        lead_organisation=lead,
        lead_kind=kind,
    )
