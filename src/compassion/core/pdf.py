"""PDFs from HTML with WeasyPrint, without ever fetching anything over the network.

Letters and reports can contain citizens' own words; a PDF renderer that followed their
links would reach out to whatever address they wrote. Here only the project's own static
files and inline data: URLs are read.
"""

from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse

BASE_URL = "https://compassion.invalid/"
STATIC_PREFIX = BASE_URL + "static/"


class PdfUnavailable(ImproperlyConfigured):
    """WeasyPrint's system libraries are missing."""


def local_url(url: str) -> str:
    """The file: or data: URL to read for `url`; anything else is refused."""
    if url.startswith("data:"):
        return url
    if url.startswith(STATIC_PREFIX):
        path = finders.find(url.removeprefix(STATIC_PREFIX).split("?")[0])
        if path:
            return Path(path).resolve().as_uri()
    raise ValueError(f"Not fetched for a PDF: {url[:80]}")


def local_fetcher() -> Any:
    from weasyprint import URLFetcher

    class LocalFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            return super().fetch(local_url(url), headers)

    return LocalFetcher(allowed_protocols={"file", "data"})


def render_pdf(html: str) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as error:
        raise PdfUnavailable(
            "Making PDFs needs the Pango library: on Debian or Ubuntu, "
            "apt-get install libpango-1.0-0 libpangoft2-1.0-0."
        ) from error
    return HTML(string=html, base_url=BASE_URL, url_fetcher=local_fetcher()).write_pdf()


def pdf_response(pdf: bytes, filename: str, disposition: str = "inline") -> HttpResponse:
    """A PDF to open in the browser ("inline") or to save ("attachment")."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
