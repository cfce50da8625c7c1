"""The one PDF renderer: template → HTML → WeasyPrint.

Official documents (notices, supervision letters, responsibility letters,
score sheets) extend ``templates/pdf/base.html`` and are rendered here. Two
rules make the output safe and legible on an intranet:

- WeasyPrint may only read the app's own static files. Every other URL
  (http, file, ftp, a path outside STATIC_URL) is refused, so a template
  variable holding user text can never make the server fetch something.
- Chinese text needs a CJK font from the system (Debian's ``fonts-noto-cjk``);
  the stylesheet names it, and tests check it is embedded in the PDF.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# A base URL that can never be fetched: relative and /static/ URLs resolve
# against it, and the fetcher maps them back to files on disk.
PDF_BASE_URL = "https://pdf.pxcf.invalid/"


class PdfResourceRefused(ValueError):
    """Raised (and logged by WeasyPrint) for any URL outside the static files."""


def static_file_for(url: str) -> Path | None:
    """The static file behind a URL under PDF_BASE_URL + STATIC_URL, or None."""
    base = urlsplit(PDF_BASE_URL)
    parts = urlsplit(url)
    if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        return None
    path = unquote(parts.path)
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not path.startswith(static_prefix):
        return None
    relative = path.removeprefix(static_prefix)
    if not relative or ".." in Path(relative).parts:
        return None
    found = finders.find(relative)
    if found:
        return Path(found)
    collected = Path(settings.STATIC_ROOT) / relative
    return collected if collected.is_file() else None


class StaticOnlyFetcher(URLFetcher):
    """Serves the app's static files and inline ``data:`` URLs; refuses the rest."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = static_file_for(url)
        if path is None:
            logger.warning("PDF resource refused: %s", url[:200])
            raise PdfResourceRefused(f"refused: {url[:200]}")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": media_type})


def render_html_to_pdf(html: str) -> bytes:
    """Bytes of the PDF for an HTML string, through the static-only fetcher."""
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf(font_config=FontConfiguration())


def render_pdf(template_name: str, context: dict | None = None) -> bytes:
    """Render a Django template (extending ``pdf/base.html``) to PDF bytes."""
    html = render_to_string(template_name, context or {})
    return render_html_to_pdf(html)


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """A Content-Disposition header that keeps a Chinese file name (RFC 6266/5987)."""
    ascii_fallback = filename.encode("ascii", "ignore").decode() or "document.pdf"
    ascii_fallback = ascii_fallback.replace('"', "")
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_fallback}\"; filename*=UTF-8''{quote(filename)}"


def pdf_response(pdf: bytes, filename: str, *, inline: bool = False) -> HttpResponse:
    """An HTTP response carrying a rendered PDF."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["Content-Length"] = str(len(pdf))
    response["X-Content-Type-Options"] = "nosniff"
    return response
