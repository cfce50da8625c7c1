"""Read a rendered PDF back: its text (pdftotext) and its fonts (pdffonts),
both from Debian's poppler-utils. A missing CJK font still yields extractable
text but draws empty boxes, so tests check the embedded fonts as well."""

from __future__ import annotations

import subprocess
import tempfile

CJK_FONT_MARKERS = ("CJK", "SourceHan", "WenQuanYi", "Noto Sans SC", "Noto Serif SC")


def _run_on_pdf(command: list[str], pdf: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        result = subprocess.run(
            [*command, handle.name, *(["-"] if command[0] == "pdftotext" else [])],
            check=True,
            capture_output=True,
            text=True,
        )
    return result.stdout


def pdf_text(pdf: bytes) -> str:
    """The text of the PDF in reading order (layout kept, so table rows stay on a line)."""
    return _run_on_pdf(["pdftotext", "-layout", "-enc", "UTF-8"], pdf)


def pdf_page_count(pdf: bytes) -> int:
    return pdf_text(pdf).count("\f") or 1


def pdf_fonts(pdf: bytes) -> list[dict]:
    """One dict per font: name, type, embedded (bool), subset (bool)."""
    lines = _run_on_pdf(["pdffonts"], pdf).splitlines()[2:]
    fonts = []
    for line in lines:
        columns = line.split()
        # name type [type…] encoding emb sub uni object-id generation
        name, emb, sub = columns[0], columns[-5], columns[-4]
        fonts.append({"name": name, "embedded": emb == "yes", "subset": sub == "yes"})
    return fonts


def assert_cjk_font_embedded(pdf: bytes) -> None:
    fonts = pdf_fonts(pdf)
    cjk = [f for f in fonts if any(marker in f["name"] for marker in CJK_FONT_MARKERS)]
    assert cjk, f"no CJK font in the PDF: {fonts}"
    assert all(f["embedded"] for f in cjk), f"CJK font not embedded: {cjk}"
