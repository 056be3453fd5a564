"""The panel the case page includes: the case's referrals, and for Veilig Thuis a way to refer."""

from django.template.loader import render_to_string
from django.test import RequestFactory

from accounts.models import AuditLogEntry, Organisation
from accounts.roles import Role
from referrals.tests.factories import completed, referral_case
from referrals.tests.support import list_reads, url


def render(case, user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "referrals/_case_panel.html", {"case": case, "request": request}, request=request
    )


def test_it_lists_the_referrals_with_status_and_feedback(world):
    referral = completed(world, world.orgs[Organisation.Kind.ZVH])
    html = render(referral.case, world.user(Role.VT_STAFF))
    assert "Afgerond" in html
    assert "Plan uitgevoerd." in html
    assert url("detail", referral) in html


def test_veilig_thuis_gets_the_link_to_prepare_one(world):
    case = referral_case(world)
    html = render(case, world.user(Role.VT_STAFF))
    assert "Verwijzing voorbereiden" in html
    assert url("create", case_id=case.public_id) in html


def test_the_lead_organisation_gets_no_link(world):
    case = referral_case(world)
    lead = world.user(Role.MUNICIPAL_OFFICER, organisation=world.other_municipality)
    assert "Verwijzing voorbereiden" not in render(case, lead)


def test_the_rows_shown_are_logged(world):
    referral = completed(world)
    render(referral.case, world.user(Role.VT_STAFF))
    entry = list_reads().get()
    assert entry.access_kind == AuditLogEntry.AccessKind.LIST
    assert entry.additional_data["object_ids"] == [str(referral.public_id)]
