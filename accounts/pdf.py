"""PDF rendering with WeasyPrint that can read nothing but our own static files.

The template refers to static files with the ``static:`` scheme (``static:css/pdf.css``).
Remote URLs, ``file://`` paths and anything else are refused (SECURITY.md: a user-supplied
URL in a document must not make the server fetch it).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse


class StaticOnlyFetcher(URLFetcher):
    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if url.startswith("static:"):
            relative = url.removeprefix("static:").lstrip("/")
            if ".." not in Path(relative).parts:
                found = finders.find(relative)
                if found:
                    path = Path(found)
                    mime, _ = mimetypes.guess_type(path.name)
                    return URLFetcherResponse(
                        url,
                        body=path.read_bytes(),
                        headers={"Content-Type": mime or "application/octet-stream"},
                    )
        raise ValueError(f"PDF rendering may not fetch {url[:80]!r}")


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    html = render_to_string(template, context)
    return HTML(string=html, base_url="static:/", url_fetcher=StaticOnlyFetcher()).write_pdf()
