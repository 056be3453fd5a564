"""Building referrals for tests, through the services, at each step of the life cycle.

The default case is led by the world's *other* municipality, so that the receivers used here
(the world's municipality, AVIM, the ZVH) see a referral only as its receiver, never as the
lead organisation of its case.
"""

from __future__ import annotations

from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Organisation
from accounts.roles import Role
from accounts.tests.factories import OrganisationFactory
from cases.models import Case, Consent, ConsentGiver
from cases.tests.factories import make_case
from referrals import services
from referrals.models import LegalBasis, Referral, SharedField
from referrals.routes import Route

# The route a referral to an organisation of this kind goes on, in these tests.
ROUTE_FOR_KIND = {
    Organisation.Kind.MUNICIPALITY: Route.ADMINISTRATIVE,
    Organisation.Kind.POLICE_AVIM: Route.POLICE_OM,
    Organisation.Kind.ZVH: Route.ZVH_WEIGHING,
    Organisation.Kind.LABOUR_INSPECTORATE: Route.LABOUR_INSPECTORATE,
    Organisation.Kind.COMENSHA: Route.COMENSHA,
    Organisation.Kind.CARE_PROVIDER: Route.CARE_STRUCTURE,
}

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name: str = "plan-van-aanpak.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def external_receiver(world, kind: str = Organisation.Kind.LABOUR_INSPECTORATE) -> Organisation:
    """An organisation of the region without users in the system."""
    existing = Organisation.objects.filter(region=world.region, kind=kind).first()
    return existing or OrganisationFactory(region=world.region, kind=kind, name=f"{kind.label}")


def referral_case(world, **overrides) -> Case:
    overrides.setdefault("lead", world.other_municipality)
    return make_case(world, **overrides)


def draft(
    world,
    receiver: Organisation | None = None,
    *,
    case: Case | None = None,
    route: str | None = None,
    actor=None,
    **case_overrides,
) -> Referral:
    receiver = receiver or world.municipality
    return services.referral_draft(
        case=case or referral_case(world, **case_overrides),
        route=route or ROUTE_FOR_KIND[receiver.kind],
        receiving_organisation=receiver,
        reason="Graag oppakken.",
        actor=actor or world.user(Role.VT_STAFF),
    )


def complete_draft(
    referral: Referral,
    world,
    *,
    legal_basis: str = LegalBasis.PUBLIC_TASK,
    shared_fields: list[str] | None = None,
    actor=None,
    **extra,
) -> Referral:
    if shared_fields is None:
        shared_fields = [SharedField.SUMMARY, SharedField.PLACES]
    referral.refresh_from_db()
    return services.referral_update(
        referral=referral,
        actor=actor or world.user(Role.VT_STAFF),
        version=referral.version,
        data=services.ReferralInput(
            reason=referral.reason,
            legal_basis=legal_basis,
            legal_basis_note="Taak van de ontvanger.",
            shared_fields=shared_fields,
            **extra,
        ),
    )


def ready(world, receiver: Organisation | None = None, **kwargs) -> Referral:
    """A draft with a legal basis and shared fields: ready to be sent."""
    shared = kwargs.pop("shared_fields", None)
    referral = draft(world, receiver, **kwargs)
    return complete_draft(referral, world, shared_fields=shared)


def sent(world, receiver: Organisation | None = None, **kwargs) -> Referral:
    referral = ready(world, receiver, **kwargs)
    return services.referral_send(
        referral=referral, actor=world.user(Role.VT_STAFF), version=referral.version
    )


def answerer(world, referral: Referral):
    """A user who may answer this referral."""
    receiver = referral.receiving_organisation
    if services.is_external(referral):
        return world.user(Role.VT_STAFF)
    if receiver.kind == Organisation.Kind.ZVH:
        return world.user(Role.PROCESS_DIRECTOR, organisation=receiver)
    if receiver.kind == Organisation.Kind.POLICE_AVIM:
        return world.user(Role.AVIM, organisation=receiver)
    return world.user(Role.MUNICIPAL_OFFICER, organisation=receiver)


def accepted(world, receiver: Organisation | None = None, **kwargs) -> Referral:
    referral = sent(world, receiver, **kwargs)
    return services.referral_accept(
        referral=referral,
        actor=answerer(world, referral),
        version=referral.version,
        response="Wij pakken het op.",
    )


def declined(world, receiver: Organisation | None = None, **kwargs) -> Referral:
    referral = sent(world, receiver, **kwargs)
    return services.referral_decline(
        referral=referral,
        actor=answerer(world, referral),
        version=referral.version,
        reason="Geen capaciteit.",
    )


def completed(world, receiver: Organisation | None = None, **kwargs) -> Referral:
    referral = accepted(world, receiver, **kwargs)
    return services.referral_complete(
        referral=referral,
        actor=answerer(world, referral),
        version=referral.version,
        feedback="Plan uitgevoerd.",
    )


def with_plan(world, **kwargs) -> Referral:
    referral = accepted(world, world.orgs[Organisation.Kind.ZVH], **kwargs)
    return services.referral_attach_plan(
        referral=referral, actor=answerer(world, referral), upload=pdf_upload()
    )


def consent(person, world, *, given_by=ConsentGiver.PERSON, given_on=date(2026, 1, 5), **extra):
    return Consent.objects.create(
        person=person,
        given_by=given_by,
        given_on=given_on,
        scope="Delen met de route",
        recorded_by=world.user(Role.VT_STAFF),
        **extra,
    )


def force_shared_fields(referral: Referral, fields: list[str]) -> None:
    """Store a choice past the services, as a faulty import would: the rules must still hold."""
    from accounts.audit import allow_bulk_writes

    with allow_bulk_writes("test: a choice stored past the services"):
        Referral.objects.filter(pk=referral.pk).update(shared_fields=fields)
