"""The steps on a case: lead, actions, notes, closing and reopening — and each refusal."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Organisation
from accounts.roles import Role
from cases.models import Action, CaseEvent, CaseNote
from cases.services import case as services
from cases.services.case import CaseStepNotAllowed
from cases.tests.case_support import add_action, close, in_days, lead_user, reload, vt
from cases.tests.factories import make_case
from cases.workflow import CaseStatus
from signals.models import SignalEvent
from signals.services import StaleVersion

pytestmark = pytest.mark.django_db


def events(case, kind):
    return CaseEvent.objects.filter(case=case, kind=kind)


# --- lead --------------------------------------------------------------------------------------


def test_it_hands_the_lead_to_another_organisation(world):
    case = make_case(world)
    zvh = world.orgs[Organisation.Kind.ZVH]

    changed = services.case_lead_change(
        case=case, actor=vt(world), version=case.version, lead_organisation=zvh, lead_kind="zvh"
    )

    assert reload(changed).lead_organisation == zvh
    assert reload(changed).version == case.version + 1
    assert events(case, "lead").count() == 1


def test_only_veilig_thuis_changes_the_lead(world):
    case = make_case(world)
    with pytest.raises(PermissionDenied):
        services.case_lead_change(
            case=case,
            actor=lead_user(world),
            version=case.version,
            lead_organisation=world.other_municipality,
            lead_kind="municipality",
        )


def test_a_stale_version_is_refused_when_changing_the_lead(world):
    case = make_case(world)
    with pytest.raises(StaleVersion):
        services.case_lead_change(
            case=case,
            actor=vt(world),
            version=case.version - 1 if case.version > 1 else case.version + 1,
            lead_organisation=world.other_municipality,
            lead_kind="municipality",
        )
    assert reload(case).lead_organisation == world.municipality


def test_the_lead_must_be_an_organisation_of_the_region(world, other_world):
    case = make_case(world)
    with pytest.raises(ValidationError) as exc:
        services.case_lead_change(
            case=case,
            actor=vt(world),
            version=case.version,
            lead_organisation=other_world.municipality,
            lead_kind="municipality",
        )
    assert "lead_organisation" in exc.value.message_dict


def test_the_same_lead_again_is_refused(world):
    case = make_case(world)
    with pytest.raises(ValidationError):
        services.case_lead_change(
            case=case,
            actor=vt(world),
            version=case.version,
            lead_organisation=world.municipality,
            lead_kind=case.lead_kind,
        )


# --- actions -----------------------------------------------------------------------------------


def test_the_lead_adds_an_action_for_an_organisation_of_the_region(world):
    case = make_case(world)
    action = services.action_add(
        case=case,
        actor=lead_user(world),
        description="Huisbezoek",
        owner_organisation=world.orgs[Organisation.Kind.POLICE_AVIM],
        due_date=in_days(3),
    )
    assert action.owner_organisation.kind == Organisation.Kind.POLICE_AVIM
    assert reload(case).version == case.version + 1
    assert events(case, "action").count() == 1


@pytest.mark.parametrize(
    ("days", "field"),
    [(-1, "due_date"), (800, "due_date")],
    ids=["in-the-past", "years-ahead"],
)
def test_a_due_date_out_of_range_is_refused(world, days, field):
    case = make_case(world)
    with pytest.raises(ValidationError) as exc:
        add_action(world, case, days=days)
    assert field in exc.value.message_dict
    assert not Action.objects.exists()


def test_an_owner_of_another_region_is_refused(world, other_world):
    case = make_case(world)
    with pytest.raises(ValidationError) as exc:
        add_action(world, case, owner=other_world.orgs[Organisation.Kind.ZVH])
    assert "owner_organisation" in exc.value.message_dict


def test_an_empty_description_is_refused(world):
    case = make_case(world)
    with pytest.raises(ValidationError) as exc:
        services.action_add(
            case=case,
            actor=vt(world),
            description="   ",
            owner_organisation=world.municipality,
            due_date=in_days(1),
        )
    assert "description" in exc.value.message_dict


def test_an_organisation_that_does_not_lead_adds_no_action(world):
    case = make_case(world)
    other = world.user(Role.MUNICIPAL_OFFICER, world.other_municipality)
    with pytest.raises(PermissionDenied):
        services.action_add(
            case=case,
            actor=other,
            description="Huisbezoek",
            owner_organisation=world.municipality,
            due_date=in_days(3),
        )


def test_the_owner_completes_and_reopens_its_action(world):
    case = make_case(world)
    action = add_action(world, case)  # owned by the ZVH, which does not lead
    owner = world.user(Role.CARE_COORDINATOR)

    done = services.action_complete(action=action, actor=owner)
    assert done.done_at is not None and done.done_by == owner
    reopened = services.action_reopen(action=action, actor=owner)
    assert reopened.done_at is None and reopened.done_by is None
    assert events(case, "action").count() == 3


def test_an_organisation_that_neither_owns_nor_leads_may_not_complete(world):
    case = make_case(world)
    action = add_action(world, case)
    with pytest.raises(PermissionDenied):
        services.action_complete(action=action, actor=world.user(Role.AVIM))


def test_completing_twice_is_refused(world):
    case = make_case(world)
    action = add_action(world, case)
    services.action_complete(action=action, actor=vt(world))
    with pytest.raises(CaseStepNotAllowed):
        services.action_complete(action=action, actor=vt(world))


def test_reopening_an_open_action_is_refused(world):
    case = make_case(world)
    action = add_action(world, case)
    with pytest.raises(CaseStepNotAllowed):
        services.action_reopen(action=action, actor=vt(world))


def test_no_action_is_added_to_a_closed_case(world):
    case = close(world, make_case(world))
    with pytest.raises(CaseStepNotAllowed):
        add_action(world, case)


# --- notes -------------------------------------------------------------------------------------


def test_the_lead_adds_a_note(world):
    case = make_case(world)
    note = services.case_note_add(case=case, actor=lead_user(world), text="Gesprek gevoerd.")
    assert note.organisation == world.municipality
    assert events(case, "note").count() == 1


def test_an_empty_note_is_refused(world):
    case = make_case(world)
    with pytest.raises(ValidationError):
        services.case_note_add(case=case, actor=vt(world), text="  ")
    assert not CaseNote.objects.exists()


def test_a_note_over_the_limit_is_refused(world):
    case = make_case(world)
    with pytest.raises(ValidationError):
        services.case_note_add(case=case, actor=vt(world), text="x" * 10_001)
    assert not CaseNote.objects.exists()


def test_a_partner_that_does_not_lead_adds_no_note(world):
    case = make_case(world)
    with pytest.raises(PermissionDenied):
        services.case_note_add(case=case, actor=world.user(Role.AVIM), text="Bekend.")


# --- closing and reopening ---------------------------------------------------------------------


def test_closing_records_the_reason_and_tells_the_sender(world):
    case = make_case(world)
    signal = case.signals.get()

    closed = close(world, case, reason="referred_out", note="Naar de regio Utrecht.")

    closed = reload(closed)
    assert closed.status == CaseStatus.CLOSED
    assert closed.close_reason == "referred_out"
    assert closed.closed_at is not None
    assert events(case, "closed").count() == 1
    feedback = SignalEvent.objects.filter(signal=signal, visible_to_sender=True).latest("pk")
    assert feedback.summary.startswith("Casus gesloten")


def test_closing_with_open_actions_needs_a_confirmation(world):
    case = make_case(world)
    add_action(world, case)

    with pytest.raises(ValidationError) as exc:
        close(world, case)

    assert "confirm_open_actions" in exc.value.message_dict
    assert "1 open actie" in exc.value.message_dict["confirm_open_actions"][0]
    assert reload(case).status == CaseStatus.OPEN
    assert not events(case, "closed").exists()


def test_closing_with_open_actions_when_confirmed(world):
    case = make_case(world)
    add_action(world, case)
    closed = close(world, case, confirm_open_actions=True)
    assert reload(closed).status == CaseStatus.CLOSED


def test_closing_for_another_reason_needs_a_note(world):
    case = make_case(world)
    with pytest.raises(ValidationError) as exc:
        close(world, case, reason="other", note="")
    assert "note" in exc.value.message_dict


def test_an_unknown_close_reason_is_refused(world):
    case = make_case(world)
    with pytest.raises(ValidationError) as exc:
        close(world, case, reason="bored")
    assert "reason" in exc.value.message_dict


def test_closing_with_a_stale_version_is_refused(world):
    case = make_case(world)
    add_action(world, case)  # bumps the version after the case was read
    with pytest.raises(StaleVersion):
        services.case_close(
            case=case,
            actor=vt(world),
            version=case.version,
            reason="goal_reached",
            confirm_open_actions=True,
        )
    assert reload(case).status == CaseStatus.OPEN


def test_closing_a_closed_case_is_refused(world):
    case = close(world, make_case(world))
    with pytest.raises(CaseStepNotAllowed):
        close(world, case)


def test_an_organisation_that_does_not_lead_may_not_close(world):
    case = make_case(world)
    with pytest.raises(PermissionDenied):
        close(world, case, actor=world.user(Role.MUNICIPAL_OFFICER, world.other_municipality))


def test_reopening_needs_a_reason_and_clears_the_close(world):
    case = close(world, make_case(world))
    with pytest.raises(ValidationError):
        services.case_reopen(case=case, actor=vt(world), version=reload(case).version, reason=" ")

    reopened = services.case_reopen(
        case=case, actor=lead_user(world), version=reload(case).version, reason="Nieuw signaal."
    )

    reopened = reload(reopened)
    assert reopened.status == CaseStatus.OPEN
    assert reopened.close_reason == "" and reopened.closed_at is None
    assert events(case, "reopened").count() == 1


def test_reopening_an_open_case_is_refused(world):
    case = make_case(world)
    with pytest.raises(CaseStepNotAllowed):
        services.case_reopen(case=case, actor=vt(world), version=case.version, reason="Nogmaals")


def test_a_refused_step_changes_nothing(world):
    """Atomicity: the event and the version go with the change, or not at all."""
    case = make_case(world)
    add_action(world, case)
    before = (reload(case).version, CaseEvent.objects.count(), SignalEvent.objects.count())
    with pytest.raises(ValidationError):
        close(world, case, reason="other", note="", confirm_open_actions=False)
    after = (reload(case).version, CaseEvent.objects.count(), SignalEvent.objects.count())
    assert after == before
