"""The integral plan of approach: the receiving ZVH's process director, after acceptance."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Organisation
from accounts.roles import Role
from referrals import services
from referrals.files import DOCX, ODT, PDF
from referrals.tests.factories import accepted, pdf_upload, sent, with_plan
from referrals.workflow import TransitionNotAllowed


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def zip_upload(name: str, members: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    return SimpleUploadedFile(name, buffer.getvalue())


DOCX_MEMBERS = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}
ODT_MEMBERS = {"mimetype": ODT.encode(), "content.xml": b"<office:document-content/>"}


def attach(world, referral, upload, actor=None):
    return services.referral_attach_plan(
        referral=referral, actor=actor or world.user(Role.PROCESS_DIRECTOR), upload=upload
    )


def zvh_referral(world):
    return accepted(world, world.orgs[Organisation.Kind.ZVH])


@pytest.mark.parametrize(
    ("upload", "content_type"),
    [
        (lambda: pdf_upload(), PDF),
        (lambda: zip_upload("plan.docx", DOCX_MEMBERS), DOCX),
        (lambda: zip_upload("plan.odt", ODT_MEMBERS), ODT),
    ],
)
def test_it_takes_pdf_docx_and_odt(world, upload, content_type):
    referral = attach(world, zvh_referral(world), upload())
    assert referral.plan_content_type == content_type
    assert referral.plan.name.startswith(f"plans/{world.region.pk}/")
    assert "plan" not in referral.plan.name.rsplit("/", 1)[-1]  # a random stored name


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("plan.pdf", b"<html><script>alert(1)</script></html>"),
        SimpleUploadedFile("plan.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        SimpleUploadedFile("plan.pdf", b""),
        SimpleUploadedFile("plan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64),
    ],
)
def test_it_refuses_anything_else(world, upload):
    referral = zvh_referral(world)
    with pytest.raises(ValidationError) as exc:
        attach(world, referral, upload)
    assert "file" in exc.value.message_dict
    referral.refresh_from_db()
    assert not referral.plan


def test_it_refuses_a_macro_enabled_document(world):
    members = {
        "[Content_Types].xml": b"application/vnd.ms-word.document.macroEnabled.main+xml",
        "word/document.xml": b"<w:document/>",
    }
    with pytest.raises(ValidationError):
        attach(world, zvh_referral(world), zip_upload("plan.docm", members))


def test_it_refuses_a_pdf_that_is_also_a_web_page(world):
    polyglot = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n<html><body><script>alert(1)</script></body></html>"
    referral = zvh_referral(world)
    with pytest.raises(ValidationError) as exc:
        attach(world, referral, SimpleUploadedFile("plan.pdf", polyglot + b"\n%%EOF\n"))
    assert "niet toegestaan" in exc.value.message_dict["file"][0]
    referral.refresh_from_db()
    assert not referral.plan


def test_it_refuses_a_docx_that_unpacks_to_far_more_than_it_weighs(world):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("word/document.xml", b"\0" * (50 * 1024 * 1024))
    bomb = SimpleUploadedFile("plan.docx", buffer.getvalue())
    assert bomb.size < 1024 * 1024
    referral = zvh_referral(world)
    with pytest.raises(ValidationError) as exc:
        attach(world, referral, bomb)
    assert "niet toegestaan" in exc.value.message_dict["file"][0]
    referral.refresh_from_db()
    assert not referral.plan


def test_it_refuses_a_plan_that_is_too_large(world, monkeypatch):
    monkeypatch.setattr("referrals.files.MAX_PLAN_SIZE", 10)
    with pytest.raises(ValidationError) as exc:
        attach(world, zvh_referral(world), pdf_upload())
    assert "te groot" in exc.value.message_dict["file"][0]


def test_not_before_acceptance(world):
    referral = sent(world, world.orgs[Organisation.Kind.ZVH])
    with pytest.raises(TransitionNotAllowed):
        attach(world, referral, pdf_upload())


@pytest.mark.parametrize("role", [Role.CARE_COORDINATOR, Role.VT_STAFF])
def test_only_the_process_director(world, role):
    with pytest.raises(PermissionDenied):
        attach(world, zvh_referral(world), pdf_upload(), actor=world.user(role))


def test_not_for_a_receiver_that_is_no_zvh(world):
    referral = accepted(world)  # the municipality
    with pytest.raises(PermissionDenied):
        attach(world, referral, pdf_upload(), actor=world.user(Role.MUNICIPAL_OFFICER))


def test_a_new_plan_replaces_the_old(world, django_capture_on_commit_callbacks):
    referral = with_plan(world)
    old = referral.plan.name
    storage = referral.plan.storage
    with django_capture_on_commit_callbacks(execute=True):
        referral = attach(world, referral, pdf_upload("versie-2.pdf"))
    assert referral.plan_name == "versie-2.pdf"
    assert referral.plan.name != old
    assert not storage.exists(old)
    assert storage.exists(referral.plan.name)
