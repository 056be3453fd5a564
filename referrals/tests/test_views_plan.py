"""The plan of approach in the browser: uploaded by the process director, downloaded only by
those who may see the referral."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Organisation
from accounts.roles import Role
from referrals.tests.factories import PDF_BYTES, accepted, pdf_upload, with_plan
from referrals.tests.support import reads_of, url


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_process_director_uploads_the_plan(world, login):
    referral = accepted(world, world.orgs[Organisation.Kind.ZVH])
    client = login(world.user(Role.PROCESS_DIRECTOR))
    assert "Plan van aanpak toevoegen" in client.get(url("detail", referral)).content.decode()

    response = client.post(url("plan_upload", referral), {"plan-file": pdf_upload()})

    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.plan_name == "plan-van-aanpak.pdf"


def test_a_script_is_refused_with_a_message(world, login):
    referral = accepted(world, world.orgs[Organisation.Kind.ZVH])
    upload = SimpleUploadedFile("plan.pdf", b"<html><script>alert(1)</script></html>")
    response = login(world.user(Role.PROCESS_DIRECTOR)).post(
        url("plan_upload", referral), {"plan-file": upload}
    )
    assert response.status_code == 400
    assert "niet toegestaan" in response.content.decode()
    referral.refresh_from_db()
    assert not referral.plan


@pytest.mark.parametrize("role", [Role.PROCESS_DIRECTOR, Role.VT_STAFF, Role.VT_OFFICER])
def test_who_sees_the_referral_downloads_the_plan(world, login, role):
    referral = with_plan(world)
    response = login(world.user(role)).get(url("plan", referral))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert reads_of(referral).filter(additional_data__file="plan").exists()


@pytest.mark.parametrize("role", [Role.MUNICIPAL_OFFICER, Role.AVIM])
def test_anyone_else_gets_404(world, login, role):
    referral = with_plan(world)  # led by the other municipality
    assert login(world.user(role)).get(url("plan", referral)).status_code == 404


def test_another_region_gets_404(world, other_world, login):
    referral = with_plan(world)
    assert (
        login(other_world.user(Role.PROCESS_DIRECTOR)).get(url("plan", referral)).status_code == 404
    )


def test_no_plan_is_404(world, login):
    referral = accepted(world, world.orgs[Organisation.Kind.ZVH])
    assert login(world.user(Role.PROCESS_DIRECTOR)).get(url("plan", referral)).status_code == 404
