"""The PDF renderer fetches nothing but the project's own static files.

WeasyPrint loads every external resource through the URL fetcher of ``accounts.pdf``
(images, stylesheets, ``@import``, fonts, ``url()`` in CSS, PDF attachments). The tests give
the renderer a document full of references to ``file://`` paths and remote hosts and watch
both the fetcher (each such URL is offered and refused) and ``urllib`` underneath it (nothing
is opened but ``data:`` URLs).
"""

from __future__ import annotations

import io
import urllib.request

import pytest
from pypdf import PdfReader

from accounts import pdf
from screening.documents import agenda_pdf
from screening.tests.factories import MeetingFactory, agenda_item, registered_signal

HOSTILE_URLS = {
    "img file": "file:///etc/passwd",
    "img remote": "http://169.254.169.254/latest/meta-data/",
    "stylesheet remote": "https://evil.example/steal.css",
    "stylesheet file": "file:///etc/hostname",
    "css url() file": "file:///etc/shadow",
    "css @import remote": "http://evil.example/import.css",
    "font remote": "https://evil.example/font.woff2",
    "attachment file": "file:///etc/group",
    "svg image": "file:///proc/self/environ",
    "object data": "http://evil.example/object.svg",
}

HOSTILE_HTML = f"""<!DOCTYPE html>
<html><head>
<link rel="stylesheet" href="static:css/pdf.css">
<link rel="stylesheet" href="{HOSTILE_URLS["stylesheet remote"]}">
<link rel="stylesheet" href="{HOSTILE_URLS["stylesheet file"]}">
<link rel="attachment" href="{HOSTILE_URLS["attachment file"]}">
<style>
@import url("{HOSTILE_URLS["css @import remote"]}");
@font-face {{ font-family: Evil; src: url("{HOSTILE_URLS["font remote"]}"); }}
body {{ background: url("{HOSTILE_URLS["css url() file"]}"); font-family: Evil; }}
</style>
</head><body>
<h1>Agenda</h1>
<img src="{HOSTILE_URLS["img file"]}" alt="">
<img src="{HOSTILE_URLS["img remote"]}" alt="">
<img src="../../../../../../etc/passwd" alt="">
<img src="static:../../config/settings.py" alt="">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">
  <image xlink:href="{HOSTILE_URLS["svg image"]}" width="10" height="10"/>
</svg>
<object data="{HOSTILE_URLS["object data"]}" type="image/svg+xml"></object>
<img src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==" alt="">
</body></html>
"""


class Watch:
    """What the fetcher was asked for and what it answered; what urllib opened."""

    def __init__(self) -> None:
        self.served: list[str] = []
        self.refused: list[str] = []
        self.opened: list[str] = []

    @property
    def asked(self) -> list[str]:
        return self.served + self.refused


@pytest.fixture
def watch(monkeypatch) -> Watch:
    seen = Watch()
    fetch = pdf.StaticOnlyFetcher.fetch
    open_url = urllib.request.OpenerDirector.open

    def watched_fetch(self, url, headers=None):
        try:
            response = fetch(self, url, headers)
        except Exception:
            seen.refused.append(url)
            raise
        seen.served.append(url)
        return response

    def watched_open(self, fullurl, *args, **kwargs):
        url = fullurl if isinstance(fullurl, str) else fullurl.full_url
        seen.opened.append(url)
        return open_url(self, fullurl, *args, **kwargs)

    monkeypatch.setattr(pdf.StaticOnlyFetcher, "fetch", watched_fetch)
    monkeypatch.setattr(urllib.request.OpenerDirector, "open", watched_open)
    return seen


def text_of(document: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(document)).pages)


def test_it_refuses_file_and_remote_urls_in_a_document(watch, monkeypatch):
    monkeypatch.setattr(pdf, "render_to_string", lambda template, context: HOSTILE_HTML)

    document = pdf.render_pdf("any.html", {})

    assert document.startswith(b"%PDF")
    # Every hostile reference reached the fetcher, and the fetcher refused each one.
    for name, url in HOSTILE_URLS.items():
        assert url in watch.refused, f"{name}: {url} was not offered to the fetcher"
    assert not [url for url in watch.served if not url.startswith(("static:", "data:"))]
    # A climb out of the static files is refused; a bare relative path has no base to resolve
    # against ("static:" is not hierarchical), so it is not even offered.
    assert any("config/settings.py" in url for url in watch.refused), watch.refused
    assert not any("etc/passwd" in url for url in watch.served)
    # The own stylesheet and the inline image were served: the fetcher is not simply off.
    assert "static:css/pdf.css" in watch.served
    assert any(url.startswith("data:") for url in watch.served)
    # Underneath, urllib opened nothing but the data: URL.
    assert all(url.startswith("data:") for url in watch.opened), watch.opened
    assert "root:" not in text_of(document)


def test_a_signal_text_with_references_is_printed_not_fetched(world, watch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    description = (
        '<img src="file:///etc/passwd"> <link rel="stylesheet" href="http://evil.example/a.css">'
        ' <style>body{background:url("file:///etc/shadow")}</style>'
    )
    meeting = MeetingFactory(region=world.region)
    agenda_item(world, meeting, signal=registered_signal(world, description=description))

    document = agenda_pdf(meeting=meeting)

    assert not [url for url in watch.asked if not url.startswith(("static:", "data:"))]
    assert all(url.startswith("data:") for url in watch.opened)
    # The reference is shown as the text that was typed.
    assert "file:///etc/passwd" in text_of(document).replace("\n", "")
