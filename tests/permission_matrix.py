"""The permission matrix: every URL of the project, who may use it, and what it answers.

One ``Row`` per URL name (SECURITY.md "Tests that prove it"). A row says

- which HTTP methods the route takes (``get=`` / ``post=`` / ``put=``), and for each the
  roles that may use it (``allowed``) and the answer they get (``Ok``: the status, and for a
  redirect the page it must lead to);
- for a route about one object: which kinds of object to try it on (``objects``, each an
  ``ObjectKind`` that makes one owned by a given organisation) and how to build the URL
  ``kwargs`` from that object;
- ``gate``: the roles that pass the view's role check *before* the object is looked up
  (``permission_required`` on the view); everybody else gets 403 without the object being
  touched. Without a gate the object lookup comes first.

What a role gets is then decided in one place (``expected``), by the rules of STYLE.md rule 4
and SECURITY.md "Access":

1. anonymous: a redirect to the login page (HTML) or 401/403 (API); public rows declare it;
2. outside the gate: 403;
3. an object the role may not see (``ObjectKind.visible_to``: its own organisation's, or the
   whole region's; never another region's): 404, the same as an object that does not exist;
4. a role in ``allowed`` whose ``scope`` reaches the object: the row's ``Ok``;
5. anybody else: the method's ``refused`` status (403 unless the row says why not).

Who may do what comes from ``accounts.roles`` (``roles_with`` reads ``ROLE_PERMISSIONS``) for
the gates; the ``allowed`` sets are written out, so that a change to the role map that widens
access fails here instead of passing silently.

``tests/test_permission_matrix.py`` runs every row × role × object (own organisation, another
organisation of the region, another region) × method, and once more every refused write with
an empty body (the right must be checked before the input).

Adding a URL: add a ``Row`` below. A named URL without a row fails
``test_every_url_has_a_row``. A later app adds its object kinds next to the ones here, e.g.::

    CASE = ObjectKind("case", make=make_case, visible_to={Role.PROCESS_DIRECTOR: REGION})
    Row("cases:detail", objects=(CASE,), kwargs=lambda c: {"public_id": c.public_id},
        gate=roles_with("cases.view_case"), allowed={Role.PROCESS_DIRECTOR}, get=Method(Ok(200)))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import ROLE_PERMISSIONS, Role

# --- vocabulary ------------------------------------------------------------------------------

ALL_ROLES = frozenset(Role)

# How far a role reaches: the objects of its own organisation, or those of its whole region.
# Nobody reaches another region.
OWN_ORG = "own_org"
REGION = "region"

# Where the object of a case sits, seen from the requesting user.
OWN = "own"  # owned by the user's organisation (for a region's object: the user's region)
OTHER_ORG = "other_org"  # another organisation of the same region
OTHER_REGION = "other_region"  # an organisation of another region
RELATIONS = (OWN, OTHER_ORG, OTHER_REGION)


def roles_with(permission: str) -> frozenset[Role]:
    """The roles whose entry in ``accounts.roles.ROLE_PERMISSIONS`` holds this permission."""
    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if permission in perms)


def reaches(reach: str | None, relation: str) -> bool:
    if reach is None:
        return False
    if relation == OWN:
        return True
    return relation == OTHER_ORG and reach == REGION


@dataclass
class Ctx:
    """What a data builder or set-up step gets: the user's world, the user and the object."""

    world: Any  # conftest.World of the requesting user
    user: User | None
    obj: Any = None


@dataclass(frozen=True)
class ObjectKind:
    """A kind of object a URL is about, made on demand in a world for an owner organisation.

    ``make(world, owner)`` returns the object (``owner`` is None for a region's object such as
    a meeting). ``visible_to`` is the policy of who can see such an object at all; roles not
    named see none (404). ``owners`` are the organisation kinds that can own one; a role whose
    organisation cannot has no "own" case.
    """

    name: str
    make: Callable[[Any, Organisation | None], Any]
    visible_to: Mapping[Role, str]
    owners: frozenset[str] | None = None
    per_organisation: bool = True

    def can_be_owned_by(self, kind: str) -> bool:
        return self.owners is None or kind in self.owners


@dataclass(frozen=True)
class Ok:
    """The answer to a role that may: a status, and for a redirect the URL name it leads to.

    A redirect without ``to`` may lead anywhere except the login page.
    """

    status: int = 200
    to: str | None = None


@dataclass(frozen=True)
class Method:
    ok: Ok = field(default_factory=Ok)
    # None: the row's ``allowed``.
    allowed: frozenset[Role] | None = None
    # POST body (or GET query) for the case; built after the object, before the request.
    data: Callable[[Ctx], dict] | None = None
    headers: Mapping[str, str] | None = None
    setup: Callable[[Ctx], None] | None = None
    # The answer to a role that sees the object but may not do this.
    refused: int = 403
    refused_reason: str = ""
    # Public rows: what an anonymous visitor gets.
    anonymous: Ok | None = None
    # None: the row's ``objects``.
    objects: tuple[ObjectKind, ...] | None = None
    # Must an allowed call change the database? Default: yes for POST/PUT, unchecked for GET.
    changes: bool | None = None


@dataclass(frozen=True)
class Row:
    name: str
    get: Method | None = None
    post: Method | None = None
    put: Method | None = None
    delete: Method | None = None
    allowed: frozenset[Role] = frozenset()
    objects: tuple[ObjectKind, ...] = ()
    kwargs: Callable[[Any], dict] | None = None
    # How far an allowed role's right reaches: one scope for all, or one per role.
    scope: str | Mapping[Role, str] = REGION
    gate: frozenset[Role] | None = None
    public: bool = False
    api: bool = False

    @property
    def methods(self) -> dict[str, Method]:
        pairs = (("GET", self.get), ("POST", self.post), ("PUT", self.put), ("DELETE", self.delete))
        return {name: m for name, m in pairs if m is not None}

    def objects_for(self, method: str) -> tuple[ObjectKind, ...]:
        own = self.methods[method].objects
        return own if own is not None else self.objects

    def scope_for(self, role: Role) -> str:
        if isinstance(self.scope, str):
            return self.scope
        return self.scope.get(role, OWN_ORG)


# --- the worlds' objects ---------------------------------------------------------------------
# Imported lazily: the factories import models, and this module is imported at collection.

SENDER_ROLE = {
    Organisation.Kind.MUNICIPALITY: Role.MUNICIPAL_OFFICER,
    Organisation.Kind.VEILIG_THUIS: Role.VT_STAFF,
    Organisation.Kind.POLICE_AVIM: Role.AVIM,
    Organisation.Kind.ZVH: Role.CARE_COORDINATOR,
}
SIGNAL_OWNERS = frozenset(SENDER_ROLE)


def sender(world, organisation: Organisation) -> User:
    """The user of ``organisation`` who sends its signals."""
    return world.user(SENDER_ROLE[organisation.kind], organisation=organisation)


def _draft(world, owner):
    from screening.tests.factories import draft_signal

    return draft_signal(world, sender=sender(world, owner))


def _submitted(world, owner, **overrides):
    from screening.tests.factories import submitted_signal

    return submitted_signal(world, sender=sender(world, owner), **overrides)


def _registered(world, owner):
    from screening.tests.factories import registered_signal

    return registered_signal(world, sender=sender(world, owner))


def _scheduled(world, owner):
    from signals import services
    from signals.models import Signal
    from signals.workflow import Status

    signal = _registered(world, owner)
    # On a screening agenda, as the screening app does it (cf. signals.tests.factories).
    with transaction.atomic():
        locked = Signal.objects.select_for_update().get(pk=signal.pk)
        return services.signal_transition(
            signal=locked, to=Status.SCHEDULED, actor=world.user(Role.VT_STAFF)
        )


def _acute(world, owner):
    return _submitted(world, owner, is_acute=True)


def _with_attachment(world, owner):
    from signals import services

    user = sender(world, owner)
    signal = _draft(world, owner)
    attachment = services.attachment_add(signal=signal, actor=user, upload=_pdf_upload())
    signal.refresh_from_db()
    signal = services.signal_submit(signal=signal, actor=user, version=signal.version)
    return SimpleNamespace(signal=signal, attachment=attachment)


def _with_match(world, owner):
    """A registered signal whose person also appears in an earlier registered signal."""
    first = _registered(world, owner)
    earlier = _registered(world, owner)
    return SimpleNamespace(
        signal=first,
        person=first.involvements.get().person,
        other_person=earlier.involvements.get().person,
    )


PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _pdf_upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("verslag.pdf", PDF_BYTES, content_type="application/pdf")


VT = (Role.VT_STAFF, Role.VT_OFFICER)
PARTNERS = (Role.AVIM, Role.CARE_COORDINATOR)
SIGNAL_SENDERS = frozenset({Role.MUNICIPAL_OFFICER, *VT, *PARTNERS})

# Who sees a signal (DESIGN.md; signals.selectors): the sender its own; Veilig Thuis the whole
# register of its region; AVIM and the care coordinator also what is on the agenda or acute.
SEEN_BY_SENDER = {role: OWN_ORG for role in SIGNAL_SENDERS}
IN_REGISTER = SEEN_BY_SENDER | {role: REGION for role in VT}
AT_THE_TABLE = IN_REGISTER | {role: REGION for role in PARTNERS}

DRAFT = ObjectKind("draft", _draft, SEEN_BY_SENDER, owners=SIGNAL_OWNERS)
SUBMITTED = ObjectKind("submitted", _submitted, IN_REGISTER, owners=SIGNAL_OWNERS)
SCHEDULED = ObjectKind("scheduled", _scheduled, AT_THE_TABLE, owners=SIGNAL_OWNERS)
ACUTE = ObjectKind("acute", _acute, AT_THE_TABLE, owners=SIGNAL_OWNERS)
WITH_ATTACHMENT = ObjectKind(
    "submitted-with-attachment", _with_attachment, IN_REGISTER, owners=SIGNAL_OWNERS
)
WITH_MATCH = ObjectKind("registered-with-match", _with_match, IN_REGISTER, owners=SIGNAL_OWNERS)


def _invite_guest(world, item):
    """Invite the region's RIEC for one item: a guest sees that meeting, and only that item."""
    from screening import services

    return services.agenda_item_configure(
        item=item,
        actor=world.user(Role.VT_STAFF),
        version=item.version,
        data=services.ItemSettings(guest_organisation=world.orgs[Organisation.Kind.RIEC]),
    )


def _planned_meeting(world, _owner, *, guest: bool = False):
    from screening import services
    from screening.tests.factories import MeetingFactory, agenda_item, registered_signal

    meeting = MeetingFactory(region=world.region)
    first = agenda_item(world, meeting)
    agenda_item(world, meeting)
    avim = world.user(Role.AVIM)
    proposed = services.agenda_item_add(
        meeting=meeting, signal=registered_signal(world, sender=avim), actor=avim
    )
    if guest:
        first = _invite_guest(world, first)
    meeting.refresh_from_db()
    return SimpleNamespace(meeting=meeting, item=first, proposed=proposed)


def _meeting_in_session(world, _owner, *, guest: bool = False):
    from screening import services

    obj = _planned_meeting(world, None, guest=guest)
    obj.meeting = services.meeting_start(meeting=obj.meeting, actor=world.user(Role.VT_STAFF))
    return obj


def _concluded_meeting(world, _owner):
    from referrals.routes import Route
    from screening import services
    from screening.tests.factories import decide

    obj = _meeting_in_session(world, None)
    decide(world, obj.item, routes=[Route.CARE_COORDINATOR])
    # The minutes task runs on commit, which a test transaction never reaches.
    obj.meeting = services.meeting_conclude(meeting=obj.meeting, actor=world.user(Role.VT_STAFF))
    return obj


def _concluded_meeting_with_minutes(world, _owner):
    from screening.documents import minutes_generate

    obj = _concluded_meeting(world, None)
    minutes_generate(meeting_id=obj.meeting.pk, actor_id=world.user(Role.VT_STAFF).pk)
    obj.meeting.refresh_from_db()
    return obj


# The screening table: Veilig Thuis, AVIM and the care coordinator of the region (DESIGN.md).
TABLE = {role: REGION for role in (*VT, *PARTNERS)}
# ... and the organisation invited as a guest for one item: here the region's RIEC.
GUEST = Role.CHAIN_DIRECTOR
TABLE_AND_GUEST = TABLE | {GUEST: REGION}

PLANNED_MEETING = ObjectKind("planned", _planned_meeting, TABLE, per_organisation=False)
PLANNED_WITH_GUEST = ObjectKind(
    "planned-with-guest",
    lambda world, owner: _planned_meeting(world, owner, guest=True),
    TABLE_AND_GUEST,
    per_organisation=False,
)
IN_SESSION_WITH_GUEST = ObjectKind(
    "in-session-with-guest",
    lambda world, owner: _meeting_in_session(world, owner, guest=True),
    TABLE_AND_GUEST,
    per_organisation=False,
)
CONCLUDED_MEETING = ObjectKind("concluded", _concluded_meeting, TABLE, per_organisation=False)
MEETING_WITH_MINUTES = ObjectKind(
    "with-minutes", _concluded_meeting_with_minutes, TABLE, per_organisation=False
)


def _waiting_decision(world, _owner):
    """A concluded item whose victim already has an open case: VT must choose where it goes."""
    from cases.tests.factories import make_case
    from referrals.routes import Route
    from screening import services
    from screening.tests.factories import MeetingFactory, agenda_item, decide
    from signals.models import PersonRole, SignalPerson

    case = make_case(world)
    victim = case.persons.get()
    meeting = MeetingFactory(region=world.region)
    item = agenda_item(world, meeting)
    SignalPerson.objects.create(signal=item.signal, person=victim, role=PersonRole.POSSIBLE_VICTIM)
    vt = world.user(Role.VT_STAFF)
    services.meeting_start(meeting=meeting, actor=vt)
    decide(world, item, routes=[Route.PRESENTER_FOLLOWS_UP])
    meeting = services.meeting_conclude(meeting=meeting, actor=vt)
    return SimpleNamespace(meeting=meeting, item=item, case=case)


def _open_case(world, _owner):
    from cases.tests.factories import make_case

    return make_case(world)


WAITING_DECISION = ObjectKind("waiting-decision", _waiting_decision, TABLE, per_organisation=False)
# A case as the register sees it (the cases app's own rows try its other readers).
REGISTER_CASE = ObjectKind(
    "open-case",
    _open_case,
    {role: REGION for role in (Role.VT_STAFF, Role.VT_OFFICER)},
    per_organisation=False,
)


# --- request data ----------------------------------------------------------------------------


def _org_of_region(region_id: int, kind: str) -> Organisation:
    return Organisation.objects.filter(region_id=region_id, kind=kind).order_by("pk").first()


def _create_form(ctx: Ctx) -> dict:
    from signals.models import SOURCES_BY_ROLE
    from signals.tests.test_views_support import signal_form

    role = ctx.user.role if ctx.user else Role.MUNICIPAL_OFFICER
    source = SOURCES_BY_ROLE.get(role, SOURCES_BY_ROLE[Role.MUNICIPAL_OFFICER])[0]
    return signal_form(ctx.world.municipality, source=source)


def _edit_form(ctx: Ctx) -> dict:
    from signals.tests.test_views_support import edit_form

    return edit_form(ctx.obj, description="Aangevuld door de permissiematrix.")


def _version(prefix: str) -> Callable[[Ctx], dict]:
    return lambda ctx: {f"{prefix}-version": ctx.obj.version}


def _acute_consultation_form(ctx: Ctx) -> dict:
    signal = ctx.obj
    return {
        "version": signal.version,
        "consulted_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "organisations": [
            _org_of_region(signal.region_id, Organisation.Kind.VEILIG_THUIS).pk,
            _org_of_region(signal.region_id, Organisation.Kind.POLICE_AVIM).pk,
        ],
        "decision": "Opvang geregeld; AVIM voert een verkennend gesprek.",
        "shelter_needed": "ja",
        "follow_up": "",
    }


def _item_to_add(ctx: Ctx) -> dict:
    """A registered signal the user can see: its own organisation's, else a municipality's."""
    from screening.tests.factories import registered_signal

    org = ctx.user.organisation if ctx.user else ctx.world.municipality
    owner = org if org.kind in SENDER_ROLE else ctx.world.municipality
    signal = registered_signal(ctx.world, sender=sender(ctx.world, owner))
    return {"reference": signal.reference}


def _api_item_to_add(ctx: Ctx) -> dict:
    """The API names the signal by its public id; the same signal as for the page."""
    from signals.models import Signal

    reference = _item_to_add(ctx)["reference"]
    return {"signal": str(Signal.objects.get(reference=reference).public_id)}


def _api_decide(ctx: Ctx) -> dict:
    form = _decide_form(ctx)
    zvh = _org_of_region(ctx.obj.meeting.region_id, Organisation.Kind.ZVH)
    return {
        "version": form["version"],
        "routes": form["routes"],
        "weighing": form["weighing"],
        "advice": form["advice"],
        "follow_up_owner": str(zvh.public_id),
        "follow_up_due": form["follow_up_due"],
    }


def _configure_form(ctx: Ctx) -> dict:
    item = ctx.obj.item
    item.refresh_from_db()
    avim = _org_of_region(ctx.obj.meeting.region_id, Organisation.Kind.POLICE_AVIM)
    return {"version": item.version, "presenter": avim.pk, "guest_organisation": ""}


def _attendance_form(ctx: Ctx) -> dict:
    avim = _org_of_region(ctx.obj.meeting.region_id, Organisation.Kind.POLICE_AVIM)
    return {"organisation": avim.pk, "present": "on"}


def _decide_form(ctx: Ctx) -> dict:
    item = ctx.obj.item
    item.refresh_from_db()
    zvh = _org_of_region(ctx.obj.meeting.region_id, Organisation.Kind.ZVH)
    return {
        "version": item.version,
        "routes": ["care_coordinator"],
        "weighing": "Meerdere indicatoren van arbeidsuitbuiting.",
        "advice": "Intake door de zorgcoördinator.",
        "follow_up_owner": zvh.pk,
        "follow_up_due": (timezone.localdate() + timedelta(days=14)).isoformat(),
        "note": "",
    }


def _route_to_new_case(ctx: Ctx) -> dict:
    return {
        "target": "new",
        "lead_organisation": ctx.world.municipality.pk,
        "lead_kind": "municipality",
    }


def _item_version(ctx: Ctx) -> dict:
    ctx.obj.item.refresh_from_db()
    return {"version": ctx.obj.item.version}


def _unread_notice(ctx: Ctx) -> None:
    from accounts import services

    services.notification_send(
        recipients=[ctx.user], key="permission-matrix", message="Acuut signaal", url="/"
    )


# --- request data of the API (JSON) ------------------------------------------------------------


def _api_person(involvement) -> dict:
    person = involvement.person
    return {
        "id": str(person.public_id),
        "role": involvement.role,
        "name": person.name,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "age_band": person.age_band,
        "gender": person.gender,
        "residence_status": person.residence_status,
        "language": person.language,
    }


def _api_create(ctx: Ctx) -> dict:
    from signals.models import SOURCES_BY_ROLE

    role = ctx.user.role if ctx.user else Role.MUNICIPAL_OFFICER
    source = SOURCES_BY_ROLE.get(role, SOURCES_BY_ROLE[Role.MUNICIPAL_OFFICER])[0]
    return {
        "source": source,
        "municipality": str(ctx.world.municipality.public_id),
        "received_at": (timezone.localdate() - timedelta(days=3)).isoformat(),
        "description": "Vier vrouwen wonen boven een nagelstudio en werken er dag en nacht.",
        "forms": ["labour"],
        "labour_sector": "beauty_massage",
        "persons": [{"role": "possible_victim", "name": "Anna Müller", "age_band": "23-29"}],
    }


def _api_update(ctx: Ctx) -> dict:
    signal = ctx.obj
    return {
        "version": signal.version,
        "source": signal.source,
        "municipality": str(signal.municipality.public_id),
        "received_at": signal.received_at.isoformat(),
        "description": "Aangevuld door de permissiematrix.",
        "forms": signal.forms,
        "labour_sector": signal.labour_sector,
        "indicators": [i.pk for i in signal.indicators.all()],
        "is_acute": signal.is_acute,
        "persons": [_api_person(i) for i in signal.involvements.select_related("person")],
        "places": [
            {"kind": p.kind, "name": p.name, "address": p.address, "city": p.city}
            for p in signal.places.all()
        ],
    }


def _api_acute_consultation(ctx: Ctx) -> dict:
    signal = ctx.obj
    return {
        "version": signal.version,
        "consulted_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "organisations": [
            str(_org_of_region(signal.region_id, Organisation.Kind.VEILIG_THUIS).public_id),
            str(_org_of_region(signal.region_id, Organisation.Kind.POLICE_AVIM).public_id),
        ],
        "decision": "Opvang geregeld; AVIM voert een verkennend gesprek.",
        "shelter_needed": True,
    }


HTMX = {"HTTP_HX_REQUEST": "true"}


def _signal_kwargs(signal) -> dict:
    return {"public_id": signal.public_id}


def _meeting_kwargs(obj) -> dict:
    return {"public_id": obj.meeting.public_id}


def _item_kwargs(obj) -> dict:
    return {"public_id": obj.meeting.public_id, "item_id": obj.item.public_id}


# --- the table -------------------------------------------------------------------------------

SEES_SIGNALS = roles_with("signals.view_signal")
AT_TABLE = roles_with("screening.view_meeting")
MANAGES_AGENDA = frozenset(VT)
LOGIN = "accounts:login"
HOME = "accounts:home"
SIGNAL_DETAIL = "signals:detail"
MEETING = "screening:detail"

# A sender may edit (and add files to) only its draft; once submitted the step is over for it.
# The views answer such an illegal step 409 with the reason, like every other illegal step.
SENDER_STATE = "the sender may change only its draft: an illegal step answers 409"

ROWS: list[Row] = [
    # --- login flow: public by design ---------------------------------------------------------
    Row(
        "accounts:login",
        public=True,
        allowed=ALL_ROLES,
        get=Method(Ok(302, HOME), anonymous=Ok(200)),
        post=Method(Ok(302, HOME), anonymous=Ok(200)),
    ),
    Row(
        "accounts:verify",
        public=True,
        allowed=ALL_ROLES,
        # Logged in: nothing to verify. Anonymous without a password step: start over.
        get=Method(Ok(302, HOME), anonymous=Ok(302, LOGIN)),
        post=Method(Ok(302, HOME), anonymous=Ok(302, LOGIN)),
    ),
    Row(
        "accounts:enrol",
        public=True,
        allowed=ALL_ROLES,
        get=Method(Ok(302, HOME), anonymous=Ok(302, LOGIN)),
        post=Method(Ok(302, HOME), anonymous=Ok(302, LOGIN)),
    ),
    Row(
        "accounts:logout",
        public=True,
        allowed=ALL_ROLES,
        post=Method(Ok(302, LOGIN), anonymous=Ok(302, LOGIN)),
    ),
    # --- every role's own pages ---------------------------------------------------------------
    Row("accounts:home", allowed=ALL_ROLES, get=Method(Ok(200))),
    Row("accounts:account", allowed=ALL_ROLES, get=Method(Ok(200))),
    Row("accounts:logout_everywhere", allowed=ALL_ROLES, post=Method(Ok(302, LOGIN))),
    Row("accounts:backup_codes", allowed=ALL_ROLES, post=Method(Ok(200))),
    Row("accounts:notifications", allowed=ALL_ROLES, get=Method(Ok(200))),
    Row(
        "accounts:notifications_read",
        allowed=ALL_ROLES,
        post=Method(Ok(302, "accounts:notifications"), setup=_unread_notice),
    ),
    # --- the audit log: the privacy officer only ----------------------------------------------
    Row("accounts:audit_log", allowed=frozenset({Role.PRIVACY_OFFICER}), get=Method(Ok(200))),
    Row(
        "accounts:audit_log_export",
        allowed=frozenset({Role.PRIVACY_OFFICER}),
        get=Method(Ok(200)),
    ),
    # --- API: every logged-in role; nothing for anonymous -------------------------------------
    Row("api:me", api=True, allowed=ALL_ROLES, get=Method(Ok(200))),
    Row("api-schema", api=True, allowed=ALL_ROLES, get=Method(Ok(200))),
    Row("api-docs", api=True, allowed=ALL_ROLES, get=Method(Ok(200))),
    # --- signals: intake --------------------------------------------------------------------
    Row("signals:list", allowed=SIGNAL_SENDERS, get=Method(Ok(200))),
    Row(
        "signals:create",
        allowed=SIGNAL_SENDERS,
        get=Method(Ok(200)),
        post=Method(Ok(302, SIGNAL_DETAIL), data=_create_form),
    ),
    Row(
        "signals:person_row",
        allowed=SIGNAL_SENDERS,
        get=Method(Ok(200), data=lambda c: {"index": "0"}),
    ),
    Row(
        "signals:place_row",
        allowed=SIGNAL_SENDERS,
        get=Method(Ok(200), data=lambda c: {"index": "0"}),
    ),
    # --- signals: one signal ----------------------------------------------------------------
    Row(
        "signals:detail",
        objects=(DRAFT, SUBMITTED, SCHEDULED, ACUTE),
        kwargs=_signal_kwargs,
        gate=SEES_SIGNALS,
        allowed=SIGNAL_SENDERS,
        get=Method(Ok(200)),
    ),
    Row(
        "signals:edit",
        objects=(SUBMITTED,),
        kwargs=_signal_kwargs,
        gate=SEES_SIGNALS,
        allowed=frozenset(VT),
        get=Method(Ok(200), refused=409, refused_reason=SENDER_STATE),
        post=Method(
            Ok(302, SIGNAL_DETAIL), data=_edit_form, refused=409, refused_reason=SENDER_STATE
        ),
    ),
    Row(
        "signals:submit",
        objects=(DRAFT,),
        kwargs=_signal_kwargs,
        gate=SEES_SIGNALS,
        allowed=SIGNAL_SENDERS,
        scope=OWN_ORG,
        post=Method(Ok(302, SIGNAL_DETAIL), data=_version("submit")),
    ),
    Row(
        "signals:close_internally",
        objects=(DRAFT,),
        kwargs=_signal_kwargs,
        gate=SEES_SIGNALS,
        allowed=frozenset({Role.MUNICIPAL_OFFICER}),
        scope=OWN_ORG,
        post=Method(
            Ok(302, SIGNAL_DETAIL),
            data=lambda c: {
                "close-version": c.obj.version,
                "close-reason": "Opgepakt door het sociaal team.",
            },
        ),
    ),
    Row(
        "signals:register",
        objects=(SUBMITTED,),
        kwargs=_signal_kwargs,
        gate=SEES_SIGNALS,
        allowed=frozenset(VT),
        post=Method(
            Ok(302, SIGNAL_DETAIL),
            data=lambda c: {
                "register-version": c.obj.version,
                "register-preliminary_classification": "potential",
            },
        ),
    ),
    Row(
        "signals:mark_acute",
        objects=(SCHEDULED,),
        kwargs=_signal_kwargs,
        gate=SEES_SIGNALS,
        # The sender of its own signal; Veilig Thuis and AVIM (who hold acute consultations)
        # on every signal they see.
        allowed=SIGNAL_SENDERS,
        scope={Role.VT_STAFF: REGION, Role.VT_OFFICER: REGION, Role.AVIM: REGION},
        post=Method(Ok(302, SIGNAL_DETAIL), data=_version("acute")),
    ),
    Row(
        "signals:acute_consultation",
        objects=(ACUTE,),
        kwargs=_signal_kwargs,
        gate=SEES_SIGNALS,
        allowed=frozenset({*VT, Role.AVIM}),
        get=Method(Ok(200)),
        post=Method(Ok(302, SIGNAL_DETAIL), data=_acute_consultation_form),
    ),
    Row(
        "signals:add_note",
        objects=(SCHEDULED,),
        kwargs=_signal_kwargs,
        gate=SEES_SIGNALS,
        allowed=frozenset({*VT, *PARTNERS}),
        post=Method(
            Ok(302, SIGNAL_DETAIL), data=lambda c: {"note-text": "Bekend bij onze organisatie."}
        ),
    ),
    Row(
        "signals:add_attachment",
        objects=(SUBMITTED,),
        kwargs=_signal_kwargs,
        gate=SEES_SIGNALS,
        allowed=frozenset(VT),
        post=Method(
            Ok(302, SIGNAL_DETAIL),
            data=lambda c: {"attachment-file": _pdf_upload()},
            refused=409,
            refused_reason=SENDER_STATE,
        ),
    ),
    Row(
        "signals:attachment",
        objects=(WITH_ATTACHMENT,),
        kwargs=lambda o: {"public_id": o.signal.public_id, "attachment_id": o.attachment.public_id},
        gate=SEES_SIGNALS,
        allowed=SIGNAL_SENDERS,
        get=Method(Ok(200)),
    ),
    Row(
        "signals:person_link",
        objects=(WITH_MATCH,),
        kwargs=lambda o: {
            "public_id": o.signal.public_id,
            "person_id": o.person.public_id,
            "other_person_id": o.other_person.public_id,
        },
        gate=SEES_SIGNALS,
        allowed=frozenset(VT),
        post=Method(Ok(302, SIGNAL_DETAIL)),
    ),
    # --- signals API (JSON): the same rules as the pages ------------------------------------
    # The viewset looks the signal up before it checks the action's permission: no role gate,
    # so a role that sees no signals at all gets 404 on a signal, like everyone outside it.
    Row(
        "api:signal-list",
        api=True,
        allowed=SIGNAL_SENDERS,
        get=Method(Ok(200)),
        post=Method(Ok(201), data=_api_create),
    ),
    Row(
        "api:signal-detail",
        api=True,
        objects=(DRAFT, SUBMITTED, SCHEDULED, ACUTE),
        kwargs=_signal_kwargs,
        allowed=SIGNAL_SENDERS,
        get=Method(Ok(200)),
        # Editing: the sender only its draft, Veilig Thuis during intake.
        put=Method(
            Ok(200),
            objects=(SUBMITTED,),
            allowed=frozenset(VT),
            data=_api_update,
            refused=409,
            refused_reason=SENDER_STATE,
        ),
    ),
    Row(
        "api:signal-submit",
        api=True,
        objects=(DRAFT,),
        kwargs=_signal_kwargs,
        allowed=SIGNAL_SENDERS,
        scope=OWN_ORG,
        post=Method(Ok(200), data=lambda c: {"version": c.obj.version}),
    ),
    Row(
        "api:signal-close-internally",
        api=True,
        objects=(DRAFT,),
        kwargs=_signal_kwargs,
        allowed=frozenset({Role.MUNICIPAL_OFFICER}),
        scope=OWN_ORG,
        post=Method(
            Ok(200),
            data=lambda c: {"version": c.obj.version, "reason": "Opgepakt door het sociaal team."},
        ),
    ),
    Row(
        "api:signal-register",
        api=True,
        objects=(SUBMITTED,),
        kwargs=_signal_kwargs,
        allowed=frozenset(VT),
        post=Method(
            Ok(200),
            data=lambda c: {"version": c.obj.version, "preliminary_classification": "potential"},
        ),
    ),
    Row(
        "api:signal-mark-acute",
        api=True,
        objects=(SCHEDULED,),
        kwargs=_signal_kwargs,
        allowed=SIGNAL_SENDERS,
        scope={Role.VT_STAFF: REGION, Role.VT_OFFICER: REGION, Role.AVIM: REGION},
        post=Method(Ok(200), data=lambda c: {"version": c.obj.version}),
    ),
    Row(
        "api:signal-acute-consultation",
        api=True,
        objects=(ACUTE,),
        kwargs=_signal_kwargs,
        allowed=frozenset({*VT, Role.AVIM}),
        post=Method(Ok(200), data=_api_acute_consultation),
    ),
    Row(
        "api:signal-persons",
        api=True,
        objects=(SUBMITTED,),
        kwargs=_signal_kwargs,
        allowed=SIGNAL_SENDERS,
        get=Method(Ok(200)),
    ),
    Row(
        # Partner input is not for the sender: it may see the signal, not this part (403).
        "api:signal-notes",
        api=True,
        objects=(SCHEDULED,),
        kwargs=_signal_kwargs,
        allowed=frozenset({*VT, *PARTNERS}),
        get=Method(Ok(200)),
        post=Method(Ok(201), data=lambda c: {"text": "Bekend bij onze organisatie."}),
    ),
    # --- the screening table ----------------------------------------------------------------
    Row("screening:overview", allowed=AT_TABLE, get=Method(Ok(200))),
    Row(
        "screening:detail",
        objects=(PLANNED_WITH_GUEST,),
        kwargs=_meeting_kwargs,
        # The table sees the whole meeting, a guest organisation its own item.
        allowed=AT_TABLE | {GUEST},
        get=Method(Ok(200)),
    ),
    Row(
        "screening:agenda_pdf",
        objects=(PLANNED_WITH_GUEST,),
        kwargs=_meeting_kwargs,
        gate=AT_TABLE,
        allowed=AT_TABLE,
        get=Method(Ok(200)),
    ),
    Row(
        "screening:minutes_pdf",
        objects=(MEETING_WITH_MINUTES,),
        kwargs=_meeting_kwargs,
        gate=AT_TABLE,
        allowed=AT_TABLE,
        get=Method(Ok(200)),
    ),
    Row(
        "screening:item_add",
        objects=(PLANNED_WITH_GUEST,),
        kwargs=_meeting_kwargs,
        # Veilig Thuis puts a signal on the agenda; AVIM and the care coordinator propose one.
        allowed=AT_TABLE,
        post=Method(Ok(200), data=_item_to_add, headers=HTMX),
    ),
    Row(
        "screening:close_agenda",
        objects=(PLANNED_WITH_GUEST,),
        kwargs=_meeting_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(302, MEETING)),
    ),
    Row(
        "screening:start",
        objects=(PLANNED_WITH_GUEST,),
        kwargs=_meeting_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(302, MEETING)),
    ),
    Row(
        "screening:attendance",
        objects=(IN_SESSION_WITH_GUEST,),
        kwargs=_meeting_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(302, MEETING), data=_attendance_form),
    ),
    Row(
        "screening:conclude",
        objects=(IN_SESSION_WITH_GUEST,),
        kwargs=_meeting_kwargs,
        allowed=roles_with("screening.conclude_meeting"),
        post=Method(Ok(302, MEETING)),
    ),
    Row(
        "screening:addendum",
        objects=(CONCLUDED_MEETING,),
        kwargs=_meeting_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(302, MEETING), data=lambda c: {"text": "Correctie: AVIM was aanwezig."}),
    ),
    Row(
        "screening:item_forms",
        objects=(IN_SESSION_WITH_GUEST,),
        kwargs=_item_kwargs,
        # The forms of one item: the table, and the guest for the item it was invited for.
        allowed=AT_TABLE | {GUEST},
        get=Method(Ok(200)),
    ),
    Row(
        "screening:item_remove",
        objects=(PLANNED_WITH_GUEST,),
        kwargs=_item_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(200), headers=HTMX),
    ),
    Row(
        "screening:item_accept",
        # The proposal is not the guest's item: a meeting without guest keeps this row simple.
        objects=(PLANNED_MEETING,),
        kwargs=lambda o: {"public_id": o.meeting.public_id, "item_id": o.proposed.public_id},
        allowed=MANAGES_AGENDA,
        post=Method(Ok(200), headers=HTMX),
    ),
    Row(
        "screening:item_move",
        objects=(PLANNED_WITH_GUEST,),
        kwargs=_item_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(200), data=lambda c: {"direction": "down"}, headers=HTMX),
    ),
    Row(
        "screening:item_configure",
        objects=(PLANNED_WITH_GUEST,),
        kwargs=_item_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(200), data=_configure_form, headers=HTMX),
    ),
    Row(
        "screening:item_input",
        objects=(IN_SESSION_WITH_GUEST,),
        kwargs=_item_kwargs,
        # The guest adds what it knows about the item it was invited for.
        allowed=AT_TABLE | {GUEST},
        post=Method(Ok(200), data=lambda c: {"text": "Bekend bij onze organisatie."}, headers=HTMX),
    ),
    Row(
        "screening:item_classify",
        objects=(IN_SESSION_WITH_GUEST,),
        kwargs=_item_kwargs,
        # The preliminary classification; the final one (VT officer only) is the service's test.
        allowed=MANAGES_AGENDA,
        post=Method(
            Ok(200),
            data=lambda c: {"kind": "preliminary", "value": "suspected", "reason": ""},
            headers=HTMX,
        ),
    ),
    Row(
        "screening:item_decide",
        objects=(IN_SESSION_WITH_GUEST,),
        kwargs=_item_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(200), data=_decide_form, headers=HTMX),
    ),
    Row(
        "screening:item_carry_over",
        objects=(IN_SESSION_WITH_GUEST,),
        kwargs=_item_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(200), data=_item_version, headers=HTMX),
    ),
    Row(
        "screening:item_route",
        objects=(WAITING_DECISION,),
        kwargs=_item_kwargs,
        gate=roles_with("cases.open_case"),
        allowed=roles_with("cases.open_case"),
        get=Method(Ok(200)),
        post=Method(Ok(302, "screening:overview"), data=_route_to_new_case),
    ),
    Row(
        "screening:case_evaluation",
        objects=(REGISTER_CASE,),
        kwargs=lambda case: {"public_id": case.public_id},
        gate=MANAGES_AGENDA,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(302, MEETING)),
    ),
    # --- screening API (JSON): the table's roles only; a guest works through the page ----------
    Row("api:meeting-list", api=True, allowed=AT_TABLE, get=Method(Ok(200))),
    Row(
        "api:meeting-detail",
        api=True,
        objects=(PLANNED_WITH_GUEST,),
        kwargs=_meeting_kwargs,
        allowed=AT_TABLE,
        get=Method(Ok(200)),
    ),
    Row(
        "api:meeting-close-agenda",
        api=True,
        objects=(PLANNED_WITH_GUEST,),
        kwargs=_meeting_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(200)),
    ),
    Row(
        "api:meeting-start",
        api=True,
        objects=(PLANNED_WITH_GUEST,),
        kwargs=_meeting_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(200)),
    ),
    Row(
        "api:meeting-conclude",
        api=True,
        objects=(IN_SESSION_WITH_GUEST,),
        kwargs=_meeting_kwargs,
        allowed=roles_with("screening.conclude_meeting"),
        post=Method(Ok(200)),
    ),
    Row(
        "api:meeting-items",
        api=True,
        objects=(PLANNED_WITH_GUEST,),
        kwargs=_meeting_kwargs,
        allowed=AT_TABLE,
        post=Method(Ok(201), data=_api_item_to_add),
    ),
    Row(
        "api:meeting-item-detail",
        api=True,
        objects=(PLANNED_WITH_GUEST,),
        kwargs=_item_kwargs,
        allowed=MANAGES_AGENDA,
        delete=Method(Ok(204), changes=True),
    ),
    Row(
        "api:meeting-item-accept",
        api=True,
        objects=(PLANNED_MEETING,),
        kwargs=lambda o: {"public_id": o.meeting.public_id, "item_id": o.proposed.public_id},
        allowed=MANAGES_AGENDA,
        post=Method(Ok(200)),
    ),
    Row(
        "api:meeting-item-move",
        api=True,
        objects=(PLANNED_WITH_GUEST,),
        kwargs=_item_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(200), data=lambda c: {"direction": "down"}),
    ),
    Row(
        "api:meeting-item-input",
        api=True,
        objects=(IN_SESSION_WITH_GUEST,),
        kwargs=_item_kwargs,
        allowed=AT_TABLE,
        post=Method(Ok(201), data=lambda c: {"text": "Bekend bij onze organisatie."}),
    ),
    Row(
        "api:meeting-item-classify",
        api=True,
        objects=(IN_SESSION_WITH_GUEST,),
        kwargs=_item_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(200), data=lambda c: {"kind": "preliminary", "value": "suspected"}),
    ),
    Row(
        "api:meeting-item-decide",
        api=True,
        objects=(IN_SESSION_WITH_GUEST,),
        kwargs=_item_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(200), data=_api_decide),
    ),
    Row(
        "api:meeting-item-carry-over",
        api=True,
        objects=(IN_SESSION_WITH_GUEST,),
        kwargs=_item_kwargs,
        allowed=MANAGES_AGENDA,
        post=Method(Ok(200), data=_item_version),
    ),
]

# The later apps keep their rows beside their code, in this module's vocabulary. Imported
# here, after the vocabulary above is defined, so that they can import it.
from cases.tests.matrix import ROWS as _CASE_ROWS  # noqa: E402
from cases.tests.matrix_trajectories import ROWS as _TRAJECTORY_ROWS  # noqa: E402
from referrals.tests.matrix import ROWS as _REFERRAL_ROWS  # noqa: E402
from reporting.tests.matrix import ROWS as _REPORTING_ROWS  # noqa: E402
from reporting.tests.matrix_privacy import ROWS as _PRIVACY_ROWS  # noqa: E402

ROWS += [*_CASE_ROWS, *_TRAJECTORY_ROWS, *_REFERRAL_ROWS, *_REPORTING_ROWS, *_PRIVACY_ROWS]
ROWS_BY_NAME = {row.name: row for row in ROWS}

# Patterns without a name that cannot be reversed, outside the admin, with the reason they
# need no row. (The admin's own unnamed patterns fall under the admin rule.)
EXEMPT: dict[str, str] = {}


# --- walking the URL conf --------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str | None  # fully qualified, e.g. "accounts:audit_log"; None if unnamed
    route: str
    namespace: str

    @property
    def in_admin(self) -> bool:
        return self.namespace.split(":", 1)[0] == "admin"


def url_patterns(resolver: URLResolver | None = None) -> list[Pattern]:
    """Every pattern of the project, recursively through includes and namespaces."""

    def walk(patterns, route: str, namespace: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{namespace}:{p.namespace}" if namespace and p.namespace else None
                yield from walk(
                    p.url_patterns, route + str(p.pattern), inner or p.namespace or namespace
                )
            elif isinstance(p, URLPattern):
                name = f"{namespace}:{p.name}" if namespace and p.name else p.name
                yield Pattern(name, route + str(p.pattern), namespace)

    resolver = resolver or get_resolver()
    return list(walk(resolver.url_patterns, "", ""))


# --- cases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    row: Row
    method: str
    role: Role | None  # None: anonymous
    kind: ObjectKind | None = None
    relation: str | None = None

    @property
    def id(self) -> str:
        parts = [self.row.name, self.method, self.role.value if self.role else "anonymous"]
        if self.kind:
            parts += [self.kind.name, self.relation or OWN]
        return "|".join(parts)


GATE = "outside the view's role check"
HIDDEN = "an object the role may not see"
NOT_ALLOWED = "sees it, may not do this"


@dataclass(frozen=True)
class Expected:
    outcome: str  # "allowed", "refused" or "login"
    statuses: tuple[int, ...]
    to: str | None = None
    reason: str = ""


def _organisation_kind_of(role: Role) -> str:
    # The organisation kind conftest.World gives a user of this role.
    from conftest import ROLE_ORGANISATION_KIND

    return ROLE_ORGANISATION_KIND[role]


def cases() -> list[Case]:
    result: list[Case] = []
    for row in ROWS:
        for method in row.methods:
            kinds = row.objects_for(method)
            if not kinds:
                result += [Case(row, method, role) for role in (None, *Role)]
                continue
            for kind in kinds:
                result.append(Case(row, method, None, kind, OWN))
                for role in Role:
                    for relation in RELATIONS:
                        if relation == OTHER_ORG and not kind.per_organisation:
                            continue  # a region's object: no other organisation to try
                        if relation == OWN and not kind.can_be_owned_by(
                            _organisation_kind_of(role)
                        ):
                            continue  # e.g. the RIEC sends no signals: no own one to try
                        result.append(Case(row, method, role, kind, relation))
    return result


def expected(case: Case) -> Expected:
    row, method = case.row, case.row.methods[case.method]
    if case.role is None:
        if row.public:
            assert method.anonymous is not None, f"{row.name}: public rows declare `anonymous`"
            return Expected("allowed", (method.anonymous.status,), method.anonymous.to)
        if row.api:
            return Expected("refused", (401, 403))
        return Expected("login", (302,), LOGIN)
    if row.gate is not None and case.role not in row.gate:
        return Expected("refused", (403,), reason=GATE)
    if case.kind is not None and not reaches(case.kind.visible_to.get(case.role), case.relation):
        return Expected("refused", (404,), reason=HIDDEN)
    allowed = method.allowed if method.allowed is not None else row.allowed
    if case.role in allowed and (
        case.kind is None or reaches(row.scope_for(case.role), case.relation)
    ):
        return Expected("allowed", (method.ok.status,), method.ok.to)
    return Expected("refused", (method.refused,), reason=method.refused_reason or NOT_ALLOWED)


# --- "and change nothing" --------------------------------------------------------------------

# Sessions are written on every request (SESSION_SAVE_EVERY_REQUEST): not a change of data.
FINGERPRINT_IGNORES = frozenset({"django_session"})


def database_fingerprint() -> dict[str, str]:
    """One checksum per table over all its rows (PostgreSQL): any insert, update or delete shows.

    Exact, and its cost grows with the rows: for a test's few rows. The matrix, around a large
    shared world, uses ``database_writes``.
    """
    tables = sorted(set(connection.introspection.table_names()) - FINGERPRINT_IGNORES)
    qn = connection.ops.quote_name
    # Table names come from the database's own catalogue, quoted; nothing from a request.
    sql = " UNION ALL ".join(
        f"SELECT %s, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {qn(t)} t"  # noqa: S608
        for t in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return dict(cursor.fetchall())


def database_writes() -> dict[str, str]:
    """Per table, the rows inserted, updated and deleted so far in this transaction.

    PostgreSQL counts them per transaction (``pg_stat_xact_user_tables``), whatever the size
    of the tables. Stricter than ``database_fingerprint``: a write that was rolled back to a
    savepoint, or an update that wrote the same values, counts as a write too.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins || ':' || n_tup_upd || ':' || n_tup_del "
            "FROM pg_stat_xact_user_tables WHERE schemaname = current_schema()"
        )
        return {
            table: counts for table, counts in cursor.fetchall() if table not in FINGERPRINT_IGNORES
        }


def changed_tables(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    return sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
