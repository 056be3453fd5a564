"""The annual report pages and API: start, follow the progress, download, older versions."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from accounts.roles import Role
from reporting.models import AnnualReport

pytestmark = pytest.mark.usefixtures("media")

PAGE = "/rapportage/jaarverslag/"
API = "/api/v1/reports/annual/"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def made(world, *, status="done", progress=100, content=b"%PDF-1.7 demo", **fields) -> AnnualReport:
    report = AnnualReport(
        region=world.region,
        year=2025,
        scope_key="region",
        status=status,
        progress=progress,
        generated_by=world.user(Role.POLICY_ANALYST),
        **fields,
    )
    if status == "done":
        report.file.save("r.pdf", ContentFile(content), save=False)
        report.pages = 12
    report.save()
    return report


def test_a_running_report_polls_for_its_progress_every_second(world, login):
    report = made(world, status="running", progress=40)
    client = login(world.user(Role.POLICY_ANALYST))

    partial = client.get(f"{PAGE}{report.public_id}/voortgang/").content.decode()

    assert f'hx-get="{PAGE}{report.public_id}/voortgang/"' in partial
    assert 'hx-trigger="every 1s"' in partial
    assert '<progress id="progress-bar" max="100" value="40">' in partial
    assert "<script" not in partial


def test_a_finished_report_stops_polling_and_offers_the_download(world, login):
    report = made(world)
    client = login(world.user(Role.CHAIN_DIRECTOR))

    partial = client.get(f"{PAGE}{report.public_id}/voortgang/").content.decode()

    assert "hx-get" not in partial
    assert f'href="{PAGE}{report.public_id}/bestand/"' in partial
    assert "12 pagina&#x27;s" in partial or "12 pagina's" in partial


def test_a_failed_report_offers_to_start_again(world, login):
    report = made(world, status="failed", progress=60, error="Het maken is mislukt.")

    partial = login(world.user(Role.POLICY_ANALYST)).get(f"{PAGE}{report.public_id}/voortgang/")

    html = partial.content.decode()
    assert "Het maken is mislukt." in html
    assert "Opnieuw starten" in html and "hx-get" not in html


def test_older_versions_stay_listed_and_downloadable(world, login):
    old = made(world, content=b"%PDF-1.7 old", sha256="a" * 64)
    new = made(world, content=b"%PDF-1.7 new", sha256="b" * 64)
    client = login(world.user(Role.VT_STAFF))

    listing = client.get(PAGE, {"year": "2025"}).content.decode()
    detail = client.get(f"{PAGE}{new.public_id}/").content.decode()

    assert "a" * 64 in listing and "b" * 64 in listing
    assert f"{PAGE}{old.public_id}/bestand/" in detail
    response = client.get(f"{PAGE}{old.public_id}/bestand/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 old"
    assert response["Content-Disposition"].startswith('attachment; filename="jaarverslag-2025-')
    assert response["X-Checksum-SHA256"] == "a" * 64


def test_another_region_s_report_answers_404(world, other_world, login):
    report = made(other_world)
    client = login(world.user(Role.POLICY_ANALYST))

    for url in (f"{PAGE}{report.public_id}/", f"{PAGE}{report.public_id}/bestand/",
                f"{API}{report.public_id}/", f"{API}{report.public_id}/file/"):  # fmt: skip
        assert client.get(url).status_code == 404, url


def test_an_unfinished_report_has_no_file_yet(world, login):
    report = made(world, status="running", progress=10)

    assert (
        login(world.user(Role.POLICY_ANALYST)).get(f"{PAGE}{report.public_id}/bestand/").status_code
        == 404
    )


def test_a_bad_year_is_refused_with_a_dutch_message(world, login):
    client = login(world.user(Role.POLICY_ANALYST))

    for year in ("1900", "2027"):
        response = client.post(PAGE, {"year": year})
        assert response.status_code == 400
        assert "Kies een jaar van 2000 tot en met 2026." in response.content.decode()
    assert not AnnualReport.objects.exists()
    response = client.post(API, {"year": 1900}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"year": ["Kies een jaar van 2000 tot en met 2026."]}


def test_the_api_starts_a_report_and_answers_its_progress(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.user(Role.POLICY_ANALYST))

    started = client.post(API, {"year": 2025}, content_type="application/json")
    again = client.post(API, {"year": 2025}, content_type="application/json")

    assert started.status_code == again.status_code == 202
    assert started.json()["id"] == again.json()["id"]
    assert started.json()["status"] == "queued" and started.json()["file"] is None
    status = client.get(f"{API}{started.json()['id']}/").json()
    assert (status["status"], status["progress"], status["region"]) == ("queued", 0, "Regio zl")


def test_the_api_lists_and_serves_finished_reports(world, login):
    report = made(world, content=b"%PDF-1.7 api", sha256="c" * 64)
    client = login(world.user(Role.VT_OFFICER))

    listed = client.get(API).json()["results"]
    served = client.get(f"{API}{report.public_id}/file/")

    assert [r["id"] for r in listed] == [str(report.public_id)]
    assert listed[0]["file"] == f"{API}{report.public_id}/file/"
    assert served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content) == b"%PDF-1.7 api"


def test_the_introduction_is_saved_for_the_year(world, login):
    from reporting.services import introduction_text

    client = login(world.user(Role.POLICY_ANALYST))
    response = client.post(f"{PAGE}inleiding/", {"year": "2025", "text": "Het beleid in het kort."})

    assert response.status_code == 302
    assert introduction_text(world.region, 2025) == "Het beleid in het kort."
    assert "Het beleid in het kort." in client.get(PAGE, {"year": "2025"}).content.decode()
