"""Permission-matrix rows for the referrals app's URLs (see tests/permission_matrix.py).

Who sees a referral (``referrals.selectors``): Veilig Thuis every referral of its region's
cases; the lead organisation those of its cases; the receiving organisation those sent to it
(never a draft). The object kinds here are made with the *receiver* as the owning
organisation, in a case led by the world's other municipality (no persona belongs to it), so
"own" means "sent to my organisation" and the lead's view is tested in the referrals' own
tests. A draft is a region's object: only Veilig Thuis sees it.

Answering: the receiving organisation's users with ``answer_referral`` — at a ZVH answering
the weighing team, only its process director (the care coordinator of the same ZVH sees the
referral but gets 403). Veilig Thuis sees every referral but answers only for receivers
without users in the system (``referrals/tests/test_views_steps.py``), so it gets 403 here.
"""

from __future__ import annotations

import base64

from accounts.models import Organisation
from accounts.roles import Role
from tests.permission_matrix import OWN_ORG, REGION, Ctx, Method, ObjectKind, Ok, Row, roles_with

VT = frozenset({Role.VT_STAFF, Role.VT_OFFICER})
RECEIVERS = frozenset(
    {Role.MUNICIPAL_OFFICER, Role.AVIM, Role.CARE_COORDINATOR, Role.PROCESS_DIRECTOR}
)
# Who answers a referral sent to its own organisation (the ZVH's care coordinator does not
# answer the weighing team: that is the process direction's).
ANSWERERS = frozenset({Role.MUNICIPAL_OFFICER, Role.AVIM, Role.PROCESS_DIRECTOR})
VIEWERS = roles_with("referrals.view_referral")
SENDERS = roles_with("referrals.send_referral")

# Veilig Thuis reaches the region's referrals; a receiver those sent to it (OWN_ORG).
SCOPE = {role: REGION for role in VT}
SEEN_BY_RECEIVER = {**SCOPE, **{role: OWN_ORG for role in RECEIVERS}}
REGISTER_ONLY = dict(SCOPE)
RECEIVING_KINDS = frozenset(
    {Organisation.Kind.MUNICIPALITY, Organisation.Kind.POLICE_AVIM, Organisation.Kind.ZVH}
)

DETAIL = "referrals:detail"


# --- the objects -------------------------------------------------------------------------------


def _receiver(world, owner: Organisation | None) -> Organisation:
    """The owner if it can receive a referral, else the world's municipality."""
    if owner is not None and owner.kind in RECEIVING_KINDS:
        return owner
    return world.municipality


def _second_zvh(world, owner: Organisation | None) -> Organisation:
    """A ZVH as receiver: the owner if it is one, else another ZVH of the owner's region."""
    from accounts.tests.factories import OrganisationFactory

    if owner is not None and owner.kind == Organisation.Kind.ZVH:
        return owner
    existing = (
        Organisation.objects.filter(region=world.region, kind=Organisation.Kind.ZVH)
        .exclude(pk=world.orgs[Organisation.Kind.ZVH].pk)
        .first()
    )
    return existing or OrganisationFactory(
        region=world.region, kind=Organisation.Kind.ZVH, name="ZVH Westelijke Mijnstreek"
    )


def _case(world, _owner):
    from referrals.tests.factories import referral_case

    return referral_case(world)


def _draft(world, _owner):
    from referrals.tests.factories import ready

    return ready(world)


def _sent(world, owner):
    from referrals.tests.factories import sent

    return sent(world, _receiver(world, owner))


def _accepted(world, owner):
    from referrals.tests.factories import accepted

    return accepted(world, _receiver(world, owner))


def _with_plan(world, owner):
    from referrals import services
    from referrals.tests.factories import accepted, answerer, pdf_upload

    referral = accepted(world, _second_zvh(world, owner))
    return services.referral_attach_plan(
        referral=referral, actor=answerer(world, referral), upload=pdf_upload()
    )


OPEN_CASE = ObjectKind("open-case", _case, REGISTER_ONLY, per_organisation=False)
DRAFT = ObjectKind("referral-draft", _draft, REGISTER_ONLY, per_organisation=False)
SENT = ObjectKind("referral-sent", _sent, SEEN_BY_RECEIVER, owners=RECEIVING_KINDS)
ACCEPTED = ObjectKind("referral-accepted", _accepted, SEEN_BY_RECEIVER, owners=RECEIVING_KINDS)
WITH_PLAN = ObjectKind(
    "referral-with-plan",
    _with_plan,
    {**SCOPE, Role.CARE_COORDINATOR: OWN_ORG, Role.PROCESS_DIRECTOR: OWN_ORG},
    owners=frozenset({Organisation.Kind.ZVH}),
)


# --- request data ------------------------------------------------------------------------------


def _kwargs(referral) -> dict:
    return {"public_id": referral.public_id}


def _version(prefix: str = ""):
    def data(ctx: Ctx) -> dict:
        ctx.obj.refresh_from_db()
        name = f"{prefix}-version" if prefix else "version"
        return {name: ctx.obj.version}

    return data


def _with(prefix: str, **fields):
    def data(ctx: Ctx) -> dict:
        ctx.obj.refresh_from_db()
        key = (lambda n: f"{prefix}-{n}") if prefix else (lambda n: n)
        return {key("version"): ctx.obj.version, **{key(k): v for k, v in fields.items()}}

    return data


def _draft_form(ctx: Ctx) -> dict:
    zvh = Organisation.objects.filter(region=ctx.obj.region, kind=Organisation.Kind.ZVH).first()
    return {"route": "zvh_weighing", "receiving_organisation": zvh.pk, "reason": "Procesregie."}


def _edit_form(ctx: Ctx) -> dict:
    ctx.obj.refresh_from_db()
    return {
        "version": ctx.obj.version,
        "reason": "Aangevuld.",
        "legal_basis": "public_task",
        "legal_basis_note": "",
        "shared_fields": ["summary", "places"],
        "consent": "",
        "consent_override_reason": "",
    }


def _plan_form(ctx: Ctx) -> dict:
    from referrals.tests.factories import pdf_upload

    return {"plan-file": pdf_upload()}


def _api_create(ctx: Ctx) -> dict:
    from referrals.tests.factories import referral_case

    case = referral_case(ctx.world)
    return {
        "case": str(case.public_id),
        "route": "zvh_weighing",
        "receiving_organisation": str(ctx.world.orgs[Organisation.Kind.ZVH].public_id),
        "reason": "Procesregie.",
    }


def _api_put(ctx: Ctx) -> dict:
    ctx.obj.refresh_from_db()
    return {
        "version": ctx.obj.version,
        "reason": "Aangevuld.",
        "legal_basis": "public_task",
        "legal_basis_note": "",
        "shared_fields": ["summary", "places"],
        "consent": None,
        "consent_override_reason": "",
        "via_riec": False,
        "instruments": [],
    }


def _api_plan(ctx: Ctx) -> dict:
    from referrals.tests.factories import PDF_BYTES

    return {"file_name": "plan.pdf", "content": base64.b64encode(PDF_BYTES).decode()}


# --- the rows ----------------------------------------------------------------------------------

ROWS: list[Row] = [
    # --- the work lists and preparing (Veilig Thuis) ------------------------------------------
    Row("referrals:list", gate=VIEWERS, allowed=VIEWERS, get=Method(Ok(200))),
    Row(
        "referrals:receivers",
        gate=SENDERS,
        allowed=SENDERS,
        get=Method(Ok(200), data=lambda c: {"route": "police_om"}),
    ),
    Row(
        "referrals:create",
        objects=(OPEN_CASE,),
        kwargs=lambda case: {"case_id": case.public_id},
        gate=SENDERS,
        allowed=SENDERS,
        get=Method(Ok(200)),
        post=Method(Ok(302, "referrals:edit"), data=_draft_form),
    ),
    Row(
        DETAIL,
        objects=(DRAFT, SENT, ACCEPTED),
        kwargs=_kwargs,
        gate=VIEWERS,
        allowed=VT | RECEIVERS,
        scope=SCOPE,
        get=Method(Ok(200)),
    ),
    Row(
        "referrals:edit",
        objects=(DRAFT,),
        kwargs=_kwargs,
        gate=SENDERS,
        allowed=SENDERS,
        get=Method(Ok(200)),
        post=Method(Ok(302, DETAIL), data=_edit_form),
    ),
    Row(
        "referrals:send",
        objects=(DRAFT,),
        kwargs=_kwargs,
        gate=SENDERS,
        allowed=SENDERS,
        post=Method(Ok(302, DETAIL), data=_version("send")),
    ),
    # --- answering (the receiving organisation) -----------------------------------------------
    Row(
        "referrals:accept",
        objects=(SENT,),
        kwargs=_kwargs,
        gate=VIEWERS,
        allowed=ANSWERERS,
        scope=OWN_ORG,
        post=Method(Ok(302, DETAIL), data=_with("accept", response="Wij pakken het op.")),
    ),
    Row(
        "referrals:decline",
        objects=(SENT,),
        kwargs=_kwargs,
        gate=VIEWERS,
        allowed=ANSWERERS,
        scope=OWN_ORG,
        post=Method(Ok(302, DETAIL), data=_with("decline", reason="Geen capaciteit.")),
    ),
    Row(
        "referrals:complete",
        objects=(ACCEPTED,),
        kwargs=_kwargs,
        gate=VIEWERS,
        allowed=ANSWERERS,
        scope=OWN_ORG,
        post=Method(Ok(302, DETAIL), data=_with("complete", feedback="Plan uitgevoerd.")),
    ),
    # --- the plan of approach (the receiving ZVH's process director) --------------------------
    Row(
        "referrals:plan",
        objects=(WITH_PLAN,),
        kwargs=_kwargs,
        gate=VIEWERS,
        allowed=VT | {Role.CARE_COORDINATOR, Role.PROCESS_DIRECTOR},
        scope=SCOPE,
        get=Method(Ok(200)),
    ),
    Row(
        "referrals:plan_upload",
        objects=(WITH_PLAN,),
        kwargs=_kwargs,
        gate=VIEWERS,
        allowed=frozenset({Role.PROCESS_DIRECTOR}),
        scope=OWN_ORG,
        post=Method(Ok(302, DETAIL), data=_plan_form),
    ),
    # --- the API (JSON): the same rules; an invisible referral is 404 for every role ----------
    Row(
        "api:referral-list",
        api=True,
        allowed=VIEWERS,
        get=Method(Ok(200)),
        post=Method(Ok(201), allowed=SENDERS, data=_api_create),
    ),
    Row(
        "api:referral-detail",
        api=True,
        objects=(SENT,),
        kwargs=_kwargs,
        allowed=VT | RECEIVERS,
        scope=SCOPE,
        get=Method(Ok(200), objects=(DRAFT, SENT, ACCEPTED)),
        put=Method(Ok(200), allowed=SENDERS, objects=(DRAFT,), data=_api_put),
    ),
    Row(
        "api:referral-send",
        api=True,
        objects=(DRAFT,),
        kwargs=_kwargs,
        allowed=SENDERS,
        post=Method(Ok(200), data=_version()),
    ),
    Row(
        "api:referral-accept",
        api=True,
        objects=(SENT,),
        kwargs=_kwargs,
        allowed=ANSWERERS,
        scope=OWN_ORG,
        post=Method(Ok(200), data=_with("", response="Wij pakken het op.")),
    ),
    Row(
        "api:referral-decline",
        api=True,
        objects=(SENT,),
        kwargs=_kwargs,
        allowed=ANSWERERS,
        scope=OWN_ORG,
        post=Method(Ok(200), data=_with("", reason="Geen capaciteit.")),
    ),
    Row(
        "api:referral-complete",
        api=True,
        objects=(ACCEPTED,),
        kwargs=_kwargs,
        allowed=ANSWERERS,
        scope=OWN_ORG,
        post=Method(Ok(200), data=_with("", feedback="Plan uitgevoerd.")),
    ),
    Row(
        "api:referral-plan",
        api=True,
        objects=(WITH_PLAN,),
        kwargs=_kwargs,
        allowed=VT | {Role.CARE_COORDINATOR, Role.PROCESS_DIRECTOR},
        scope=SCOPE,
        get=Method(Ok(200)),
        post=Method(Ok(200), allowed=frozenset({Role.PROCESS_DIRECTOR}), data=_api_plan),
    ),
]
